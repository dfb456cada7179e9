import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger, PersistentStore, PersistentStoreFactory, StoreChangeLogger, StoreSpec } from '@tributary/core';
import { partitionKey } from '../client/StreamsClient';
import { Checkpoint, type CheckpointOffset } from './Checkpoint';
import { StateDirectoryLock } from './StateDirectoryLock';

export interface StateDirectoryOptions {
  /** Kafka Streams' `state.dir`. */
  readonly stateDir: string;
  readonly applicationId: string;
  readonly factory: PersistentStoreFactory;
  /** Every plain store is persistent unless its type says `'inMemory'` (a `stateDir` was configured); else only stores of type `'lmdb'`. */
  readonly persistentByDefault: boolean;
  readonly exactlyOnce: boolean;
  readonly logger: Logger;
}

/**
 * The persistent state of one application instance (Kafka Streams' `StateDirectory`):
 * `<stateDir>/<applicationId>/`, locked while the instance runs, with a directory per task
 * holding one store file per persistent store and the task's `.checkpoint`.
 */
export class StateDirectory {
  readonly directory: string;
  private readonly lock: StateDirectoryLock;

  constructor(private readonly options: StateDirectoryOptions) {
    this.directory = join(options.stateDir, options.applicationId);
    this.lock = StateDirectoryLock.acquire(this.directory);
  }

  /** Whether `spec` is kept on disk here. */
  isPersistent(spec: StoreSpec): boolean {
    if (!spec.persistable) return false;
    return spec.type === 'lmdb' || (spec.type === undefined && this.options.persistentByDefault);
  }

  hasPersistentStores(specs: readonly StoreSpec[]): boolean {
    return specs.some((spec) => this.isPersistent(spec));
  }

  /**
   * Readies the directory of a new task before its stores open: reads its checkpoint and
   * wipes each persistent store whose state it cannot vouch for. A logged store without a
   * checkpointed offset (never checkpointed, or exactly-once after a crash: the checkpoint
   * is deleted while the task processes) restores from scratch; under exactly-once, an
   * unlogged one is wiped too when the task left no checkpoint.
   */
  openTask(taskId: string, partition: number, specs: readonly StoreSpec[]): TaskStateDirectory {
    const directory = join(this.directory, taskId);
    mkdirSync(directory, { recursive: true });
    const checkpoint = new Checkpoint(directory);
    let offsets: Map<string, number>;
    try {
      offsets = checkpoint.read();
    } catch (error) {
      this.options.logger.warn(`${this.options.applicationId}: task ${taskId}: ${(error as Error).message}; its stores restore from scratch`);
      offsets = new Map();
    }
    const clean = checkpoint.exists();
    const persistent = specs.filter((spec) => this.isPersistent(spec));
    for (const spec of persistent) {
      const trusted = spec.logging ? offsets.has(partitionKey(this.changelogTopic(spec), partition)) : clean || !this.options.exactlyOnce;
      if (!trusted) wipeStore(storePath(directory, spec));
    }
    return new TaskStateDirectory(directory, partition, checkpoint, offsets, new Set(persistent.map((s) => s.name)), this.options, (spec) => this.changelogTopic(spec));
  }

  /**
   * For every task directory with a checkpoint: the sum of its checkpointed offsets, what
   * this instance would not have to restore if it got the task (Kafka Streams reports it
   * when it joins, so a restarted instance gets its tasks back). A checkpoint that cannot
   * be read counts as none.
   */
  checkpointedOffsetSums(): Map<string, number> {
    const sums = new Map<string, number>();
    let entries: string[];
    try {
      entries = readdirSync(this.directory);
    } catch {
      return sums;
    }
    for (const taskId of entries) {
      if (!/^\d+_\d+$/.test(taskId)) continue;
      try {
        const offsets = new Checkpoint(join(this.directory, taskId)).read();
        if (offsets.size > 0) sums.set(taskId, [...offsets.values()].reduce((sum, offset) => sum + offset, 0));
      } catch {
        // unreadable: no state to speak of
      }
    }
    return sums;
  }

  /** Unlocks the directory: the instance has closed. */
  release(): void {
    this.lock.release();
  }

  private changelogTopic(spec: StoreSpec): string {
    return `${this.options.applicationId}-${spec.name}-changelog`;
  }
}

/** The persistent stores and checkpoint of one task (Kafka Streams' `ProcessorStateManager`, its disk side). */
export class TaskStateDirectory {
  private readonly stores = new Map<string, { spec: StoreSpec; store: PersistentStore }>();

  constructor(
    readonly directory: string,
    private readonly partition: number,
    private readonly checkpoint: Checkpoint,
    private readonly offsets: ReadonlyMap<string, number>,
    private readonly persistent: ReadonlySet<string>,
    private readonly options: StateDirectoryOptions,
    private readonly changelogTopic: (spec: StoreSpec) => string,
  ) {}

  /** For `Task`'s `createStore`: the persistent store of `spec`, or `undefined` for one kept in memory. */
  createStore(spec: StoreSpec, logger: StoreChangeLogger | undefined): PersistentStore | undefined {
    if (!this.persistent.has(spec.name)) return undefined;
    const store = this.options.factory.open(spec, storePath(this.directory, spec), logger, `${this.options.applicationId}-${spec.name}-changelog`);
    this.stores.set(spec.name, { spec, store });
    return store;
  }

  /** Where the restoration of a persistent store's changelog partition starts: its checkpointed offset. */
  restoreFrom(changelog: string): number | undefined {
    return this.offsets.get(partitionKey(changelog, this.partition));
  }

  /** Exactly-once: the task processes now, its stores get writes no transaction has committed yet; a crash must not find a checkpoint. */
  startProcessing(): void {
    if (this.options.exactlyOnce) this.checkpoint.delete();
  }

  /** The changelog partitions of the logged persistent stores, for {@link writeCheckpoint}. */
  changelogs(): { topic: string; partition: number }[] {
    return [...this.stores.values()].filter(({ spec }) => spec.logging).map(({ spec }) => ({ topic: this.changelogTopic(spec), partition: this.partition }));
  }

  /**
   * Makes the stores durable, then records that each holds its changelog up to `offsets`
   * (the changelog end offsets read after the commit flushed every write of the task).
   */
  async writeCheckpoint(offsets: readonly CheckpointOffset[]): Promise<void> {
    await Promise.all([...this.stores.values()].map(({ store }) => store.flush()));
    this.checkpoint.write(offsets);
  }
}

/** A store's path in its task's directory (with LMDB, a directory of its own). */
function storePath(taskDirectory: string, spec: StoreSpec): string {
  return join(taskDirectory, spec.name);
}

function wipeStore(path: string): void {
  rmSync(path, { recursive: true, force: true });
  rmSync(`${path}-lock`, { force: true });
}
