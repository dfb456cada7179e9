// @tributary/core/runtime: what a runtime (KafkaStreams, the embedded engine) needs to run tasks.
// Not for topology authors; the DSL is in '@tributary/core'.
export { Task, type TaskOptions, type OutputKind } from './Task';
export { TaskMetrics } from './TaskMetrics';
export { CommitTracker, type InFlightRecord, type RecordHold } from './CommitTracker';
export { planPartitions, type PartitionPlan } from './PartitionPlan';
export type { RecordCollector, OutgoingRecord } from './RecordCollector';
export type { InputRecord } from './InputRecord';
export { prepareSerdes, type PrepareSerdesOptions } from './prepareSerdes';
export { InMemoryTopics, type StoredRecord } from './InMemoryTopics';
export { murmur2, defaultPartition } from './murmur2';
export { sinkPartition } from './sinkPartition';
export { PunctuationQueue } from './PunctuationQueue';
export type { ProcessorNodeContext } from './ProcessorNodeContext';
// Interactive queries: one read-only view over the parts of a store that each task holds.
export { mergedKeyValueStore, mergedWindowStore, mergedSessionStore, mergedVersionedKeyValueStore } from '../state/mergedStores';
// Persistent store implementations (@tributary/lmdb): what the windowed aggregations need of their stores, the store
// semantics and queries shared with the in-memory stores (over each store's own storage), and key handling.
export type { AggregationWindowStore, AggregationSessionStore } from '../state/aggregationStores';
export { AbstractKeyValueStore } from '../state/AbstractKeyValueStore';
export { AbstractWindowStore, type WindowEntry } from '../state/AbstractWindowStore';
export { AbstractSessionStore, type SessionEntry } from '../state/AbstractSessionStore';
export { storeKey, compareKeys } from '../state/storeKey';
export { windowed } from '../windows/Windowed';
