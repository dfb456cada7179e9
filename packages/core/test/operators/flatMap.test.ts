import { describe, expect, it } from 'vitest';
import { ErrorHandlers, StreamsBuilder, silentLogger } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';

describe('KStream.flatMap', () => {
  it('replaces each record with the pairs the mapper returns: none, one or many', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, string>('sentences')
      .flatMap((_k, sentence) => sentence.split(' ').filter(Boolean).map((word) => [word, word.length] as const))
      .to('words');
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, string>('sentences');
    input.pipeInput('s1', 'hello big world', 5, { id: 's1' });
    input.pipeInput('s2', '');
    input.pipeInput('s3', 'x');
    const records = driver.createOutputTopic<string, number>('words').readRecordsToList();
    expect(records.map((r) => [r.key, r.value])).toEqual([
      ['hello', 5],
      ['big', 3],
      ['world', 5],
      ['x', 1],
    ]);
    expect(records[0]).toMatchObject({ timestamp: 5, headers: { id: 's1' } });
    expect(driver.committedOffsets().get('sentences')?.get(0)).toBe(3);
  });

  it('accepts any iterable, e.g. a generator', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, number>('counts')
      .flatMap(function* (key, n) {
        for (let i = 0; i < n; i++) yield [`${key}-${i}`, i] as const;
      })
      .to('out');
    using driver = new TopologyTestDriver(builder.build());
    driver.createInputTopic<string, number>('counts').pipeInput('k', 3);
    expect(driver.createOutputTopic('out').readKeyValuesToList()).toEqual([
      ['k-0', 0],
      ['k-1', 1],
      ['k-2', 2],
    ]);
  });

  it('marks the stream for repartitioning', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, string>('in')
      .flatMap((k, v) => [[v, k] as const])
      .groupByKey()
      .count();
    expect(builder.build().subTopologies).toHaveLength(2);
  });

  it('emits nothing for a record whose result holds a bad pair, and reports the error', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, number>('in')
      .flatMap((k, v) => (v < 0 ? ([[k, 1], 'oops'] as never) : [[k, v] as const]))
      .to('out');
    using driver = new TopologyTestDriver(builder.build(), { processingErrorHandler: ErrorHandlers.logAndContinue(), logger: silentLogger });
    const input = driver.createInputTopic<string, number>('in');
    input.pipeInput('a', -1);
    input.pipeInput('b', 2);
    expect(driver.createOutputTopic('out').readKeyValuesToList()).toEqual([['b', 2]]);
    expect(driver.metrics().droppedByReason['processing-error']).toBe(1);
  });

  it('reports a result that is not iterable', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, number>('in')
      .flatMap(() => 42 as never)
      .to('out');
    using driver = new TopologyTestDriver(builder.build(), { logger: silentLogger });
    expect(() => driver.createInputTopic<string, number>('in').pipeInput('a', 1)).toThrow(/flatMap\(\) must return an iterable of \[key, value\] pairs, got 42/);
  });
});
