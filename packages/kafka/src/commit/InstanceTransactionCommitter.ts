import { StreamsError, type Logger } from '@tributary/core';
import type { CommitTracker, OutgoingRecord, RecordCollector } from '@tributary/core/runtime';
import type { GroupMember, ProducedRecord, TopicPartitionOffset, TransactionalProducer } from '../client/StreamsClient';
import { isRebalanceInProgress } from '../client/taskMigration';
import type { StreamTask } from '../processing/StreamTask';
import { KafkaRecordCollector, type RecordCollectorOptions } from '../producer/KafkaRecordCollector';
import type { ExactlyOnceCommitter } from './Committer';
import { idleWithin } from './idleWithin';
import { SerialCommitter } from './SerialCommitter';

export interface InstanceTransactionCommitterDeps {
  readonly groupId: string;
  /** A transactional producer for this instance's id; called again when one must be replaced (it was fenced). */
  readonly createProducer: () => TransactionalProducer;
  readonly partitionCounts: Map<string, number>;
  readonly collectorOptions: RecordCollectorOptions;
  /** The instance's commit tracker: what every task processed and what is complete. */
  readonly tracker: CommitTracker;
  readonly tasks: () => Iterable<StreamTask>;
  /** Whether this instance still owns the partition (revoked ones are never committed). */
  readonly owns: (topic: string, partition: number) => boolean;
  /** The member's id and generation, sent with the offsets (KIP-447). */
  readonly member: () => GroupMember | undefined;
  /** After a commit: suspended processing may go on. */
  readonly resumed: () => void;
  readonly logger: Logger;
  /** How long a commit waits for records in asynchronous stages before it skips this time. */
  readonly idleTimeoutMs: number;
  /**
   * The open transaction cannot commit (a task closed with writes in it, a write failed, the
   * producer was fenced): everything since the last commit is lost, for every task. The
   * runtime closes every task dirty and rejoins the group; the next commit aborts the
   * transaction, and tasks created after that write into a new one.
   */
  readonly onTransactionLost: (error: Error) => void;
}

/**
 * Exactly-once with one transactional producer for every task of this instance (KIP-447,
 * Kafka Streams' `exactly_once_v2`), on a client whose offset commits carry the member's
 * generation. A commit suspends every task, waits for their records in asynchronous stages,
 * flushes their caches and writes, and commits one transaction holding all their outputs,
 * changelog records and consumed offsets. The group coordinator refuses the offsets of a
 * member it moved past (a zombie), and a new owner of a task reads committed offsets only
 * once no open transaction holds offsets of its partitions (`requireStable`), so no
 * per-task producer is needed to fence a previous owner.
 *
 * The price of sharing: a transaction holds the writes of every task, so when one task must
 * drop what it did since the last commit (it failed, or closed with writes outstanding),
 * every task does: the transaction is aborted and all tasks start again from the committed
 * offsets, as in Kafka Streams. Offsets refused because the group is rebalancing leave the
 * transaction open for the next commit to try again.
 */
export class InstanceTransactionCommitter extends SerialCommitter implements ExactlyOnceCommitter {
  /** The collector every task writes through (via {@link collectorFor}); it sends into the open transaction. */
  readonly collector: KafkaRecordCollector;
  private producer: TransactionalProducer;
  private connected: Promise<void> | undefined;
  /** Tasks that wrote into the open transaction. */
  private readonly writers = new Set<string>();
  /** Set when the open transaction can only be aborted, until it is. */
  private lost: Error | undefined;
  /** While set, the lost transaction is being aborted: writes wait for it. */
  private resetting: Promise<void> | undefined;
  /** Each task's writer; a closed task's writer refuses what it is still handed. */
  private readonly taskWriters = new Map<string, { open: boolean }>();

  constructor(private readonly deps: InstanceTransactionCommitterDeps) {
    super();
    this.producer = deps.createProducer();
    const sending = { send: (records: readonly ProducedRecord[]) => this.producer.send(records) };
    this.collector = new KafkaRecordCollector(sending, deps.partitionCounts, deps.collectorOptions);
  }

  /**
   * What task `taskId` writes through: the shared collector, noting that the task wrote into
   * the open transaction. While a lost transaction is being aborted, writes wait for the new
   * one; once the task is closed ({@link release}), it writes nothing more.
   */
  collectorFor(taskId: string): RecordCollector {
    const writer = { open: true };
    this.taskWriters.set(taskId, writer);
    const write = (record: OutgoingRecord) => {
      if (!writer.open) throw new StreamsError(`task ${taskId} is closed: its record for topic '${record.topic}' is not written`);
      this.writers.add(taskId);
      return this.collector.send(record);
    };
    return {
      send: (record: OutgoingRecord) => {
        const resetting = this.resetting;
        return resetting ? resetting.then(() => write(record)) : write(record);
      },
      partitionsFor: (topic) => this.collector.partitionsFor(topic),
    };
  }

  /** Registers the instance's transactional id once (fencing a previous producer with the same id). */
  prepare(): Promise<void> {
    this.connected ??= this.producer.connect().catch((error: unknown) => {
      this.connected = undefined;
      throw error;
    });
    return this.connected;
  }

  isCommitted(task: StreamTask): boolean {
    if (this.writers.has(task.id) || this.lost || this.deps.tracker.openRecords > 0) return false;
    const committable = this.deps.tracker.committable();
    return task.queues.every((q) => {
      const next = committable.get(q.topic)?.get(q.partition);
      const committed = this.committedOffset(q.topic, q.partition);
      return next === undefined || (committed !== undefined && next <= committed);
    });
  }

  openRecords(): number {
    return this.deps.tracker.openRecords;
  }

  /** A task closed: if it wrote into the open transaction, that transaction can only be aborted. */
  async release(taskId: string): Promise<void> {
    const writer = this.taskWriters.get(taskId);
    if (writer) writer.open = false;
    this.taskWriters.delete(taskId);
    if (this.writers.has(taskId)) this.lose(new StreamsError(`task ${taskId} closed with writes in the open transaction of this instance`));
  }

  /** Closing: what is still open is aborted, and the producer disconnects. */
  async releaseAll(): Promise<void> {
    await this.collector.discard();
    await this.producer.abort().catch((error: unknown) => this.deps.logger.debug(`aborting the transaction of this instance failed: ${(error as Error).message}`));
    await this.producer.disconnect().catch(() => undefined);
  }

  protected async run(): Promise<TopicPartitionOffset[]> {
    if (this.lost) {
      await (this.resetting ?? this.reset());
      return [];
    }
    const tasks = [...this.deps.tasks()].filter((t) => t.state === 'running');
    const failed = tasks.find((t) => t.task.failed && this.writers.has(t.id));
    if (failed) {
      this.lose(new StreamsError(`task ${failed.id} failed with writes in the open transaction of this instance`));
      return [];
    }
    for (const task of tasks) task.suspended = true;
    try {
      // A consistent point: no record half-way (in an asynchronous stage) in any task.
      if (!(await idleWithin(this.deps.tracker, this.deps.idleTimeoutMs))) return [];
      for (const task of tasks) if (task.task.caching) task.task.flushCaches();
      await this.collector.flush();
      if (this.lost) return [];
      const offsets = this.advanced(this.deps.tracker.committable(), this.deps.owns);
      if (offsets.length === 0 && this.writers.size === 0) return [];
      try {
        await this.prepare();
        await this.producer.commit(this.deps.groupId, offsets, this.deps.member());
      } catch (error) {
        // The group moved on while the offsets went out: the transaction stays open, and the next commit (in the new generation) tries again.
        if (isRebalanceInProgress(error)) throw error;
        this.lose(error instanceof Error ? error : new Error(String(error)));
        return [];
      }
      this.writers.clear();
      this.markCommitted(offsets);
      return offsets;
    } finally {
      for (const task of tasks) task.suspended = false;
      this.deps.resumed();
    }
  }

  /**
   * The open transaction can only be aborted: the abort starts now (writes from here on wait
   * for it, into the next transaction), and the runtime closes every task dirty. A loss
   * while the abort runs changes nothing more: no write reached the transaction meanwhile.
   */
  private lose(error: Error): void {
    if (this.lost) return;
    this.lost = error;
    this.deps.logger.warn(`the transaction of this instance is lost (${error.message}): every task starts again from the last commit`);
    void this.reset().catch((failure: unknown) => this.deps.logger.warn(`aborting the lost transaction failed (${(failure as Error).message}); the next commit tries again`));
    this.deps.onTransactionLost(error);
  }

  /** Settles what was sent, aborts the transaction (or replaces a fenced producer), and lets writes go on into a new one. */
  private reset(): Promise<void> {
    this.resetting ??= (async () => {
      await this.collector.flush();
      try {
        await this.producer.abort();
      } catch (error) {
        this.deps.logger.debug(`aborting the lost transaction failed (${(error as Error).message}): replacing the producer`);
        await this.producer.disconnect().catch(() => undefined);
        this.producer = this.deps.createProducer();
        this.connected = undefined;
        await this.prepare();
      }
      this.writers.clear();
      this.lost = undefined;
    })().finally(() => (this.resetting = undefined));
    return this.resetting;
  }
}
