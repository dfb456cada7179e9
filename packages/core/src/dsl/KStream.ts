import type { KeyValue, StreamRecord } from '../KeyValue';
import { TopologyError } from '../errors';
import type { GraphNode, OperatorFactory, StreamPartitioner, TopicChooser } from '../graph/GraphNode';
import { filterRecords } from '../operators/filter';
import { flatMapRecords } from '../operators/flatMap';
import { flatMapRecordValues } from '../operators/flatMapValues';
import { mapRecords } from '../operators/map';
import { mapRecordValues } from '../operators/mapValues';
import { mapRecordValuesAsync } from '../operators/mapValuesAsync';
import { passThrough } from '../operators/passThrough';
import { peekRecords } from '../operators/peek';
import { processRecords, type ProcessorSupplier } from '../operators/process';
import { selectRecordKey } from '../operators/selectKey';
import { materializeTable } from '../operators/tableSource';
import type { Serde } from '../serdes/Serde';
import type { StoreSpec } from '../state/StateStore';
import { keyValueStoreSpec } from '../state/Stores';
import { BranchedKStream } from './BranchedKStream';
import type { HandleState } from './HandleState';
import { KGroupedStream } from './KGroupedStream';
import { KTable } from './KTable';
import type { GroupedOptions, MaterializedOptions, NamedOptions, ProducedOptions } from './options';
import { addRepartition } from './repartitionInternals';
import { checkFunction } from './validate';

/**
 * An unbounded stream of key-value records (Kafka Streams' `KStream`). Every method adds
 * one node to the topology and returns a new handle; nothing runs until the topology is
 * started by a runtime (`KafkaStreams`, the test driver).
 */
export class KStream<K, V> {
  /** @internal */
  constructor(
    /** @internal */ readonly state: HandleState,
    /** @internal true after an operation that may have changed the key: a later grouping or join repartitions. */
    readonly keyChanged: boolean,
  ) {}

  /** Keeps the records for which `predicate(key, value)` is true. A record-by-record operation. */
  filter<S extends V>(predicate: (key: K, value: V) => value is S, options?: NamedOptions): KStream<K, S>;
  filter(predicate: (key: K, value: V) => boolean, options?: NamedOptions): KStream<K, V>;
  filter(predicate: (key: K, value: V) => boolean, options: NamedOptions = {}): KStream<K, V> {
    checkFunction(predicate, 'filter', 'predicate');
    return this.derive('KSTREAM-FILTER-', filterRecords(predicate as never), options, 'both');
  }

  /** Keeps the records for which `predicate(key, value)` is false. A record-by-record operation. */
  filterNot(predicate: (key: K, value: V) => boolean, options: NamedOptions = {}): KStream<K, V> {
    checkFunction(predicate, 'filterNot', 'predicate');
    return this.derive('KSTREAM-FILTER-', filterRecords(predicate as never, true), options, 'both');
  }

  /** Replaces key and value with the `[key, value]` that `mapper(key, value)` returns. Marks the stream for repartitioning. */
  map<KR, VR>(mapper: (key: K, value: V) => KeyValue<KR, VR>, options: NamedOptions = {}): KStream<KR, VR> {
    checkFunction(mapper, 'map', 'mapper');
    return this.derive('KSTREAM-MAP-', mapRecords(mapper as never), options, 'none');
  }

  /** Replaces the value with `mapper(value, key)`. The key is untouched, so no repartition follows. */
  mapValues<VR>(mapper: (value: V, key: K) => VR, options: NamedOptions = {}): KStream<K, VR> {
    checkFunction(mapper, 'mapValues', 'mapper');
    return this.derive('KSTREAM-MAPVALUES-', mapRecordValues(mapper as never), options, 'key');
  }

  /**
   * Replaces the value with what `mapper(value, key)` resolves to: for calls to an external
   * service. Runs at most `concurrency` calls at once and keeps the order of records with
   * the same key; a record's offset is committed only after its result went downstream.
   */
  mapValuesAsync<VR>(
    mapper: (value: V, key: K) => Promise<VR> | VR,
    options: NamedOptions & { /** Calls in flight at once per task. Defaults to `8`. */ concurrency?: number } = {},
  ): KStream<K, VR> {
    checkFunction(mapper, 'mapValuesAsync', 'mapper');
    const concurrency = options.concurrency ?? 8;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new TopologyError(`mapValuesAsync: concurrency must be a positive integer, got ${concurrency}`);
    }
    return this.derive('KSTREAM-MAPVALUES-', mapRecordValuesAsync(mapper as never, concurrency), options, 'key');
  }

  /** Replaces each record with the `[key, value]` pairs `mapper(key, value)` returns. Marks the stream for repartitioning. */
  flatMap<KR, VR>(mapper: (key: K, value: V) => Iterable<KeyValue<KR, VR>>, options: NamedOptions = {}): KStream<KR, VR> {
    checkFunction(mapper, 'flatMap', 'mapper');
    return this.derive('KSTREAM-FLATMAP-', flatMapRecords(mapper as never), options, 'none');
  }

  /** Replaces each record with one record per value `mapper(value, key)` returns, same key. */
  flatMapValues<VR>(mapper: (value: V, key: K) => Iterable<VR>, options: NamedOptions = {}): KStream<K, VR> {
    checkFunction(mapper, 'flatMapValues', 'mapper');
    return this.derive('KSTREAM-FLATMAPVALUES-', flatMapRecordValues(mapper as never), options, 'key');
  }

  /** Sets the key to `selector(key, value)`. Marks the stream for repartitioning. */
  selectKey<KR>(selector: (key: K, value: V) => KR, options: NamedOptions = {}): KStream<KR, V> {
    checkFunction(selector, 'selectKey', 'selector');
    return this.derive('KSTREAM-KEY-SELECT-', selectRecordKey(selector as never), options, 'value');
  }

  /** Calls `action(key, value)` for each record and passes it on unchanged. */
  peek(action: (key: K, value: V) => void, options: NamedOptions = {}): KStream<K, V> {
    checkFunction(action, 'peek', 'action');
    return this.derive('KSTREAM-PEEK-', peekRecords(action as never, true), options, 'both');
  }

  /** Calls `action(key, value)` for each record; a terminal operation. */
  foreach(action: (key: K, value: V) => void, options: NamedOptions = {}): void {
    checkFunction(action, 'foreach', 'action');
    this.derive('KSTREAM-FOREACH-', peekRecords(action as never, false), options, 'both');
  }

  /** Interleaves this stream's records with `other`'s, in arrival order. */
  merge(other: KStream<K, V>, options: NamedOptions = {}): KStream<K, V> {
    if (!(other instanceof KStream)) throw new TopologyError('merge() takes another KStream');
    if (other.state.builder !== this.state.builder) throw new TopologyError('merge() takes a KStream of the same StreamsBuilder');
    const { builder } = this.state;
    const node = builder.addProcessor([this.state.node, other.state.node], options.name ?? builder.newName('KSTREAM-MERGE-'), passThrough());
    return new KStream(
      { builder, node, keySerde: this.state.keySerde, valueSerde: this.state.valueSerde },
      this.keyChanged || other.keyChanged,
    );
  }

  /** Splits the stream into branches by predicates: `split().branch(p, { name }).defaultBranch()`. */
  split(options: NamedOptions = {}): BranchedKStream<K, V> {
    return new BranchedKStream<K, V>(this, options.name);
  }

  /** Writes every record to `topic`, or to the topic `topic(key, value, record)` names. A terminal operation. */
  to(topic: string | ((key: K, value: V, record: StreamRecord<K, V>) => string), options: ProducedOptions<K, V> = {}): void {
    if (typeof topic !== 'string' && typeof topic !== 'function') throw new TopologyError('to() takes a topic name or a function that returns one');
    const { builder } = this.state;
    builder.addSink(this.state.node, {
      name: options.name ?? builder.newName('KSTREAM-SINK-'),
      topic: topic as TopicChooser,
      keySerde: (options.keySerde ?? this.state.keySerde) as Serde<unknown> | undefined,
      valueSerde: (options.valueSerde ?? this.state.valueSerde) as Serde<unknown> | undefined,
      partitioner: options.partitioner as StreamPartitioner | undefined,
    });
  }

  /** Reads the stream as a changelog: the latest value per key wins, `null` deletes. */
  toTable(options: MaterializedOptions<K, V> = {}): KTable<K, V> {
    const { builder } = this.state;
    const storeName = options.name ?? builder.newStoreName('KSTREAM-TOTABLE-');
    const keySerde = (options.keySerde ?? this.state.keySerde) as Serde<unknown> | undefined;
    const valueSerde = (options.valueSerde ?? this.state.valueSerde) as Serde<unknown> | undefined;
    builder.addStore(keyValueStoreSpec(storeName, { keySerde, valueSerde, logging: options.store?.logging ?? true }));
    const name = options.name ?? builder.newName('KSTREAM-TOTABLE-');
    const input = this.keyChanged ? this.repartitionNode(storeName, keySerde, valueSerde) : this.state.node;
    const node = builder.addProcessor(input, name, materializeTable(storeName), [storeName]);
    return new KTable<K, V>({ builder, node, keySerde, valueSerde }, storeName);
  }

  /** Groups by the current key, for an aggregation. Repartitions first if the key may have changed. */
  groupByKey(options: GroupedOptions<K, V> = {}): KGroupedStream<K, V> {
    return new KGroupedStream<K, V>(this.state, this.keyChanged, options);
  }

  /** Groups by `selector(key, value)`, for an aggregation; always repartitions. */
  groupBy<KR>(selector: (key: K, value: V) => KR, options: GroupedOptions<KR, V> = {}): KGroupedStream<KR, V> {
    checkFunction(selector, 'groupBy', 'selector');
    const { builder } = this.state;
    const node = builder.addProcessor(this.state.node, builder.newName('KSTREAM-KEY-SELECT-'), selectRecordKey(selector as never));
    return new KGroupedStream<KR, V>({ ...this.state, node, keySerde: undefined }, true, options);
  }

  /**
   * Runs a custom processor on every record, with access to stores, `forward` and
   * punctuators. The stores it names (`Stores.keyValueStore(...)` specs, or names of
   * stores added elsewhere) are connected to it. Marks the stream for repartitioning.
   */
  process<KR, VR>(supplier: ProcessorSupplier<K, V, KR, VR>, options: NamedOptions & { stores?: (StoreSpec | string)[] } = {}): KStream<KR, VR> {
    checkFunction(supplier, 'process', 'supplier');
    const { builder } = this.state;
    const storeNames = (options.stores ?? []).map((store) => {
      if (typeof store === 'string') return store;
      builder.addStore(store);
      return store.name;
    });
    const node = builder.addProcessor(this.state.node, options.name ?? builder.newName('KSTREAM-PROCESSOR-'), processRecords(supplier as never), storeNames);
    return new KStream<KR, VR>({ builder, node, keySerde: undefined, valueSerde: undefined }, true);
  }

  /** @internal the node the next grouping or join reads: this one, or a repartition topic's source. */
  repartitionNode(name: string, keySerde: Serde<unknown> | undefined, valueSerde: Serde<unknown> | undefined): GraphNode {
    return this.keyChanged ? addRepartitionFor(this.state, name, keySerde, valueSerde) : this.state.node;
  }

  /** Adds a one-parent processor; `keeps` says which serdes still describe its output. */
  private derive<KR, VR>(prefix: string, operator: OperatorFactory, options: NamedOptions, keeps: Keeps): KStream<KR, VR> {
    const { builder } = this.state;
    const node = builder.addProcessor(this.state.node, options.name ?? builder.newName(prefix), operator);
    const keySerde = keeps === 'key' || keeps === 'both' ? this.state.keySerde : undefined;
    const valueSerde = keeps === 'value' || keeps === 'both' ? this.state.valueSerde : undefined;
    const keyChanged = this.keyChanged || keeps === 'value' || keeps === 'none';
    return new KStream<KR, VR>({ builder, node, keySerde, valueSerde }, keyChanged);
  }
}

/** Which serdes an operation's output keeps: a key change drops the key serde, a new value type the value serde. */
type Keeps = 'both' | 'key' | 'value' | 'none';

function addRepartitionFor(state: HandleState, name: string, keySerde: Serde<unknown> | undefined, valueSerde: Serde<unknown> | undefined) {
  return addRepartition(state.builder, state.node, name, keySerde, valueSerde);
}
