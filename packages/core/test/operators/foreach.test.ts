import { describe, expect, it } from 'vitest';
import { ErrorHandlers, StreamsBuilder, silentLogger } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';

describe('KStream.foreach', () => {
  it('calls the action for every record, key and value', () => {
    const seen: [string, { n: number }][] = [];
    const builder = new StreamsBuilder();
    builder.stream<string, { n: number }>('in').foreach((key, value) => seen.push([key, value]));
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, { n: number }>('in');
    input.pipeInput('a', { n: 1 });
    input.pipeInput('b', { n: 2 });
    expect(seen).toEqual([
      ['a', { n: 1 }],
      ['b', { n: 2 }],
    ]);
    expect(driver.committedOffsets().get('in')?.get(0)).toBe(2);
  });

  it('is terminal: a KSTREAM-FOREACH processor with no children', () => {
    const builder = new StreamsBuilder();
    const result = builder.stream('in').foreach(() => {});
    expect(result).toBeUndefined();
    expect(builder.build().describe().toString()).toContain(
      '    Processor: KSTREAM-FOREACH-0000000001 (stores: [])\n      --> none\n      <-- KSTREAM-SOURCE-0000000000\n',
    );
  });

  it('sends an exception from the action to the processing error handler', () => {
    const builder = new StreamsBuilder();
    const seen: string[] = [];
    builder.stream<string, number>('in').foreach((key, value) => {
      if (value < 0) throw new RangeError('negative');
      seen.push(key);
    });
    using driver = new TopologyTestDriver(builder.build(), { processingErrorHandler: ErrorHandlers.logAndContinue(), logger: silentLogger });
    const input = driver.createInputTopic<string, number>('in');
    input.pipeInput('a', -1);
    input.pipeInput('b', 1);
    expect(seen).toEqual(['b']);
    expect(driver.metrics().droppedByReason['processing-error']).toBe(1);
  });
});
