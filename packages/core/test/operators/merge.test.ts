import { describe, expect, it } from 'vitest';
import { StreamsBuilder, TopologyError } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';

describe('KStream.merge', () => {
  it('interleaves the records of both streams in arrival order', () => {
    const builder = new StreamsBuilder();
    const web = builder.stream<string, string>('web-clicks');
    const app = builder.stream<string, string>('app-clicks');
    web.merge(app).to('clicks');
    using driver = new TopologyTestDriver(builder.build());
    const webInput = driver.createInputTopic<string, string>('web-clicks');
    const appInput = driver.createInputTopic<string, string>('app-clicks');
    webInput.pipeInput('u1', 'w1', 1);
    appInput.pipeInput('u2', 'a1', 2);
    webInput.pipeInput('u1', 'w2', 3);
    expect(driver.createOutputTopic<string, string>('clicks').readKeyValuesToList()).toEqual([
      ['u1', 'w1'],
      ['u2', 'a1'],
      ['u1', 'w2'],
    ]);
  });

  it('joins both sources into one sub-topology, described as Kafka Streams does', () => {
    const builder = new StreamsBuilder();
    const a = builder.stream('a');
    const b = builder.stream('b');
    a.merge(b).to('out');
    const topology = builder.build();
    expect(topology.subTopologies).toHaveLength(1);
    expect(topology.describe().toString()).toBe(
      [
        'Topologies:',
        '   Sub-topology: 0',
        '    Source: KSTREAM-SOURCE-0000000000 (topics: [a])',
        '      --> KSTREAM-MERGE-0000000002',
        '    Source: KSTREAM-SOURCE-0000000001 (topics: [b])',
        '      --> KSTREAM-MERGE-0000000002',
        '    Processor: KSTREAM-MERGE-0000000002 (stores: [])',
        '      --> KSTREAM-SINK-0000000003',
        '      <-- KSTREAM-SOURCE-0000000000, KSTREAM-SOURCE-0000000001',
        '    Sink: KSTREAM-SINK-0000000003 (topic: out)',
        '      <-- KSTREAM-MERGE-0000000002',
        '',
        '',
      ].join('\n'),
    );
  });

  it('can merge a stream with a branch of itself (a record reaches the merge once per path)', () => {
    const builder = new StreamsBuilder();
    const numbers = builder.stream<string, number>('numbers');
    numbers
      .filter((_k, v) => v % 2 === 0)
      .merge(numbers.mapValues((v) => v * 100))
      .to('out');
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, number>('numbers');
    input.pipeInput('a', 2);
    input.pipeInput('b', 3);
    expect(driver.createOutputTopic('out').readKeyValuesToList()).toEqual([
      ['a', 2],
      ['a', 200],
      ['b', 300],
    ]);
  });

  it('repartitions before a grouping when either side changed its key', () => {
    const builder = new StreamsBuilder();
    const a = builder.stream<string, string>('a');
    const b = builder.stream<string, string>('b').selectKey((_k, v) => v);
    a.merge(b).groupByKey().count({ name: 'c' });
    expect(builder.build().subTopologies).toHaveLength(2);
  });

  it('takes a KStream of the same builder only', () => {
    const one = new StreamsBuilder();
    const two = new StreamsBuilder();
    const a = one.stream('a');
    expect(() => a.merge(two.stream('b'))).toThrow(TopologyError);
    expect(() => a.merge({} as never)).toThrow(/merge\(\) takes another KStream/);
  });
});
