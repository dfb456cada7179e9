import { TopologyError } from '../errors';
import type { Serde } from '../serdes/Serde';
import type { Topology } from '../graph/Topology';
import { TopologyBuilder } from '../graph/TopologyBuilder';
import { materializeTable } from '../operators/tableSource';
import { keyValueStoreSpec } from '../state/Stores';
import { GlobalKTable } from './GlobalKTable';
import { KStream } from './KStream';
import { KTable } from './KTable';
import type { ConsumedOptions, MaterializedOptions } from './options';

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
   */
  table<K = string, V = unknown>(topic: string, options: ConsumedOptions<K, V> & MaterializedOptions<K, V> = {}): KTable<K, V> {
    this.checkOpen();
    const keySerde = options.keySerde as Serde<unknown> | undefined;
    const valueSerde = options.valueSerde as Serde<unknown> | undefined;
    // Kafka Streams names the store before the source (InternalStreamsBuilder's shared index).
    const storeName = options.name ?? this.graph.newName(`${topic}-STATE-STORE-`);
    const source = this.graph.addSource({ topics: [topic], keySerde, valueSerde, timestampExtractor: options.timestampExtractor as never });
    this.graph.addStore(keyValueStoreSpec(storeName, { keySerde, valueSerde, logging: options.store?.logging ?? true }));
    const node = this.graph.addProcessor(source, this.graph.newName('KTABLE-SOURCE-'), materializeTable(storeName), [storeName]);
    return new KTable<K, V>({ builder: this.graph, node, keySerde, valueSerde }, storeName);
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
