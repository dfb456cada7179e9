import type { ConsumerSettings } from '../../config/ConnectionOptions';
import { kafkaJsConsumerSettings } from './kafkaJsConnection';
import { randomUUID } from 'node:crypto';
import type { Logger } from '@tributary/core';
import type { InputRecord } from '@tributary/core/runtime';
import type { Consumer, Kafka } from 'kafkajs';
import {
  partitionKey,
  type ChangelogRange,
  type ChangelogReader,
  type ChangelogReaderOptions,
  type TopicPartition,
  type TopicPartitionOffset,
} from '../StreamsClient';
import { readRanges } from '../readRanges';
import { kafkaJsAssigner } from './kafkaJsAssigner';
import { toInputRecords } from './records';

type OnBatch = (partition: TopicPartition, records: readonly InputRecord[], nextOffset: number, consumer: Consumer) => void;

/**
 * Reads partitions for restoration and global tables. KafkaJS has no `assign()` without a
 * group, so each reader joins a fresh group of one (`<prefix>-<uuid>`, never committed,
 * gone once empty) whose assignor hands that member exactly the requested partitions.
 */
export class KafkaJsChangelogReader implements ChangelogReader {
  constructor(
    private readonly kafka: Kafka,
    private readonly options: ChangelogReaderOptions,
    private readonly logger: Logger,
    private readonly settings: ConsumerSettings = {},
  ) {}

  read(ranges: readonly ChangelogRange[], onRecords: (range: ChangelogRange, records: readonly InputRecord[]) => void, signal?: AbortSignal): Promise<void> {
    return readRanges(ranges, onRecords, signal, (starts, onBatch, onError) =>
      this.start(starts, (tp, records, nextOffset, consumer) => onBatch(tp, records, nextOffset, () => consumer.pause([{ topic: tp.topic, partitions: [tp.partition] }])), onError),
    );
  }

  follow(
    starts: readonly TopicPartitionOffset[],
    onRecords: (partition: TopicPartition, records: readonly InputRecord[], nextOffset: number) => void,
    onError: (error: Error) => void,
  ): Promise<{ stop(): Promise<void> }> {
    return this.start(starts, (tp, records, nextOffset) => onRecords(tp, records, nextOffset), onError);
  }

  private async start(starts: readonly TopicPartitionOffset[], onBatch: OnBatch, onError: (error: Error) => void): Promise<{ stop(): Promise<void> }> {
    const groupId = `${this.options.groupIdPrefix}-${randomUUID()}`;
    const partitions = starts.map(({ topic, partition }) => ({ topic, partition }));
    const consumer = this.kafka.consumer({
      ...kafkaJsConsumerSettings(this.settings),
      groupId,
      maxWaitTimeInMs: 100,
      readUncommitted: !this.options.readCommitted,
      allowAutoTopicCreation: false,
      retry: { restartOnFailure: async () => true },
      partitionAssigners: [
        kafkaJsAssigner({
          name: 'tributary-reader',
          version: 0,
          userData: () => Buffer.alloc(0),
          assign: (members) => new Map(members.slice(0, 1).map((m) => [m.memberId, { partitions, userData: Buffer.alloc(0) }])),
        }),
      ],
    });
    // Where each partition is: a restarted consumer (broker restart) resumes there, not at the beginning.
    const positions = new Map(starts.map((s) => [partitionKey(s.topic, s.partition), s]));
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      onError(error instanceof Error ? error : new Error(String(error)));
    };
    // A batch holding only transaction markers or aborted records never reaches eachBatch;
    // its end offset still tells how far the partition has been read.
    consumer.on(consumer.events.END_BATCH_PROCESS, (event) => {
      const { topic, partition, lastOffset } = event.payload as unknown as { topic: string; partition: number; lastOffset: string };
      if (failed) return;
      try {
        onBatch({ topic, partition }, [], Number(lastOffset) + 1, consumer);
      } catch (error) {
        fail(error);
      }
    });
    consumer.on(consumer.events.GROUP_JOIN, () => {
      for (const { topic, partition, offset } of positions.values()) consumer.seek({ topic, partition, offset: String(offset) });
    });
    consumer.on(consumer.events.CRASH, (event) => {
      const { error, restart } = event.payload as unknown as { error: Error; restart: boolean };
      if (!restart) fail(error);
    });
    const stop = async () => {
      await consumer.disconnect().catch((e: unknown) => this.logger.warn(`reader ${groupId}: ${(e as Error).message}`));
    };
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [...new Set(partitions.map((p) => p.topic))], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          if (failed) return;
          const next = Number(batch.lastOffset()) + 1;
          try {
            onBatch({ topic: batch.topic, partition: batch.partition }, toInputRecords(batch), next, consumer);
          } catch (error) {
            fail(error);
            return;
          }
          positions.set(partitionKey(batch.topic, batch.partition), { topic: batch.topic, partition: batch.partition, offset: next });
        },
      });
    } catch (error) {
      await stop();
      throw error;
    }
    return { stop };
  }
}
