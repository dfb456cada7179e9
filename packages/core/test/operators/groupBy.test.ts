import { describe, expect, it } from 'vitest';
import { Serdes, StreamsBuilder } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';

interface Interaction {
  customer: string;
  channel: 'web' | 'app' | 'store';
  amount: number;
}

const interactions: [string, Interaction][] = [
  ['i1', { customer: 'alice', channel: 'web', amount: 10 }],
  ['i2', { customer: 'bob', channel: 'app', amount: 20 }],
  ['i3', { customer: 'carol', channel: 'web', amount: 5 }],
  ['i4', { customer: 'alice', channel: 'store', amount: 7 }],
  ['i5', { customer: 'dave', channel: 'web', amount: 1 }],
];

describe('KStream.groupBy', () => {
  it('regroups by selector(key, value) through the repartition topic test-app-<name>-repartition', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, Interaction>('interactions')
      .groupBy((_id, i) => i.channel, { name: 'by-channel' })
      .count({ name: 'channel-count' })
      .toStream()
      .to('channel-counts');
    using driver = new TopologyTestDriver(builder.build(), { partitions: { interactions: 3 } });
    const input = driver.createInputTopic<string, Interaction>('interactions');
    for (const [id, i] of interactions) input.pipeInput(id, i);
    const repartition = driver.createOutputTopic<string, Interaction>('test-app-by-channel-repartition', { keySerde: Serdes.json<string>() });
    expect(repartition.readKeyValuesToList().map(([k]) => k)).toEqual(['web', 'app', 'web', 'store', 'web']);
    expect(driver.createOutputTopic('channel-counts').readKeyValuesToMap()).toEqual(
      new Map([
        ['web', 3],
        ['app', 1],
        ['store', 1],
      ]),
    );
    expect(driver.getKeyValueStore('channel-count').get('web')).toBe(3);
  });

  it('names the repartition topic after the store when the grouping has no name', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, Interaction>('interactions')
      .groupBy((_id, i) => i.customer)
      .aggregate(
        () => 0,
        (_customer, i, total) => total + i.amount,
        { name: 'spend' },
      );
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, Interaction>('interactions');
    for (const [id, i] of interactions) input.pipeInput(id, i);
    expect(driver.topics.has('test-app-spend-repartition')).toBe(true);
    expect(driver.getKeyValueStore('spend').all()).toEqual([
      ['alice', 17],
      ['bob', 20],
      ['carol', 5],
      ['dave', 1],
    ]);
  });

  it('generates Kafka Streams names: KEY-SELECT, then the store, the aggregate, sink, filter and source', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, Interaction>('interactions')
      .groupBy((_id, i) => i.channel)
      .reduce((a, b) => ({ ...b, amount: a.amount + b.amount }));
    const text = builder.build().describe().toString();
    expect(text).toContain('Processor: KSTREAM-KEY-SELECT-0000000001 (stores: [])');
    expect(text).toContain('Processor: KSTREAM-REDUCE-0000000003 (stores: [KSTREAM-REDUCE-STATE-STORE-0000000002])');
    expect(text).toContain('Sink: KSTREAM-SINK-0000000004 (topic: KSTREAM-REDUCE-STATE-STORE-0000000002-repartition)');
    expect(text).toContain('Processor: KSTREAM-FILTER-0000000005 (stores: [])');
    expect(text).toContain('Source: KSTREAM-SOURCE-0000000006 (topics: [KSTREAM-REDUCE-STATE-STORE-0000000002-repartition])');
  });

  it('uses the grouped serdes on the repartition topic', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, Interaction>('interactions')
      .mapValues((i) => i.amount)
      .groupBy((_id, amount) => (amount >= 10 ? 'big' : 'small'), { name: 'size', keySerde: Serdes.string(), valueSerde: Serdes.number() })
      .reduce((a, b) => a + b, { name: 'size-total' });
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, Interaction>('interactions');
    for (const [id, i] of interactions) input.pipeInput(id, i);
    const [first] = driver.topics.written('test-app-size-repartition');
    expect(first!.key?.toString()).toBe('big');
    expect(first!.value?.readDoubleBE(0)).toBe(10);
    expect(driver.getKeyValueStore('size-total').all()).toEqual([
      ['big', 30],
      ['small', 13],
    ]);
  });

  it('groups by a composite (object) key: equal objects meet', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, Interaction>('interactions')
      .groupBy((_id, i) => ({ channel: i.channel, big: i.amount >= 10 }))
      .count({ name: 'c' });
    using driver = new TopologyTestDriver(builder.build(), { partitions: { interactions: 2 } });
    const input = driver.createInputTopic<string, Interaction>('interactions');
    for (const [id, i] of interactions) input.pipeInput(id, i);
    const store = driver.getKeyValueStore<{ channel: string; big: boolean }, number>('c');
    expect(store.get({ big: false, channel: 'web' })).toBe(2);
    expect(store.get({ channel: 'web', big: true })).toBe(1);
  });
});
