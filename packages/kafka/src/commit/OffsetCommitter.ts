import type { TopicPartitionOffset } from '../client/StreamsClient';
import { SerialCommitter } from './SerialCommitter';

export type { CommitResult } from './Committer';

/** What a commit needs, passed in so the sequence is tested with plain fakes. */
export interface OffsetCommitterDeps {
  /** Resolves once every output handed to the producer so far has been acknowledged (or failed). */
  flush(): Promise<void>;
  /**
   * Flushes the tasks' record caches (synchronously: their held-back outputs go to the
   * producer); `true` when some task has caches. Defaults to none.
   */
  flushCaches?(): boolean;
  /**
   * Whether the partition's task processes nothing now (a cooperative revocation holds it until
   * it moves): what completes during the commit's flush then covers everything it did. Defaults to never.
   */
  holds?(topic: string, partition: number): boolean;
  /** Offsets safe to commit (CommitTracker.committable()): topic -> partition -> next offset. */
  committable(): ReadonlyMap<string, ReadonlyMap<number, number>>;
  /** Whether this instance still owns the partition (revoked ones are never committed). */
  owns(topic: string, partition: number): boolean;
  /** Commits in the consumer group. */
  commit(offsets: readonly TopicPartitionOffset[]): Promise<void>;
  /** The metadata to commit with a partition's offset (its task's stream time). Defaults to none. */
  metadata?(topic: string, partition: number): string | undefined;
  now?: () => number;
}

/**
 * The commit sequence of design section 5: flush the producer and await its
 * acknowledgements, then commit, for the partitions this instance owns, the offsets the
 * commit tracker calls safe; in-memory stores have no checkpoint to write. Commits never
 * overlap: a commit asked for while one runs runs once after it, for everyone who asked.
 */
export class OffsetCommitter extends SerialCommitter {
  constructor(private readonly deps: OffsetCommitterDeps) {
    super();
  }

  protected override now(): number {
    return (this.deps.now ?? Date.now)();
  }

  protected async run(): Promise<TopicPartitionOffset[]> {
    let committable: ReadonlyMap<string, ReadonlyMap<number, number>>;
    if (this.deps.flushCaches?.()) {
      // Records processed while the flush below is awaited may sit in a cache: the offsets are
      // chosen now, except for partitions whose task is held (a revocation), which process
      // nothing meanwhile: theirs are taken after the flush, so the new owner repeats nothing.
      const chosen = this.deps.committable();
      await this.deps.flush();
      committable = this.deps.holds ? withHeldPartitions(chosen, this.deps.committable(), this.deps.holds) : chosen;
    } else {
      await this.deps.flush();
      committable = this.deps.committable();
    }
    const offsets = this.advanced(committable, this.deps.owns);
    if (offsets.length > 0) {
      const metadata = this.deps.metadata;
      await this.deps.commit(metadata ? offsets.map((o) => ({ ...o, metadata: metadata(o.topic, o.partition) })) : offsets);
      this.markCommitted(offsets);
    }
    return offsets;
  }
}

/** `chosen`, with the offsets of the held partitions taken from `after` instead. */
function withHeldPartitions(
  chosen: ReadonlyMap<string, ReadonlyMap<number, number>>,
  after: ReadonlyMap<string, ReadonlyMap<number, number>>,
  holds: (topic: string, partition: number) => boolean,
): ReadonlyMap<string, ReadonlyMap<number, number>> {
  const result = new Map([...chosen].map(([topic, partitions]) => [topic, new Map(partitions)]));
  for (const [topic, partitions] of after) {
    for (const [partition, offset] of partitions) {
      if (!holds(topic, partition)) continue;
      if (!result.has(topic)) result.set(topic, new Map());
      result.get(topic)!.set(partition, offset);
    }
  }
  return result;
}
