import { randomUUID } from 'node:crypto';
import type { Logger } from '@tributary/core';
import type { InputRecord } from '@tributary/core/runtime';
import type { Consumer } from '@platformatic/kafka';
import { partitionKey, type ChangelogRange, type ChangelogReader, type ChangelogReaderOptions, type TopicPartition, type TopicPartitionOffset } from '../StreamsClient';
import { PartitionFetcher, type FetchedBatch } from './PartitionFetcher';

/** How long a changelog fetch waits for data that is not there yet. */
const MAX_WAIT_MS = 100;
const MAX_BYTES_PER_PARTITION = 1_048_576;

/**
 * Reads partitions for restoration, standbys and global tables with the client's low-level
 * fetch, without any consumer group (KafkaJS needs a group of one for this): each `read` or
 * `follow` has a consumer of its own, which never joins its (random, unused) group id.
 */
export class PlatformaticChangelogReader implements ChangelogReader {
  constructor(
    private readonly createConsumer: (groupId: string) => Consumer,
    private readonly options: ChangelogReaderOptions,
    private readonly logger: Logger,
  ) {}

  async read(ranges: readonly ChangelogRange[], onRecords: (range: ChangelogRange, records: readonly InputRecord[]) => void, signal?: AbortSignal): Promise<void> {
    const wanted = new Map(ranges.filter((r) => r.to > r.from).map((r) => [partitionKey(r.topic, r.partition), r]));
    if (wanted.size === 0 || signal?.aborted) return;
    const remaining = new Set(wanted.keys());
    let settle!: { resolve: () => void; reject: (error: Error) => void };
    const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    const onAbort = () => settle.resolve();
    signal?.addEventListener('abort', onAbort, { once: true });
    const reader = this.start(
      [...wanted.values()].map(({ topic, partition, from }) => ({ topic, partition, offset: from })),
      (batch, fetcher) => {
        const key = partitionKey(batch.topic, batch.partition);
        const range = wanted.get(key);
        if (!range || !remaining.has(key)) return;
        const inRange = batch.records.filter((r) => r.offset >= range.from && r.offset < range.to);
        if (inRange.length > 0) onRecords(range, inRange);
        if (batch.nextOffset >= range.to) {
          remaining.delete(key);
          fetcher.pause([{ topic: batch.topic, partition: batch.partition }]);
          if (remaining.size === 0) settle.resolve();
        }
      },
      (error) => settle.reject(error),
    );
    try {
      await done;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      await reader.stop();
    }
  }

  async follow(
    starts: readonly TopicPartitionOffset[],
    onRecords: (partition: TopicPartition, records: readonly InputRecord[], nextOffset: number) => void,
    onError: (error: Error) => void,
  ): Promise<{ stop(): Promise<void> }> {
    return this.start(starts, (batch) => onRecords({ topic: batch.topic, partition: batch.partition }, batch.records, batch.nextOffset), onError);
  }

  private start(starts: readonly TopicPartitionOffset[], onBatch: (batch: FetchedBatch, fetcher: PartitionFetcher) => void, onError: (error: Error) => void): { stop(): Promise<void> } {
    const groupId = `${this.options.groupIdPrefix}-${randomUUID()}`;
    const consumer = this.createConsumer(groupId);
    let failed = false;
    const fetcher: PartitionFetcher = new PartitionFetcher(consumer, {
      name: `reader ${groupId}`,
      maxWaitTimeMs: MAX_WAIT_MS,
      maxBytesPerPartition: MAX_BYTES_PER_PARTITION,
      readCommitted: this.options.readCommitted,
      resetTo: 'earliest',
      logger: this.logger,
      deliver: async (batch) => {
        if (failed) return false;
        try {
          onBatch(batch, fetcher);
          return true;
        } catch (error) {
          failed = true;
          onError(error instanceof Error ? error : new Error(String(error)));
          void fetcher.stop();
          return false;
        }
      },
    });
    fetcher.assign(starts.map(({ topic, partition }) => ({ topic, partition })));
    for (const start of starts) fetcher.seek(start);
    fetcher.start();
    return {
      stop: async () => {
        await fetcher.stop();
        await consumer.close().catch((e: unknown) => this.logger.warn(`reader ${groupId}: ${(e as Error).message}`));
      },
    };
  }
}
