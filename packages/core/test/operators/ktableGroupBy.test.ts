import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';

interface Customer {
  name: string;
  region: string;
  spend: number;
}

const ann = (region: string, spend: number): Customer => ({ name: 'Ann', region, spend });
const bob = (region: string, spend: number): Customer => ({ name: 'Bob', region, spend });

describe('KTable.groupBy', () => {
  function regionTopology(aggregation: 'count' | 'reduce' | 'aggregate') {
    const builder = new StreamsBuilder();
    const grouped = builder.table<string, Customer>('customers').groupBy((_id, c) => [c.region, c.spend] as const, { name: 'by-region' });
    const table =
      aggregation === 'count'
        ? grouped.count({ name: 'region-agg' })
        : aggregation === 'reduce'
          ? grouped.reduce(
              (total, spend) => total + spend,
              (total, spend) => total - spend,
              { name: 'region-agg' },
            )
          : grouped.aggregate(
              () => ({ customers: 0, spend: 0 }),
              (_region, spend, agg) => ({ customers: agg.customers + 1, spend: agg.spend + spend }),
              (_region, spend, agg) => ({ customers: agg.customers - 1, spend: agg.spend - spend }),
              { name: 'region-agg' },
            );
    (table.toStream() as ReturnType<typeof table.toStream>).to('region-updates');
    return builder.build();
  }

  function pipeMoves(driver: TopologyTestDriver) {
    const input = driver.createInputTopic<string, Customer>('customers');
    input.pipeInput('c1', ann('eu', 10));
    input.pipeInput('c2', bob('eu', 5));
    input.pipeInput('c1', ann('us', 12)); // Ann moves from eu to us
    input.pipeInput('c2', bob('eu', 6)); // Bob stays in eu with a new spend
    input.pipeInput('c2', null); // Bob leaves
  }

  it('count(): a row moving between groups decrements the old group and increments the new one', () => {
    using driver = new TopologyTestDriver(regionTopology('count'));
    pipeMoves(driver);
    expect(driver.createOutputTopic('region-updates').readKeyValuesToList()).toEqual([
      ['eu', 1],
      ['eu', 2],
      ['eu', 1], // Ann subtracted from eu...
      ['us', 1], // ...then added to us
      ['eu', 1], // Bob's update within eu travels as one change
      ['eu', 0],
    ]);
    expect(driver.getKeyValueStore('region-agg').all()).toEqual([
      ['eu', 0],
      ['us', 1],
    ]);
  });

  it('reduce(): adder and subtractor keep the sum right', () => {
    using driver = new TopologyTestDriver(regionTopology('reduce'));
    pipeMoves(driver);
    expect(driver.createOutputTopic('region-updates').readKeyValuesToList()).toEqual([
      ['eu', 10],
      ['eu', 15],
      ['eu', 5],
      ['us', 12],
      ['eu', 6],
      ['eu', 0],
    ]);
  });

  it('aggregate(): adder and subtractor with an initializer', () => {
    using driver = new TopologyTestDriver(regionTopology('aggregate'), { partitions: { customers: 3 } });
    pipeMoves(driver);
    expect(driver.getKeyValueStore('region-agg').all()).toEqual([
      ['eu', { customers: 0, spend: 0 }],
      ['us', { customers: 1, spend: 12 }],
    ]);
  });

  it('goes through the repartition topic test-app-<name>-repartition carrying both sides of each change', () => {
    const topology = regionTopology('count');
    expect(topology.subTopologies).toHaveLength(2);
    using driver = new TopologyTestDriver(topology);
    pipeMoves(driver);
    const changes = driver.topics.written('test-app-by-region-repartition').map((r) => JSON.parse(r.value!.toString()) as unknown);
    expect(changes).toEqual([
      { n: 10, o: null },
      { n: 5, o: null },
      { n: null, o: 10 },
      { n: 12, o: null },
      { n: 6, o: 5 },
      { n: null, o: 6 },
    ]);
  });

  it('names nodes as Kafka Streams does: store, sink, source, then the aggregate', () => {
    const builder = new StreamsBuilder();
    builder
      .table<string, Customer>('customers')
      .groupBy((_id, c) => [c.region, c] as const)
      .count();
    expect(builder.build().describe().toString()).toBe(
      [
        'Topologies:',
        '   Sub-topology: 0',
        '    Source: KSTREAM-SOURCE-0000000001 (topics: [customers])',
        '      --> KTABLE-SOURCE-0000000002',
        '    Processor: KTABLE-SOURCE-0000000002 (stores: [customers-STATE-STORE-0000000000])',
        '      --> KTABLE-SELECT-0000000003',
        '      <-- KSTREAM-SOURCE-0000000001',
        '    Processor: KTABLE-SELECT-0000000003 (stores: [])',
        '      --> KSTREAM-SINK-0000000005',
        '      <-- KTABLE-SOURCE-0000000002',
        '    Sink: KSTREAM-SINK-0000000005 (topic: KTABLE-AGGREGATE-STATE-STORE-0000000004-repartition)',
        '      <-- KTABLE-SELECT-0000000003',
        '',
        '  Sub-topology: 1',
        '    Source: KSTREAM-SOURCE-0000000006 (topics: [KTABLE-AGGREGATE-STATE-STORE-0000000004-repartition])',
        '      --> KTABLE-AGGREGATE-0000000007',
        '    Processor: KTABLE-AGGREGATE-0000000007 (stores: [KTABLE-AGGREGATE-STATE-STORE-0000000004])',
        '      --> none',
        '      <-- KSTREAM-SOURCE-0000000006',
        '',
        '',
      ].join('\n'),
    );
  });
});
