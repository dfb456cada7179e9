// @tributary/core/embedded: run a whole topology in this process, on in-memory partitioned
// topics, behind the same application API as KafkaStreams (start, close, metrics, stores, events).
export { EmbeddedStreams, type EmbeddedStreamsConfig, type ProducerRecord, type ConsumerRecord } from './EmbeddedStreams';
