// createTopologyTopics on a real broker: a first run creates the sources and sinks a topology
// needs, co-partitioned where a join needs it, and start() then finds everything it checks.
import { StreamsBuilder, type Topology } from '@tributary/core';
import { createTopologyTopics, KafkaStreams } from '@tributary/kafka';
import { describe, expect, it } from 'vitest';
import { brokers, createTopic, uniqueName, withAdmin } from '../harness';
import { testOptions, waitForState } from './support';

/** Orders joined with a customers table, counted per SKU (a repartition topic and a changelog). */
function ordersTopology(names: { orders: string; customers: string; named: string; counts: string }): Topology {
  const builder = new StreamsBuilder();
  const customers = builder.table<string, { name: string }>(names.customers);
  const orders = builder.stream<string, { sku: string }>(names.orders);
  orders.join(customers, (order, customer) => ({ ...order, name: customer.name })).to(names.named);
  orders
    .groupBy((_key, order) => order.sku)
    .count({ name: 'per-sku' })
    .toStream()
    .to(names.counts);
  return builder.build();
}

function uniqueNames() {
  return { orders: uniqueName('orders'), customers: uniqueName('customers'), named: uniqueName('named-orders'), counts: uniqueName('sku-counts') };
}

/** Partition counts as the broker reports them; missing topics absent. */
async function partitionCounts(topics: readonly string[]): Promise<Record<string, number>> {
  return withAdmin(async (admin) => {
    const existing = new Set(await admin.listTopics());
    const present = topics.filter((t) => existing.has(t));
    if (present.length === 0) return {};
    const { topics: metadata } = await admin.fetchTopicMetadata({ topics: present });
    return Object.fromEntries(metadata.map((t) => [t.name, t.partitions.length]));
  });
}

describe('createTopologyTopics on Kafka', () => {
  it('creates the missing sources and sinks, a join’s other input with the existing one’s count, and start() accepts them', async () => {
    const names = uniqueNames();
    await createTopic(names.orders, 3);
    const topology = ordersTopology(names);
    const before = new Set(await withAdmin((admin) => admin.listTopics()));
    const result = await createTopologyTopics(topology, { brokers: brokers(), partitions: 2 });
    expect(result.existing).toEqual([{ topic: names.orders, partitions: 3 }]);
    expect([...result.created].sort((a, b) => a.topic.localeCompare(b.topic))).toEqual(
      [
        { topic: names.customers, partitions: 3 },
        { topic: names.named, partitions: 2 },
        { topic: names.counts, partitions: 2 },
      ].sort((a, b) => a.topic.localeCompare(b.topic)),
    );
    expect(await partitionCounts(Object.values(names))).toEqual({ [names.orders]: 3, [names.customers]: 3, [names.named]: 2, [names.counts]: 2 });

    // Those and no internal topic: start() creates those, sized from the sources.
    const added = (await withAdmin((admin) => admin.listTopics())).filter((t) => !before.has(t));
    expect(added.filter((t) => t.includes('per-sku'))).toEqual([]);
    const applicationId = uniqueName('topics-app');
    {
      await using app = new KafkaStreams(topology, testOptions({ applicationId }));
      await app.start();
      await waitForState(app, 'RUNNING');
    }
    const internal = (await withAdmin((admin) => admin.listTopics())).filter((t) => t.startsWith(`${applicationId}-`));
    expect(internal.length).toBeGreaterThan(0);

    // A second call finds everything there and changes nothing.
    const again = await createTopologyTopics(topology, { brokers: brokers(), partitions: 5 });
    expect(again.created).toEqual([]);
    expect(again.existing).toHaveLength(4);
  });

  it('refuses a join’s existing inputs with different counts, naming both, and creates nothing', async () => {
    const names = uniqueNames();
    await Promise.all([createTopic(names.orders, 3), createTopic(names.customers, 2)]);
    await expect(createTopologyTopics(ordersTopology(names), { brokers: brokers() })).rejects.toThrow(
      new RegExp(`topics '(${names.orders}|${names.customers})' \\(\\d partitions\\) and '(${names.orders}|${names.customers})' \\(\\d partitions\\) must be co-partitioned for a join`),
    );
    expect(await partitionCounts([names.named, names.counts])).toEqual({});
  });

  it('names the broker when it cannot connect', async () => {
    await expect(createTopologyTopics(ordersTopology(uniqueNames()), { brokers: '127.0.0.1:1', connectionTimeoutMs: 1_000 })).rejects.toThrow(
      /cannot connect to Kafka at 127\.0\.0\.1:1 \(PLAINTEXT\): .*ECONNREFUSED/,
    );
  });
});
