import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';

describe('KTable.toStream', () => {
  it('emits every update of the table with its key, timestamp and headers; a delete as a null value', () => {
    const builder = new StreamsBuilder();
    builder.table<string, number>('levels').toStream().to('level-changes');
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, number>('levels');
    input.pipeInput('a', 1, 10, { source: 'crm' });
    input.pipeInput('a', 1, 11); // same value again: a table still emits the update
    input.pipeInput('a', null, 12);
    expect(driver.createOutputTopic<string, number | null>('level-changes').readRecordsToList().map((r) => [r.key, r.value, r.timestamp, r.headers])).toEqual([
      ['a', 1, 10, { source: 'crm' }],
      ['a', 1, 11, {}],
      ['a', null, 12, {}],
    ]);
  });

  it('turns an aggregation back into a stream of its updates, named KTABLE-TOSTREAM-<n>', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, number>('in')
      .groupByKey()
      .reduce((a, b) => Math.max(a, b), { name: 'max' })
      .toStream()
      .filter((_k, max) => max > 5)
      .to('big-max');
    const topology = builder.build();
    expect(topology.describe().toString()).toContain('Processor: KTABLE-TOSTREAM-0000000001 (stores: [])');
    using driver = new TopologyTestDriver(topology);
    const input = driver.createInputTopic<string, number>('in');
    for (const v of [3, 7, 2, 9]) input.pipeInput('k', v);
    expect(driver.createOutputTopic('big-max').readValuesToList()).toEqual([7, 7, 9]);
  });
});
