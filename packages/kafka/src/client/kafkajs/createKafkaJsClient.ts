import type { Logger } from '@tributary/core';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import type { StreamsClient } from '../StreamsClient';
import { KafkaJsAdmin } from './KafkaJsAdmin';
import { KafkaJsChangelogReader } from './KafkaJsChangelogReader';
import { KafkaJsGroupConsumer } from './KafkaJsGroupConsumer';
import { kafkaJsLogCreator } from './kafkaJsLogging';
import { KafkaJsProducer } from './KafkaJsProducer';
import { KafkaJsTransactionalProducer } from './KafkaJsTransactionalProducer';

export interface KafkaJsClientOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logger: Logger;
  /** KafkaJS's connection timeout. Defaults to `3000`. */
  readonly connectionTimeoutMs?: number;
  /**
   * How long the producer and consumers keep reconnecting to a broker that is gone (a
   * restart) before their operations fail. Defaults to `120000`.
   */
  readonly reconnectForMs?: number;
}

const MAX_RETRY_TIME_MS = 2_000;

/**
 * The {@link StreamsClient} on KafkaJS 2.2. Two KafkaJS instances: the admin's retries
 * little, so a wrong broker address fails `start()` in seconds; the producer's and the
 * consumers' retry connections for `reconnectForMs` (KafkaJS gives up on a broker after its
 * cluster-level retries, and then fails every send), so they ride out a broker restart.
 */
export function createKafkaJsClient(options: KafkaJsClientOptions): StreamsClient {
  const base: KafkaConfig = {
    clientId: options.clientId,
    brokers: [...options.brokers],
    connectionTimeout: options.connectionTimeoutMs ?? 3_000,
    logLevel: logLevel.INFO,
    logCreator: kafkaJsLogCreator(options.logger),
  };
  const adminKafka = new Kafka({ ...base, retry: { retries: 3, initialRetryTime: 200 } });
  const kafka = new Kafka({
    ...base,
    retry: { initialRetryTime: 100, maxRetryTime: MAX_RETRY_TIME_MS, retries: Math.ceil((options.reconnectForMs ?? 120_000) / MAX_RETRY_TIME_MS) },
  });
  return {
    admin: () => new KafkaJsAdmin(adminKafka),
    producer: (producerOptions) => new KafkaJsProducer(kafka, producerOptions, options.logger),
    transactionalProducer: (producerOptions) => new KafkaJsTransactionalProducer(kafka, producerOptions, options.logger),
    groupConsumer: (consumerOptions) => new KafkaJsGroupConsumer(kafka, consumerOptions, options.logger),
    changelogReader: (readerOptions) => new KafkaJsChangelogReader(kafka, readerOptions, options.logger),
  };
}
