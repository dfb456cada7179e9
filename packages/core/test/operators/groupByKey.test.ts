import { describe, expect, it } from 'vitest';
import { Serdes, StreamsBuilder } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';

interface Purchase {
  item: string;
  amount: number;
}

function pipePurchases(driver: TopologyTestDriver) {
  const input = driver.createInputTopic<string, Purchase>('purchases');
  input.pipeInput('alice', { item: 'pen', amount: 3 }, 10);
  input.pipeInput('bob', { item: 'ink', amount: 5 }, 20);
  input.pipeInput('alice', { item: 'pad', amount: 4 }, 15);
  input.pipeInput('alice', { item: 'pen', amount: 1 }, 30);
  return input;
}

describe('KStream.groupByKey', () => {
  it('count() emits the running count per key on every record', () => {
    const builder = new StreamsBuilder();
    builder.stream<string, Purchase>('purchases').groupByKey().count({ name: 'purchase-count' }).toStream().to('counts', { valueSerde: Serdes.number() });
    using driver = new TopologyTestDriver(builder.build());
    pipePurchases(driver);
    expect(driver.createOutputTopic<string, number>('counts').readKeyValuesToList()).toEqual([
      ['alice', 1],
      ['bob', 1],
      ['alice', 2],
      ['alice', 3],
    ]);
    expect(driver.getKeyValueStore('purchase-count').all()).toEqual([
      ['alice', 3],
      ['bob', 1],
    ]);
  });

  it("forwards the initializer's result as a key's first old value when downstream asks for old values (Kafka Streams' KStreamAggregate)", () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, Purchase>('purchases')
      .groupByKey()
      .count()
      .groupBy((_customer, n) => [n % 2 === 0 ? 'even' : 'odd', n] as const)
      .reduce(
        (sum, n) => sum + n,
        (sum, n) => sum - n,
      )
      .toStream()
      .to('parity', { valueSerde: Serdes.json<number>() });
    using driver = new TopologyTestDriver(builder.build());
    pipePurchases(driver);
    // alice 0 -> 1: subtracts the initial 0 from 'even', which has no aggregate yet: a tombstone, as in Kafka Streams.
    expect(driver.createOutputTopic<string, number | null>('parity').readKeyValuesToList()).toEqual([
      ['even', null],
      ['odd', 1],
      ['even', null],
      ['odd', 2],
      ['odd', 1],
      ['even', 2],
      ['even', 0],
      ['odd', 4],
    ]);
  });

  it('gives each update the largest timestamp of the records in the aggregate', () => {
    const builder = new StreamsBuilder();
    builder.stream<string, Purchase>('purchases').groupByKey().count({ name: 'c' }).toStream().to('counts');
    using driver = new TopologyTestDriver(builder.build());
    pipePurchases(driver);
    expect(driver.createOutputTopic('counts').readRecordsToList().map((r) => [r.key, r.timestamp])).toEqual([
      ['alice', 10],
      ['bob', 20],
      ['alice', 15],
      ['alice', 30],
    ]);
    expect(driver.getKeyValueStore('c').getWithTimestamp('alice')).toEqual({ key: 'alice', value: 3, timestamp: 30 });
  });

  it('reduce() combines values; the first value is the first aggregate', () => {
    const calls: [number, number][] = [];
    const builder = new StreamsBuilder();
    builder
      .stream<string, Purchase>('purchases')
      .mapValues((p) => p.amount)
      .groupByKey()
      .reduce(
        (total, amount) => {
          calls.push([total, amount]);
          return total + amount;
        },
        { name: 'spend' },
      )
      .toStream()
      .to('spend');
    using driver = new TopologyTestDriver(builder.build());
    pipePurchases(driver);
    expect(driver.createOutputTopic('spend').readKeyValuesToList()).toEqual([
      ['alice', 3],
      ['bob', 5],
      ['alice', 7],
      ['alice', 8],
    ]);
    expect(calls).toEqual([
      [3, 4],
      [7, 1],
    ]);
  });

  it('aggregate() folds values into the initializer with (key, value, aggregate)', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, Purchase>('purchases')
      .groupByKey()
      .aggregate(
        () => ({ items: [] as string[], total: 0 }),
        (customer, purchase, basket) => ({ items: [...basket.items, `${customer}:${purchase.item}`], total: basket.total + purchase.amount }),
        { name: 'baskets' },
      );
    using driver = new TopologyTestDriver(builder.build());
    pipePurchases(driver);
    expect(driver.getKeyValueStore('baskets').get('alice')).toEqual({ items: ['alice:pen', 'alice:pad', 'alice:pen'], total: 8 });
  });

  it('drops records with a null key or a null value, counting them by reason', () => {
    const builder = new StreamsBuilder();
    builder.stream<string, Purchase>('purchases').groupByKey().count({ name: 'c' });
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, Purchase>('purchases');
    input.pipeInput(null, { item: 'x', amount: 1 });
    input.pipeInput('alice', null);
    input.pipeInput('alice', { item: 'x', amount: 1 });
    expect(driver.getKeyValueStore('c').all()).toEqual([['alice', 1]]);
    expect(driver.metrics().droppedByReason).toMatchObject({ 'null-key': 1, 'null-value': 1 });
    expect(driver.committedOffsets().get('purchases')?.get(0)).toBe(3);
  });

  it('stays in the sub-topology of its source when the key did not change', () => {
    const builder = new StreamsBuilder();
    builder.stream('purchases').groupByKey().count();
    const topology = builder.build();
    expect(topology.subTopologies).toHaveLength(1);
    expect(topology.describe().toString()).toBe(
      [
        'Topologies:',
        '   Sub-topology: 0',
        '    Source: KSTREAM-SOURCE-0000000000 (topics: [purchases])',
        '      --> KSTREAM-AGGREGATE-0000000002',
        '    Processor: KSTREAM-AGGREGATE-0000000002 (stores: [KSTREAM-AGGREGATE-STATE-STORE-0000000001])',
        '      --> none',
        '      <-- KSTREAM-SOURCE-0000000000',
        '',
        '',
      ].join('\n'),
    );
  });

  it('repartitions after a key change, named by the grouping name when given', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, Purchase>('purchases')
      .selectKey((_customer, p) => p.item)
      .groupByKey({ name: 'by-item' })
      .count({ name: 'item-count' });
    using driver = new TopologyTestDriver(builder.build(), { partitions: { purchases: 2 } });
    pipePurchases(driver);
    expect(driver.topics.written('test-app-by-item-repartition')).toHaveLength(4);
    expect(driver.getKeyValueStore('item-count').all()).toEqual([
      ['ink', 1],
      ['pad', 1],
      ['pen', 2],
    ]);
  });

  it('writes the store changelog with the serdes given to the aggregation', () => {
    const builder = new StreamsBuilder();
    builder.stream<string, Purchase>('purchases').groupByKey().count({ name: 'c', keySerde: Serdes.string(), valueSerde: Serdes.number() });
    using driver = new TopologyTestDriver(builder.build());
    pipePurchases(driver);
    const changelog = driver.topics.written('test-app-c-changelog');
    expect(changelog.map((r) => [r.key?.toString(), r.value?.readDoubleBE(0)])).toEqual([
      ['alice', 1],
      ['bob', 1],
      ['alice', 2],
      ['alice', 3],
    ]);
  });
});
