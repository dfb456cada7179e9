import { describe, expect, it } from 'vitest';
import { ErrorHandlers, StreamsBuilder, TaskFailedError, TopologyError, silentLogger } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every queued promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A topology whose async mapper hands out a deferred per call, so the test decides when each finishes. */
function enrichment(concurrency: number) {
  const calls: { key: string; value: number; result: Deferred<string> }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const builder = new StreamsBuilder();
  builder
    .stream<string, number>('in')
    .mapValuesAsync(
      async (value, key) => {
        const result = deferred<string>();
        calls.push({ key, value, result });
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          return await result.promise;
        } finally {
          inFlight--;
        }
      },
      { concurrency },
    )
    .to('out');
  return {
    topology: builder.build(),
    calls,
    stats: () => ({ inFlight, maxInFlight }),
    call: (key: string, value: number) => calls.find((c) => c.key === key && c.value === value)!,
  };
}

describe('KStream.mapValuesAsync', () => {
  it('runs at most `concurrency` calls at once', async () => {
    const { topology, calls, stats } = enrichment(2);
    using driver = new TopologyTestDriver(topology);
    const input = driver.createInputTopic<string, number>('in');
    for (let i = 0; i < 6; i++) input.pipeInput(`k${i}`, i);
    await settle();
    expect(calls).toHaveLength(2);
    expect(stats().inFlight).toBe(2);
    calls[0]!.result.resolve('r0');
    await settle();
    expect(calls).toHaveLength(3);
    for (let i = 1; i < 6; i++) {
      calls[i]!.result.resolve(`r${i}`);
      await settle();
    }
    await driver.whenIdle();
    expect(stats().maxInFlight).toBe(2);
    expect(driver.createOutputTopic('out').readValuesToList()).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
  });

  it('keeps the order of records with the same key; other keys may overtake them', async () => {
    const { topology, calls, call } = enrichment(8);
    using driver = new TopologyTestDriver(topology);
    const input = driver.createInputTopic<string, number>('in');
    input.pipeInput('a', 1);
    input.pipeInput('a', 2);
    input.pipeInput('b', 1);
    input.pipeInput('a', 3);
    await settle();
    // The second 'a' waits for the first: only a1 and b1 are running.
    expect(calls.map((c) => `${c.key}${c.value}`)).toEqual(['a1', 'b1']);
    call('b', 1).result.resolve('b1');
    await settle();
    const output = driver.createOutputTopic<string, string>('out');
    expect(output.readKeyValuesToList()).toEqual([['b', 'b1']]);
    call('a', 1).result.resolve('a1');
    await settle();
    expect(calls.map((c) => `${c.key}${c.value}`)).toEqual(['a1', 'b1', 'a2']);
    call('a', 2).result.resolve('a2');
    await settle();
    call('a', 3).result.resolve('a3');
    await driver.whenIdle();
    expect(output.readKeyValuesToList()).toEqual([
      ['a', 'a1'],
      ['a', 'a2'],
      ['a', 'a3'],
    ]);
  });

  it('keeps the record uncommittable until its result went downstream, even when later records finished first', async () => {
    const { topology, call } = enrichment(8);
    using driver = new TopologyTestDriver(topology);
    const input = driver.createInputTopic<string, number>('in');
    input.pipeInput('a', 1); // offset 0
    input.pipeInput('b', 1); // offset 1
    input.pipeInput('c', 1); // offset 2
    await settle();
    expect(driver.committedOffsets().get('in')).toBeUndefined();
    call('b', 1).result.resolve('b');
    call('c', 1).result.resolve('c');
    await settle();
    expect(driver.createOutputTopic('out').readValuesToList()).toEqual(['b', 'c']);
    expect(driver.committedOffsets().get('in')).toBeUndefined();
    call('a', 1).result.resolve('a');
    await driver.whenIdle();
    expect(driver.committedOffsets().get('in')?.get(0)).toBe(3);
  });

  it('keeps the result attributed to its input record: timestamp and headers', async () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, number>('in')
      .mapValuesAsync(async (v) => v + 1)
      .to('out');
    using driver = new TopologyTestDriver(builder.build());
    driver.createInputTopic<string, number>('in').pipeInput('k', 1, 1234, { trace: 'x' });
    await driver.whenIdle();
    expect(driver.createOutputTopic('out').readRecordsToList()).toMatchObject([{ key: 'k', value: 2, timestamp: 1234, headers: { trace: 'x' } }]);
  });

  it('accepts a mapper that returns a plain value', async () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, number>('in')
      .mapValuesAsync((v) => v * 10)
      .to('out');
    using driver = new TopologyTestDriver(builder.build());
    driver.createInputTopic<string, number>('in').pipeInput('k', 4);
    await driver.whenIdle();
    expect(driver.createOutputTopic('out').readValuesToList()).toEqual([40]);
  });

  it('sends a rejected promise to the processing error handler: logAndContinue skips it and counts it', async () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, number>('in')
      .mapValuesAsync(async (v) => {
        if (v < 0) throw new Error('enrichment service said no');
        return v;
      })
      .to('out');
    using driver = new TopologyTestDriver(builder.build(), { processingErrorHandler: ErrorHandlers.logAndContinue(), logger: silentLogger });
    const input = driver.createInputTopic<string, number>('in');
    input.pipeInput('a', 1);
    input.pipeInput('b', -1);
    input.pipeInput('c', 3);
    await driver.whenIdle();
    expect(driver.createOutputTopic('out').readKeyValuesToList()).toEqual([
      ['a', 1],
      ['c', 3],
    ]);
    expect(driver.metrics().droppedByReason['processing-error']).toBe(1);
    expect(driver.committedOffsets().get('in')?.get(0)).toBe(3);
  });

  it('sends a rejected promise to the dead-letter topic with the input record', async () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, number>('in')
      .mapValuesAsync(async () => Promise.reject(new Error('timeout')))
      .to('out');
    using driver = new TopologyTestDriver(builder.build(), { processingErrorHandler: ErrorHandlers.deadLetter('dlq'), logger: silentLogger });
    driver.createInputTopic<string, number>('in').pipeInput('a', 7);
    await driver.whenIdle();
    const [dead] = driver.createOutputTopic<string, number>('dlq').readRecordsToList();
    expect(dead).toMatchObject({ key: 'a', value: 7 });
    expect(dead!.headers['__streams.errors.message']).toMatch(/timeout/);
    expect(dead!.headers['__streams.errors.offset']).toBe('0');
  });

  it('fails the driver under logAndFail: whenIdle rejects with the record named, and the offset stays uncommitted', async () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, number>('in')
      .mapValuesAsync(async () => {
        throw new Error('boom');
      })
      .to('out');
    using driver = new TopologyTestDriver(builder.build(), { logger: silentLogger });
    const input = driver.createInputTopic<string, number>('in');
    input.pipeInput('a', 1);
    const idle = driver.whenIdle();
    await expect(Promise.race([idle, new Promise((_, reject) => setTimeout(() => reject(new Error('whenIdle hung')), 1_000))])).rejects.toThrow(
      TaskFailedError,
    );
    await expect(idle).rejects.toThrow(/topic 'in' partition 0 offset 0: boom/);
    expect(driver.committedOffsets().get('in')).toBeUndefined();
    expect(() => input.pipeInput('b', 2)).toThrow(TaskFailedError);
  });

  it('rejects a concurrency that is not a positive integer', () => {
    const builder = new StreamsBuilder();
    const stream = builder.stream<string, number>('in');
    expect(() => stream.mapValuesAsync(async (v) => v, { concurrency: 0 })).toThrow(TopologyError);
    expect(() => stream.mapValuesAsync(async (v) => v, { concurrency: 1.5 })).toThrow(/positive integer/);
  });
});
