// The public API of @tributary/kafka: run a topology on Apache Kafka.
export { KafkaStreams } from './KafkaStreams';
export type { KafkaStreamsOptions, ProcessingGuarantee, UncaughtExceptionHandler, UncaughtExceptionResponse } from './KafkaStreamsOptions';
export { StreamThreads, type ThreadMetadata, type ThreadMetrics } from './threads/StreamThreads';
export type { StreamThreadsOptions, ThreadTopology } from './threads/StreamThreadsOptions';
export type { KafkaStreamsMetrics, TaskMetricsSnapshot, KafkaPartitionMetrics, RestoreMetrics } from './metrics/StreamsMetricsRecorder';

// Operating: the HTTP server (metrics, health, readiness) and interactive queries across instances.
export type { HttpOptions } from './KafkaStreamsOptions';
export type { HttpAddress } from './http/StreamsHttpServer';
export type { HostInfo } from './queries/HostInfo';
export type { KeyQueryMetadata, StreamsMetadata } from './queries/StreamsMetadata';
export { UnknownStoreError } from './queries/UnknownStoreError';
export { StoreClient, type StoreClientOptions, type StoreEntry, type WindowedStoreEntry, type StoreEntries, type WindowValue, type TimeBound } from './http/StoreClient';
export { StoreQueryError } from './http/StoreQueryError';
export type { StoreQueryOptions } from './state/LocalStores';

// The live dashboard: served at /dashboard with the `http` option, or for any StreamsApplication (the embedded engine) by serveDashboard.
export { serveDashboard, type ServeDashboardOptions, type DashboardServer } from './dashboard/serveDashboard';
export { DeadLetterLog, type DeadLetterEntry } from './dashboard/DeadLetterLog';
export type { MetricsHistoryOptions } from './dashboard/MetricsHistory';

// The client seam: implement StreamsClient to run on another Kafka client than KafkaJS.
export { createKafkaJsClient, type KafkaJsClientOptions } from './client/kafkajs/createKafkaJsClient';
// `client: 'platformatic'` loads the @platformatic/kafka adapter (an optional peer dependency) on start.
export { createNamedClient, type ClientName } from './client/namedClient';
export type {
  StreamsClient,
  StreamsAdmin,
  StreamsProducer,
  GroupConsumer,
  GroupConsumerHandlers,
  GroupConsumerOptions,
  GroupAssignor,
  GroupMemberSubscription,
  MemberAssignment,
  ChangelogReader,
  ChangelogReaderOptions,
  ChangelogRange,
  ConsumedBatch,
  PassedOffsets,
  BatchContext,
  NewTopic,
  PartitionOffsets,
  ProducedRecord,
  ProducerOptions,
  TransactionalProducer,
  TransactionalProducerOptions,
  TopicPartition,
  TopicPartitionOffset,
} from './client/StreamsClient';

// Connecting to secured clusters: TLS, SASL, timeouts and each kind of client's own settings.
export type {
  ConnectionOptions,
  TlsOptions,
  Pem,
  SaslOptions,
  SaslPasswordOptions,
  SaslOAuthBearerOptions,
  SaslAwsIamOptions,
  CommonClientSettings,
  ConsumerSettings,
  ProducerSettings,
  AdminSettings,
} from './config/ConnectionOptions';
export { ResolvedConnection } from './config/ConnectionOptions';
export { kafkaJsConnection } from './client/kafkajs/kafkaJsConnection';

// The same settings from a Kafka client properties file (`--command-config`) or TRIBUTARY_*
// environment variables; first-connection failures explained; KafkaJS clients of your own.
export type { ClientConnection } from './config/ConnectionOptions';
export { readClientProperties, parseClientProperties, type ClientProperties } from './config/clientProperties';
export { connectionFromEnvironment } from './config/environment';
export { permanentConnectionFailure } from './client/kafkajs/connectionFailure';

// Creating the topics a topology reads and writes before its first start.
export { createTopologyTopics, type CreateTopologyTopicsOptions, type TopologyTopics, type TopicPartitions } from './topics/createTopologyTopics';
