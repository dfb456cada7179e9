import { describe, expect, it } from 'vitest';
import { Serdes, StreamsBuilder } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';

interface Customer {
  name: string;
  region: string;
  spend: number;
}

const ann = (region: string, spend: number): Customer => ({ name: 'Ann', region, spend });
const bob = (region: string, spend: number): Customer => ({ name: 'Bob', region, spend });

describe('KTable.mapValues / toStream', () => {
  it('maps each update with (value, key) and keeps deletes as null', () => {
    const builder = new StreamsBuilder();
    builder
      .table<string, Customer>('customers')
      .mapValues((c, id) => `${id}:${c.name}@${c.region}`, { name: 'labels' })
      .toStream()
      .to('labels', { valueSerde: Serdes.string() });
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, Customer>('customers');
    input.pipeInput('c1', ann('eu', 1));
    input.pipeInput('c1', null);
    expect(driver.createOutputTopic<string, string | null>('labels').readKeyValuesToList()).toEqual([
      ['c1', 'c1:Ann@eu'],
      ['c1', null],
    ]);
    expect(driver.getKeyValueStore('labels').approximateNumEntries()).toBe(0);
  });
});
