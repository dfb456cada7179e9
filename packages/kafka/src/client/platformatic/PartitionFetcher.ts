import type { Logger } from '@tributary/core';
import type { InputRecord } from '@tributary/core/runtime';
import { FetchIsolationLevels, ListOffsetTimestamps, type ClusterMetadata, type Consumer, type FetchOptions } from '@platformatic/kafka';
import { partitionKey, type TopicPartition, type TopicPartitionOffset } from '../StreamsClient';
import { brokerErrorName } from './kafkaErrors';
import { fetchedRecords, type FetchResponse } from './records';

type FetchRequestTopic = FetchOptions<Buffer, Buffer, Buffer, Buffer>['topics'][number];

/** Kafka's error code for a fetch offset outside the partition's log. */
const OFFSET_OUT_OF_RANGE = 1;
const BACKOFF_MS = 500;

/** What one fetch returned for one partition. */
export interface FetchedBatch extends TopicPartition {
  /** The offset the fetch started at. */
  readonly fetchedOffset: number;
  /** Where the next fetch starts once the batch is taken (markers and aborted records included). */
  readonly nextOffset: number;
  /** The first offset the answer covered, when it held any batch. */
  readonly firstOffset: number | undefined;
  readonly highWatermark: number;
  /** The application's records: no transaction markers, no aborted records; may be empty. */
  readonly records: readonly InputRecord[];
}

export interface PartitionFetcherOptions {
  /** Names the fetcher in log lines (a group id). */
  readonly name: string;
  readonly maxWaitTimeMs: number;
  readonly maxBytesPerPartition: number;
  readonly readCommitted: boolean;
  /** Where a partition whose position left its log starts again. */
  readonly resetTo: 'earliest' | 'latest';
  readonly logger: Logger;
  /** Hands a batch over; resolves `true` when the position may move past it. Batches are delivered one at a time. */
  readonly deliver: (batch: FetchedBatch) => Promise<boolean>;
}

/**
 * Fetches the partitions it is told to with the client's low-level `fetch()`, one request per
 * partition leader, and hands each partition's answer over on its own. It owns the fetch
 * positions: a position moves past a batch only when `deliver` says so and nobody sought
 * the partition meanwhile, so a batch turned down is fetched again. Paused partitions and
 * partitions without a position are not fetched.
 */
export class PartitionFetcher {
  private readonly assigned = new Map<string, TopicPartition>();
  private readonly positions = new Map<string, number>();
  private readonly paused = new Set<string>();
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: () => void = () => undefined;

  constructor(
    private readonly consumer: Consumer,
    private readonly options: PartitionFetcherOptions,
  ) {}

  /** The partitions to fetch from now on; positions of the others are forgotten. */
  assign(partitions: readonly TopicPartition[]): void {
    const next = new Map(partitions.map((p) => [partitionKey(p.topic, p.partition), { topic: p.topic, partition: p.partition }]));
    for (const key of this.assigned.keys()) {
      if (next.has(key)) continue;
      this.positions.delete(key);
      this.paused.delete(key);
    }
    this.assigned.clear();
    for (const [key, tp] of next) this.assigned.set(key, tp);
    for (const { topic } of partitions) this.consumer.topics.track(topic);
    this.wake();
  }

  assignedPartitions(): TopicPartition[] {
    return [...this.assigned.values()];
  }

  position(topic: string, partition: number): number | undefined {
    return this.positions.get(partitionKey(topic, partition));
  }

  seek({ topic, partition, offset }: TopicPartitionOffset): void {
    const key = partitionKey(topic, partition);
    if (!this.assigned.has(key)) return;
    this.positions.set(key, offset);
    this.wake();
  }

  pause(partitions: readonly TopicPartition[]): void {
    for (const { topic, partition } of partitions) this.paused.add(partitionKey(topic, partition));
  }

  resume(partitions: readonly TopicPartition[]): void {
    for (const { topic, partition } of partitions) this.paused.delete(partitionKey(topic, partition));
    this.wake();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops fetching; resolves once the fetch and the delivery under way have settled. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      const wanted = [...this.assigned].filter(([key]) => !this.paused.has(key) && this.positions.has(key)).map(([, tp]) => tp);
      if (wanted.length === 0) {
        await this.idle(this.options.maxWaitTimeMs);
        continue;
      }
      try {
        await this.fetchOnce(wanted);
      } catch (error) {
        if (!this.running) return;
        this.options.logger.debug(`${this.options.name}: a fetch failed (${brokerErrorName(error) ?? (error as Error).message}); fetching again`);
        await this.idle(BACKOFF_MS);
      }
    }
  }

  private async fetchOnce(wanted: readonly TopicPartition[]): Promise<void> {
    const topics = [...new Set(wanted.map((p) => p.topic))];
    const metadata = await this.consumer.metadata({ topics });
    const byLeader = new Map<number, { requested: Map<string, number>; topics: Map<string, FetchRequestTopic> }>();
    for (const { topic, partition } of wanted) {
      const key = partitionKey(topic, partition);
      const offset = this.positions.get(key);
      const topicMetadata = metadata.topics.get(topic);
      const leader = topicMetadata?.partitions[partition]?.leader;
      if (offset === undefined || !topicMetadata || leader === undefined || leader < 0) continue;
      let request = byLeader.get(leader);
      if (!request) byLeader.set(leader, (request = { requested: new Map(), topics: new Map() }));
      request.requested.set(key, offset);
      let topicRequest = request.topics.get(topicMetadata.id);
      if (!topicRequest) request.topics.set(topicMetadata.id, (topicRequest = { topicId: topicMetadata.id, partitions: [] }));
      topicRequest.partitions.push({ partition, fetchOffset: BigInt(offset), partitionMaxBytes: this.options.maxBytesPerPartition, currentLeaderEpoch: -1, lastFetchedEpoch: -1 });
    }
    if (byLeader.size === 0) {
      this.consumer.clearMetadata();
      await this.idle(BACKOFF_MS);
      return;
    }
    const answers = await Promise.all(
      [...byLeader].map(async ([node, { requested, topics: requestTopics }]) => {
        try {
          const response = await this.consumer.fetch({
            node,
            topics: [...requestTopics.values()],
            maxWaitTime: this.options.maxWaitTimeMs,
            isolationLevel: this.options.readCommitted ? FetchIsolationLevels.READ_COMMITTED : FetchIsolationLevels.READ_UNCOMMITTED,
          });
          return { requested, response, error: undefined };
        } catch (error) {
          // An answer with a failed partition fails as a whole; its other partitions hold good data.
          const response = (error as { response?: FetchResponse }).response;
          return { requested, response: response && Array.isArray(response.responses) ? response : undefined, error };
        }
      }),
    );
    let failure: unknown;
    for (const { requested, response, error } of answers) {
      if (error) failure ??= error;
      if (response) await this.deliverAnswer(metadata, requested, response);
    }
    if (failure && this.running) throw failure;
  }

  private async deliverAnswer(metadata: ClusterMetadata, requested: Map<string, number>, response: FetchResponse): Promise<void> {
    const topicNames = new Map([...metadata.topics].map(([name, t]) => [t.id, name]));
    for (const { topicId, partitions } of response.responses) {
      const topic = topicNames.get(topicId) ?? topicId;
      for (const answer of partitions) {
        if (!this.running) return;
        const key = partitionKey(topic, answer.partitionIndex);
        const fetchedOffset = requested.get(key);
        // A partition the request did not name (a fetch session's leftover), or re-positioned since.
        if (fetchedOffset === undefined || this.positions.get(key) !== fetchedOffset) continue;
        if (answer.errorCode === OFFSET_OUT_OF_RANGE) {
          await this.resetOutOfRange(topic, answer.partitionIndex, fetchedOffset, answer.logStartOffset, answer.highWatermark);
          continue;
        }
        if (answer.errorCode !== 0) continue;
        const { records, nextOffset, firstOffset } = fetchedRecords(topic, answer.partitionIndex, fetchedOffset, answer);
        if (records.length === 0 && nextOffset <= fetchedOffset) continue;
        const batch: FetchedBatch = { topic, partition: answer.partitionIndex, fetchedOffset, nextOffset, firstOffset, highWatermark: Number(answer.highWatermark), records };
        const advance = await this.options.deliver(batch);
        if (advance && this.assigned.has(key) && this.positions.get(key) === fetchedOffset) this.positions.set(key, nextOffset);
      }
    }
  }

  private async resetOutOfRange(topic: string, partition: number, offset: number, logStart: bigint, highWatermark: bigint): Promise<void> {
    let target = this.options.resetTo === 'earliest' ? logStart : highWatermark;
    if (target < 0n) {
      const offsets = await this.consumer.listOffsets({
        topics: [topic],
        partitions: { [topic]: [partition] },
        timestamp: this.options.resetTo === 'earliest' ? ListOffsetTimestamps.EARLIEST : ListOffsetTimestamps.LATEST,
      });
      target = offsets.get(topic)?.[partition] ?? -1n;
    }
    if (target < 0n) return;
    const key = partitionKey(topic, partition);
    if (this.positions.get(key) !== offset) return;
    this.options.logger.warn(`${this.options.name}: offset ${offset} of ${topic}-${partition} is out of range; reading from ${target} (${this.options.resetTo})`);
    this.positions.set(key, Number(target));
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
