import { describe, expect, it } from 'vitest';
import {
  EmitStrategy,
  Serdes,
  SessionWindows,
  StreamsBuilder,
  Suppressed,
  TaskFailedError,
  TimeWindows,
  TopologyError,
  WindowedSerdes,
  type KGroupedStream,
  type KTable,
  type Windowed,
} from '@tributary/core';
import { Task, type OutgoingRecord } from '@tributary/core/runtime';
import { TopologyTestDriver } from '@tributary/core/testing';
import { rows, windowedTopology } from './windowTestKit';

const unbounded = () => Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded());

/** The same count, made final both ways: emitStrategy(onWindowClose()) and suppress(untilWindowCloses). */
const finalCounts = (windows: TimeWindows | SessionWindows, way: 'emitStrategy' | 'suppress') =>
  windowedTopology((stream) => {
    const grouped: KGroupedStream<string, string> = stream.groupByKey();
    const windowed = windows instanceof SessionWindows ? grouped.windowedBy(windows) : grouped.windowedBy(windows);
    const table: KTable<Windowed<string>, number> =
      way === 'emitStrategy' ? windowed.emitStrategy(EmitStrategy.onWindowClose()).count({ name: 'counts' }) : windowed.count({ name: 'counts' }).suppress(unbounded());
    table.toStream().to('output');
  });

describe.each(['emitStrategy', 'suppress'] as const)('final results via %s', (way) => {
  it('emits exactly one result per window, with the record that moves stream time to end + grace', () => {
    const { pipe, output, late } = finalCounts(TimeWindows.ofSizeAndGrace(10, 5), way);
    const out = output();
    pipe(['a', 'x', 1], ['a', 'x', 3], ['b', 'x', 12], ['a', 'x', 14]);
    expect(out.isEmpty()).toBe(true); // stream time 14 < 10 + 5
    pipe(['a', 'x', 15]);
    expect(rows(out)).toEqual([['a', 0, 10, 2, 3]]);
    pipe(['a', 'x', 9]); // late for [0, 10): dropped, no second result
    pipe(['a', 'x', 24]);
    expect(out.isEmpty()).toBe(true);
    pipe(['b', 'x', 25]);
    expect(rows(out)).toEqual([
      ['a', 10, 20, 2, 15],
      ['b', 10, 20, 1, 12],
    ]);
    expect(late()).toBe(1);
  });

  it('emits hopping windows in ascending start (onWindowClose: those its store still retains)', () => {
    const { pipe, output } = finalCounts(TimeWindows.ofSizeWithNoGrace(10).advanceBy(5), way);
    const out = output();
    pipe(['a', 'x', 7], ['a', 'x', 12]);
    expect(rows(out)).toEqual([['a', 0, 10, 1, 7]]);
    pipe(['b', 'x', 25]);
    // suppress buffers every update; onWindowClose reads the closed windows back from the window
    // store after b's update, which moved retention (size + grace from the latest start, 25) past them.
    expect(rows(out)).toEqual(
      way === 'suppress'
        ? [
            ['a', 5, 15, 2, 12],
            ['a', 10, 20, 1, 12],
          ]
        : [],
    );
  });

  it('emits every window a record closes (onWindowClose: those within retention of the latest window start)', () => {
    const { pipe, output } = finalCounts(TimeWindows.ofSizeWithNoGrace(10), way);
    const out = output();
    pipe(['a', 'x', 5], ['b', 'x', 12], ['c', 'x', 95]);
    expect(rows(out)).toEqual(
      way === 'suppress'
        ? [
            ['a', 0, 10, 1, 5],
            ['b', 10, 20, 1, 12],
          ]
        : [['a', 0, 10, 1, 5]],
    );
  });

  it('emits one final session per session, after merges, without tombstones', () => {
    const { pipe, output } = finalCounts(SessionWindows.ofInactivityGapWithNoGrace(10), way);
    const out = output();
    pipe(['a', 'x', 0], ['a', 'x', 5], ['a', 'x', 12]);
    expect(out.isEmpty()).toBe(true);
    // Stream time 22: the aggregation still accepts records into [0, 12] (12 >= 22 - 10),
    // but suppress evicts it (12 <= 22 - 10), as in Kafka Streams.
    pipe(['b', 'x', 22]);
    if (way === 'suppress') expect(rows(out)).toEqual([['a', 0, 12, 3, 12]]);
    else expect(out.isEmpty()).toBe(true);
    pipe(['b', 'x', 23]);
    if (way === 'emitStrategy') expect(rows(out)).toEqual([['a', 0, 12, 3, 12]]);
    else expect(out.isEmpty()).toBe(true);
    pipe(['c', 'x', 40]);
    expect(rows(out)).toEqual([['b', 22, 23, 2, 23]]);
  });
});

describe('emitStrategy(onWindowClose())', () => {
  it("emits only the closed windows Kafka Streams reads back after the update (issue 11's hopping example)", () => {
    const { pipe, output } = finalCounts(TimeWindows.ofSizeAndGrace(12, 2).advanceBy(4), 'emitStrategy');
    const out = output();
    // a@16 closes [0,12) (close time 14), but its update writes [16,28): retention (12 + 2 from
    // start 16) no longer covers start 0, so [0,12) is never emitted; a@19 closes [4,16).
    pipe(['a', 'x', 4], ['a', 'x', 7], ['a', 'x', 16], ['a', 'x', 19]);
    expect(rows(out)).toEqual([['a', 4, 16, 2, 7]]);
  });

  it('keeps its last emitted close time across a restart, so closed windows are not emitted again', () => {
    const build = () => {
      const builder = new StreamsBuilder();
      builder
        .stream<string, string>('input', { valueSerde: Serdes.string() })
        .groupByKey()
        .windowedBy(TimeWindows.ofSizeWithNoGrace(10))
        .emitStrategy(EmitStrategy.onWindowClose())
        .count({ name: 'counts' })
        .toStream()
        .to('output');
      return builder.build();
    };
    const topology = build();
    // The tracker store is logged to its own changelog and left out of describe(), as Kafka Streams has no such store.
    expect(topology.internalTopics().map((t) => t.name)).toEqual(['counts-changelog', 'counts-emit-close-time-changelog']);
    expect(topology.describe().toString()).toContain('Processor: counts (stores: [counts])');
    const first = new TopologyTestDriver(topology, { initialWallClockTime: 0 });
    const input = first.createInputTopic<string, string>('input', { valueSerde: Serdes.string() });
    input.pipeInput('a', 'x', 1);
    input.pipeInput('a', 'x', 12); // closes [0, 10)
    expect(rows(first.createOutputTopic<Windowed<string>, unknown>('output'))).toEqual([['a', 0, 10, 1, 1]]);

    // A new task restores both stores from their changelogs, then goes on.
    const sent: OutgoingRecord[] = [];
    const task = new Task(build().subTopologies[0]!, 0, { applicationId: 'test-app', collector: { send: (r) => void sent.push(r), partitionsFor: () => 1 } });
    for (const store of ['counts', 'counts-emit-close-time']) {
      for (const r of first.topics.written(`test-app-${store}-changelog`)) task.restore(store, r.key, r.value, r.timestamp);
    }
    const pipeInto = (key: string, timestamp: number, offset: number) =>
      task.process({ topic: 'input', partition: 0, offset, key: Buffer.from(key), value: Buffer.from('x'), timestamp, headers: {} });
    const keySerde = WindowedSerdes.timeWindowed(Serdes.string(), 10);
    const outputs = () => sent.filter((r) => r.topic === 'output').map((r) => [keySerde.deserialize('output', r.key), JSON.parse(r.value!.toString())]);
    pipeInto('b', 13, 2); // [0, 10) was emitted before the restart
    expect(outputs()).toEqual([]);
    pipeInto('b', 20, 3); // closes [10, 20)
    expect(outputs()).toEqual([
      [{ key: 'a', window: { start: 10, end: 20 } }, 1],
      [{ key: 'b', window: { start: 10, end: 20 } }, 1],
    ]);
  });

  it('forwards the headers of the record that closed the window', () => {
    const { input, output } = finalCounts(TimeWindows.ofSizeWithNoGrace(10), 'emitStrategy');
    input.pipeInput('a', 'x', 1, { trace: 'first' });
    input.pipeInput('a', 'x', 10, { trace: 'closer' });
    const record = output().readRecord();
    expect(record.headers).toEqual({ trace: 'closer' });
    expect(record.timestamp).toBe(1);
  });

  it('still fills the store on every record', () => {
    const { pipe, driver } = finalCounts(TimeWindows.ofSizeAndGrace(10, 10), 'emitStrategy');
    pipe(['a', 'x', 1], ['a', 'x', 2]);
    expect(driver.getWindowStore<string, number>('counts').fetch('a', 0)).toBe(2);
  });
});

describe('KTable.suppress', () => {
  it('untilTimeLimit forwards the latest update per key once stream time passed its first buffered time', () => {
    const { pipe, output } = windowedTopology((stream) =>
      stream.groupByKey().count().suppress(Suppressed.untilTimeLimit(10, Suppressed.BufferConfig.unbounded())).toStream().to('output'),
    );
    const out = output() as unknown as { readRecordsToList(): { key: string; value: number; timestamp: number }[] };
    pipe(['a', 'x', 0], ['a', 'x', 5], ['b', 'x', 9]);
    expect(out.readRecordsToList()).toEqual([]);
    pipe(['a', 'x', 10]);
    pipe(['b', 'x', 19]);
    expect(out.readRecordsToList().map((r) => [r.key, r.value, r.timestamp])).toEqual([
      ['a', 3, 10],
      ['b', 2, 19],
    ]);
  });

  it('emits early when an eager buffer is full', () => {
    const { pipe, output } = windowedTopology((stream) =>
      stream.groupByKey().count().suppress(Suppressed.untilTimeLimit('1h', Suppressed.BufferConfig.maxRecords(1))).toStream().to('output'),
    );
    const out = output() as unknown as { readRecordsToList(): { key: string; value: number }[] };
    pipe(['a', 'x', 0], ['b', 'x', 1]);
    expect(out.readRecordsToList().map((r) => [r.key, r.value])).toEqual([['a', 1]]);
  });

  it('fails the task when a shutDownWhenFull buffer overflows', () => {
    const { pipe } = windowedTopology((stream) =>
      stream
        .groupByKey()
        .windowedBy(TimeWindows.ofSizeWithNoGrace(10))
        .count()
        .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.maxRecords(1).shutDownWhenFull())),
    );
    pipe(['a', 'x', 0]);
    expect(() => pipe(['b', 'x', 1])).toThrow(TaskFailedError);
    expect(() => pipe(['c', 'x', 2])).toThrow(/buffer exceeded its max capacity. Currently \[2\/1\] records/);
  });

  it('names its node and buffer store, and logs the buffer', () => {
    const { pipe, driver } = windowedTopology((stream) =>
      stream.groupByKey().windowedBy(TimeWindows.ofSizeWithNoGrace(10)).count().suppress(unbounded().withName('final')).toStream().to('output'),
    );
    expect(driver.topology.describe().toString()).toContain('Processor: final (stores: [final-store])');
    pipe(['a', 'x', 0], ['a', 'x', 10]);
    const changelog = driver.topics.written('test-app-final-store-changelog');
    expect(changelog.map((r) => r.value === null)).toEqual([false, false, true]);
  });

  it('restores its buffer from the changelog and forwards what it held', () => {
    const build = () => {
      const builder = new StreamsBuilder();
      builder
        .stream<string, string>('input', { valueSerde: Serdes.string() })
        .groupByKey()
        .windowedBy(TimeWindows.ofSizeWithNoGrace(10))
        .count({ name: 'counts' })
        .suppress(unbounded().withName('final'))
        .toStream()
        .to('output');
      return builder.build();
    };
    const first = new TopologyTestDriver(build(), { initialWallClockTime: 0 });
    first.createInputTopic<string, string>('input', { valueSerde: Serdes.string() }).pipeInput('a', 'x', 3, { trace: 't' });
    const topology = build();
    const sent: OutgoingRecord[] = [];
    const task = new Task(topology.subTopologies[0]!, 0, { applicationId: 'test-app', collector: { send: (r) => void sent.push(r), partitionsFor: () => 1 } });
    for (const r of first.topics.written('test-app-final-store-changelog')) task.restore('final-store', r.key, r.value, r.timestamp);
    task.process({ topic: 'input', partition: 0, offset: 0, key: Buffer.from('b'), value: Buffer.from('x'), timestamp: 10, headers: {} });
    const keySerde = WindowedSerdes.timeWindowed(Serdes.string(), 10);
    const outputs = sent.filter((r) => r.topic === 'output').map((r) => [keySerde.deserialize('output', r.key), JSON.parse(r.value!.toString()), r.timestamp, r.headers]);
    expect(outputs).toEqual([[{ key: 'a', window: { start: 0, end: 10 } }, 1, 3, { trace: 't' }]]);
  });

  it('finds the grace of the windowed aggregation through table operations', () => {
    const { pipe, output } = windowedTopology((stream) =>
      stream
        .groupByKey()
        .windowedBy(TimeWindows.ofSizeAndGrace(10, 5))
        .count()
        .mapValues((n) => n * 10)
        .suppress(unbounded())
        .toStream()
        .to('output'),
    );
    const out = output();
    pipe(['a', 'x', 1], ['a', 'x', 14]);
    expect(out.isEmpty()).toBe(true);
    pipe(['a', 'x', 15]);
    expect(rows(out)).toEqual([['a', 0, 10, 10, 1]]);
  });

  it('rejects untilWindowCloses on a table without windows, and eager buffers for final results', () => {
    const table = new StreamsBuilder().stream('input').groupByKey().count();
    expect(() => table.suppress(unbounded() as never)).toThrow(TopologyError);
    expect(() => table.suppress(unbounded() as never)).toThrow(/needs a windowed table: no windowed aggregation upstream of \[KSTREAM-SOURCE-0000000000 -> /);
    expect(() => Suppressed.untilWindowCloses(Suppressed.BufferConfig.maxBytes(100) as never)).toThrow(/needs a strict buffer/);
    expect(() => Suppressed.BufferConfig.maxRecords(-1)).toThrow(/maxRecords must be a non-negative integer/);
  });
});
