import { describe, expect, it } from 'vitest';
import { StreamsBuilder, silentLogger } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';

describe('KStream.flatMapValues', () => {
  it('emits one record per value, with the same key, timestamp and headers', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, { items: string[] }>('baskets')
      .flatMapValues((basket, customer) => basket.items.map((item) => `${customer}:${item}`))
      .to('items');
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, { items: string[] }>('baskets');
    input.pipeInput('alice', { items: ['pen', 'ink'] }, 10, { h: '1' });
    input.pipeInput('bob', { items: [] }, 11);
    const records = driver.createOutputTopic<string, string>('items').readRecordsToList();
    expect(records.map((r) => [r.key, r.value, r.timestamp, r.headers])).toEqual([
      ['alice', 'alice:pen', 10, { h: '1' }],
      ['alice', 'alice:ink', 10, { h: '1' }],
    ]);
  });

  it('does not mark the stream for repartitioning', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, string>('lines')
      .flatMapValues((line) => line.split(','))
      .groupByKey()
      .count({ name: 'fields' });
    const topology = builder.build();
    expect(topology.subTopologies).toHaveLength(1);
    using driver = new TopologyTestDriver(topology);
    driver.createInputTopic<string, string>('lines').pipeInput('row', 'a,b,c');
    expect(driver.getKeyValueStore('fields').get('row')).toBe(3);
  });

  it('accepts a Set or a generator', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, string>('in')
      .flatMapValues((v) => new Set(v.split('')))
      .to('out');
    using driver = new TopologyTestDriver(builder.build());
    driver.createInputTopic<string, string>('in').pipeInput('k', 'abba');
    expect(driver.createOutputTopic('out').readValuesToList()).toEqual(['a', 'b']);
  });

  it('reports a result that is not iterable', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, string>('in')
      .flatMapValues(() => null as never)
      .to('out');
    using driver = new TopologyTestDriver(builder.build(), { logger: silentLogger });
    expect(() => driver.createInputTopic<string, string>('in').pipeInput('k', 'v')).toThrow(/flatMapValues\(\) must return an iterable, got null/);
  });
});
