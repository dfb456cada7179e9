import { Admin, compatibilityPartitioner, Consumer, FetchIsolationLevels, Producer } from '@platformatic/kafka';
import type { Logger } from '@tributary/core';
import { ResolvedConnection, type ConnectionOptions } from '../../config/ConnectionOptions';
import type { StreamsClient } from '../StreamsClient';
import { platformaticConnection } from './platformaticConnection';
import { PlatformaticAdmin } from './PlatformaticAdmin';
import { PlatformaticAssigner } from './platformaticAssigner';
import { PlatformaticChangelogReader } from './PlatformaticChangelogReader';
import { PlatformaticGroupConsumer } from './PlatformaticGroupConsumer';
import { PlatformaticProducer } from './PlatformaticProducer';
import { PlatformaticTransactionalProducer } from './PlatformaticTransactionalProducer';
import { useLeanProduceEncoding } from './leanProduceApi';
import { mendProduceRouting } from './produceRoutingFix';
import { mendTimestampDeltas } from './timestampDeltaFix';

export interface PlatformaticClientOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logger: Logger;
  /** TLS, SASL, timeouts and each kind of client's settings (as `KafkaStreams` takes them). Defaults to plaintext. */
  readonly connection?: ConnectionOptions | ResolvedConnection;
  /**
   * How long the consumers keep retrying a request to a broker that is gone (a restart)
   * before it fails. Defaults to `120000`.
   */
  readonly reconnectForMs?: number;
}

const RETRY_DELAY_MS = 500;

/**
 * The {@link StreamsClient} on `@platformatic/kafka` (Node 22 or newer). Each producer and
 * consumer is a client of its own, with the shared TLS and SASL settings; the admin retries
 * little, so a wrong broker address fails `start()` in seconds (and a wrong login, certificate
 * or port at once, see `connectionFailure.ts`); the producers retry a send
 * for its `deliveryTimeoutMs` and the consumers a request for `reconnectForMs`.
 */
export function createPlatformaticClient(options: PlatformaticClientOptions): StreamsClient {
  mendTimestampDeltas();
  const connection = options.connection instanceof ResolvedConnection ? options.connection : new ResolvedConnection(options.connection);
  const { brokers, clientId, logger } = options;
  const consumerRetries = { retries: Math.ceil((options.reconnectForMs ?? 120_000) / RETRY_DELAY_MS), retryDelayMs: RETRY_DELAY_MS };
  const adminConnection = connection.forClient('admin');
  const adminClient = new Admin(platformaticConnection(brokers, clientId, adminConnection, { retries: connection.admin.retries ?? 3, retryDelayMs: 200 }));
  const probeClient = () => new Admin(platformaticConnection(brokers, clientId, adminConnection, { retries: 0, retryDelayMs: 0 }));
  const intent = { tls: connection.tls, sasl: connection.saslMechanism !== undefined, connectionTimeoutMs: adminConnection.connectionTimeoutMs, requestTimeoutMs: adminConnection.requestTimeoutMs };
  const consumerSettings = connection.consumer;
  const consumerBase = (groupId: string, readCommitted: boolean) => ({
    ...platformaticConnection(brokers, clientId, connection.forClient('consumer'), consumerRetries),
    groupId,
    autocommit: false,
    isolationLevel: readCommitted ? FetchIsolationLevels.READ_COMMITTED : FetchIsolationLevels.READ_UNCOMMITTED,
    ...(consumerSettings.minBytes === undefined ? {} : { minBytes: consumerSettings.minBytes }),
    ...(consumerSettings.maxBytes === undefined ? {} : { maxBytes: consumerSettings.maxBytes }),
    ...(consumerSettings.rackId === undefined ? {} : { clientRack: consumerSettings.rackId }),
    ...(consumerSettings.metadataMaxAgeMs === undefined ? {} : { metadataMaxAge: consumerSettings.metadataMaxAgeMs }),
  });
  const producerSettings = connection.producer;
  const producer = (deliveryTimeoutMs: number, transactionalId?: string, transactionTimeoutMs?: number) => {
    const created = new Producer({
      ...platformaticConnection(brokers, clientId, connection.forClient('producer'), { retries: Math.ceil(deliveryTimeoutMs / RETRY_DELAY_MS), retryDelayMs: RETRY_DELAY_MS }),
      // The client sends `timeout` as InitProducerId's transaction timeout (and a produce request's
      // acknowledgement wait): as on KafkaJS, the delivery timeout and at least a minute.
      ...(transactionalId === undefined ? {} : { timeout: producerSettings.transactionTimeoutMs ?? transactionTimeoutMs ?? Math.max(deliveryTimeoutMs, 60_000) }),
      idempotent: true,
      acks: -1,
      // Kafka's murmur2 partitioner for records the runtime did not place (the client's default differs).
      partitioner: compatibilityPartitioner,
      compression: producerSettings.compression ?? 'none',
      ...(producerSettings.metadataMaxAgeMs === undefined ? {} : { metadataMaxAge: producerSettings.metadataMaxAgeMs }),
      ...(transactionalId === undefined ? {} : { transactionalId }),
    });
    useLeanProduceEncoding(created);
    mendProduceRouting(created);
    return created;
  };
  return {
    admin: () => new PlatformaticAdmin(adminClient, probeClient, intent),
    producer: (producerOptions) => new PlatformaticProducer(producer(producerOptions.deliveryTimeoutMs), producerOptions),
    transactionalProducer: (producerOptions) =>
      new PlatformaticTransactionalProducer(() => producer(producerOptions.deliveryTimeoutMs, producerOptions.transactionalId, producerOptions.transactionTimeoutMs), adminClient, producerOptions),
    groupConsumer: (consumerOptions) => {
      const assigner = new PlatformaticAssigner(consumerOptions.assignor);
      const consumerSettings = {
        ...consumerBase(consumerOptions.groupId, consumerOptions.readCommitted),
        sessionTimeout: consumerOptions.sessionTimeoutMs,
        heartbeatInterval: consumerOptions.heartbeatIntervalMs,
        rebalanceTimeout: consumerOptions.rebalanceTimeoutMs,
        maxWaitTime: consumerOptions.maxWaitTimeMs,
        maxBytesPerPartition: consumerOptions.maxBytesPerPartition,
      };
      // Two clients, so two sets of connections: a broker answers the requests of one connection
      // in order, and holds a JoinGroup until the rebalance completes, so fetches sent to the
      // group coordinator's node behind it would wait out every rebalance (as Kafka's Java
      // consumer does, the coordinator gets a connection of its own).
      // KIP-848: the group consumer sends the heartbeats itself (ConsumerGroupMembership); this
      // client only finds the coordinator.
      const member = new Consumer(consumerOptions.groupProtocol === 'consumer' ? consumerSettings : { ...consumerSettings, ...assigner.groupOptions() });
      const fetching = new Consumer(consumerSettings);
      const groupOffsets = new PlatformaticAdmin(adminClient, probeClient, intent);
      const committedOffsets = (topics: readonly string[]) => groupOffsets.committedOffsets(consumerOptions.groupId, topics);
      return new PlatformaticGroupConsumer({ member, fetching, committedOffsets }, assigner, consumerOptions, logger);
    },
    changelogReader: (readerOptions) => new PlatformaticChangelogReader((groupId) => new Consumer(consumerBase(groupId, readerOptions.readCommitted)), readerOptions, logger),
    cooperativeRebalancing: true,
    consumerGroupProtocol: true,
    transactionsWithGroupMetadata: true,
  };
}
