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
import { processRecordValues, type FixedKeyProcessorSupplier } from '../operators/processValues';
import { printRecords } from '../operators/print';
import { selectRecordKey } from '../operators/selectKey';
import { materializeTable } from '../operators/tableSource';
import type { Serde } from '../serdes/Serde';
import type { StoreSpec } from '../state/StateStore';
import { JoinWindows } from '../windows/JoinWindows';
import { BranchedKStream } from './BranchedKStream';
import type { HandleState } from './HandleState';
import { KGroupedStream } from './KGroupedStream';
import { KTable } from './KTable';
import { sourceOldValues } from './OldValues';
import { GlobalKTable } from './GlobalKTable';
import { Printed } from './Printed';
import type { GroupedOptions, JoinedOptions, NamedOptions, ProducedOptions, RepartitionedOptions, StreamJoinedOptions, TableMaterializedOptions } from './options';
import { addRepartition } from './repartitionInternals';
import { joinStreamGlobalTable, joinStreams, joinStreamTable, type StreamJoinKind } from './streamJoins';
import { checkFunction } from './validate';
import { tableStore } from './versionedTables';

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

  /** Replaces key and value with the `[key, value]` that `mapper(key, value)` returns. Record by record; marks the stream for repartitioning. */
  map<KR, VR>(mapper: (key: K, value: V) => KeyValue<KR, VR>, options: NamedOptions = {}): KStream<KR, VR> {
    checkFunction(mapper, 'map', 'mapper');
    return this.derive('KSTREAM-MAP-', mapRecords(mapper as never), options, 'none');
  }

  /** Replaces the value with `mapper(value, key)`. Record by record; the key is untouched, so no repartition follows. */
  mapValues<VR>(mapper: (value: V, key: K) => VR, options: NamedOptions = {}): KStream<K, VR> {
    checkFunction(mapper, 'mapValues', 'mapper');
    return this.derive('KSTREAM-MAPVALUES-', mapRecordValues(mapper as never), options, 'key');
  }

  /**
   * Replaces the value with what `mapper(value, key)` resolves to: for calls to an external
   * service. Record by record, asynchronously: runs at most `concurrency` calls at once and
   * keeps the order of records with the same key; a record's offset is committed only after
   * its result went downstream.
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

  /** Replaces each record with the `[key, value]` pairs `mapper(key, value)` returns. Record by record; marks the stream for repartitioning. */
  flatMap<KR, VR>(mapper: (key: K, value: V) => Iterable<KeyValue<KR, VR>>, options: NamedOptions = {}): KStream<KR, VR> {
    checkFunction(mapper, 'flatMap', 'mapper');
    return this.derive('KSTREAM-FLATMAP-', flatMapRecords(mapper as never), options, 'none');
  }

  /** Replaces each record with one record per value `mapper(value, key)` returns, same key. Record by record. */
  flatMapValues<VR>(mapper: (value: V, key: K) => Iterable<VR>, options: NamedOptions = {}): KStream<K, VR> {
    checkFunction(mapper, 'flatMapValues', 'mapper');
    return this.derive('KSTREAM-FLATMAPVALUES-', flatMapRecordValues(mapper as never), options, 'key');
  }

  /** Sets the key to `selector(key, value)`. Record by record; marks the stream for repartitioning. */
  selectKey<KR>(selector: (key: K, value: V) => KR, options: NamedOptions = {}): KStream<KR, V> {
    checkFunction(selector, 'selectKey', 'selector');
    return this.derive('KSTREAM-KEY-SELECT-', selectRecordKey(selector as never), options, 'value');
  }

  /** Calls `action(key, value)` for each record and passes it on unchanged. Record by record. */
  peek(action: (key: K, value: V) => void, options: NamedOptions = {}): KStream<K, V> {
    checkFunction(action, 'peek', 'action');
    return this.derive('KSTREAM-PEEK-', peekRecords(action as never, true), options, 'both');
  }

  /** Calls `action(key, value)` for each record; a terminal, record-by-record operation. */
  foreach(action: (key: K, value: V) => void, options: NamedOptions = {}): void {
    checkFunction(action, 'foreach', 'action');
    this.derive('KSTREAM-FOREACH-', peekRecords(action as never, false), options, 'both');
  }

  /** Interleaves this stream's records with `other`'s, in arrival order. Record by record. */
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

  /**
   * Reads the stream as a changelog: the latest value per key wins, `null` deletes. Stateful:
   * a key-value store named by `{ name }` (else `KSTREAM-TOTABLE-STATE-STORE-<n>`), or the
   * versioned store of `{ store: Stores.versionedKeyValueStore(storeName, { historyRetention }) }`
   * (then `{ name }` names only the processor), which makes a versioned table (see
   * `StreamsBuilder.table`). Records with a `null` key are dropped; a stream whose key may
   * have changed is repartitioned first.
   */
  toTable(options: TableMaterializedOptions<K, V> = {}): KTable<K, V> {
    const { builder } = this.state;
    // As Kafka Streams: the processor is named before the store, and the repartition topic after the processor.
    const name = options.name ?? builder.newName('KSTREAM-TOTABLE-');
    const keySerde = (options.keySerde ?? this.state.keySerde) as Serde<unknown> | undefined;
    const valueSerde = (options.valueSerde ?? this.state.valueSerde) as Serde<unknown> | undefined;
    const store = tableStore(options.store, () => options.name ?? builder.newStoreName('KSTREAM-TOTABLE-'), { keySerde, valueSerde });
    const storeName = store.spec.name;
    builder.addStore(store.spec);
    const node = builder.addProcessor(this.repartitionNode(name, keySerde, valueSerde), name, materializeTable(storeName), [storeName]);
    store.mark(node);
    return new KTable<K, V>({ builder, node, keySerde, valueSerde }, storeName, sourceOldValues(options.name !== undefined || store.spec.kind === 'versioned'));
  }

  /**
   * Joins this stream with another stream, a table or a global table, record by record.
   *
   * - With a `KStream` and {@link JoinWindows} (a windowed join, Kafka Streams'
   *   stream-stream join): emits `joiner(value, otherValue, key)` for every pair of records
   *   with the same key whose timestamps lie within the windows, timestamped with the
   *   larger of the two. Stateful: each side is buffered in a window store for the window
   *   size plus grace.
   * - With a `KTable`: each record looks up the table's current value for its key and
   *   emits `joiner(value, tableValue, key)` when there is one; table updates emit nothing.
   *   A versioned table is read as of the record's timestamp; with `{ gracePeriod }` (a
   *   versioned table only) records first wait in a buffer store (`<name>-Buffer`) until
   *   stream time has passed them by the grace period, so late table updates are seen.
   * - With a `GlobalKTable` and a `keySelector`: each record looks up
   *   `keySelector(key, value)` in the global table (the selector also sees `null` values);
   *   a `null` selected key drops the record.
   *
   * Records with a `null` key or value are dropped. If this stream's key may have changed
   * (`map`, `selectKey`, ...), it goes through a repartition topic first; stream and table
   * inputs must be co-partitioned (same partition count), which is checked at start.
   *
   * ## Example
   * ```ts
   * import { JoinWindows } from '@tributary/core';
   *
   * const paid = orders.join(payments, (order, payment) => ({ ...order, paidAt: payment.at }), JoinWindows.ofTimeDifferenceWithNoGrace('10m'));
   * const enriched = clicks.join(customers, (click, customer) => ({ ...click, segment: customer.segment }));
   * const priced = orders.join(products, (_id, order) => order.sku, (order, product) => ({ ...order, price: product.price }));
   * ```
   */
  join<VO, VR>(other: KStream<K, VO>, joiner: (value: V, otherValue: VO, key: K) => VR, windows: JoinWindows, options?: StreamJoinedOptions<K, V, VO>): KStream<K, VR>;
  join<VO, VR>(table: KTable<K, VO>, joiner: (value: V, tableValue: VO, key: K) => VR, options?: JoinedOptions<K, V>): KStream<K, VR>;
  join<KG, VG, VR>(
    globalTable: GlobalKTable<KG, VG>,
    keySelector: (key: K, value: V) => KG | null | undefined,
    joiner: (value: V, tableValue: VG, key: K) => VR,
    options?: NamedOptions,
  ): KStream<K, VR>;
  // The overloads above carry the types; the implementation dispatches on the kind of `other`.
  join(other: unknown, second: unknown, third?: unknown, fourth?: unknown): KStream<any, any> {
    return this.joinWith('inner', other, second, third, fourth);
  }

  /**
   * Like {@link join}, but each record of this stream has a result: `joiner(value, null, key)`
   * when nothing matched. In a windowed join that unmatched result is emitted only once the
   * record's window and grace have passed (so a late partner does not make it spurious). With
   * a table, a record with a `null` key, or with a global table a `null` selected key, is
   * emitted unmatched (Kafka Streams 4.x).
   */
  leftJoin<VO, VR>(other: KStream<K, VO>, joiner: (value: V, otherValue: VO | null, key: K) => VR, windows: JoinWindows, options?: StreamJoinedOptions<K, V, VO>): KStream<K, VR>;
  leftJoin<VO, VR>(table: KTable<K, VO>, joiner: (value: V, tableValue: VO | null, key: K) => VR, options?: JoinedOptions<K, V>): KStream<K, VR>;
  leftJoin<KG, VG, VR>(
    globalTable: GlobalKTable<KG, VG>,
    keySelector: (key: K, value: V) => KG | null | undefined,
    joiner: (value: V, tableValue: VG | null, key: K) => VR,
    options?: NamedOptions,
  ): KStream<K, VR>;
  leftJoin(other: unknown, second: unknown, third?: unknown, fourth?: unknown): KStream<any, any> {
    return this.joinWith('left', other, second, third, fourth);
  }

  /**
   * A windowed stream-stream join in which records of both sides have a result: with `null`
   * for the side that had no partner, emitted once the window and grace have passed.
   */
  outerJoin<VO, VR>(
    other: KStream<K, VO>,
    joiner: (value: V | null, otherValue: VO | null, key: K) => VR,
    windows: JoinWindows,
    options: StreamJoinedOptions<K, V, VO> = {},
  ): KStream<K, VR> {
    return this.joinWith('outer', other, joiner, windows, options) as KStream<K, VR>;
  }

  /**
   * Writes the stream to an internal topic `<applicationId>-<name>-repartition` and reads it
   * back (Kafka Streams' `repartition()`): records are placed by key (or by `partitioner`)
   * on `numberOfPartitions` partitions. Unnamed, the topic is
   * `KSTREAM-REPARTITION-0000000007-repartition`. Records with a `null` key are dropped.
   */
  repartition(options: RepartitionedOptions<K, V> = {}): KStream<K, V> {
    const { builder } = this.state;
    const partitions = options.numberOfPartitions;
    if (partitions !== undefined && (!Number.isInteger(partitions) || partitions < 1)) {
      throw new TopologyError(`repartition: numberOfPartitions must be a positive integer, got ${partitions}`);
    }
    if (options.partitioner !== undefined) checkFunction(options.partitioner, 'repartition', 'partitioner');
    const name = options.name ?? builder.newName('KSTREAM-REPARTITION-');
    const keySerde = (options.keySerde ?? this.state.keySerde) as Serde<unknown> | undefined;
    const valueSerde = (options.valueSerde ?? this.state.valueSerde) as Serde<unknown> | undefined;
    const node = addRepartition(builder, this.state.node, name, keySerde, valueSerde, {
      numberOfPartitions: partitions,
      partitioner: options.partitioner as StreamPartitioner | undefined,
    });
    return new KStream<K, V>({ builder, node, keySerde, valueSerde }, false);
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
    const storeNames = this.connectStores(options.stores);
    const node = builder.addProcessor(this.state.node, options.name ?? builder.newName('KSTREAM-PROCESSOR-'), processRecords(supplier as never), storeNames);
    return new KStream<KR, VR>({ builder, node, keySerde: undefined, valueSerde: undefined }, true);
  }

  /**
   * Runs a custom processor that may change values but not keys (Kafka Streams'
   * `processValues`): it receives each record as a {@link FixedKeyRecord} and forwards
   * `record.withValue(...)` (any number of times, now or from a punctuator), with stores
   * and punctuators as in {@link process}. The key cannot change, so unlike `process` it
   * does not mark the stream for repartitioning. Stateful with the stores it names
   * (`Stores.keyValueStore(...)` specs, or names of stores added elsewhere), else record by record.
   *
   * ## Example
   * ```ts
   * import { Stores, type FixedKeyProcessorContext, type FixedKeyRecord, type KeyValueStore } from '@tributary/core';
   *
   * // Numbers each customer's orders: the key stays the customer.
   * orders.processValues<{ order: Order; n: number }>(() => {
   *   let context: FixedKeyProcessorContext<string, { order: Order; n: number }>;
   *   let seen: KeyValueStore<string, number>;
   *   return {
   *     init: (c) => ((context = c), (seen = c.getStateStore('orders-seen'))),
   *     process: (record: FixedKeyRecord<string, Order>) => {
   *       const n = (seen.get(record.key) ?? 0) + 1;
   *       seen.put(record.key, n);
   *       context.forward(record.withValue({ order: record.value, n }));
   *     },
   *   };
   * }, { stores: [Stores.keyValueStore('orders-seen')] });
   * ```
   */
  processValues<VR>(supplier: FixedKeyProcessorSupplier<K, V, VR>, options: NamedOptions & { stores?: (StoreSpec | string)[] } = {}): KStream<K, VR> {
    checkFunction(supplier, 'processValues', 'supplier');
    const { builder } = this.state;
    const storeNames = this.connectStores(options.stores);
    const node = builder.addProcessor(this.state.node, options.name ?? builder.newName('KSTREAM-PROCESSVALUES-'), processRecordValues(supplier as never), storeNames);
    return new KStream<K, VR>({ builder, node, keySerde: this.state.keySerde, valueSerde: undefined }, this.keyChanged);
  }

  /**
   * Prints every record as the line `[label]: key, value` (Kafka Streams' `print`), to
   * standard output, a file, a writable stream or a function, as `printed` says; the label
   * defaults to the name of this stream's node. A terminal, record-by-record operation,
   * for debugging (node `KSTREAM-PRINTER-<n>`).
   *
   * ## Example
   * ```ts
   * import { Printed } from '@tributary/core';
   *
   * totals.print(Printed.toSysOut<string, number>().withLabel('totals')); // [totals]: alice, 30
   * ```
   */
  print(printed: Printed<K, V>): void {
    if (!(printed instanceof Printed)) throw new TopologyError('print() takes Printed.toSysOut(), Printed.toFile(path), Printed.toWritable(stream) or Printed.toFunction(sink)');
    const { builder } = this.state;
    const name = printed.name ?? builder.newName('KSTREAM-PRINTER-');
    builder.addProcessor(this.state.node, name, printRecords(printed.sink, printed.label ?? this.state.node.name, printed.mapper as never));
  }

  /** @internal the node the next grouping or join reads: this one, or a repartition topic's source. */
  repartitionNode(name: string, keySerde: Serde<unknown> | undefined, valueSerde: Serde<unknown> | undefined): GraphNode {
    return this.keyChanged ? addRepartition(this.state.builder, this.state.node, name, keySerde, valueSerde) : this.state.node;
  }

  private joinWith(kind: StreamJoinKind, other: unknown, second: unknown, third: unknown, fourth: unknown): KStream<unknown, unknown> {
    const self = this as KStream<unknown, unknown>;
    const operation = kind === 'inner' ? 'join' : `${kind}Join`;
    if (other instanceof GlobalKTable || other instanceof KTable) {
      if (kind === 'outer') throw new TopologyError('outerJoin: only two streams can be outer-joined; use leftJoin with a table');
      if (third instanceof JoinWindows) throw new TopologyError(`${operation}: JoinWindows apply to stream-stream joins only`);
      return other instanceof GlobalKTable
        ? joinStreamGlobalTable(self, other, second, third, kind === 'left', (fourth ?? {}) as NamedOptions)
        : joinStreamTable(self, other, second, kind === 'left', (third ?? {}) as JoinedOptions<unknown, unknown>);
    }
    return joinStreams(self, other, second, third, kind, (fourth ?? {}) as StreamJoinedOptions<unknown, unknown, unknown>);
  }

  /** Adds the store specs among `stores` to the topology; returns the names of all of them. */
  private connectStores(stores: readonly (StoreSpec | string)[] = []): string[] {
    return stores.map((store) => {
      if (typeof store === 'string') return store;
      this.state.builder.addStore(store);
      return store.name;
    });
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
