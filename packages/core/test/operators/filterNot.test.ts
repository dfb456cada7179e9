import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';

describe('KStream.filterNot', () => {
  it('drops the records the predicate accepts and keeps the others', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, number>('amounts')
      .filterNot((_k, amount) => amount < 0)
      .to('non-negative');
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, number>('amounts');
    input.pipeRecords([
      { key: 'a', value: 5 },
      { key: 'b', value: -1 },
      { key: 'c', value: 0 },
    ]);
    expect(driver.createOutputTopic<string, number>('non-negative').readKeyValuesToList()).toEqual([
      ['a', 5],
      ['c', 0],
    ]);
    // The dropped record is complete too.
    expect(driver.committedOffsets().get('amounts')?.get(0)).toBe(3);
  });

  it('sees the key', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, number>('amounts')
      .filterNot((key) => key.startsWith('test-'))
      .to('real');
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, number>('amounts');
    input.pipeInput('test-1', 1);
    input.pipeInput('prod-1', 2);
    expect(driver.createOutputTopic('real').readKeyValuesToList()).toEqual([['prod-1', 2]]);
  });

  it('is a KSTREAM-FILTER node, as in Kafka Streams', () => {
    const builder = new StreamsBuilder();
    builder
      .stream('in')
      .filterNot(() => false)
      .to('out');
    expect(builder.build().describe().toString()).toContain('Processor: KSTREAM-FILTER-0000000001 (stores: [])');
  });
});
