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

describe('StreamsBuilder.table', () => {
  it('reads a topic as a table in a store named by { name }: latest wins, null deletes', () => {
    const builder = new StreamsBuilder();
    builder.table<string, Customer>('customers', { name: 'customers-store' });
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, Customer>('customers');
    input.pipeInput('c1', ann('eu', 1));
    input.pipeInput('c1', ann('us', 2));
    input.pipeInput('c2', bob('eu', 3));
    input.pipeInput('c2', null);
    expect(driver.getKeyValueStore('customers-store').all()).toEqual([['c1', ann('us', 2)]]);
  });

  it('names its store <topic>-STATE-STORE-<n> before the source, as Kafka Streams does', () => {
    const builder = new StreamsBuilder();
    const table = builder.table('customers');
    expect(table.queryableStoreName()).toBe('customers-STATE-STORE-0000000000');
    table.toStream().to('out');
    expect(builder.build().describe().toString()).toBe(
      [
        'Topologies:',
        '   Sub-topology: 0',
        '    Source: KSTREAM-SOURCE-0000000001 (topics: [customers])',
        '      --> KTABLE-SOURCE-0000000002',
        '    Processor: KTABLE-SOURCE-0000000002 (stores: [customers-STATE-STORE-0000000000])',
        '      --> KTABLE-TOSTREAM-0000000003',
        '      <-- KSTREAM-SOURCE-0000000001',
        '    Processor: KTABLE-TOSTREAM-0000000003 (stores: [])',
        '      --> KSTREAM-SINK-0000000004',
        '      <-- KTABLE-SOURCE-0000000002',
        '    Sink: KSTREAM-SINK-0000000004 (topic: out)',
        '      <-- KTABLE-TOSTREAM-0000000003',
        '',
        '',
      ].join('\n'),
    );
  });
});
