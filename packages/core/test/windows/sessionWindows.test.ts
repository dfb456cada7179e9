import { describe, expect, it } from 'vitest';
import { EmitStrategy, Serdes, SessionWindows, StreamsBuilder, TopologyError, WindowedSerdes, type KeyValue, type SessionStore, type Windowed } from '@tributary/core';
import { Task } from '@tributary/core/runtime';
import { TopologyTestDriver } from '@tributary/core/testing';
import { rows, windowedTopology } from './windowTestKit';

const countSessions = (windows: SessionWindows, options: { partitions?: number } = {}) =>
  windowedTopology((stream) => stream.groupByKey().windowedBy(windows).count({ name: 'sessions' }).toStream().to('output'), options);

describe('SessionWindows', () => {
  it('merges two sessions bridged by a record: tombstones for the old sessions, then the merged one', () => {
    const { pipe, output, driver } = countSessions(SessionWindows.ofInactivityGapAndGrace(10, 20));
    const out = output();
    pipe(['a', 'x', 0], ['a', 'x', 20], ['a', 'x', 10]);
    expect(rows(out)).toEqual([
      ['a', 0, 0, 1, 0],
      ['a', 20, 20, 1, 20],
      ['a', 0, 0, null, 0],
      ['a', 20, 20, null, 20],
      ['a', 0, 20, 3, 20],
    ]);
    expect(driver.getSessionStore<string, number>('sessions').fetch('a').map(([w, v]) => [w.window.start, w.window.end, v])).toEqual([[0, 20, 3]]);
  });

  it('joins a record exactly one gap away and splits one further away', () => {
    const { pipe, output, driver } = countSessions(SessionWindows.ofInactivityGapAndGrace(10, 20));
    const out = output();
    pipe(['a', 'x', 0], ['a', 'x', 10], ['a', 'x', 21]);
    expect(rows(out)).toEqual([
      ['a', 0, 0, 1, 0],
      ['a', 0, 0, null, 0],
      ['a', 0, 10, 2, 10],
      ['a', 21, 21, 1, 21],
    ]);
    expect(driver.getSessionStore<string, number>('sessions').fetch('a').map(([w, v]) => [w.window.start, w.window.end, v])).toEqual([
      [0, 10, 2],
      [21, 21, 1],
    ]);
  });

  it('replaces a session a record falls inside with a tombstone and the update', () => {
    const { pipe, output } = countSessions(SessionWindows.ofInactivityGapAndGrace(10, 10));
    const out = output();
    pipe(['a', 'x', 0], ['a', 'x', 10], ['a', 'x', 5]);
    expect(rows(out).slice(3)).toEqual([
      ['a', 0, 10, null, 10],
      ['a', 0, 10, 3, 10],
    ]);
  });

  it('keeps sessions per key', () => {
    const { pipe, output } = countSessions(SessionWindows.ofInactivityGapWithNoGrace(10));
    const out = output();
    pipe(['a', 'x', 0], ['b', 'x', 5]);
    expect(rows(out)).toEqual([
      ['a', 0, 0, 1, 0],
      ['b', 5, 5, 1, 5],
    ]);
  });

  it('drops a record whose session would end before stream time - gap - grace', () => {
    const { pipe, output, late, driver } = countSessions(SessionWindows.ofInactivityGapAndGrace(10, 5));
    const out = output();
    pipe(['a', 'x', 100]); // close time 85
    out.readRecordsToList();
    pipe(['b', 'x', 84]); // session [84, 84] ends before 85: late
    pipe(['b', 'x', 86]); // [86, 86] is still open
    pipe(['a', 'x', 91]); // merges into [91, 100]: open
    expect(rows(out)).toEqual([
      ['b', 86, 86, 1, 86],
      ['a', 100, 100, null, 100],
      ['a', 91, 100, 2, 100],
    ]);
    expect(late()).toBe(1);
    expect(driver.metrics().droppedRecords).toBe(1);
  });

  it('forwards a session ending exactly at the close time, keeps it out of lookups, and emits its final result', () => {
    // Kafka Streams' default (RocksDB) session stores keep the write, invisible to lookups
    // (retention is measured from the latest end written), and its onWindowClose emits it.
    const { pipe, output, driver } = countSessions(SessionWindows.ofInactivityGapAndGrace(10, 5));
    const out = output();
    pipe(['a', 'x', 100], ['b', 'x', 85]);
    expect(rows(out)).toEqual([
      ['a', 100, 100, 1, 100],
      ['b', 85, 85, 1, 85],
    ]);
    expect(driver.getSessionStore('sessions').fetch('b')).toEqual([]);
    expect(driver.metrics().droppedByReason).toEqual({});
  });

  it('emits the final result of a session that ended exactly at the close time (onWindowClose, as Kafka Streams)', () => {
    const { pipe, output } = windowedTopology((stream) =>
      stream
        .groupByKey()
        .windowedBy(SessionWindows.ofInactivityGapAndGrace(10, 5))
        .emitStrategy(EmitStrategy.onWindowClose())
        .count({ name: 'sessions' })
        .toStream()
        .to('output'),
    );
    const out = output();
    pipe(['a', 'x', 100], ['b', 'x', 85], ['a', 'x', 101]); // close time 85, then 86
    expect(rows(out)).toEqual([['b', 85, 85, 1, 85]]);
  });

  it('forwards session updates without headers', () => {
    const { input, output } = countSessions(SessionWindows.ofInactivityGapWithNoGrace(10));
    input.pipeInput('a', 'x', 1, { trace: 't1' });
    expect(output().readRecord().headers).toEqual({});
  });
});

describe('session reduce and aggregate', () => {
  it('aggregate merges the sessions in time order, then folds the record', () => {
    const { pipe, output } = windowedTopology((stream) =>
      stream
        .groupByKey()
        .windowedBy(SessionWindows.ofInactivityGapAndGrace(10, 20))
        .aggregate(
          () => '',
          (_key, value, aggregate) => aggregate + value,
          (_key, left, right) => `${left}${right}`,
          { valueSerde: Serdes.string() },
        )
        .toStream()
        .to('output', { valueSerde: Serdes.string() }),
    );
    const out = output();
    pipe(['a', 'x', 0], ['a', 'z', 20], ['a', 'y', 10]);
    expect(rows(out).at(-1)).toEqual(['a', 0, 20, 'xzy', 20]);
  });

  it('reduce combines values and merged sessions with the reducer', () => {
    const { pipe, output } = windowedTopology((stream) =>
      stream
        .groupByKey()
        .windowedBy(SessionWindows.ofInactivityGapAndGrace(10, 20))
        .reduce((a, b) => `${a}+${b}`)
        .toStream()
        .to('output', { valueSerde: Serdes.string() }),
    );
    const out = output();
    pipe(['a', '1', 0], ['a', '2', 20], ['a', '3', 10]);
    expect(rows(out)).toEqual([
      ['a', 0, 0, '1', 0],
      ['a', 20, 20, '2', 20],
      ['a', 0, 0, null, 0],
      ['a', 20, 20, null, 20],
      ['a', 0, 20, '1+2+3', 20],
    ]);
  });
});

describe('session store', () => {
  it('finds sessions by key and time across partitions', () => {
    const { pipe, driver } = countSessions(SessionWindows.ofInactivityGapAndGrace(10, 100), { partitions: 3 });
    pipe(['a', 'x', 0], ['a', 'x', 5], ['a', 'x', 30], ['b', 'x', 12]);
    const store = driver.getSessionStore<string, number>('sessions');
    const simple = (found: KeyValue<Windowed<string>, number>[]) => found.map(([w, v]) => [w.key, w.window.start, w.window.end, v]);
    expect(simple(store.fetch('a'))).toEqual([
      ['a', 0, 5, 2],
      ['a', 30, 30, 1],
    ]);
    expect(simple(store.fetch('a', 6, 40))).toEqual([['a', 30, 30, 1]]);
    expect(simple(store.findSessions('a', 0, 10))).toEqual([['a', 0, 5, 2]]);
    expect(store.fetchSession('a', 0, 5)).toBe(2);
    expect(store.fetchSession('a', 0, 4)).toBeUndefined();
    expect(simple(store.all())).toEqual([
      ['a', 0, 5, 2],
      ['b', 12, 12, 1],
      ['a', 30, 30, 1],
    ]);
    expect(() => driver.getWindowStore('sessions')).toThrow(/session store, not a window store/);
  });

  it('keeps a session for gap + grace after the latest session end', () => {
    const { pipe, driver } = countSessions(SessionWindows.ofInactivityGapAndGrace(10, 5));
    pipe(['a', 'x', 0], ['b', 'x', 14]);
    const store = driver.getSessionStore<string, number>('sessions');
    expect(store.fetch('a')).toHaveLength(1);
    pipe(['b', 'x', 15]); // latest end 15: 0 <= 15 - 15
    expect(store.fetch('a')).toEqual([]);
  });

  it('logs puts and removals to the changelog, and restores from it', () => {
    const builder = new StreamsBuilder();
    builder.stream<string, string>('input', { valueSerde: Serdes.string() }).groupByKey().windowedBy(SessionWindows.ofInactivityGapWithNoGrace(10)).count({ name: 'sessions' });
    const topology = builder.build();
    const driver = new TopologyTestDriver(topology, { initialWallClockTime: 0 });
    const input = driver.createInputTopic<string, string>('input');
    input.pipeInput('a', 'x', 0);
    input.pipeInput('a', 'x', 5);
    input.pipeInput('b', 'x', 7);
    const changelog = driver.topics.written('test-app-sessions-changelog');
    const keySerde = WindowedSerdes.sessionWindowed(Serdes.json<string>());
    expect(changelog.map((r) => [keySerde.deserialize('', r.key), r.value === null ? null : JSON.parse(r.value.toString())])).toEqual([
      [{ key: 'a', window: { start: 0, end: 0 } }, 1],
      [{ key: 'a', window: { start: 0, end: 0 } }, null],
      [{ key: 'a', window: { start: 0, end: 5 } }, 2],
      [{ key: 'b', window: { start: 7, end: 7 } }, 1],
    ]);
    const task = new Task(topology.subTopologies[0]!, 0, { applicationId: 'test-app', collector: { send: () => undefined, partitionsFor: () => 1 } });
    for (const record of changelog) task.restore('sessions', record.key, record.value, record.timestamp);
    const store = task.getStore<SessionStore<string, number>>('sessions')!;
    expect(store.all().map(([w, v]) => [w.key, w.window.start, w.window.end, v])).toEqual([
      ['a', 0, 5, 2],
      ['b', 7, 7, 1],
    ]);
  });

  it('rejects a gap of zero and a retention below gap + grace', () => {
    expect(() => SessionWindows.ofInactivityGapWithNoGrace(0)).toThrow(new TopologyError('SessionWindows: the inactivity gap must be larger than zero, got 0 ms'));
    expect(() =>
      new StreamsBuilder().stream('input').groupByKey().windowedBy(SessionWindows.ofInactivityGapAndGrace('1m', '1m')).count({ name: 's', retention: '119s' }),
    ).toThrow(/inactivity gap plus the grace period \(120000 ms\), got 119000 ms/);
  });
});
