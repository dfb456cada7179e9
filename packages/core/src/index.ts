// The public API of @tributary/core: the DSL, the topology, serdes, stores and errors.
export { StreamsBuilder } from './dsl/StreamsBuilder';
export { KStream } from './dsl/KStream';
export { KTable } from './dsl/KTable';
export { KGroupedStream } from './dsl/KGroupedStream';
export { KGroupedTable } from './dsl/KGroupedTable';
export { BranchedKStream, type BranchOptions } from './dsl/BranchedKStream';
export { GlobalKTable } from './dsl/GlobalKTable';
export type { ConsumedOptions, GroupedOptions, MaterializedOptions, NamedOptions, ProducedOptions } from './dsl/options';
export type { JoinedOptions, RepartitionedOptions, StreamJoinedOptions } from './dsl/options';
export { JoinWindows } from './windows/JoinWindows';
export type { Processor, ProcessorContext, ProcessorSupplier } from './operators/process';
export { TimeWindowedKStream } from './dsl/TimeWindowedKStream';
export { SessionWindowedKStream } from './dsl/SessionWindowedKStream';
export type { WindowedMaterializedOptions } from './dsl/windowedOptions';
export { TimeWindows } from './windows/TimeWindows';
export { SlidingWindows } from './windows/SlidingWindows';
export { SessionWindows } from './windows/SessionWindows';
export { EmitStrategy } from './windows/EmitStrategy';
export { Suppressed, BufferConfig } from './windows/Suppressed';
export { WindowedSerdes } from './windows/WindowedSerdes';
export type { Windowed, Window } from './windows/Windowed';

export { Topology, type SubTopology, type InternalTopic, type TopologyDescription } from './graph/Topology';
export type { Change } from './graph/Change';

export { Serdes } from './serdes/Serdes';
export type { Serde, SerdeType } from './serdes/Serde';

export { Stores, type KeyValueStoreOptions, type WindowStoreFactoryOptions, type SessionStoreFactoryOptions } from './state/Stores';
export type { WindowStore, ReadOnlyWindowStore } from './state/WindowStore';
export type { SessionStore, ReadOnlySessionStore } from './state/SessionStore';
export type { KeyValueStore, ReadOnlyKeyValueStore, ValueAndTimestamp } from './state/KeyValueStore';
export type { StateStore, StoreOptions, StoreSpec, StoreKind, StoreChangeLogger, RestorableStore } from './state/StateStore';

export { ErrorHandlers, DeadLetterHeaders, type ErrorHandler, type ErrorResponse, type ErrorContext } from './runtime/ErrorHandler';
export { consoleLogger, silentLogger, type Logger } from './runtime/Logger';
export type { Cancellable, PunctuationType } from './runtime/ProcessorNodeContext';

export type { KeyValue, Headers, StreamRecord, RecordContext } from './KeyValue';
export { toMillis, type Duration } from './duration';
export {
  StreamsError,
  TopologyError,
  DeserializationError,
  SerializationError,
  ProcessingError,
  TaskFailedError,
  type RecordOrigin,
} from './errors';
export type { StreamsApplication, StreamsState, StreamsMetrics, StreamsEvent, PartitionMetrics } from './runtime/StreamsApplication';
