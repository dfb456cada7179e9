import type { KeyValue } from '../KeyValue';
import type { OperatorFactory } from '../graph/GraphNode';
import type { Serde } from '../serdes/Serde';
import { selectTableGroup } from '../operators/groupTable';
import { filterTable, mapTableValues, tableToStream } from '../operators/tableOperators';
import { filterValueGetter, mapValuesValueGetter, storeValueGetter, type TableValueGetterSupplier } from '../operators/tableValueGetter';
import { keyValueStoreSpec } from '../state/Stores';
import type { HandleState } from './HandleState';
import { aggregationOldValues, derivedOldValues, type OldValues } from './OldValues';
import { KGroupedTable } from './KGroupedTable';
import { KStream } from './KStream';
import type { GroupedOptions, MaterializedOptions, NamedOptions } from './options';
import { joinTables, joinTablesOnForeignKey } from './tableJoins';
import { materializeForLookup } from './tableLookup';
import { checkFunction } from './validate';
import { suppressTable } from './suppressTable';
import { deriveTableVersioning } from './versionedTables';
import type { Suppressed } from '../windows/Suppressed';

/**
 * A changelog stream read as a table: the latest value per key, `null` deleting it
 * (Kafka Streams' `KTable`). Downstream operators see each update as a change with the
 * new and the old value.
 */
export class KTable<K, V> {
  /** @internal */
  constructor(
    /** @internal */ readonly state: HandleState,
    /** @internal the store holding this table's current values, when it is materialized */
    readonly storeName: string | undefined,
    /** @internal whether this table forwards old values, and how a downstream need for them reaches up (an aggregation's by default) */
    readonly oldValues: OldValues = aggregationOldValues(),
    /** @internal how joins look this table up when it has no store: through its parent and the operation deriving it */
    readonly lookup?: () => TableValueGetterSupplier,
  ) {}

  /**
   * Joins each row with the row of `other` under the same key (Kafka Streams' table-table
   * join): the result has a row while both sides do, `joiner(value, otherValue, key)`, and
   * loses it (a `null` downstream) when either side's row is deleted. Updates on either side
   * update the result; its timestamp is the larger of the two rows'. Both tables must be
   * co-partitioned. `{ name }` materializes the result in a store of that name.
   *
   * With a `foreignKeyExtractor`, joins each row with the row of `other` whose key is
   * `foreignKeyExtractor(value, key)` (Kafka Streams' foreign-key join): `other` may be
   * keyed and partitioned differently; a row whose foreign key changes has its result
   * replaced (or deleted when the new key has no match).
   *
   * ## Example
   * ```ts
   * const withAddress = customers.join(addresses, (customer, address) => ({ ...customer, address }));
   * const withSegment = customers.join(segments, (customer) => customer.segmentId, (customer, segment) => ({ ...customer, segment }));
   * ```
   */
  join<VO, VR>(other: KTable<K, VO>, joiner: (value: V, otherValue: VO, key: K) => VR, options?: MaterializedOptions<K, VR>): KTable<K, VR>;
  join<KO, VO, VR>(
    other: KTable<KO, VO>,
    foreignKeyExtractor: (value: V, key: K) => KO | null | undefined,
    joiner: (value: V, otherValue: VO, key: K) => VR,
    options?: MaterializedOptions<K, VR>,
  ): KTable<K, VR>;
  // The overloads above carry the types; the implementation dispatches on the arguments.
  join(other: unknown, second: unknown, third?: unknown, fourth?: unknown): KTable<any, any> {
    return this.joinWith('inner', other, second, third, fourth);
  }

  /**
   * Like {@link join}, but every row of this table has a result: `joiner(value, null, key)`
   * while `other` has no matching row. A foreign-key left join also keeps rows whose
   * foreign key is `null`.
   */
  leftJoin<VO, VR>(other: KTable<K, VO>, joiner: (value: V, otherValue: VO | null, key: K) => VR, options?: MaterializedOptions<K, VR>): KTable<K, VR>;
  leftJoin<KO, VO, VR>(
    other: KTable<KO, VO>,
    foreignKeyExtractor: (value: V, key: K) => KO | null | undefined,
    joiner: (value: V, otherValue: VO | null, key: K) => VR,
    options?: MaterializedOptions<K, VR>,
  ): KTable<K, VR>;
  leftJoin(other: unknown, second: unknown, third?: unknown, fourth?: unknown): KTable<any, any> {
    return this.joinWith('left', other, second, third, fourth);
  }

  /** Like {@link join}, but a row on either side has a result, with `null` for the side that has none. */
  outerJoin<VO, VR>(other: KTable<K, VO>, joiner: (value: V | null, otherValue: VO | null, key: K) => VR, options: MaterializedOptions<K, VR> = {}): KTable<K, VR> {
    return joinTables(this as KTable<unknown, unknown>, other, joiner, 'outer', options as MaterializedOptions<unknown, unknown>) as KTable<K, VR>;
  }

  /** @internal how a join reads this table's current value for a key: its store, or its parent's lookup and the operation deriving it. */
  valueGetterSupplier(): TableValueGetterSupplier {
    // Kafka Streams materializes a source table that something looks up.
    this.oldValues.materialize();
    const spec = this.storeName === undefined ? undefined : this.state.builder.stores.get(this.storeName);
    if (spec?.kind === 'keyValue' || spec?.kind === 'versioned') return storeValueGetter(spec.name, true, spec.kind === 'versioned');
    if (this.lookup) return this.lookup();
    return storeValueGetter(materializeForLookup(this.state));
  }

  /** The name of the store behind this table, for `getKeyValueStore` and interactive queries. */
  queryableStoreName(): string | undefined {
    return this.storeName;
  }

  /**
   * Keeps the rows for which `predicate(key, value)` is true; a row that stops matching is
   * deleted downstream. Stateless, unless `{ name }` materializes the result in a store.
   *
   * As in Kafka Streams, a filter asks its parent for old values: after an aggregation, a
   * table-table join or a named (materialized) table, a row that neither matched before nor
   * matches now is dropped silently; after an unnamed source table, whose previous value is
   * not at hand, such a row is forwarded as a tombstone.
   */
  filter(predicate: (key: K, value: V) => boolean, options: MaterializedOptions<K, V> = {}): KTable<K, V> {
    checkFunction(predicate, 'KTable.filter', 'predicate');
    return this.filterRows(predicate, false, options);
  }

  /** Keeps the rows for which `predicate(key, value)` is false, as {@link filter} does. Stateless, unless `{ name }` materializes the result. */
  filterNot(predicate: (key: K, value: V) => boolean, options: MaterializedOptions<K, V> = {}): KTable<K, V> {
    checkFunction(predicate, 'KTable.filterNot', 'predicate');
    return this.filterRows(predicate, true, options);
  }

  /** Maps each row's value with `mapper(value, key)`. Stateless, unless `{ name }` materializes the result. */
  mapValues<VR>(mapper: (value: V, key: K) => VR, options: MaterializedOptions<K, VR> = {}): KTable<K, VR> {
    checkFunction(mapper, 'KTable.mapValues', 'mapper');
    return this.deriveTable('KTABLE-MAPVALUES-', options, (store, oldValues) => mapTableValues(mapper as never, store, () => oldValues.enabled), undefined, (parent) =>
      mapValuesValueGetter(parent, mapper as never),
    );
  }

  /**
   * Holds updates back and forwards only the latest per key later (Kafka Streams'
   * `suppress`). `Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded())` on a
   * windowed table forwards exactly one final result per window, when stream time passes
   * the window's end plus grace; `Suppressed.untilTimeLimit(duration, bufferConfig)` forwards
   * a key's latest update once stream time is `duration` past its first buffered update.
   * Stateful: a buffer store, logged to a changelog unless the buffer config disables it.
   */
  suppress(suppressed: Suppressed<K>): KTable<K, V> {
    return suppressTable(this, suppressed);
  }

  /** The table's changelog as a stream: one record per update, `null` value for a delete. Stateless. */
  toStream(options: NamedOptions = {}): KStream<K, V> {
    const { builder } = this.state;
    const node = builder.addProcessor(this.state.node, options.name ?? builder.newName('KTABLE-TOSTREAM-'), tableToStream());
    return new KStream<K, V>({ ...this.state, node }, false);
  }

  /**
   * Regroups the rows by the `[key, value]` that `selector(key, value)` returns, for an
   * aggregation with an adder and a subtractor. Always goes through a repartition topic.
   */
  groupBy<KR, VR>(selector: (key: K, value: V) => KeyValue<KR, VR>, options: GroupedOptions<KR, VR> = {}): KGroupedTable<KR, VR> {
    checkFunction(selector, 'KTable.groupBy', 'selector');
    const { builder } = this.state;
    this.oldValues.enable(true);
    const node = builder.addProcessor(this.state.node, options.name ?? builder.newName('KTABLE-SELECT-'), selectTableGroup(selector as never));
    return new KGroupedTable<KR, VR>(
      { builder, node, keySerde: options.keySerde as Serde<unknown> | undefined, valueSerde: options.valueSerde as Serde<unknown> | undefined },
      options.name,
    );
  }

  /** A function in third place means a foreign-key join: `(other, foreignKeyExtractor, joiner, options)`. */
  private joinWith(kind: 'inner' | 'left', other: unknown, second: unknown, third: unknown, fourth: unknown): KTable<unknown, unknown> {
    const self = this as KTable<unknown, unknown>;
    if (typeof third === 'function') return joinTablesOnForeignKey(self, other, second, third, kind === 'left', (fourth ?? {}) as MaterializedOptions<unknown, unknown>);
    return joinTables(self, other, second, kind, (third ?? {}) as MaterializedOptions<unknown, unknown>);
  }

  /** `filter`/`filterNot`: asks the parent for old values at once (without forcing), as Kafka Streams' `KTableFilter` does. */
  private filterRows(predicate: (key: K, value: V) => boolean, negate: boolean, options: MaterializedOptions<K, V>): KTable<K, V> {
    const parentSendsOldValues = this.oldValues.enable(false);
    return this.deriveTable(
      'KTABLE-FILTER-',
      options,
      (store, oldValues) => filterTable(predicate as never, negate, store, () => oldValues.enabled),
      this.state.valueSerde,
      (parent) => filterValueGetter(parent, predicate as never, negate),
      parentSendsOldValues,
    );
  }

  private deriveTable<VR>(
    prefix: string,
    options: MaterializedOptions<K, VR>,
    operator: (storeName: string | undefined, oldValues: OldValues) => OperatorFactory,
    inheritedValueSerde: Serde<unknown> | undefined,
    lookup?: (parent: TableValueGetterSupplier) => TableValueGetterSupplier,
    sendsOldValues = false,
  ): KTable<K, VR> {
    const { builder } = this.state;
    const keySerde = (options.keySerde ?? this.state.keySerde) as Serde<unknown> | undefined;
    const valueSerde = (options.valueSerde ?? inheritedValueSerde) as Serde<unknown> | undefined;
    // Only a named table gets a store, as in Kafka Streams.
    const storeName = options.name;
    if (storeName) builder.addStore(keyValueStoreSpec(storeName, { keySerde, valueSerde, logging: options.store?.logging ?? true, type: options.store?.type }));
    const oldValues = derivedOldValues(this.oldValues, storeName !== undefined, sendsOldValues);
    const node = builder.addProcessor(this.state.node, options.name ?? builder.newName(prefix), operator(storeName, oldValues), storeName ? [storeName] : []);
    deriveTableVersioning(this.state.node, node, storeName !== undefined);
    return new KTable<K, VR>({ builder, node, keySerde, valueSerde }, storeName, oldValues, lookup && (() => lookup(this.valueGetterSupplier())));
  }
}
