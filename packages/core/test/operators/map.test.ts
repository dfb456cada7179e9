import { describe, expect, it } from 'vitest';
import { ErrorHandlers, Serdes, StreamsBuilder, silentLogger } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';

describe('KStream.map', () => {
  it('replaces key and value with the returned pair, keeping timestamp and headers', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, { customer: string; amount: number }>('orders')
      .map((orderId, order) => [order.customer, `${orderId}:${order.amount}`] as const)
      .to('by-customer');
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, { customer: string; amount: number }>('orders');
    input.pipeInput('o1', { customer: 'alice', amount: 10 }, 42, { trace: 't1' });
    const [record] = driver.createOutputTopic<string, string>('by-customer').readRecordsToList();
    expect(record).toMatchObject({ key: 'alice', value: 'o1:10', timestamp: 42, headers: { trace: 't1' } });
  });

  it('can change the types of key and value, with serdes on the sink', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, string>('lines')
      .map((_k, line) => [line.length, line.toUpperCase()] as const)
      .to('lengths', { keySerde: Serdes.number(), valueSerde: Serdes.string() });
    using driver = new TopologyTestDriver(builder.build());
    driver.createInputTopic<string, string>('lines').pipeInput(null, 'hello');
    expect(driver.createOutputTopic<number, string>('lengths').readKeyValue()).toEqual([5, 'HELLO']);
  });

  it('marks the stream for repartitioning: a later groupByKey goes through a repartition topic', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, string>('clicks')
      .map((_user, page) => [page, 1] as const)
      .groupByKey()
      .count({ name: 'page-views' })
      .toStream()
      .to('views');
    const topology = builder.build();
    expect(topology.subTopologies).toHaveLength(2);
    using driver = new TopologyTestDriver(topology);
    const input = driver.createInputTopic<string, string>('clicks');
    input.pipeInput('u1', '/home');
    input.pipeInput('u2', '/home');
    input.pipeInput('u1', '/cart');
    expect(driver.createOutputTopic('views').readKeyValuesToList()).toEqual([
      ['/home', 1],
      ['/home', 2],
      ['/cart', 1],
    ]);
    expect(driver.topics.written('test-app-page-views-repartition')).toHaveLength(3);
  });

  it('sends a mapper result that is not a pair to the processing error handler', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, number>('in')
      .map((k, v) => (v < 0 ? (null as never) : ([k, v * 2] as const)))
      .to('out');
    using driver = new TopologyTestDriver(builder.build(), { processingErrorHandler: ErrorHandlers.logAndContinue(), logger: silentLogger });
    const input = driver.createInputTopic<string, number>('in');
    input.pipeInput('a', -1);
    input.pipeInput('b', 2);
    expect(driver.createOutputTopic('out').readKeyValuesToList()).toEqual([['b', 4]]);
    expect(driver.metrics().droppedByReason['processing-error']).toBe(1);
  });

  it('fails by default when the mapper returns something that is not a pair, naming what it returned', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, number>('in')
      .map(() => ['only-key'] as never)
      .to('out');
    using driver = new TopologyTestDriver(builder.build(), { logger: silentLogger });
    expect(() => driver.createInputTopic<string, number>('in').pipeInput('a', 1)).toThrow(/map\(\) must return a \[key, value\] pair, got \["only-key"\]/);
  });
});
