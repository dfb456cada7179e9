import type { KeyValue } from '../KeyValue';
import type { Serde } from '../serdes/Serde';
import { selectTableGroup } from '../operators/groupTable';
import { filterTable, mapTableValues, tableToStream } from '../operators/tableOperators';
import { keyValueStoreSpec } from '../state/Stores';
import type { HandleState, OldValues } from './HandleState';
import { KGroupedTable } from './KGroupedTable';
import { KStream } from './KStream';
import type { GroupedOptions, MaterializedOptions, NamedOptions } from './options';
import { checkFunction } from './validate';

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
    /** @internal shared with the tables this one derives from: a downstream need for old values reaches up */
    readonly oldValues: OldValues = { enabled: false },
  ) {}

  /** The name of the store behind this table, for `getKeyValueStore` and interactive queries. */
  queryableStoreName(): string | undefined {
    return this.storeName;
  }

  /** Keeps the rows for which `predicate(key, value)` is true; a row that stops matching is deleted downstream. */
  filter(predicate: (key: K, value: V) => boolean, options: MaterializedOptions<K, V> = {}): KTable<K, V> {
    checkFunction(predicate, 'KTable.filter', 'predicate');
    return this.deriveTable('KTABLE-FILTER-', options, (store) => filterTable(predicate as never, false, store, () => this.oldValues.enabled), this.state.valueSerde);
  }

  /** Keeps the rows for which `predicate(key, value)` is false. */
  filterNot(predicate: (key: K, value: V) => boolean, options: MaterializedOptions<K, V> = {}): KTable<K, V> {
    checkFunction(predicate, 'KTable.filterNot', 'predicate');
    return this.deriveTable('KTABLE-FILTER-', options, (store) => filterTable(predicate as never, true, store, () => this.oldValues.enabled), this.state.valueSerde);
  }

  /** Maps each row's value with `mapper(value, key)`. */
  mapValues<VR>(mapper: (value: V, key: K) => VR, options: MaterializedOptions<K, VR> = {}): KTable<K, VR> {
    checkFunction(mapper, 'KTable.mapValues', 'mapper');
    return this.deriveTable('KTABLE-MAPVALUES-', options, (store) => mapTableValues(mapper as never, store), undefined);
  }

  /** The table's changelog as a stream: one record per update, `null` value for a delete. */
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
    this.oldValues.enabled = true;
    const node = builder.addProcessor(this.state.node, options.name ?? builder.newName('KTABLE-SELECT-'), selectTableGroup(selector as never));
    return new KGroupedTable<KR, VR>(
      { builder, node, keySerde: options.keySerde as Serde<unknown> | undefined, valueSerde: options.valueSerde as Serde<unknown> | undefined },
      options.name,
    );
  }

  private deriveTable<VR>(
    prefix: string,
    options: MaterializedOptions<K, VR>,
    operator: (storeName: string | undefined) => import('../graph/GraphNode').OperatorFactory,
    inheritedValueSerde: Serde<unknown> | undefined,
  ): KTable<K, VR> {
    const { builder } = this.state;
    const keySerde = (options.keySerde ?? this.state.keySerde) as Serde<unknown> | undefined;
    const valueSerde = (options.valueSerde ?? inheritedValueSerde) as Serde<unknown> | undefined;
    // Only a named table gets a store, as in Kafka Streams.
    const storeName = options.name;
    if (storeName) builder.addStore(keyValueStoreSpec(storeName, { keySerde, valueSerde, logging: options.store?.logging ?? true }));
    const node = builder.addProcessor(this.state.node, options.name ?? builder.newName(prefix), operator(storeName), storeName ? [storeName] : []);
    return new KTable<K, VR>({ builder, node, keySerde, valueSerde }, storeName, this.oldValues);
  }
}
