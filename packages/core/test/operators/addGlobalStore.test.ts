import { describe, expect, it } from 'vitest';
import {
  Serdes,
  Stores,
  StreamsBuilder,
  TaskFailedError,
  silentLogger,
  type KeyValueStore,
  type Processor,
  type ProcessorContext,
  type StreamRecord,
} from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';

interface Product {
  price: number;
}

/** The global store's writer: each product's price, ignoring deletes of unknown products. */
class PriceBook implements Processor<string, Product | null> {
  private prices!: KeyValueStore<string, number>;

  init(context: ProcessorContext<never, never>): void {
    this.prices = context.getStateStore('prices');
  }

  process(record: StreamRecord<string, Product | null>): void {
    if (record.value === null) this.prices.delete(record.key);
    else this.prices.put(record.key, record.value.price, record.timestamp);
  }
}

/** Orders priced from the global store: `qty x price`, or null for an unknown product. */
function pricingTopology(consumedName?: string) {
  const builder = new StreamsBuilder();
  builder.addGlobalStore(Stores.keyValueStore('prices'), 'products', { valueSerde: Serdes.json<Product>(), ...(consumedName ? { name: consumedName } : {}) }, () => new PriceBook());
  builder
    .stream<string, { sku: string; qty: number }>('orders')
    .process<string, number | null>(() => {
      let context: ProcessorContext<string, number | null>;
      let prices: KeyValueStore<string, number>;
      return {
        init: (c) => {
          context = c;
          prices = c.getStateStore('prices');
        },
        process: (order) => {
          const price = prices.get(order.value.sku);
          context.forward({ key: order.key, value: price === undefined ? null : price * order.value.qty });
        },
      };
    })
    .to('priced');
  return builder.build();
}

describe('StreamsBuilder.addGlobalStore', () => {
  it('runs the processor on every record of every partition of the topic; stream processors read the store', () => {
    using driver = new TopologyTestDriver(pricingTopology(), { partitions: { products: 3, orders: 2 } });
    const products = driver.createInputTopic<string, Product | null>('products');
    const orders = driver.createInputTopic<string, { sku: string; qty: number }>('orders');
    products.pipeInput('p1', { price: 10 }, 1);
    products.pipeInput('p2', { price: 4 }, 2);
    orders.pipeInput('o1', { sku: 'p1', qty: 2 }, 3);
    orders.pipeInput('o2', { sku: 'p2', qty: 1 }, 4);
    products.pipeInput('p1', null, 5);
    orders.pipeInput('o3', { sku: 'p1', qty: 1 }, 6);
    expect(driver.createOutputTopic<string, number | null>('priced').readKeyValuesToList()).toEqual([
      ['o1', 20],
      ['o2', 4],
      ['o3', null],
    ]);
    // One store for the whole topic, shared by every task.
    expect(driver.storesNamed('prices')).toHaveLength(1);
    expect(driver.getKeyValueStore('prices').all()).toEqual([['p2', 4]]);
  });

  it('keeps the store out of changelogs: the topic is its changelog', () => {
    const topology = pricingTopology();
    expect(topology.globalStores[0]!.store.logging).toBe(false);
    expect(topology.internalTopics()).toEqual([]);
    expect(topology.sourceTopics()).toEqual(['orders', 'products']);
  });

  it('describes the global store as a sub-topology of its own, named as Kafka Streams names it', () => {
    expect(pricingTopology().describe().toString()).toBe(
      [
        'Topologies:',
        '   Sub-topology: 0 for global store (will not generate tasks)',
        '    Source: KSTREAM-SOURCE-0000000000 (topics: [products])',
        '      --> KTABLE-SOURCE-0000000001',
        '    Processor: KTABLE-SOURCE-0000000001 (stores: [prices])',
        '      --> none',
        '      <-- KSTREAM-SOURCE-0000000000',
        '  Sub-topology: 1',
        '    Source: KSTREAM-SOURCE-0000000002 (topics: [orders])',
        '      --> KSTREAM-PROCESSOR-0000000003',
        '    Processor: KSTREAM-PROCESSOR-0000000003 (stores: [])',
        '      --> KSTREAM-SINK-0000000004',
        '      <-- KSTREAM-SOURCE-0000000002',
        '    Sink: KSTREAM-SINK-0000000004 (topic: priced)',
        '      <-- KSTREAM-PROCESSOR-0000000003',
        '',
        '',
      ].join('\n'),
    );
    const named = pricingTopology('price-book').describe().toString();
    expect(named).toContain('Source: price-book-source (topics: [products])');
    expect(named).toContain('Processor: price-book (stores: [prices])');
  });

  it('gives other processors the store read-only', () => {
    const builder = new StreamsBuilder();
    builder.addGlobalStore(Stores.keyValueStore('prices'), 'products', {}, () => new PriceBook());
    builder.stream<string, string>('orders').process(() => {
      let prices: KeyValueStore<string, number>;
      return {
        init: (c) => (prices = c.getStateStore('prices')),
        process: (order) => prices.put(order.key, 0),
      };
    });
    using driver = new TopologyTestDriver(builder.build(), { logger: silentLogger });
    expect(() => driver.createInputTopic<string, string>('orders').pipeInput('o1', 'p1', 1)).toThrow(/global store 'prices' is read-only/);
  });

  it('refuses punctuators in the global processor, as Kafka Streams does', () => {
    const builder = new StreamsBuilder();
    builder.addGlobalStore(Stores.keyValueStore('prices'), 'products', {}, () => ({
      init: (c) => void c.schedule(1_000, 'wall-clock-time', () => {}),
      process: () => {},
    }));
    using driver = new TopologyTestDriver(builder.build(), { logger: silentLogger });
    expect(() => driver.createInputTopic('products').pipeInput('p1', 1, 1)).toThrow(TaskFailedError);
  });

  it('validates its arguments', () => {
    const builder = new StreamsBuilder();
    expect(() => builder.addGlobalStore({} as never, 'products', {}, () => new PriceBook())).toThrow(/store spec/);
    expect(() => builder.addGlobalStore(Stores.keyValueStore('prices'), 'products', {}, null as never)).toThrow(/stateUpdater must be a function/);
    builder.stream('products');
    expect(() => builder.addGlobalStore(Stores.keyValueStore('p2'), 'products', {}, () => new PriceBook())).toThrow(/already read/);
  });
});
