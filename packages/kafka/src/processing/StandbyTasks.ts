import type { Logger, RestorableStore, StateStore, StoreChangeLogger, StoreSpec } from '@tributary/core';
import type { Task } from '@tributary/core/runtime';
import type { TaskLayout, TaskSpec } from '../assignment/TaskLayout';
import { partitionKey, type ChangelogReader, type StreamsAdmin, type TopicPartition } from '../client/StreamsClient';
import { HandoverLogger } from '../state/HandoverLogger';
import type { TaskStateDirectory } from '../state/StateDirectory';

export interface StandbyTasksDeps {
  readonly layout: TaskLayout;
  /**
   * Creates the task whose stores a standby keeps: the logged ones with `changelogLogger`,
   * and `state` when some are persistent (their directory, opened as for an active task).
   */
  readonly createTask: (spec: TaskSpec, changelogLogger: (store: StoreSpec) => StoreChangeLogger) => { task: Task; state: TaskStateDirectory | undefined };
  readonly admin: Pick<StreamsAdmin, 'offsets'>;
  /** Reads the changelogs, outside the group, with the isolation of the application (read_committed under exactly-once). */
  readonly reader: ChangelogReader;
  readonly logger: Logger;
}

/** What a promoted standby hands over to the active task created in its place. */
export interface StandbyHandover {
  /** The standby's store of `spec`, writing to `logger` from now on. */
  adopt(spec: StoreSpec, logger: StoreChangeLogger | undefined): RestorableStore;
  /** The offset the store of `changelog` holds every record before: restoration starts there. */
  positionOf(changelog: string): number | undefined;
  /** The persistent stores' directory, when the task has persistent stores. */
  readonly state: TaskStateDirectory | undefined;
}

interface Standby {
  readonly spec: TaskSpec;
  readonly task: Task;
  readonly state: TaskStateDirectory | undefined;
  readonly loggers: Map<string, HandoverLogger>;
  /** Changelog topic -> store name, for the task's logged stores. */
  readonly storeOf: Map<string, string>;
  /** Changelog topic -> the next offset to apply. */
  readonly positions: Map<string, number>;
}

/**
 * The standby replicas this instance keeps (Kafka Streams' standby tasks): for each
 * assigned standby task, its stores, kept warm by reading their changelogs from where they
 * stand, without end, outside the consumer group. A standby never processes input. When
 * the group later makes this instance the task's owner, the active task takes the stores
 * over ({@link release}) and restores only what the standby had not read yet. Persistent
 * standbys write their checkpoint at each commit, so a restart starts where they stood.
 */
export class StandbyTasks {
  private readonly standbys = new Map<string, Standby>();
  /** Changelog partition -> the standby reading it. */
  private readonly byChangelog = new Map<string, Standby>();
  private follower: { stop(): Promise<void> } | undefined;
  private pending: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly deps: StandbyTasksDeps) {}

  /** The ids of the standby tasks kept here. */
  ids(): string[] {
    return [...this.standbys.keys()].sort();
  }

  /**
   * Keeps standbys of exactly `ids` from now on (a new assignment's standby tasks): drops
   * the others, creates the new ones, and reads every changelog partition from where its
   * store stands. Calls are applied one after the other.
   */
  assign(ids: readonly string[]): Promise<void> {
    const next = this.pending.then(() => this.apply(ids));
    this.pending = next.catch((error: unknown) => this.deps.logger.warn(`standby tasks: ${(error as Error).message}; they are read again at the next assignment`));
    return this.pending;
  }

  /**
   * Hands the standby of `taskId` over to the active task created in its place, if there
   * is one. Its changelogs are no longer applied (the next {@link assign} stops reading them).
   */
  release(taskId: string): StandbyHandover | undefined {
    const standby = this.standbys.get(taskId);
    if (!standby) return undefined;
    this.forget(standby);
    const stores = new Map(standby.task.ownStores().map(({ spec, store }) => [spec.name, store]));
    this.deps.logger.info(`standby task ${taskId} becomes active: its stores are taken over at ${describePositions(standby)}`);
    return {
      adopt: (spec, logger) => {
        standby.loggers.get(spec.name)?.attach(logger);
        return stores.get(spec.name)!;
      },
      positionOf: (changelog) => standby.positions.get(changelog),
      state: standby.state,
    };
  }

  /** For each standby, the sum of the changelog offsets its stores hold: how far it has caught up. */
  offsetSums(): Map<string, number> {
    return new Map([...this.standbys].map(([id, standby]) => [id, [...standby.positions.values()].reduce((sum, offset) => sum + offset, 0)]));
  }

  /** The standbys' stores named `name`, for queries that accept stale state. */
  stores(name: string): StateStore[] {
    return [...this.standbys.values()].flatMap((s) => s.task.ownStores().filter(({ spec }) => spec.name === name).map(({ store }) => store));
  }

  /** Persistent standbys record in their `.checkpoint` the offsets their stores hold (after a flush). */
  async checkpoint(): Promise<void> {
    await Promise.all(
      [...this.standbys.values()].map((standby) => {
        if (!standby.state) return undefined;
        const offsets = standby.state.changelogs().map((c) => ({ ...c, offset: standby.positions.get(c.topic) }));
        if (offsets.some((o) => o.offset === undefined)) return undefined;
        return standby.state.writeCheckpoint(offsets as { topic: string; partition: number; offset: number }[]);
      }),
    );
  }

  /** Stops reading, checkpoints the persistent standbys and closes their stores. */
  async close(): Promise<void> {
    this.closed = true;
    await this.pending;
    await this.follower?.stop();
    this.follower = undefined;
    await this.checkpoint().catch((error: unknown) => this.deps.logger.warn(`standby checkpoints: ${(error as Error).message}`));
    for (const standby of [...this.standbys.values()]) this.drop(standby);
  }

  private async apply(ids: readonly string[]): Promise<void> {
    if (this.closed) return;
    await this.follower?.stop();
    this.follower = undefined;
    const wanted = new Set(ids);
    await this.checkpoint().catch((error: unknown) => this.deps.logger.warn(`standby checkpoints: ${(error as Error).message}`));
    for (const standby of [...this.standbys.values()]) if (!wanted.has(standby.spec.id)) this.drop(standby);
    const created: Standby[] = [];
    for (const id of ids) {
      const spec = this.deps.layout.task(id);
      if (!spec || this.standbys.has(id)) continue;
      created.push(this.create(spec));
    }
    await this.position(created);
    if (this.closed || this.byChangelog.size === 0) return;
    const starts = [...this.standbys.values()].flatMap((standby) =>
      [...standby.storeOf.keys()].map((topic) => ({ topic, partition: standby.spec.partition, offset: standby.positions.get(topic)! })),
    );
    this.follower = await this.deps.reader.follow(
      starts,
      (partition, records, nextOffset) => this.applyRecords(partition, records, nextOffset),
      (error) => this.deps.logger.warn(`standby tasks stopped reading their changelogs: ${error.message}; they are read again at the next assignment`),
    );
    this.deps.logger.info(`standby tasks [${this.ids().join(', ')}] follow their changelogs`);
  }

  private create(spec: TaskSpec): Standby {
    const loggers = new Map<string, HandoverLogger>();
    const { task, state } = this.deps.createTask(spec, (store) => {
      const logger = new HandoverLogger();
      loggers.set(store.name, logger);
      return logger;
    });
    const logged = task.ownStores().filter(({ spec: s }) => s.logging);
    const storeOf = new Map(logged.map(({ spec: s }) => [task.changelogTopic(s), s.name]));
    const standby: Standby = { spec, task, state, loggers, storeOf, positions: new Map() };
    this.standbys.set(spec.id, standby);
    for (const topic of storeOf.keys()) this.byChangelog.set(partitionKey(topic, spec.partition), standby);
    return standby;
  }

  /** Where each new standby's changelogs start: a persistent store's checkpoint when the changelog still has it, else the first offset. */
  private async position(created: readonly Standby[]): Promise<void> {
    const topics = [...new Set(created.flatMap((s) => [...s.storeOf.keys()]))];
    if (topics.length === 0) return;
    const offsets = await this.deps.admin.offsets(topics);
    for (const standby of created) {
      for (const topic of standby.storeOf.keys()) {
        const range = offsets.find((o) => o.topic === topic && o.partition === standby.spec.partition);
        const low = range?.low ?? 0;
        const high = range?.high ?? 0;
        const checkpoint = standby.state?.restoreFrom(topic);
        standby.positions.set(topic, checkpoint !== undefined && checkpoint >= low && checkpoint <= high ? checkpoint : low);
      }
    }
  }

  private applyRecords({ topic, partition }: TopicPartition, records: readonly { key: Buffer | null; value: Buffer | null; timestamp: number; offset: number }[], nextOffset: number): void {
    const standby = this.byChangelog.get(partitionKey(topic, partition));
    if (!standby) return; // released or dropped meanwhile
    const store = standby.storeOf.get(topic)!;
    const from = standby.positions.get(topic) ?? 0;
    try {
      for (const record of records) if (record.offset >= from) standby.task.restore(store, record.key, record.value, record.timestamp);
    } catch (error) {
      this.deps.logger.warn(`standby task ${standby.spec.id}: applying ${topic}-${partition} failed (${(error as Error).message}); the standby is dropped`);
      this.drop(standby);
      return;
    }
    standby.positions.set(topic, Math.max(from, nextOffset));
  }

  private forget(standby: Standby): void {
    this.standbys.delete(standby.spec.id);
    for (const topic of standby.storeOf.keys()) this.byChangelog.delete(partitionKey(topic, standby.spec.partition));
  }

  private drop(standby: Standby): void {
    this.forget(standby);
    try {
      standby.task.close();
    } catch (error) {
      this.deps.logger.warn(`closing standby task ${standby.spec.id} failed: ${(error as Error).message}`);
    }
  }
}

function describePositions(standby: Standby): string {
  return [...standby.positions].map(([topic, offset]) => `${topic}-${standby.spec.partition}@${offset}`).join(', ') || 'no changelog';
}
