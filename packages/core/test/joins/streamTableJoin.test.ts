import { describe, expect, it } from 'vitest';
import { Serdes, StreamsBuilder, type KStream, type KTable } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';

interface Click {
  page: string;
}
interface Customer {
  segment: string;
  active?: boolean;
}

function setup<VR>(build: (clicks: KStream<string, Click>, customers: KTable<string, Customer>) => KStream<string, VR>) {
  const builder = new StreamsBuilder();
  const clicks = builder.stream<string, Click>('clicks');
  const customers = builder.table<string, Customer>('customers', { name: 'customers' });
  build(clicks, customers).to('out');
  const topology = builder.build();
  const driver = new TopologyTestDriver(topology, { initialWallClockTime: 0 });
  const click = driver.createInputTopic<string, Click>('clicks');
  const customer = driver.createInputTopic<string, Customer>('customers');
  const output = driver.createOutputTopic<string, unknown>('out');
  const read = () => output.readRecordsToList().map((record) => [record.key, record.value, record.timestamp]);
  return { topology, driver, click, customer, read };
}

describe('KStream.join(KTable)', () => {
  const join = (clicks: KStream<string, Click>, customers: KTable<string, Customer>) =>
    clicks.join(customers, (c, customer, key) => `${key}:${c.page}@${customer.segment}`);

  it('looks up the current table value; the stream record is the trigger and gives the timestamp', () => {
    const { click, customer, read } = setup(join);
    click.pipeInput('alice', { page: 'home' }, 10);
    expect(read()).toEqual([]);
    customer.pipeInput('alice', { segment: 'gold' }, 500);
    // A table update alone emits nothing.
    expect(read()).toEqual([]);
    click.pipeInput('alice', { page: 'cart' }, 20);
    expect(read()).toEqual([['alice', 'alice:cart@gold', 20]]);
    customer.pipeInput('alice', { segment: 'platinum' }, 30);
    click.pipeInput('alice', { page: 'pay' }, 40);
    expect(read()).toEqual([['alice', 'alice:pay@platinum', 40]]);
  });

  it('a table tombstone deletes the row: later stream records find nothing', () => {
    const { click, customer, read } = setup(join);
    customer.pipeInput('bob', { segment: 'silver' }, 1);
    click.pipeInput('bob', { page: 'a' }, 2);
    customer.pipeInput('bob', null, 3);
    click.pipeInput('bob', { page: 'b' }, 4);
    expect(read()).toEqual([['bob', 'bob:a@silver', 2]]);
  });

  it('drops stream records with a null key or a null value', () => {
    const { driver, click, customer, read } = setup(join);
    customer.pipeInput('carol', { segment: 'gold' }, 1);
    click.pipeInput(null, { page: 'x' }, 2);
    click.pipeInput('carol', null, 3);
    expect(read()).toEqual([]);
    expect(driver.metrics().droppedByReason).toMatchObject({ 'null-key': 1, 'null-value': 1 });
  });

  it('names the node KSTREAM-JOIN- and connects the table store to it', () => {
    const { topology } = setup(join);
    expect(topology.describe().toString()).toContain('Processor: KSTREAM-JOIN-0000000003 (stores: [customers])');
    expect(topology.subTopologies).toHaveLength(1);
    expect(topology.subTopologies[0]!.copartitionGroups.map((group) => group.flatMap((s) => s.topics))).toEqual([['clicks', 'customers']]);
  });

  it('reads an unmaterialized derived table through its value getter (filter, mapValues)', () => {
    const { click, customer, read } = setup((clicks, customers) =>
      clicks.join(
        customers.filter((_id, c) => c.active === true).mapValues((c) => c.segment.toUpperCase()),
        (c, segment) => `${c.page}@${segment}`,
      ),
    );
    customer.pipeInput('dan', { segment: 'gold', active: true }, 1);
    customer.pipeInput('eve', { segment: 'silver', active: false }, 1);
    click.pipeInput('dan', { page: 'a' }, 2);
    click.pipeInput('eve', { page: 'b' }, 3);
    customer.pipeInput('dan', { segment: 'gold', active: false }, 4);
    click.pipeInput('dan', { page: 'c' }, 5);
    expect(read()).toEqual([['dan', 'a@GOLD', 2]]);
  });
});

describe('KStream.leftJoin(KTable)', () => {
  const leftJoin = (clicks: KStream<string, Click>, customers: KTable<string, Customer>) =>
    clicks.leftJoin(customers, (c, customer) => `${c.page}@${customer?.segment ?? 'none'}`);

  it('emits every stream record, with null when the table has no row', () => {
    const { click, customer, read } = setup(leftJoin);
    click.pipeInput('alice', { page: 'home' }, 10);
    customer.pipeInput('alice', { segment: 'gold' }, 11);
    click.pipeInput('alice', { page: 'cart' }, 12);
    customer.pipeInput('alice', null, 13);
    click.pipeInput('alice', { page: 'pay' }, 14);
    expect(read()).toEqual([
      ['alice', 'home@none', 10],
      ['alice', 'cart@gold', 12],
      ['alice', 'pay@none', 14],
    ]);
  });

  it('keeps a null-key stream record (unmatched) but drops a null value', () => {
    const { click, read } = setup(leftJoin);
    click.pipeInput(null, { page: 'anon' }, 1);
    click.pipeInput('x', null, 2);
    expect(read()).toEqual([[null, 'anon@none', 1]]);
  });

  it('is named KSTREAM-LEFTJOIN-', () => {
    const { topology } = setup(leftJoin);
    expect(topology.describe().toString()).toContain('Processor: KSTREAM-LEFTJOIN-0000000003 (stores: [customers])');
  });
});

describe('KStream.join/leftJoin(GlobalKTable)', () => {
  interface Order {
    sku: string;
    qty: number;
  }
  function setupGlobal(left: boolean, partitions: Record<string, number> = {}) {
    const builder = new StreamsBuilder();
    const orders = builder.stream<string, Order>('orders');
    const products = builder.globalTable<string, { price: number }>('products', { name: 'products' });
    const joiner = (order: Order, product: { price: number } | null) => (product ? order.qty * product.price : -1);
    const selector = (_id: string, order: Order) => order.sku;
    (left ? orders.leftJoin(products, selector, joiner) : orders.join(products, selector, joiner)).to('totals', { valueSerde: Serdes.json<number>() });
    const topology = builder.build();
    const driver = new TopologyTestDriver(topology, { initialWallClockTime: 0, partitions });
    const order = driver.createInputTopic<string, Order>('orders');
    const product = driver.createInputTopic<string, { price: number }>('products');
    const output = driver.createOutputTopic<string, number>('totals');
    const read = () => output.readRecordsToList().map((record) => [record.key, record.value, record.timestamp]);
    return { topology, driver, order, product, read };
  }

  it('joins on the key the selector picks, whatever partition the product is in', () => {
    const { driver, order, product, read } = setupGlobal(false, { orders: 2, products: 3 });
    for (const [sku, price] of [['apple', 2], ['pear', 3], ['plum', 5], ['fig', 7]] as const) product.pipeInput(sku, { price }, 1);
    order.pipeInput('o1', { sku: 'apple', qty: 10 }, 100);
    order.pipeInput('o2', { sku: 'fig', qty: 1 }, 101);
    order.pipeInput('o3', { sku: 'kiwi', qty: 1 }, 102);
    order.pipeInput('o4', { sku: 'plum', qty: 2 }, 103);
    expect(read().sort()).toEqual([
      ['o1', 20, 100],
      ['o2', 7, 101],
      ['o4', 10, 103],
    ]);
    // One global store, complete, shared by the two order tasks.
    expect(driver.getKeyValueStore('products').approximateNumEntries()).toBe(4);
    product.pipeInput('apple', null, 200);
    order.pipeInput('o5', { sku: 'apple', qty: 1 }, 201);
    expect(read()).toEqual([]);
  });

  it('leftJoin emits with null when the selected key is absent or null (Kafka Streams 4.x)', () => {
    const { driver, order, product, read } = setupGlobal(true);
    product.pipeInput('apple', { price: 2 }, 1);
    order.pipeInput('o1', { sku: 'kiwi', qty: 1 }, 10);
    order.pipeInput('o2', { sku: 'apple', qty: 3 }, 11);
    order.pipeInput('o3', { sku: null as unknown as string, qty: 1 }, 12);
    expect(read()).toEqual([
      ['o1', -1, 10],
      ['o2', 6, 11],
      ['o3', -1, 12],
    ]);
    expect(driver.metrics().droppedByReason['null-key']).toBeUndefined();
  });

  it('join drops a record whose selected key is null, and looks up a null-key record by its selected key', () => {
    const { driver, order, product, read } = setupGlobal(false);
    product.pipeInput('apple', { price: 2 }, 1);
    order.pipeInput('o1', { sku: null as unknown as string, qty: 1 }, 10);
    order.pipeInput(null as unknown as string, { sku: 'apple', qty: 4 }, 11);
    expect(read()).toEqual([[null, 8, 11]]);
    expect(driver.metrics().droppedByReason['null-key']).toBe(1);
  });

  it('describes the global store as its own sub-topology, with no co-partitioning and no repartition', () => {
    const { topology } = setupGlobal(false, { orders: 2, products: 3 });
    const text = topology.describe().toString();
    expect(text).toContain('Processor: KSTREAM-LEFTJOIN-0000000003 (stores: [])');
    expect(text).toContain('Sub-topology: 1 for global store (will not generate tasks)');
    expect(text).toContain('Source: KSTREAM-SOURCE-0000000001 (topics: [products])');
    expect(text).toContain('Processor: KTABLE-SOURCE-0000000002 (stores: [products])');
    expect(topology.internalTopics()).toEqual([]);
  });
});
