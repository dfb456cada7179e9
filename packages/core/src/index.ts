// The public API of @tributary/core: the DSL, windows, the topology, serdes, stores, errors and
// the application interface. Runtimes use '@tributary/core/runtime'; tests '@tributary/core/testing'.

// DSL handles and their options.
export { StreamsBuilder } from './dsl/StreamsBuilder';
export { KStream } from './dsl/KStream';
export { KTable } from './dsl/KTable';
export { GlobalKTable } from './dsl/GlobalKTable';
export { KGroupedStream } from './dsl/KGroupedStream';
export { KGroupedTable } from './dsl/KGroupedTable';
export { BranchedKStream, type BranchOptions } from './dsl/BranchedKStream';
export { TimeWindowedKStream } from './dsl/TimeWindowedKStream';
export { SessionWindowedKStream } from './dsl/SessionWindowedKStream';
export { CogroupedKStream } from './dsl/CogroupedKStream';
export { TimeWindowedCogroupedKStream } from './dsl/TimeWindowedCogroupedKStream';
export { SessionWindowedCogroupedKStream } from './dsl/SessionWindowedCogroupedKStream';
export { Printed, type WritableText } from './dsl/Printed';
export type { ConsumedOptions, GroupedOptions, MaterializedOptions, NamedOptions, ProducedOptions } from './dsl/options';
export type { JoinedOptions, RepartitionedOptions, StreamJoinedOptions, TableMaterializedOptions } from './dsl/options';
export type { WindowedMaterializedOptions } from './dsl/windowedOptions';
export type { Processor, ProcessorContext, ProcessorSupplier } from './operators/process';
export type { FixedKeyProcessor, FixedKeyProcessorContext, FixedKeyProcessorSupplier } from './operators/processValues';
export { FixedKeyRecord } from './operators/FixedKeyRecord';
export type { Cancellable, PunctuationType } from './runtime/ProcessorNodeContext';

// Windows.
export { TimeWindows } from './windows/TimeWindows';
export { SlidingWindows } from './windows/SlidingWindows';
export { SessionWindows } from './windows/SessionWindows';
export { JoinWindows } from './windows/JoinWindows';
export { EmitStrategy } from './windows/EmitStrategy';
export { Suppressed, BufferConfig } from './windows/Suppressed';
export { WindowedSerdes } from './windows/WindowedSerdes';
export type { Windowed, Window } from './windows/Windowed';

// The topology.
export { Topology, type SubTopology, type InternalTopic, type TopologyDescription } from './graph/Topology';
export type { Change } from './graph/Change';

// Records, serdes and durations.
export type { KeyValue, Headers, StreamRecord, RecordContext } from './KeyValue';
export { Serdes } from './serdes/Serdes';
export type { Serde, SerdeType, SerdeUsage } from './serdes/Serde';
export { toMillis, type Duration } from './duration';

// State stores.
export { Stores, type KeyValueStoreOptions, type WindowStoreFactoryOptions, type SessionStoreFactoryOptions } from './state/Stores';
export type { KeyValueStore, ReadOnlyKeyValueStore, ValueAndTimestamp } from './state/KeyValueStore';
export type { WindowStore, ReadOnlyWindowStore } from './state/WindowStore';
export type { SessionStore, ReadOnlySessionStore } from './state/SessionStore';
export type { StateStore, StoreOptions, StoreSpec, StoreKind, StoreType, StoreChangeLogger, RestorableStore } from './state/StateStore';
export type { PersistentStore, PersistentStoreFactory } from './state/PersistentStore';
export {
  PUT_RETURN_CODE_NOT_PUT,
  PUT_RETURN_CODE_VALID_TO_UNDEFINED,
  type VersionedKeyValueStore,
  type ReadOnlyVersionedKeyValueStore,
  type VersionedRecord,
} from './state/VersionedKeyValueStore';
export type { VersionedKeyValueStoreOptions, VersionedStoreSpec } from './state/versionedStoreSpec';

// Errors, error handlers and logging.
export {
  StreamsError,
  TopologyError,
  DeserializationError,
  SerializationError,
  SchemaValidationError,
  ProcessingError,
  ProductionError,
  RecordTooLargeError,
  TaskFailedError,
  type RecordOrigin,
} from './errors';
export { ErrorHandlers, DeadLetterHeaders, DEAD_LETTER_TEXT_MAX_BYTES, type ErrorHandler, type ErrorResponse, type ErrorContext } from './runtime/ErrorHandler';
export { consoleLogger, silentLogger, type Logger } from './runtime/Logger';

// A running application (KafkaStreams, the embedded engine).
export type { StreamsApplication, StreamsState, StreamsMetrics, StreamsEvent, PartitionMetrics } from './runtime/StreamsApplication';
