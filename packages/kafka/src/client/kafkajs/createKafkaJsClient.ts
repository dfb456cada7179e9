import type { Logger } from '@tributary/core';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { ResolvedConnection, type ConnectionOptions } from '../../config/ConnectionOptions';
import type { StreamsClient } from '../StreamsClient';
import { KafkaJsAdmin } from './KafkaJsAdmin';
import { KafkaJsChangelogReader } from './KafkaJsChangelogReader';
import { KafkaJsGroupConsumer } from './KafkaJsGroupConsumer';
import { kafkaJsConnection } from './kafkaJsConnection';
import { kafkaJsLogCreator } from './kafkaJsLogging';
import { KafkaJsProducer } from './KafkaJsProducer';
import { KafkaJsTransactionalProducer } from './KafkaJsTransactionalProducer';

export interface KafkaJsClientOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logger: Logger;
  /** TLS, SASL, timeouts and each kind of client's settings (as `KafkaStreams` takes them). Defaults to plaintext. */
  readonly connection?: ConnectionOptions | ResolvedConnection;
  /**
   * How long the producer and consumers keep reconnecting to a broker that is gone (a
   * restart) before their operations fail. Defaults to `120000`.
   */
  readonly reconnectForMs?: number;
}

const MAX_RETRY_TIME_MS = 2_000;

/**
 * The {@link StreamsClient} on KafkaJS 2.2. One KafkaJS instance per kind of client, each
 * with the shared TLS and SASL settings and its own timeouts: the admin retries little, so
 * a wrong broker address fails `start()` in seconds; the producers and consumers retry
 * connections for `reconnectForMs` (KafkaJS gives up on a broker after its cluster-level
 * retries, and then fails every send), so they ride out a broker restart.
 */
export function createKafkaJsClient(options: KafkaJsClientOptions): StreamsClient {
  const connection = options.connection instanceof ResolvedConnection ? options.connection : new ResolvedConnection(options.connection);
  const kafka = (kind: 'consumer' | 'producer' | 'admin', retry: KafkaConfig['retry']) =>
    new Kafka({
      clientId: options.clientId,
      brokers: [...options.brokers],
      ...kafkaJsConnection(connection.forClient(kind)),
      retry,
      logLevel: logLevel.INFO,
      logCreator: kafkaJsLogCreator(options.logger),
    });
  const reconnecting = { initialRetryTime: 100, maxRetryTime: MAX_RETRY_TIME_MS, retries: Math.ceil((options.reconnectForMs ?? 120_000) / MAX_RETRY_TIME_MS) };
  const adminKafka = kafka('admin', { retries: connection.admin.retries ?? 3, initialRetryTime: 200 });
  const probeKafka = kafka('admin', { retries: 0 });
  const consumerKafka = kafka('consumer', reconnecting);
  const producerKafka = kafka('producer', reconnecting);
  const { consumer, producer } = connection;
  return {
    admin: () => new KafkaJsAdmin(adminKafka, connection.admin.retries ?? 3, probeKafka, connection.tls),
    producer: (producerOptions) => new KafkaJsProducer(producerKafka, producerOptions, options.logger, producer),
    transactionalProducer: (producerOptions) => new KafkaJsTransactionalProducer(producerKafka, producerOptions, options.logger, producer),
    groupConsumer: (consumerOptions) => new KafkaJsGroupConsumer(consumerKafka, consumerOptions, options.logger, consumer),
    changelogReader: (readerOptions) => new KafkaJsChangelogReader(consumerKafka, readerOptions, options.logger, consumer),
  };
}
