import { TimeWindows } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { app, until } from './fakes/fakeApp';
import { FakeKafka } from './fakes/FakeKafka';

const counting = (builder: Parameters<Parameters<typeof app>[1]>[0]) =>
  builder.stream<string, string>('events').groupByKey().count({ name: 'totals' }).toStream().to('counts');

function topics(): FakeKafka {
  const kafka = new FakeKafka();
  kafka.createTopic('events', 1);
  kafka.createTopic('counts', 1);
  return kafka;
}

const appendAll = (kafka: FakeKafka, keys: string) => {
  for (const key of keys) kafka.append('events', key, 'click', { timestamp: 1_000 });
};

describe.each(['at_least_once', 'exactly_once'] as const)('record caches (cacheMaxRecords, %s)', (guarantee) => {
  it('log and forward each updated key once per commit, with its latest count', async () => {
    const kafka = topics();
    appendAll(kafka, 'aaaaabbbaa');
    const streams = app(kafka, counting, { cacheMaxRecords: 100, commitIntervalMs: 60_000, processingGuarantee: guarantee });
    await streams.start();
    await until(() => streams.metrics().processed === 10, 'the records to be processed');
    // Held back: nothing forwarded or logged yet, but the store has every update.
    expect(kafka.read('counts')).toEqual([]);
    expect(kafka.read('app-totals-changelog')).toEqual([]);
    expect(streams.store<string, number>('totals').get('a')).toBe(7);
    await streams.close(); // the closing commit flushes the caches
    expect(kafka.read('counts').map((r) => [r.key, r.value])).toEqual([
      ['a', 7],
      ['b', 3],
    ]);
    expect(kafka.read('app-totals-changelog').map((r) => [r.key, r.value])).toEqual([
      ['"a"', 7],
      ['"b"', 3],
    ]);
    expect(kafka.committed.get('events-0')).toBe(10);
  });

  it('forward the oldest held key early when the cache is full', async () => {
    const kafka = topics();
    appendAll(kafka, 'aab');
    appendAll(kafka, 'c'); // a third key in a cache of two: 'a' goes out
    const streams = app(kafka, counting, { cacheMaxRecords: 2, commitIntervalMs: 60_000, processingGuarantee: guarantee });
    await streams.start();
    await until(() => streams.metrics().processed === 4, 'the records to be processed');
    if (guarantee === 'at_least_once') expect(kafka.read('counts').map((r) => [r.key, r.value])).toEqual([['a', 2]]);
    await streams.close();
    expect(kafka.read('counts').map((r) => [r.key, r.value])).toEqual([
      ['a', 2],
      ['b', 1],
      ['c', 1],
    ]);
  });

  it('commit no offset past an update that lives only in a cache: commits in between flush it first', async () => {
    const kafka = topics();
    appendAll(kafka, 'aaa');
    const streams = app(kafka, counting, { cacheMaxRecords: 100, commitIntervalMs: 50, processingGuarantee: guarantee });
    await streams.start();
    await until(() => kafka.committed.get('events-0') === 3, 'the offsets to be committed');
    // Whatever commit moved the offset to 3 had flushed the cache before it: the count is out.
    expect(kafka.read('counts').map((r) => [r.key, r.value])).toEqual([['a', 3]]);
    appendAll(kafka, 'aa');
    await until(() => kafka.committed.get('events-0') === 5, 'the next commit');
    expect(kafka.read('counts').map((r) => [r.key, r.value])).toEqual([
      ['a', 3],
      ['a', 5],
    ]);
    await streams.close();
  });

  it('log and forward each updated window once per commit', async () => {
    const kafka = topics();
    kafka.createTopic('window-counts', 1);
    for (const [key, timestamp] of [['a', 1_000], ['a', 2_000], ['a', 61_000], ['b', 63_000], ['a', 62_000]] as const) kafka.append('events', key, 'click', { timestamp });
    const streams = app(
      kafka,
      (b) =>
        b
          .stream<string, string>('events')
          .groupByKey()
          .windowedBy(TimeWindows.ofSizeWithNoGrace('1m'))
          .count({ name: 'per-minute' })
          .toStream()
          .selectKey((windowedKey) => `${windowedKey.key}@${windowedKey.window.start}`)
          .to('window-counts'),
      { cacheMaxRecords: 100, commitIntervalMs: 60_000, processingGuarantee: guarantee },
    );
    await streams.start();
    await until(() => streams.metrics().processed === 5, 'the records to be processed');
    expect(kafka.read('window-counts')).toEqual([]);
    await streams.close();
    expect(kafka.read('window-counts').map((r) => [r.key, r.value])).toEqual([
      ['a@0', 2],
      ['a@60000', 2],
      ['b@60000', 1],
    ]);
    // Window a@0 left retention (size 1 min, no grace) before the commit: forwarded, not logged.
    expect(kafka.read('app-per-minute-changelog').map((r) => r.value)).toEqual([2, 1]);
  });
});

describe('without record caches', () => {
  it('every update is logged and forwarded (the default)', async () => {
    const kafka = topics();
    appendAll(kafka, 'aab');
    const streams = app(kafka, counting);
    await streams.start();
    await until(() => kafka.read('counts').length === 3, 'every update');
    expect(kafka.read('counts').map((r) => [r.key, r.value])).toEqual([
      ['a', 1],
      ['a', 2],
      ['b', 1],
    ]);
    await streams.close();
  });

  it('rejects a cacheMaxRecords that is not a whole number', () => {
    expect(() => app(topics(), counting, { cacheMaxRecords: -5 })).toThrow('cacheMaxRecords must be a whole number >= 0, got -5');
  });
});
