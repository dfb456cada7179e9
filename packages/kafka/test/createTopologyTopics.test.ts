import { StreamsBuilder, type Topology } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { createTopologyTopics } from '../src';
import { userTopics } from '../src/topics/createTopologyTopics';
import { FakeKafka } from './fakes/FakeKafka';

/** Orders joined with a customers table (co-partitioned), counted per customer (a repartition topic), a global table of regions. */
function ordersTopology(): Topology {
  const builder = new StreamsBuilder();
  const customers = builder.table<string, { name: string }>('customers');
  builder.globalTable<string, string>('regions');
  const orders = builder.stream<string, { customer: string; sku: string }>('orders');
  orders.join(customers, (order, customer) => ({ ...order, name: customer.name })).to('named-orders');
  orders
    .groupBy((_key, order) => order.sku)
    .count({ name: 'per-sku' })
    .toStream()
    .to('sku-counts');
  orders.to((key) => `orders-${key}`);
  return builder.build();
}

async function create(kafka: FakeKafka, topology = ordersTopology(), partitions?: number) {
  return createTopologyTopics(topology, { brokers: '127.0.0.1:9092', client: kafka, ...(partitions ? { partitions } : {}) });
}

const countsOf = (kafka: FakeKafka) => Object.fromEntries([...kafka.logs].map(([topic, log]) => [topic, log.length]));

describe('createTopologyTopics', () => {
  it('knows the user topics: sources (global tables too), named sinks; not internal topics or topics a function chooses', () => {
    const topics = userTopics(ordersTopology());
    expect([...topics.all].sort()).toEqual(['customers', 'named-orders', 'orders', 'regions', 'sku-counts']);
    expect(topics.copartitioned.map((group) => [...group].sort())).toEqual([['customers', 'orders']]);
  });

  it('creates every missing topic with the given partitions, 1 by default', async () => {
    const kafka = new FakeKafka();
    const result = await create(kafka);
    expect(result.existing).toEqual([]);
    expect(result.created).toEqual([
      { topic: 'customers', partitions: 1 },
      { topic: 'named-orders', partitions: 1 },
      { topic: 'orders', partitions: 1 },
      { topic: 'regions', partitions: 1 },
      { topic: 'sku-counts', partitions: 1 },
    ]);
    const again = await create(kafka, ordersTopology(), 6);
    expect(again.created).toEqual([]);
    expect(again.existing.map((t) => t.partitions)).toEqual([1, 1, 1, 1, 1]);

    const fresh = new FakeKafka();
    await create(fresh, ordersTopology(), 4);
    expect(countsOf(fresh)).toEqual({ customers: 4, 'named-orders': 4, orders: 4, regions: 4, 'sku-counts': 4 });
  });

  it('gives a missing topic the partitions of the existing topic it must be co-partitioned with', async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('orders', 3);
    kafka.createTopic('sku-counts', 8);
    const result = await create(kafka, ordersTopology(), 6);
    expect(result.existing).toEqual([
      { topic: 'orders', partitions: 3 },
      { topic: 'sku-counts', partitions: 8 },
    ]);
    expect(result.created).toEqual([
      { topic: 'customers', partitions: 3 },
      { topic: 'named-orders', partitions: 6 },
      { topic: 'regions', partitions: 6 },
    ]);
  });

  it('refuses existing co-partitioned topics whose counts differ, naming both, and creates nothing', async () => {
    const kafka = new FakeKafka();
    kafka.createTopic('orders', 3);
    kafka.createTopic('customers', 4);
    await expect(create(kafka)).rejects.toThrow("topics 'customers' (4 partitions) and 'orders' (3 partitions) must be co-partitioned for a join");
    expect([...kafka.logs.keys()].sort()).toEqual(['customers', 'orders']);
  });

  it('checks its options', async () => {
    const kafka = new FakeKafka();
    await expect(createTopologyTopics(ordersTopology(), { brokers: '127.0.0.1:9092', client: kafka, partitions: 0 })).rejects.toThrow('partitions must be a positive integer, got 0');
    await expect(createTopologyTopics(ordersTopology(), { brokers: 'nowhere', client: kafka })).rejects.toThrow("invalid broker address 'nowhere'");
    await expect(createTopologyTopics(ordersTopology(), { brokers: '127.0.0.1:9092', client: kafka, partitons: 2 } as never)).rejects.toThrow("did you mean 'partitions'?");
    await expect(createTopologyTopics(ordersTopology(), { brokers: '127.0.0.1:9092', client: kafka, ssl: true })).rejects.toThrow('a client given in `client` brings its own');
  });
});
