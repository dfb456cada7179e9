import type { Logger } from '@tributary/core';
import { handoverGeneration, markHandover } from '../../commit/handoverMark';
import { partitionKey, type TopicPartition, type TopicPartitionOffset } from '../StreamsClient';

const POLL_MS = 10;
const MAX_POLL_MS = 50;

export interface PartitionHandoversDeps {
  /** The group's committed offsets of these topics, with their metadata. */
  committed(topics: readonly string[]): Promise<readonly TopicPartitionOffset[]>;
  /** Commits as this member. */
  commit(offsets: readonly TopicPartitionOffset[]): Promise<void>;
  /** How long a new owner waits for a handover mark before it starts the partition anyway. */
  readonly waitAtMostMs: number;
  readonly groupId: string;
  readonly logger: Logger;
}

/** A partition handed over to this member, waiting for its previous owner's mark. */
interface AwaitedPartition {
  readonly partition: TopicPartition;
  readonly generation: number;
  readonly since: number;
}

/**
 * Both sides of a one-rebalance handover (cooperative rebalancing, see `handoverMark.ts`).
 * The previous owner, once its revocation commit is in, commits its partitions' offsets again
 * with the mark of the generation that took them ({@link release}). The new owner holds each
 * partition handed over to it until the mark of that generation (or a later one) is
 * committed, or until `waitAtMostMs` passed (the previous owner died meanwhile: the new owner
 * starts at the last commit and repeats what that owner did after it, as after any crash).
 */
export class PartitionHandovers {
  private readonly awaited = new Map<string, AwaitedPartition>();
  /** Where this member started partitions the group had no offset for (`autoOffsetReset`). */
  private readonly resetPositions = new Map<string, number>();

  constructor(private readonly deps: PartitionHandoversDeps) {}

  /**
   * A join's assignment: the partitions in `handedOver` wait for their marks, as do those
   * still waiting from an earlier join that this one keeps here. Returns the partitions that
   * may start now.
   */
  assigned(partitions: readonly TopicPartition[], handedOver: readonly TopicPartition[], generation: number): TopicPartition[] {
    const assigned = new Set(partitions.map((p) => partitionKey(p.topic, p.partition)));
    for (const key of this.awaited.keys()) if (!assigned.has(key)) this.awaited.delete(key);
    for (const partition of handedOver) {
      const key = partitionKey(partition.topic, partition.partition);
      if (assigned.has(key) && !this.awaited.has(key)) this.awaited.set(key, { partition, generation, since: Date.now() });
    }
    return partitions.filter((p) => !this.awaited.has(partitionKey(p.topic, p.partition)));
  }

  /** The member rejoined as a new member: nothing it was waiting for is its own any more. */
  clear(): void {
    this.awaited.clear();
  }

  get waiting(): boolean {
    return this.awaited.size > 0;
  }

  /** This member started `partition` at `offset` because the group had no offset for it. */
  startedFromReset(topic: string, partition: number, offset: number): void {
    this.resetPositions.set(partitionKey(topic, partition), offset);
  }

  /**
   * Waits until some awaited partitions may start, and returns them (no longer awaited);
   * an empty list once `current()` is false or nothing is awaited.
   */
  async nextReady(current: () => boolean): Promise<TopicPartition[]> {
    for (let pause = POLL_MS; current() && this.awaited.size > 0; pause = Math.min(pause * 2, MAX_POLL_MS)) {
      const awaited = [...this.awaited.values()];
      let committed: readonly TopicPartitionOffset[] | undefined;
      try {
        committed = await this.deps.committed([...new Set(awaited.map((a) => a.partition.topic))]);
      } catch (error) {
        this.deps.logger.debug(`group ${this.deps.groupId}: reading the handover marks failed: ${(error as Error).message}`);
      }
      if (!current()) return [];
      const marks = new Map((committed ?? []).map((o) => [partitionKey(o.topic, o.partition), handoverGeneration(o.metadata)]));
      const now = Date.now();
      const ready: TopicPartition[] = [];
      for (const [key, { partition, generation, since }] of this.awaited) {
        if ((marks.get(key) ?? -1) >= generation) {
          ready.push(partition);
        } else if (now - since >= this.deps.waitAtMostMs) {
          this.deps.logger.warn(
            `group ${this.deps.groupId}: ${key} was handed over in generation ${generation} and its previous owner has not committed it for ${now - since} ms: starting at the last committed offset`,
          );
          ready.push(partition);
        }
      }
      if (ready.length > 0) {
        for (const p of ready) this.awaited.delete(partitionKey(p.topic, p.partition));
        return ready;
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
    return [];
  }

  /**
   * This member gave `partitions` up in `generation` and its revocation commit is in: their
   * committed offsets are committed again with the generation's mark, which lets their new
   * owner start them. A partition the group has no offset for gets the mark at the offset
   * this member started it at, when it knows it.
   */
  async release(partitions: readonly TopicPartition[], generation: number): Promise<void> {
    const committed = new Map((await this.deps.committed([...new Set(partitions.map((p) => p.topic))])).map((o) => [partitionKey(o.topic, o.partition), o]));
    const marked: TopicPartitionOffset[] = [];
    for (const { topic, partition } of partitions) {
      const key = partitionKey(topic, partition);
      const last = committed.get(key);
      const offset = last?.offset ?? this.resetPositions.get(key);
      if (offset !== undefined) marked.push({ topic, partition, offset, metadata: markHandover(last?.metadata, generation) });
    }
    if (marked.length > 0) await this.deps.commit(marked);
  }
}
