import { describe, expect, it } from 'vitest';
import { Serdes, StreamsBuilder, TimeWindows, TopologyError, WindowedSerdes, type WindowStore } from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';
import { Task } from '@tributary/core/runtime';
import { rows, windowedTopology } from './windowTestKit';

const countPerWindow = (windows: TimeWindows, name = 'counts') =>
  windowedTopology((stream) => stream.groupByKey().windowedBy(windows).count({ name }).toStream().to('output'));

describe('TimeWindows (tumbling)', () => {
  it('puts a record exactly at a window end into the next window', () => {
    const { pipe, output } = countPerWindow(TimeWindows.ofSizeWithNoGrace(10));
    pipe(['a', 'x', 0], ['a', 'x', 9], ['a', 'x', 10]);
    expect(rows(output())).toEqual([
      ['a', 0, 10, 1, 0],
      ['a', 0, 10, 2, 9],
      ['a', 10, 20, 1, 10],
    ]);
  });

  it('accepts a record while stream time < end + grace and drops it at end + grace', () => {
    const { pipe, output, late, driver } = countPerWindow(TimeWindows.ofSizeAndGrace(10, 5));
    pipe(['a', 'x', 0], ['b', 'x', 14]);
    pipe(['a', 'x', 9]); // stream time 14 < 10 + 5: accepted
    pipe(['b', 'x', 15]); // stream time 15 = 10 + 5: window [0, 10) is closed
    pipe(['a', 'x', 9]);
    expect(rows(output())).toEqual([
      ['a', 0, 10, 1, 0],
      ['b', 10, 20, 1, 14],
      ['a', 0, 10, 2, 9],
      ['b', 10, 20, 2, 15],
    ]);
    expect(late()).toBe(1);
    expect(driver.metrics().droppedRecords).toBe(1);
    expect(driver.getWindowStore<string, number>('counts').fetch('a', 0)).toBe(2);
  });

  it('drops every out-of-order record beyond grace and counts each in dropped-records', () => {
    const { pipe, output, late } = countPerWindow(TimeWindows.ofSizeAndGrace(10, 3));
    pipe(['a', 'x', 25], ['a', 'x', 12], ['a', 'x', 19], ['a', 'x', 1]);
    expect(rows(output())).toEqual([['a', 20, 30, 1, 25]]);
    expect(late()).toBe(3);
  });

  it('gives an aggregate the largest timestamp of its records, not the latest', () => {
    const { pipe, output } = countPerWindow(TimeWindows.ofSizeAndGrace(10, 10));
    pipe(['a', 'x', 7], ['a', 'x', 2], ['a', 'x', 5]);
    expect(rows(output())).toEqual([
      ['a', 0, 10, 1, 7],
      ['a', 0, 10, 2, 7],
      ['a', 0, 10, 3, 7],
    ]);
  });

  it('takes durations as strings and aligns windows to the epoch', () => {
    const { pipe, output } = countPerWindow(TimeWindows.ofSizeAndGrace('1m', '30s'));
    pipe(['a', 'x', 90_000], ['a', 'x', 119_999], ['a', 'x', 120_000]);
    expect(rows(output())).toEqual([
      ['a', 60_000, 120_000, 1, 90_000],
      ['a', 60_000, 120_000, 2, 119_999],
      ['a', 120_000, 180_000, 1, 120_000],
    ]);
  });

  it('drops records with a null key, and counts null values as Kafka Streams does', () => {
    const { pipe, output, driver } = countPerWindow(TimeWindows.ofSizeWithNoGrace(10));
    pipe([null, 'x', 1], ['a', null, 2], ['a', 'x', 3]);
    expect(rows(output())).toEqual([
      ['a', 0, 10, 1, 2],
      ['a', 0, 10, 2, 3],
    ]);
    expect(driver.metrics().droppedByReason).toEqual({ 'null-key': 1 });
  });
});

describe('TimeWindows (hopping)', () => {
  it('puts a record into every window containing it, emitted in ascending start', () => {
    const { pipe, output } = countPerWindow(TimeWindows.ofSizeWithNoGrace(10).advanceBy(3));
    pipe(['a', 'x', 7], ['a', 'x', 12]);
    expect(rows(output())).toEqual([
      ['a', 0, 10, 1, 7],
      ['a', 3, 13, 1, 7],
      ['a', 6, 16, 1, 7],
      ['a', 3, 13, 2, 12],
      ['a', 6, 16, 2, 12],
      ['a', 9, 19, 1, 12],
      ['a', 12, 22, 1, 12],
    ]);
  });

  it('never creates windows before the epoch', () => {
    const { pipe, output } = countPerWindow(TimeWindows.ofSizeWithNoGrace(10).advanceBy(5));
    pipe(['a', 'x', 2]);
    expect(rows(output())).toEqual([['a', 0, 10, 1, 2]]);
  });

  it('updates the windows still open and counts one late drop per closed window', () => {
    const { pipe, output, late } = countPerWindow(TimeWindows.ofSizeWithNoGrace(10).advanceBy(5));
    const out = output();
    pipe(['a', 'x', 20]);
    out.readRecordsToList();
    pipe(['a', 'x', 12]); // [5, 15) and [10, 20) both ended by stream time 20
    pipe(['a', 'x', 17]); // [10, 20) closed, [15, 25) open
    expect(rows(out)).toEqual([['a', 15, 25, 2, 20]]);
    expect(late()).toBe(3);
  });
});

describe('time-windowed reduce and aggregate', () => {
  it('reduce starts from the first value of each window', () => {
    const { pipe, output } = windowedTopology((stream) =>
      stream.groupByKey().windowedBy(TimeWindows.ofSizeWithNoGrace(10)).reduce((a, b) => `${a}+${b}`).toStream().to('output', { valueSerde: Serdes.string() }),
    );
    pipe(['a', '1', 1], ['a', '2', 2], ['a', '3', 11]);
    expect(rows(output())).toEqual([
      ['a', 0, 10, '1', 1],
      ['a', 0, 10, '1+2', 2],
      ['a', 10, 20, '3', 11],
    ]);
  });

  it('aggregate folds from the initializer with the key', () => {
    const { pipe, output } = windowedTopology((stream) =>
      stream
        .groupByKey()
        .windowedBy(TimeWindows.ofSizeWithNoGrace(10))
        .aggregate(
          () => '0',
          (key, value, aggregate) => `${aggregate}+${key}${value}`,
          { name: 'agg', valueSerde: Serdes.string() },
        )
        .toStream()
        .to('output', { valueSerde: Serdes.string() }),
    );
    pipe(['a', '1', 1], ['b', '2', 2], ['a', '3', 3]);
    expect(rows(output())).toEqual([
      ['a', 0, 10, '0+a1', 1],
      ['b', 0, 10, '0+b2', 2],
      ['a', 0, 10, '0+a1+a3', 3],
    ]);
  });
});

describe('time-windowed table downstream', () => {
  it("gives a filter a new window's initial count as its old value (Kafka Streams' KStreamWindowAggregate)", () => {
    const { pipe, output } = windowedTopology((stream) => {
      const counts = stream.groupByKey().windowedBy(TimeWindows.ofSizeWithNoGrace(10)).count();
      // A window's first update is (1, old 0): 0 fails `>= 2` too, so nothing; 0 passes `!== 1`, so a tombstone.
      counts.filter((_k, c) => c >= 2).toStream().to('at-least-two');
      counts.filterNot((_k, c) => c === 1).toStream().to('not-one');
    });
    pipe(['a', 'x', 1], ['a', 'x', 2]);
    expect(rows(output('at-least-two'))).toEqual([['a', 0, 10, 2, 2]]);
    expect(rows(output('not-one'))).toEqual([
      ['a', 0, 10, null, 1],
      ['a', 0, 10, 2, 2],
    ]);
  });
});

describe('time-window store', () => {
  it('answers fetch by start, by range, fetchAll and all across partitions', () => {
    const { pipe, driver } = windowedTopology(
      (stream) => stream.groupByKey().windowedBy(TimeWindows.ofSizeAndGrace(10, 100).advanceBy(5)).count({ name: 'counts' }),
      { partitions: 3 },
    );
    pipe(['a', 'x', 7], ['b', 'x', 8], ['c', 'x', 12], ['a', 'x', 13]);
    const store = driver.getWindowStore<string, number>('counts');
    expect(store.fetch('a', 5)).toBe(2);
    expect(store.fetch('a', 0, 10)).toEqual([
      [0, 1],
      [5, 2],
      [10, 1],
    ]);
    expect(store.backwardFetch('a', 0, 10).map(([start]) => start)).toEqual([10, 5, 0]);
    expect(store.fetchWithTimestamp('a', 5)).toEqual({ value: 2, timestamp: 13 });
    expect(store.fetchAll(5, 5).map(([w, v]) => [w.key, w.window.start, w.window.end, v])).toEqual([
      ['a', 5, 15, 2],
      ['b', 5, 15, 1],
      ['c', 5, 15, 1],
    ]);
    expect(store.all().map(([w, v]) => [w.key, w.window.start, v])).toEqual([
      ['a', 0, 1],
      ['b', 0, 1],
      ['a', 5, 2],
      ['b', 5, 1],
      ['c', 5, 1],
      ['a', 10, 1],
      ['c', 10, 1],
    ]);
    expect(() => driver.getKeyValueStore('counts')).toThrow(/window store, not a keyValue store/);
  });

  it('keeps a window for size + grace after the latest window start', () => {
    const { pipe, driver } = countPerWindow(TimeWindows.ofSizeAndGrace(10, 5));
    pipe(['a', 'x', 3], ['b', 'x', 19]); // latest start 10: 0 > 10 - 15, [0, 10) is kept
    const store = driver.getWindowStore<string, number>('counts');
    expect(store.fetch('a', 0)).toBe(1);
    pipe(['b', 'x', 20]); // latest start 20: 0 <= 20 - 15, [0, 10) is gone
    expect(store.fetch('a', 0)).toBeUndefined();
    expect(store.all().map(([w]) => [w.key, w.window.start])).toEqual([
      ['b', 10],
      ['b', 20],
    ]);
  });

  it('logs every write to the changelog keyed by the windowed key', () => {
    const { pipe, driver } = countPerWindow(TimeWindows.ofSizeWithNoGrace(10).advanceBy(5));
    pipe(['a', 'x', 7]);
    const changelog = driver.topics.written('test-app-counts-changelog');
    // Internal topics default to JSON: the key inside the windowed key is JSON here.
    const keySerde = WindowedSerdes.timeWindowed(Serdes.json<string>(), 10);
    expect(changelog.map((r) => [keySerde.deserialize('', r.key), JSON.parse(r.value!.toString()), r.timestamp])).toEqual([
      [{ key: 'a', window: { start: 0, end: 10 } }, 1, 7],
      [{ key: 'a', window: { start: 5, end: 15 } }, 1, 7],
    ]);
  });

  it('restores from its changelog', () => {
    const builder = new StreamsBuilder();
    builder.stream<string, string>('input', { valueSerde: Serdes.string() }).groupByKey().windowedBy(TimeWindows.ofSizeAndGrace(10, 10)).count({ name: 'counts' });
    const topology = builder.build();
    const first = new TopologyTestDriver(topology, { initialWallClockTime: 0 });
    const input = first.createInputTopic<string, string>('input');
    input.pipeInput('a', 'x', 1);
    input.pipeInput('a', 'x', 2);
    input.pipeInput('b', 'x', 15);
    const changelog = first.topics.written('test-app-counts-changelog');
    const task = new Task(topology.subTopologies[0]!, 0, { applicationId: 'test-app', collector: { send: () => undefined, partitionsFor: () => 1 } });
    for (const record of changelog) task.restore('counts', record.key, record.value, record.timestamp);
    const store = task.getStore<WindowStore<string, number>>('counts')!;
    expect(store.all().map(([w, v]) => [w.key, w.window.start, v])).toEqual([
      ['a', 0, 2],
      ['b', 10, 1],
    ]);
    expect(store.fetchWithTimestamp('a', 0)).toEqual({ value: 2, timestamp: 2 });
  });
});

describe('time windows through a repartition topic', () => {
  it('repartitions after a key change and counts per new key', () => {
    const { pipe, output, driver } = windowedTopology(
      (stream) =>
        stream
          .selectKey((_k, v) => v)
          .groupByKey()
          .windowedBy(TimeWindows.ofSizeWithNoGrace(10))
          .count({ name: 'per-value' })
          .toStream()
          .to('output'),
      { partitions: 2 },
    );
    pipe(['a', 'red', 1], ['b', 'red', 2], ['c', 'blue', 3]);
    expect(driver.topics.topicNames()).toContain('test-app-per-value-repartition');
    expect(rows(output()).sort()).toEqual([
      ['blue', 0, 10, 1, 3],
      ['red', 0, 10, 1, 1],
      ['red', 0, 10, 2, 2],
    ]);
  });
});

describe('time window arguments', () => {
  it('rejects bad sizes, advances and graces with a TopologyError', () => {
    expect(() => TimeWindows.ofSizeWithNoGrace(0)).toThrow(new TopologyError('TimeWindows: the window size must be larger than zero, got 0 ms'));
    expect(() => TimeWindows.ofSizeWithNoGrace(10).advanceBy(0)).toThrow(/advance must be larger than zero and at most the window size \(10 ms\), got 0 ms/);
    expect(() => TimeWindows.ofSizeWithNoGrace(10).advanceBy(11)).toThrow(TopologyError);
    expect(() => TimeWindows.ofSizeAndGrace(10, -1)).toThrow(/grace must be a non-negative number of milliseconds/);
    expect(() => TimeWindows.ofSizeWithNoGrace('5x' as never)).toThrow(/is not a duration/);
    expect(() => TimeWindows.ofSizeWithNoGrace(1.5)).toThrow(/whole number of milliseconds/);
    expect(TimeWindows.ofSizeAndGrace('5m', '30s').advanceBy('1m')).toMatchObject({ sizeMs: 300_000, graceMs: 30_000, advanceMs: 60_000 });
  });

  it('rejects a retention below size + grace, and what windowedBy cannot use', () => {
    const grouped = new StreamsBuilder().stream('input').groupByKey();
    expect(() => grouped.windowedBy(TimeWindows.ofSizeAndGrace(10, 5)).count({ name: 's', retention: 14 })).toThrow(
      /retention of window store 's' must be no smaller than its window size plus the grace period \(15 ms\), got 14 ms/,
    );
    expect(() => grouped.windowedBy({} as TimeWindows)).toThrow(/windowedBy takes TimeWindows, SlidingWindows or SessionWindows/);
    expect(() => grouped.windowedBy(TimeWindows.ofSizeWithNoGrace(10)).emitStrategy('close' as never)).toThrow(/emitStrategy takes/);
  });

});
