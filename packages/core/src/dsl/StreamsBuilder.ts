import { TopologyError } from '../errors';
import type { Serde } from '../serdes/Serde';
import type { Topology } from '../graph/Topology';
import { TopologyBuilder } from '../graph/TopologyBuilder';
import type { ProcessorSupplier } from '../operators/process';
import { materializeTable } from '../operators/tableSource';
import { updateGlobalStore } from '../operators/updateGlobalStore';
import type { StoreSpec } from '../state/StateStore';
import { keyValueStoreSpec } from '../state/Stores';
import { GlobalKTable } from './GlobalKTable';
import { KStream } from './KStream';
import { KTable } from './KTable';
import { sourceOldValues } from './OldValues';
import { checkFunction } from './validate';
import type { ConsumedOptions, MaterializedOptions, TableMaterializedOptions } from './options';
import { tableStore } from './versionedTables';

/**
 * Where a topology starts (Kafka Streams' `StreamsBuilder`): read topics as streams or
 * tables, chain operations on the handles, then `build()` the {@link Topology} a runtime
 * runs.
 *
 * ## Example
 * ```ts
 * import { StreamsBuilder, Serdes } from '@tributary/core';
 *
 * const builder = new StreamsBuilder();
 * builder
 *   .stream('customer_interactions', { valueSerde: Serdes.json<{ amount: number }>() })
 *   .filter((_customer, interaction) => interaction.amount > 100)
 *   .to('big_spenders');
 * const topology = builder.build();
 * ```
 */
export class StreamsBuilder {
  /** @internal */
  readonly graph = new TopologyBuilder();
  private built = false;

  /** Reads `topics` as a stream of records. */
  stream<K = string, V = unknown>(topics: string | readonly string[], options: ConsumedOptions<K, V> = {}): KStream<K, V> {
    this.checkOpen();
    const list = typeof topics === 'string' ? [topics] : [...topics];
    const node = this.graph.addSource({
      name: options.name,
      topics: list,
      keySerde: options.keySerde as Serde<unknown> | undefined,
      valueSerde: options.valueSerde as Serde<unknown> | undefined,
      timestampExtractor: options.timestampExtractor as never,
    });
    return new KStream<K, V>({ builder: this.graph, node, keySerde: node.keySerde, valueSerde: node.valueSerde }, false);
  }

  /**
   * Reads `topic` as a table: the latest value per key, `null` deleting it. The table is
   * kept in a store named `options.name` (or `<topic>-STATE-STORE-<n>`).
   *
   * With `{ store: Stores.versionedKeyValueStore(name, { historyRetention }) }` the table is
   * versioned (Kafka Streams' `Materialized.as(Stores.persistentVersionedKeyValueStore(...))`):
   * its store keeps every version for the history retention, a stream-table join reads it as
   * of each stream record's timestamp, and an update older than the key's latest version
   * updates the history only (it still reaches `toStream()`, but table-table joins,
   * `groupBy` and foreign-key joins ignore it). Updates older than the history retention
   * allows are dropped.
   */
  table<K = string, V = unknown>(topic: string, options: ConsumedOptions<K, V> & TableMaterializedOptions<K, V> = {}): KTable<K, V> {
    this.checkOpen();
    const keySerde = options.keySerde as Serde<unknown> | undefined;
    const valueSerde = options.valueSerde as Serde<unknown> | undefined;
    // Kafka Streams names the store before the source (InternalStreamsBuilder's shared index).
    const store = tableStore(options.store, () => options.name ?? this.graph.newName(`${topic}-STATE-STORE-`), { keySerde, valueSerde });
    const storeName = store.spec.name;
    if (options.name !== undefined && options.name !== storeName) {
      throw new TopologyError(`table('${topic}'): the versioned store names the table's store ('${storeName}'); leave out name '${options.name}'`);
    }
    const source = this.graph.addSource({ topics: [topic], keySerde, valueSerde, timestampExtractor: options.timestampExtractor as never });
    this.graph.addStore(store.spec);
    const node = this.graph.addProcessor(source, this.graph.newName('KTABLE-SOURCE-'), materializeTable(storeName), [storeName]);
    store.mark(node);
    // Kafka Streams materializes a source table only when it is named (or something needs its values later).
    const oldValues = sourceOldValues(options.name !== undefined || store.spec.kind === 'versioned');
    return new KTable<K, V>({ builder: this.graph, node, keySerde, valueSerde }, storeName, oldValues);
  }

  /**
   * Reads every partition of `topic` into a global table (Kafka Streams' `GlobalKTable`): a
   * store replicated to every task, filled by a global task, for stream joins on any key
   * with no co-partitioning. The latest value per key wins, `null` deletes. The store is
   * named `options.name` (or `<topic>-STATE-STORE-<n>`); the topic itself is its changelog.
   *
   * ## Example
   * ```ts
   * const products = builder.globalTable<string, Product>('products', { name: 'products' });
   * orders.join(products, (_id, order) => order.sku, (order, product) => ({ ...order, price: product.price }));
   * ```
   */
  globalTable<K = string, V = unknown>(topic: string, options: ConsumedOptions<K, V> & Pick<MaterializedOptions<K, V>, 'name'> = {}): GlobalKTable<K, V> {
    this.checkOpen();
    const keySerde = options.keySerde as Serde<unknown> | undefined;
    const valueSerde = options.valueSerde as Serde<unknown> | undefined;
    // Kafka Streams' order: the store name, then the source, then the processor.
    const storeName = options.name ?? this.graph.newName(`${topic}-STATE-STORE-`);
    const source = this.graph.addSource({ topics: [topic], keySerde, valueSerde, timestampExtractor: options.timestampExtractor as never });
    const store = keyValueStoreSpec(storeName, { keySerde, valueSerde, logging: false });
    this.graph.addStore(store);
    const processor = this.graph.addProcessor(source, this.graph.newName('KTABLE-SOURCE-'), materializeTable(storeName), [storeName]);
    this.graph.globalStores.push({ store, source, processor });
    return new GlobalKTable<K, V>(this.graph, storeName);
  }

  /**
   * Adds a global store filled by your own processor (Kafka Streams' `addGlobalStore`): the
   * `stateUpdater`'s processor receives every record of every partition of `topic`, in the
   * global task, and is the only writer of `store`; every other processor may read the store
   * by name (`context.getStateStore(name)`), read-only, with no co-partitioning. The store
   * is not logged: `topic` is its changelog, and on start the processor is run again over
   * the whole topic to rebuild it (as Kafka Streams 4.x does for `addGlobalStore`). Its
   * nodes are `KSTREAM-SOURCE-<n>` and `KTABLE-SOURCE-<n>` (with `{ name }`: `<name>-source`
   * and `<name>`). The processor cannot schedule punctuators.
   *
   * ## Example
   * ```ts
   * import { Stores, type KeyValueStore } from '@tributary/core';
   *
   * // Keeps each product's latest price, ignoring deletes.
   * builder.addGlobalStore(Stores.keyValueStore('prices'), 'products', { valueSerde: Serdes.json<Product>() }, () => {
   *   let prices: KeyValueStore<string, number>;
   *   return {
   *     init: (context) => (prices = context.getStateStore('prices')),
   *     process: (record) => record.value && prices.put(record.key, record.value.price, record.timestamp),
   *   };
   * });
   * ```
   */
  addGlobalStore<K = string, V = unknown>(
    store: StoreSpec,
    topic: string,
    options: ConsumedOptions<K, V>,
    stateUpdater: ProcessorSupplier<K, V, never, never>,
  ): this {
    this.checkOpen();
    if (!store || typeof store.name !== 'string' || typeof store.create !== 'function') {
      throw new TopologyError("addGlobalStore: store must be a store spec, e.g. Stores.keyValueStore('name')");
    }
    checkFunction(stateUpdater, 'addGlobalStore', 'stateUpdater');
    // Kafka Streams' order: the source name, then the processor name; the topic is the changelog.
    const sourceName = options.name === undefined ? this.graph.newName('KSTREAM-SOURCE-') : `${options.name}-source`;
    const processorName = options.name ?? this.graph.newName('KTABLE-SOURCE-');
    const source = this.graph.addSource({
      name: sourceName,
      topics: [topic],
      keySerde: options.keySerde as Serde<unknown> | undefined,
      valueSerde: options.valueSerde as Serde<unknown> | undefined,
      timestampExtractor: options.timestampExtractor as never,
    });
    const spec: StoreSpec = { ...store, logging: false };
    this.graph.addStore(spec);
    const processor = this.graph.addProcessor(source, processorName, updateGlobalStore(stateUpdater as never), [spec.name]);
    this.graph.globalStores.push({ store: spec, source, processor });
    return this;
  }

  /** Freezes the graph into a {@link Topology}. The builder cannot be used afterwards. */
  build(): Topology {
    this.checkOpen();
    this.built = true;
    return this.graph.build();
  }

  private checkOpen(): void {
    if (this.built) throw new TopologyError('this StreamsBuilder was already built; start a new one');
  }
}
