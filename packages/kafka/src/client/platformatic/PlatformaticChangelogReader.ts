import { randomUUID } from 'node:crypto';
import type { Logger } from '@tributary/core';
import type { InputRecord } from '@tributary/core/runtime';
import type { Consumer } from '@platformatic/kafka';
import type { ChangelogRange, ChangelogReader, ChangelogReaderOptions, TopicPartition, TopicPartitionOffset } from '../StreamsClient';
import { readRanges } from '../readRanges';
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

  read(ranges: readonly ChangelogRange[], onRecords: (range: ChangelogRange, records: readonly InputRecord[]) => void, signal?: AbortSignal): Promise<void> {
    return readRanges(ranges, onRecords, signal, async (starts, onBatch, onError) =>
      this.start(
        starts,
        (batch, fetcher) => onBatch({ topic: batch.topic, partition: batch.partition }, batch.records, batch.nextOffset, () => fetcher.pause([{ topic: batch.topic, partition: batch.partition }])),
        onError,
      ),
    );
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
