import type { Logger } from '@tributary/core';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { GroupConsumer, GroupConsumerHandlers, GroupConsumerOptions, TopicPartition, TopicPartitionOffset } from '../StreamsClient';
import { byTopic, fromAssignment, kafkaJsAssigner } from './kafkaJsAssigner';
import { toInputRecords } from './records';

/**
 * A consumer-group member on KafkaJS: `eachBatch` with auto-commit off (the runtime commits),
 * one partition at a time, and the group events turned into the runtime's handlers.
 *
 * KafkaJS has no `onPartitionsRevoked`. A rebalance shows up as a failed heartbeat; the
 * heartbeat this class runs after every batch catches it and lets the runtime commit
 * before KafkaJS rejoins. After every join KafkaJS restarts each partition from the
 * committed offset, so the runtime seeks the partitions it keeps to where it was.
 */
export class KafkaJsGroupConsumer implements GroupConsumer {
  private readonly consumer: Consumer;
  private running = false;

  constructor(
    kafka: Kafka,
    private readonly options: GroupConsumerOptions,
    private readonly logger: Logger,
  ) {
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      partitionAssigners: [kafkaJsAssigner(options.assignor)],
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: options.heartbeatIntervalMs,
      rebalanceTimeout: options.rebalanceTimeoutMs,
      maxWaitTimeInMs: options.maxWaitTimeMs,
      maxBytesPerPartition: options.maxBytesPerPartition,
      readUncommitted: !options.readCommitted,
      allowAutoTopicCreation: false,
      // Restart after any retriable failure (a broker restart); the runtime reassigns on rejoin.
      retry: { restartOnFailure: async () => true },
    });
  }

  connect(): Promise<void> {
    return this.consumer.connect();
  }

  async run(topics: readonly string[], handlers: GroupConsumerHandlers): Promise<void> {
    const { GROUP_JOIN, REBALANCING, CRASH } = this.consumer.events;
    this.consumer.on(GROUP_JOIN, (event) => handlers.onAssigned(fromAssignment(event.payload.memberAssignment)));
    this.consumer.on(REBALANCING, () => handlers.onRebalancing());
    this.consumer.on(CRASH, (event) => {
      const { error, restart } = event.payload as unknown as { error: Error; restart: boolean };
      handlers.onCrash(error, restart);
      if (restart) handlers.onRebalancing();
    });
    await this.consumer.subscribe({ topics: [...topics], fromBeginning: this.options.autoOffsetReset === 'earliest' });
    this.running = true;
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: true,
      partitionsConsumedConcurrently: 1,
      eachBatch: async (payload) => {
        const heartbeat = this.guardedHeartbeat(payload, handlers);
        const { batch } = payload;
        await handlers.onBatch(
          { topic: batch.topic, partition: batch.partition, highWatermark: Number(batch.highWatermark), records: toInputRecords(batch) },
          { heartbeat, isRunning: () => payload.isRunning() && !payload.isStale() },
        );
        await heartbeat();
      },
    });
  }

  pause(partitions: readonly TopicPartition[]): void {
    if (!this.running || partitions.length === 0) return;
    this.consumer.pause(Object.entries(byTopic(partitions)).map(([topic, ps]) => ({ topic, partitions: ps })));
  }

  resume(partitions: readonly TopicPartition[]): void {
    if (!this.running || partitions.length === 0) return;
    this.consumer.resume(Object.entries(byTopic(partitions)).map(([topic, ps]) => ({ topic, partitions: ps })));
  }

  seek({ topic, partition, offset }: TopicPartitionOffset): void {
    this.consumer.seek({ topic, partition, offset: String(offset) });
  }

  async commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    await this.consumer.commitOffsets(offsets.map(({ topic, partition, offset }) => ({ topic, partition, offset: String(offset) })));
  }

  async disconnect(): Promise<void> {
    this.running = false;
    await this.consumer.disconnect();
  }

  private guardedHeartbeat(payload: EachBatchPayload, handlers: GroupConsumerHandlers): () => Promise<void> {
    return async () => {
      try {
        await payload.heartbeat();
      } catch (error) {
        if ((error as { type?: string }).type === 'REBALANCE_IN_PROGRESS') {
          this.logger.debug(`group ${this.options.groupId} is rebalancing: committing before rejoining`);
          await handlers.onRevoking().catch((e: unknown) => this.logger.warn(`commit before rebalance failed: ${(e as Error).message}`));
        }
        throw error;
      }
    };
  }
}
