import { partitionKey, type TopicPartitionOffset } from '../client/StreamsClient';
import type { Committer, CommitResult } from './Committer';

export type { CommitResult } from './Committer';

/** What a commit needs, passed in so the sequence is tested with plain fakes. */
export interface OffsetCommitterDeps {
  /** Resolves once every output handed to the producer so far has been acknowledged (or failed). */
  flush(): Promise<void>;
  /** Offsets safe to commit (CommitTracker.committable()): topic -> partition -> next offset. */
  committable(): ReadonlyMap<string, ReadonlyMap<number, number>>;
  /** Whether this instance still owns the partition (revoked ones are never committed). */
  owns(topic: string, partition: number): boolean;
  /** Commits in the consumer group. */
  commit(offsets: readonly TopicPartitionOffset[]): Promise<void>;
  now?: () => number;
}

/**
 * The commit sequence of design section 5: flush the producer and await its
 * acknowledgements, then commit, for the partitions this instance owns, the offsets the
 * commit tracker calls safe; in-memory stores have no checkpoint to write. Commits never
 * overlap: a commit asked for while one runs runs once after it, for everyone who asked.
 */
export class OffsetCommitter implements Committer {
  private readonly committed = new Map<string, TopicPartitionOffset>();
  private running: Promise<CommitResult> | undefined;
  private queued: { reason: string; promise: Promise<CommitResult> } | undefined;
  commits = 0;
  failures = 0;
  totalLatencyMs = 0;

  constructor(private readonly deps: OffsetCommitterDeps) {}

  /** Runs the commit sequence; rejects when the commit failed (nothing is marked committed then). */
  commit(reason: string): Promise<CommitResult> {
    if (!this.running) {
      this.running = this.run(reason).finally(() => (this.running = undefined));
      return this.running;
    }
    if (!this.queued) {
      const after = this.running.then(
        () => undefined,
        () => undefined,
      );
      const promise = after.then(() => {
        this.queued = undefined;
        return this.commit(reason);
      });
      this.queued = { reason, promise };
    }
    return this.queued.promise;
  }

  /** The offset this group last committed for a partition, as far as this instance knows. */
  committedOffset(topic: string, partition: number): number | undefined {
    return this.committed.get(partitionKey(topic, partition))?.offset;
  }

  /** Offsets the group had committed before (read from the broker on assignment). */
  seed(offsets: readonly TopicPartitionOffset[]): void {
    for (const o of offsets) {
      const key = partitionKey(o.topic, o.partition);
      const known = this.committed.get(key);
      if (!known || known.offset < o.offset) this.committed.set(key, o);
    }
  }

  /** A revoked partition: another instance commits it from now on. */
  forget(topic: string, partition: number): void {
    this.committed.delete(partitionKey(topic, partition));
  }

  get averageLatencyMs(): number {
    return this.commits === 0 ? 0 : this.totalLatencyMs / this.commits;
  }

  private async run(reason: string): Promise<CommitResult> {
    const now = this.deps.now ?? Date.now;
    const start = now();
    try {
      await this.deps.flush();
      const offsets: TopicPartitionOffset[] = [];
      for (const [topic, partitions] of this.deps.committable()) {
        for (const [partition, offset] of partitions) {
          if (!this.deps.owns(topic, partition)) continue;
          const known = this.committed.get(partitionKey(topic, partition));
          if (known && known.offset >= offset) continue;
          offsets.push({ topic, partition, offset });
        }
      }
      if (offsets.length > 0) {
        await this.deps.commit(offsets);
        for (const o of offsets) this.committed.set(partitionKey(o.topic, o.partition), o);
      }
      const durationMs = now() - start;
      this.commits++;
      this.totalLatencyMs += durationMs;
      return { reason, offsets, durationMs };
    } catch (error) {
      this.failures++;
      throw error;
    }
  }
}
