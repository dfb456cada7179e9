// Stores with `caching` (Kafka Streams' caching stores for the processor API): the changelog
// gets each written key once per commit, the store every write, on the fake client.
import { Serdes, Stores, type KeyValueStore, type Processor, type ProcessorContext, type StreamRecord } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { app, until } from './fakes/fakeApp';
import { FakeKafka } from './fakes/FakeKafka';

/** Counts clicks per key in a processor store; forwards nothing. */
class ClickCounter implements Processor<string, string> {
  private totals!: KeyValueStore<string, number>;

  init(context: ProcessorContext<never, never>): void {
    this.totals = context.getStateStore<KeyValueStore<string, number>>('totals');
  }

  process(record: StreamRecord<string, string>): void {
    this.totals.put(record.key, (this.totals.get(record.key) ?? 0) + 1);
  }
}

const counting =
  (caching: boolean) =>
  (builder: Parameters<Parameters<typeof app>[1]>[0]) =>
    builder.stream<string, string>('events').process(() => new ClickCounter(), { stores: [Stores.keyValueStore('totals', { keySerde: Serdes.string(), valueSerde: Serdes.json<number>(), caching })] });

function topics(): FakeKafka {
  const kafka = new FakeKafka();
  kafka.createTopic('events', 1);
  return kafka;
}

const changelog = (kafka: FakeKafka) => kafka.read('app-totals-changelog').map((r) => [r.key, r.value]);

describe.each(['at_least_once', 'exactly_once'] as const)('a store with caching (%s)', (guarantee) => {
  it('logs each written key once per commit, with its latest value; the store has every write at once', async () => {
    const kafka = topics();
    for (const key of 'aaaaabbbaa') kafka.append('events', key, 'click');
    const streams = app(kafka, counting(true), { commitIntervalMs: 60_000, processingGuarantee: guarantee });
    await streams.start();
    await until(() => streams.metrics().processed === 10, 'the records to be processed');
    expect(changelog(kafka)).toEqual([]);
    expect(streams.store<string, number>('totals').get('a')).toBe(7);
    await streams.close(); // the closing commit flushes the cache
    expect(changelog(kafka)).toEqual([
      ['a', 7],
      ['b', 3],
    ]);
    expect(kafka.committed.get('events-0')).toBe(10);
  });

  it('restores what it logged: a new instance counts on from the committed state', async () => {
    const kafka = topics();
    for (const key of 'aaab') kafka.append('events', key, 'click');
    {
      await using first = app(kafka, counting(true), { commitIntervalMs: 20, processingGuarantee: guarantee });
      await first.start();
      await until(() => kafka.committed.get('events-0') === 4, 'the first commit');
    }
    for (const key of 'ab') kafka.append('events', key, 'click');
    await using second = app(kafka, counting(true), { commitIntervalMs: 20, processingGuarantee: guarantee });
    await second.start();
    await until(() => kafka.committed.get('events-0') === 6, 'the second instance to commit');
    expect(second.store<string, number>('totals').get('a')).toBe(4);
    expect(second.store<string, number>('totals').get('b')).toBe(2);
  });

  it('without caching, logs every write', async () => {
    const kafka = topics();
    for (const key of 'aab') kafka.append('events', key, 'click');
    const streams = app(kafka, counting(false), { commitIntervalMs: 60_000, processingGuarantee: guarantee });
    await streams.start();
    await until(() => streams.metrics().processed === 3, 'the records to be processed');
    await streams.close();
    expect(changelog(kafka)).toEqual([
      ['a', 1],
      ['a', 2],
      ['b', 1],
    ]);
  });
});
