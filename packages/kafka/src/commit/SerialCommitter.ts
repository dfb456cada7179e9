import { partitionKey, type TopicPartitionOffset } from '../client/StreamsClient';
import type { Committer, CommitResult } from './Committer';

/**
 * What both commit modes share: commits never overlap (one asked for while one runs runs
 * once after it, for everyone who asked), the offsets this instance knows are committed,
 * and the commit counters. A subclass supplies {@link run}, the commit sequence itself.
 */
export abstract class SerialCommitter implements Committer {
  commits = 0;
  failures = 0;
  /** The longest commit so far, ms. */
  maxLatencyMs = 0;
  private totalLatencyMs = 0;
  private readonly committed = new Map<string, TopicPartitionOffset>();
  private running: Promise<CommitResult> | undefined;
  private queued: Promise<CommitResult> | undefined;

  /** Runs the commit sequence; rejects when the commit failed (nothing is marked committed then). */
  commit(reason: string): Promise<CommitResult> {
    if (!this.running) {
      this.running = this.timed(reason).finally(() => (this.running = undefined));
      return this.running;
    }
    this.queued ??= this.running
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        this.queued = undefined;
        return this.commit(reason);
      });
    return this.queued;
  }

  committedOffset(topic: string, partition: number): number | undefined {
    return this.committed.get(partitionKey(topic, partition))?.offset;
  }

  seed(offsets: readonly TopicPartitionOffset[]): void {
    for (const o of offsets) {
      const known = this.committed.get(partitionKey(o.topic, o.partition));
      if (!known || known.offset < o.offset) this.markCommitted([o]);
    }
  }

  forget(topic: string, partition: number): void {
    this.committed.delete(partitionKey(topic, partition));
  }

  get averageLatencyMs(): number {
    return this.commits === 0 ? 0 : this.totalLatencyMs / this.commits;
  }

  /** The commit sequence: returns what it committed. */
  protected abstract run(): Promise<TopicPartitionOffset[]>;

  /** The committable offsets (topic -> partition -> next offset) that move past what is committed. */
  protected advanced(committable: ReadonlyMap<string, ReadonlyMap<number, number>>, owns: (topic: string, partition: number) => boolean = () => true): TopicPartitionOffset[] {
    const offsets: TopicPartitionOffset[] = [];
    for (const [topic, partitions] of committable) {
      for (const [partition, offset] of partitions) {
        if (!owns(topic, partition)) continue;
        const known = this.committed.get(partitionKey(topic, partition));
        if (!known || known.offset < offset) offsets.push({ topic, partition, offset });
      }
    }
    return offsets;
  }

  protected markCommitted(offsets: readonly TopicPartitionOffset[]): void {
    for (const o of offsets) this.committed.set(partitionKey(o.topic, o.partition), o);
  }

  protected now(): number {
    return Date.now();
  }

  private async timed(reason: string): Promise<CommitResult> {
    const start = this.now();
    let offsets: TopicPartitionOffset[];
    try {
      offsets = await this.run();
    } catch (error) {
      this.failures++;
      throw error;
    }
    const durationMs = this.now() - start;
    this.commits++;
    this.totalLatencyMs += durationMs;
    if (durationMs > this.maxLatencyMs) this.maxLatencyMs = durationMs;
    return { reason, offsets, durationMs };
  }
}
