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

describe('KTable.filter / filterNot', () => {
  it('turns a row that stops matching into a delete downstream', () => {
    const builder = new StreamsBuilder();
    builder
      .table<string, Customer>('customers')
      .filter((_id, c) => c.spend >= 100)
      .toStream()
      .to('vips');
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, Customer>('customers');
    input.pipeInput('c1', ann('eu', 150));
    input.pipeInput('c1', ann('eu', 50)); // no longer a VIP: delete
    input.pipeInput('c2', bob('eu', 10)); // never a VIP: Kafka Streams forwards (null, null) when old values are off
    input.pipeInput('c1', ann('eu', 500));
    expect(driver.createOutputTopic<string, Customer | null>('vips').readKeyValuesToList()).toEqual([
      ['c1', ann('eu', 150)],
      ['c1', null],
      ['c2', null],
      ['c1', ann('eu', 500)],
    ]);
  });

  it('materializes the filtered table when named', () => {
    const builder = new StreamsBuilder();
    builder.table<string, Customer>('customers').filterNot((_id, c) => c.region === 'us', { name: 'non-us' });
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, Customer>('customers');
    input.pipeInput('c1', ann('eu', 1));
    input.pipeInput('c2', bob('us', 1));
    input.pipeInput('c1', ann('us', 1));
    expect(driver.getKeyValueStore('non-us').all()).toEqual([]);
    input.pipeInput('c2', bob('eu', 1));
    expect(driver.getKeyValueStore('non-us').all()).toEqual([['c2', bob('eu', 1)]]);
  });
});
