// Test kit for integration tests on a real Kafka broker. Import from here:
//   import { brokers, uniqueName, createTopic, produce, waitForMessages, waitFor } from '../harness';
// The broker comes from KAFKA_BROKERS (set by `npm test`, or by hand after `pnpm kafka:start`).
export { waitFor, WaitForTimeoutError, type WaitForOptions } from './wait';
export {
  brokers,
  uniqueName,
  silentLogCreator,
  kafkaConfig,
  createKafka,
  withAdmin,
  createTopic,
  produce,
  waitForMessages,
  type ProduceRecord,
  type ConsumedMessage,
  type WaitForMessagesOptions,
} from './kafka';
export {
  repoRoot,
  ensureKafkaJars,
  kafkaTool,
  describeConsumerGroup,
  parseConsumerGroupDescribe,
  killBrokerNode,
  startBrokerNode,
  type KafkaToolResult,
  type ConsumerGroupRow,
} from './tools';
export { saslSslListener, type SaslSslListener } from './saslSsl';
export { schemaRegistry, registryRequest, type SchemaRegistryUnderTest } from './schemaRegistry';
