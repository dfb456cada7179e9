import type { TopicPartitionOffset } from '../client/StreamsClient';
import type { StreamTask } from '../processing/StreamTask';

export interface CommitResult {
  readonly reason: string;
  /** What was committed; empty when nothing had moved since the last commit. */
  readonly offsets: readonly TopicPartitionOffset[];
  readonly durationMs: number;
}

/**
 * Runs the commit sequence of design section 5 for the tasks of an instance: the
 * at-least-once {@link OffsetCommitter} or the exactly-once {@link TransactionCommitter}.
 */
export interface Committer {
  commit(reason: string): Promise<CommitResult>;
  /** The offset this group last committed for a partition, as far as this instance knows. */
  committedOffset(topic: string, partition: number): number | undefined;
  /** Offsets the group had committed before (read from the broker on assignment). */
  seed(offsets: readonly TopicPartitionOffset[]): void;
  /** A revoked partition: another instance commits it from now on. */
  forget(topic: string, partition: number): void;
  readonly commits: number;
  readonly failures: number;
  readonly averageLatencyMs: number;
  readonly maxLatencyMs: number;
}

/**
 * What the runtime asks of an exactly-once committer besides commits: the per-task
 * {@link TransactionCommitter} (a producer per task) or the {@link InstanceTransactionCommitter}
 * (one producer for the instance, KIP-447).
 */
export interface ExactlyOnceCommitter extends Committer {
  /** Before a new task reads: its transactional id is registered (fencing a previous producer with that id). */
  prepare(task: StreamTask): Promise<void>;
  /** A task closed: a transaction holding writes of it that cannot commit is aborted. */
  release(taskId: string): Promise<void>;
  /** Closing: every open transaction is aborted and its producer disconnected. */
  releaseAll(): Promise<void>;
  /** Whether everything the task processed is committed (for its checkpoint on a clean close). */
  isCommitted(task: StreamTask): boolean;
  /** Records processed and not complete, over every task. */
  openRecords(): number;
}
