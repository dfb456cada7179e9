import type { ProducerSettings } from '../../config/ConnectionOptions';
import { kafkaJsCompression, kafkaJsProducerSettings } from './kafkaJsConnection';
import { StreamsError, type Logger } from '@tributary/core';
import type { Kafka, Producer, Transaction } from 'kafkajs';
import type { ProducedRecord, TopicPartitionOffset, TransactionalProducer, TransactionalProducerOptions } from '../StreamsClient';
import { isTaskMigration } from '../taskMigration';
import { BatchDelivery } from './BatchDelivery';
import { byTopic } from './kafkaJsAssigner';

/**
 * A KafkaJS transactional producer: `connect()` opens a first transaction, which makes KafkaJS
 * register the transactional id (InitProducerId) at once, so a zombie with the same id is
 * fenced before the task reads anything. Later transactions begin with the first write after
 * a commit; a transaction holding only offsets is committed the same way.
 *
 * Operations run one after another (KafkaJS's transaction state machine refuses, say, an
 * abort or a new transaction while a commit is under way): a task revoked mid-commit aborts
 * after the commit settled, and a close waits for both.
 *
 * Writes go through {@link BatchDelivery} (acknowledged in every partition, or failed after
 * `deliveryTimeoutMs`). A transaction with a failed write cannot be committed, only aborted,
 * and the next transaction runs on a new KafkaJS producer (InitProducerId bumps the epoch):
 * the failed write's sequence numbers may be out of step with the broker's. Unless the write
 * failed because the producer was fenced: a new one would fence the member that owns the
 * transactional id now, so the producer stays unusable.
 */
export class KafkaJsTransactionalProducer implements TransactionalProducer {
  private readonly delivery: BatchDelivery;
  private producer: Producer;
  private transaction: Transaction | undefined;
  /** Why a write failed since the producer was created: its transaction must be aborted, the producer replaced. */
  private writeFailed: Error | undefined;
  private last: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly kafka: Kafka,
    private readonly options: TransactionalProducerOptions,
    logger?: Logger,
    private readonly settings: ProducerSettings = {},
  ) {
    this.delivery = new BatchDelivery(logger, kafkaJsCompression(settings));
    this.producer = this.create();
  }

  connect(): Promise<void> {
    return this.serial(async () => {
      await this.producer.connect();
      await this.open();
    });
  }

  disconnect(): Promise<void> {
    return this.serial(() => this.producer.disconnect());
  }

  send(records: readonly ProducedRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return this.serial(async () => {
      const transaction = await this.open();
      try {
        await this.delivery.deliver((batch) => transaction.sendBatch(batch), records, this.options.deliveryTimeoutMs);
      } catch (error) {
        this.writeFailed = error instanceof Error ? error : new Error(String(error));
        throw error;
      }
    });
  }

  commit(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    return this.serial(async () => {
      if (!this.transaction && offsets.length === 0) return;
      if (this.writeFailed && this.transaction?.isActive()) throw new StreamsError(`a write of transactional id ${this.options.transactionalId} failed: its transaction can only be aborted`, { cause: this.writeFailed });
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
    });
  }

  abort(): Promise<void> {
    return this.serial(async () => {
      const transaction = this.transaction;
      this.transaction = undefined;
      if (transaction?.isActive()) await transaction.abort();
    });
  }

  /** Runs `operation` once every operation begun before it has settled. */
  private serial<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.last.then(operation, operation);
    this.last = result.catch(() => undefined);
    return result;
  }

  private async open(): Promise<Transaction> {
    if (this.transaction?.isActive()) {
      if (this.writeFailed) throw new StreamsError(`a write of transactional id ${this.options.transactionalId} failed: its transaction must be aborted first`, { cause: this.writeFailed });
      return this.transaction;
    }
    if (this.writeFailed) await this.replace(this.writeFailed);
    this.transaction = await this.producer.transaction();
    return this.transaction;
  }

  private create(): Producer {
    return this.kafka.producer({
      ...kafkaJsProducerSettings(this.settings),
      transactionalId: this.options.transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: this.delivery.createPartitioner,
      transactionTimeout: this.settings.transactionTimeoutMs ?? this.options.transactionTimeoutMs ?? Math.max(this.options.deliveryTimeoutMs, 60_000),
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 100, maxRetryTime: 2_000 },
    });
  }

  /** After a failed write: once it settled, a new KafkaJS producer, whose first transaction bumps the epoch. */
  private async replace(failure: Error): Promise<void> {
    if (isTaskMigration(failure)) throw new StreamsError(`the producer of transactional id ${this.options.transactionalId} was fenced`, { cause: failure });
    await this.delivery.settled(this.options.deliveryTimeoutMs);
    await this.producer.disconnect().catch(() => undefined);
    this.producer = this.create();
    await this.producer.connect();
    this.writeFailed = undefined;
  }
}
