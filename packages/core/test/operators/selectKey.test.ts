import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';

interface Purchase {
  customer: string;
  store: string;
  amount: number;
}

describe('KStream.selectKey', () => {
  it('sets the key to selector(key, value), value untouched', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, Purchase>('purchases')
      .selectKey((_id, purchase) => purchase.store)
      .to('by-store');
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, Purchase>('purchases');
    input.pipeInput('p1', { customer: 'alice', store: 'paris', amount: 3 }, 99);
    expect(driver.createOutputTopic<string, Purchase>('by-store').readRecordsToList()).toMatchObject([
      { key: 'paris', value: { customer: 'alice', store: 'paris', amount: 3 }, timestamp: 99 },
    ]);
  });

  it('repartitions before a grouping, so every record of a key meets in one task', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, Purchase>('purchases')
      .selectKey((_id, purchase) => purchase.store)
      .groupByKey()
      .aggregate(
        () => 0,
        (_store, purchase, total) => total + purchase.amount,
        { name: 'store-revenue' },
      );
    const topology = builder.build();
    expect(topology.subTopologies).toHaveLength(2);
    using driver = new TopologyTestDriver(topology, { partitions: { purchases: 3 } });
    const input = driver.createInputTopic<string, Purchase>('purchases');
    for (let i = 0; i < 20; i++) input.pipeInput(`p${i}`, { customer: `c${i}`, store: i % 2 ? 'paris' : 'lyon', amount: i });
    const store = driver.getKeyValueStore<string, number>('store-revenue');
    expect(store.get('paris')).toBe(1 + 3 + 5 + 7 + 9 + 11 + 13 + 15 + 17 + 19);
    expect(store.get('lyon')).toBe(0 + 2 + 4 + 6 + 8 + 10 + 12 + 14 + 16 + 18);
    // The repartition topic takes the partition count of its writer's sub-topology.
    expect(driver.topics.partitionsFor('test-app-store-revenue-repartition')).toBe(3);
  });

  it('drops null keys before the repartition topic, counting them', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, string>('in')
      .selectKey((_k, v) => (v === 'none' ? null : v))
      .groupByKey()
      .count({ name: 'counts' });
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, string>('in');
    input.pipeInput('a', 'none');
    input.pipeInput('b', 'x');
    expect(driver.getKeyValueStore('counts').all()).toEqual([['x', 1]]);
    expect(driver.metrics().droppedByReason['null-key']).toBe(1);
  });

  it('is a KSTREAM-KEY-SELECT node', () => {
    const builder = new StreamsBuilder();
    builder
      .stream('in')
      .selectKey((k) => k)
      .to('out');
    expect(builder.build().describe().toString()).toContain('Processor: KSTREAM-KEY-SELECT-0000000001 (stores: [])');
  });
});
