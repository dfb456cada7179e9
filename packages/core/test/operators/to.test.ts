import { describe, expect, it } from 'vitest';
import { ErrorHandlers, Serdes, StreamsBuilder, TopologyError, silentLogger } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';
import { defaultPartition } from '@tributary/core/runtime';

interface Event {
  region: 'eu' | 'us';
  amount: number;
}

describe('KStream.to', () => {
  it('writes every record to a fixed topic with the default serdes: string keys, JSON values', () => {
    const builder = new StreamsBuilder();
    builder.stream<string, Event>('events').to('copy');
    using driver = new TopologyTestDriver(builder.build());
    driver.createInputTopic<string, Event>('events').pipeInput('k', { region: 'eu', amount: 1 }, 5, { h: 'v' });
    const [stored] = driver.topics.written('copy');
    expect(stored!.key?.toString()).toBe('k');
    expect(stored!.value?.toString()).toBe('{"region":"eu","amount":1}');
    expect(stored!.timestamp).toBe(5);
    expect(stored!.headers).toEqual({ h: 'v' });
  });

  it('writes with the serdes it is given', () => {
    const builder = new StreamsBuilder();
    builder
      .stream<string, Event>('events')
      .mapValues((e) => e.amount)
      .to('amounts', { valueSerde: Serdes.number() });
    using driver = new TopologyTestDriver(builder.build());
    driver.createInputTopic<string, Event>('events').pipeInput('k', { region: 'eu', amount: 2.5 });
    const [stored] = driver.topics.written('amounts');
    expect(stored!.value).toEqual(Buffer.from([0x40, 0x04, 0, 0, 0, 0, 0, 0])); // 2.5 as a big-endian double
    // The output topic reads with the serde the sink declared.
    expect(driver.createOutputTopic('amounts').readValue()).toBe(2.5);
  });

  it('chooses the topic per record with a function of key, value and record', () => {
    const builder = new StreamsBuilder();
    builder.stream<string, Event>('events').to((key, event, record) => `events-${event.region}-${record.topic}-${key.length}`);
    using driver = new TopologyTestDriver(builder.build());
    const input = driver.createInputTopic<string, Event>('events');
    input.pipeInput('a', { region: 'eu', amount: 1 });
    input.pipeInput('bb', { region: 'us', amount: 2 });
    expect(driver.createOutputTopic<string, Event>('events-eu-events-1').readKeyValuesToList()).toEqual([['a', { region: 'eu', amount: 1 }]]);
    expect(driver.createOutputTopic<string, Event>('events-us-events-2').readKeyValuesToList()).toEqual([['bb', { region: 'us', amount: 2 }]]);
  });

  it('describes a topic function as Kafka Streams describes a TopicNameExtractor', () => {
    const builder = new StreamsBuilder();
    builder.stream('events').to(function byRegion() {
      return 'x';
    });
    expect(builder.build().describe().toString()).toContain('Sink: KSTREAM-SINK-0000000001 (extractor class: byRegion)');
  });

  it('sends a topic function that throws or returns no topic to the processing error handler', () => {
    const builder = new StreamsBuilder();
    builder.stream<string, Event>('events').to((key) => (key === 'bad' ? '' : 'ok'));
    using driver = new TopologyTestDriver(builder.build(), { processingErrorHandler: ErrorHandlers.logAndContinue(), logger: silentLogger });
    const input = driver.createInputTopic<string, Event>('events');
    input.pipeInput('bad', { region: 'eu', amount: 1 });
    input.pipeInput('good', { region: 'eu', amount: 1 });
    expect(driver.createOutputTopic('ok').readKeyValuesToList().map(([k]) => k)).toEqual(['good']);
    expect(driver.metrics().droppedByReason['processing-error']).toBe(1);
  });

  it('places keyed records by murmur2 of the serialized key, as the Kafka producer does', () => {
    const builder = new StreamsBuilder();
    builder.stream<string, number>('in').to('out');
    using driver = new TopologyTestDriver(builder.build(), { partitions: { out: 6 } });
    const input = driver.createInputTopic<string, number>('in');
    const keys = ['alice', 'bob', 'carol', 'dave', 'erin', 'foobar', '21', 'abc'];
    keys.forEach((key, i) => input.pipeInput(key, i));
    const records = driver.createOutputTopic<string, number>('out').readRecordsToList();
    expect(records.map((r) => [r.key, r.partition])).toEqual(keys.map((key) => [key, defaultPartition(Buffer.from(key), 6)]));
    expect(records.find((r) => r.key === 'foobar')!.partition).toBe(((-790332482 & 0x7fffffff) % 6));
  });

  it('uses the partitioner when given one; undefined falls back to murmur2', () => {
    const seen: [string, string, number][] = [];
    const builder = new StreamsBuilder();
    builder.stream<string, Event>('events').to('by-region', {
      partitioner: (topic, key, event, partitions) => {
        seen.push([topic, key, partitions]);
        if (key === 'default') return undefined;
        return event.region === 'eu' ? 0 : 2;
      },
    });
    using driver = new TopologyTestDriver(builder.build(), { partitions: { 'by-region': 3 } });
    const input = driver.createInputTopic<string, Event>('events');
    input.pipeInput('a', { region: 'us', amount: 1 });
    input.pipeInput('b', { region: 'eu', amount: 1 });
    input.pipeInput('default', { region: 'eu', amount: 1 });
    const records = driver.createOutputTopic<string, Event>('by-region').readRecordsToList();
    expect(records.map((r) => [r.key, r.partition])).toEqual([
      ['a', 2],
      ['b', 0],
      ['default', defaultPartition(Buffer.from('default'), 3)],
    ]);
    expect(seen[0]).toEqual(['by-region', 'a', 3]);
  });

  it('sends a value its sink serde cannot write to the production error handler, naming the topic', () => {
    const builder = new StreamsBuilder();
    builder.stream<string, unknown>('in').to('out', { valueSerde: Serdes.string() as never });
    using driver = new TopologyTestDriver(builder.build(), { logger: silentLogger });
    expect(() => driver.createInputTopic<string, unknown>('in').pipeInput('k', 42)).toThrow(
      /record at topic 'in' partition 0 offset 0: the value for topic 'out' was refused by its serde string: Serdes.string\(\) cannot write a number$/,
    );
  });

  it('is terminal and checks its topic', () => {
    const builder = new StreamsBuilder();
    const stream = builder.stream('in');
    expect(stream.to('out')).toBeUndefined();
    expect(() => stream.to('')).toThrow(TopologyError);
    expect(() => stream.to(42 as never)).toThrow(/to\(\) takes a topic name or a function/);
  });
});
