import { Partitioners, type Kafka, type Producer, type Transaction } from 'kafkajs';
import type { ProducedRecord, TopicPartitionOffset, TransactionalProducer, TransactionalProducerOptions } from '../StreamsClient';
import { byTopic } from './kafkaJsAssigner';
import { toTopicMessages } from './records';

/**
 * A KafkaJS transactional producer: `connect()` opens a first transaction, which makes KafkaJS
 * register the transactional id (InitProducerId) at once, so a zombie with the same id is
 * fenced before the task reads anything. Later transactions begin with the first write after
 * a commit; a transaction holding only offsets is committed the same way.
 */
export class KafkaJsTransactionalProducer implements TransactionalProducer {
  private readonly producer: Producer;
  private transaction: Transaction | undefined;

  constructor(
    kafka: Kafka,
    private readonly options: TransactionalProducerOptions,
  ) {
    this.producer = kafka.producer({
      transactionalId: options.transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      transactionTimeout: Math.max(options.deliveryTimeoutMs, 60_000),
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 100, maxRetryTime: 2_000 },
    });
  }

  async connect(): Promise<void> {
    await this.producer.connect();
    await this.open();
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect();
  }

  async send(records: readonly ProducedRecord[]): Promise<void> {
    if (records.length === 0) return;
    const transaction = await this.open();
    await transaction.sendBatch({ topicMessages: toTopicMessages(records), acks: -1 });
  }

  async commit(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (!this.transaction && offsets.length === 0) return;
    const transaction = await this.open();
    if (offsets.length > 0) {
      const topics = Object.entries(byTopic(offsets)).map(([topic]) => ({
        topic,
        partitions: offsets.filter((o) => o.topic === topic).map(({ partition, offset }) => ({ partition, offset: String(offset) })),
      }));
      await transaction.sendOffsets({ consumerGroupId: groupId, topics });
    }
    this.transaction = undefined;
    await transaction.commit();
  }

  async abort(): Promise<void> {
    const transaction = this.transaction;
    this.transaction = undefined;
    if (transaction?.isActive()) await transaction.abort();
  }

  private async open(): Promise<Transaction> {
    if (!this.transaction?.isActive()) this.transaction = await this.producer.transaction();
    return this.transaction;
  }
}
