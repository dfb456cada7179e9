import type { TopicPartitionOffset } from '../client/StreamsClient';

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
