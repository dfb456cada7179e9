import type { Logger } from '@tributary/core';
import { CommitTracker } from '@tributary/core/runtime';
import type { TopicPartitionOffset, TransactionalProducer } from '../client/StreamsClient';
import type { StreamTask } from '../processing/StreamTask';
import type { KafkaRecordCollector } from '../producer/KafkaRecordCollector';
import type { ExactlyOnceCommitter } from './Committer';
import { idleWithin } from './idleWithin';
import { SerialCommitter } from './SerialCommitter';

/** One task's exactly-once resources: its own transactional producer, collector and tracker. */
export interface TaskTransaction {
  readonly producer: TransactionalProducer;
  readonly collector: KafkaRecordCollector;
  readonly tracker: CommitTracker;
}

export interface TransactionCommitterDeps {
  readonly groupId: string;
  readonly tasks: () => Iterable<StreamTask>;
  /** After a task's commit: its suspended processing may go on. */
  readonly resumed: () => void;
  readonly logger: Logger;
  /** How long a commit waits for a task's records in asynchronous stages before it skips the task this time. */
  readonly idleTimeoutMs: number;
  /**
   * A task's transaction could not be committed (its producer was fenced, or the commit
   * failed half-way): what it did since its last commit is lost, and the runtime decides
   * what becomes of the task.
   */
  readonly onCommitFailed: (task: StreamTask, error: Error) => void;
}

/**
 * Exactly-once (design section 5): each task writes through its own transactional producer
 * (transactional id `<applicationId>-<taskId>`: KafkaJS lacks KIP-447, so the id must be per
 * input partition), and a commit puts the task's outputs, changelog records and consumed
 * offsets in one transaction. A task commits at a consistent point: its processing is
 * suspended, its records in asynchronous stages finish, its writes are acknowledged, then
 * `sendOffsets` + commit. Readers with `read_committed` (the consumers, restores) see all of a
 * transaction or none of it.
 */
export class TransactionCommitter extends SerialCommitter implements ExactlyOnceCommitter {
  private readonly transactions = new Map<string, TaskTransaction>();

  constructor(private readonly deps: TransactionCommitterDeps) {
    super();
  }

  /** Registers the resources of a new task (its producer connects in {@link prepare}). */
  add(taskId: string, transaction: TaskTransaction): void {
    this.transactions.set(taskId, transaction);
  }

  transaction(taskId: string): TaskTransaction | undefined {
    return this.transactions.get(taskId);
  }

  /** Whether everything the task processed is committed: nothing in flight, no offset past its last commit. */
  isCommitted(task: StreamTask): boolean {
    const transaction = this.transactions.get(task.id);
    return transaction !== undefined && transaction.tracker.openRecords === 0 && this.advanced(transaction.tracker.committable()).length === 0;
  }

  /** Records processed and not complete, over every task. */
  openRecords(): number {
    let n = 0;
    for (const t of this.transactions.values()) n += t.tracker.openRecords;
    return n;
  }

  /**
   * Before a new task reads: register its transactional id, which fences a zombie with the
   * same id (the broker then completes or aborts the zombie's open transaction, so the
   * committed offsets read after this are final). A task revoked before this begins does
   * not register at all, so it cannot fence the member the task moved to.
   */
  async prepare(task: StreamTask): Promise<void> {
    const transaction = this.transactions.get(task.id);
    if (!transaction || task.state === 'closed') return;
    await transaction.producer.connect();
  }

  /** A revoked or failed task: what it did since its last commit is aborted; its producer closes. */
  async release(taskId: string): Promise<void> {
    const transaction = this.transactions.get(taskId);
    if (!transaction) return;
    this.transactions.delete(taskId);
    await transaction.collector.discard();
    try {
      await transaction.producer.abort();
    } catch (error) {
      this.deps.logger.debug(`aborting the transaction of task ${taskId} failed: ${(error as Error).message}`);
    }
    await transaction.producer.disconnect().catch(() => undefined);
  }

  async releaseAll(): Promise<void> {
    await Promise.all([...this.transactions.keys()].map((id) => this.release(id)));
  }

  protected async run(): Promise<TopicPartitionOffset[]> {
    const tasks = [...this.deps.tasks()].filter((t) => t.state === 'running' && this.transactions.has(t.id) && !t.task.failed);
    const results = await Promise.all(tasks.map((task) => this.commitTask(task)));
    return results.flat();
  }

  private async commitTask(task: StreamTask): Promise<TopicPartitionOffset[]> {
    const transaction = this.transactions.get(task.id)!;
    task.suspended = true;
    try {
      // A consistent point: no record of the task half-way (in an asynchronous stage).
      if (!(await idleWithin(transaction.tracker, this.deps.idleTimeoutMs))) return [];
      // The task is suspended: what its record caches held goes into this transaction.
      task.task.flushCaches();
      await transaction.collector.flush();
      if (task.task.failed || task.state === 'closed') return [];
      const offsets = this.advanced(transaction.tracker.committable());
      try {
        await transaction.producer.commit(this.deps.groupId, offsets);
      } catch (error) {
        if (!task.closed) this.deps.onCommitFailed(task, error instanceof Error ? error : new Error(String(error)));
        return [];
      }
      this.markCommitted(offsets);
      return offsets;
    } finally {
      task.suspended = false;
      this.deps.resumed();
    }
  }
}
