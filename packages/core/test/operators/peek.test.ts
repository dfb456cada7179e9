import { describe, expect, it } from 'vitest';
import { StreamsBuilder } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';

describe('KStream.peek', () => {
  it('calls the action with key and value, and passes every record on unchanged', () => {
    const seen: [string, number][] = [];
    const builder = new StreamsBuilder();
    builder
      .stream<string, number>('in')
      .peek((key, value) => seen.push([key, value]))
      .to('out');
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, number>('in');
    input.pipeInput('a', 1, 10, { h: 'x' });
    input.pipeInput('b', 2, 20);
    expect(seen).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(driver.createOutputTopic('out').readRecordsToList()).toMatchObject([
      { key: 'a', value: 1, timestamp: 10, headers: { h: 'x' } },
      { key: 'b', value: 2, timestamp: 20 },
    ]);
  });

  it('runs the action before the records below it', () => {
    const log: string[] = [];
    const builder = new StreamsBuilder();
    builder
      .stream<string, number>('in')
      .peek((k) => log.push(`peek ${k}`))
      .foreach((k) => log.push(`foreach ${k}`));
    using driver = new TopologyTestDriver(builder.build());
    driver.createInputTopic<string, number>('in').pipeInput('a', 1);
    expect(log).toEqual(['peek a', 'foreach a']);
  });

  it('is a KSTREAM-PEEK node', () => {
    const builder = new StreamsBuilder();
    builder
      .stream('in')
      .peek(() => {})
      .to('out');
    expect(builder.build().describe().toString()).toContain('Processor: KSTREAM-PEEK-0000000001 (stores: [])');
  });
});
