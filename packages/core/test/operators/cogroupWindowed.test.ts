import { describe, expect, it } from 'vitest';
import {
  Serdes,
  SessionWindows,
  SlidingWindows,
  StreamsBuilder,
  Suppressed,
  TimeWindows,
  TopologyError,
  type CogroupedKStream,
  type Windowed,
} from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';

type Row = [key: string, start: number, end: number, value: unknown, timestamp: number];

/** Two grouped streams, `a` and `b`, cogrouped: `a` adds 1, `b` adds 100 to a number per key. */
function cogroupedInputs(build: (cogrouped: CogroupedKStream<string, number>) => void, options: { byValue?: boolean } = {}) {
  const builder = new StreamsBuilder();
  const a = builder.stream<string, string>('a').groupByKey();
  const b = options.byValue
    ? builder.stream<string, string>('b').groupBy((_k, v) => v)
    : builder.stream<string, string>('b').groupByKey();
  build(a.cogroup((_k, _v, n: number) => n + 1).cogroup(b, (_k, _v, n) => n + 100));
  const driver = new TopologyTestDriver(builder.build(), { initialWallClockTime: 0 });
  const pipe = (topic: 'a' | 'b', key: string | null, value: string | null, timestamp: number) =>
    driver.createInputTopic<string | null, string | null>(topic).pipeInput(key, value, timestamp);
  const rows = (topic = 'output'): Row[] =>
    driver
      .createOutputTopic<Windowed<string>, unknown>(topic)
      .readRecordsToList()
      .map((r) => [r.key.key, r.key.window.start, r.key.window.end, r.value, r.timestamp]);
  return { driver, pipe, rows };
}

describe('CogroupedKStream.windowedBy', () => {
  it('time windows: every input folds into the same window aggregates, emitted on every update', () => {
    const { driver, pipe, rows } = cogroupedInputs((c) =>
      c.windowedBy(TimeWindows.ofSizeAndGrace(10, 5)).aggregate(() => 0, { name: 'per-10ms' }).toStream().to('output'),
    );
    pipe('a', 'k', 'x', 1);
    pipe('b', 'k', 'y', 9);
    pipe('b', 'k', 'z', 10);
    pipe('a', 'k', null, 12); // time windows pass null values to the aggregator, as Kafka Streams does
    expect(rows()).toEqual([
      ['k', 0, 10, 1, 1],
      ['k', 0, 10, 101, 9],
      ['k', 10, 20, 100, 10],
      ['k', 10, 20, 101, 12],
    ]);
    expect(driver.getWindowStore<string, number>('per-10ms').fetch('k', 0)).toBe(101);
  });

  it('hopping windows: a record updates every window containing it, by ascending start', () => {
    const { pipe, rows } = cogroupedInputs((c) => c.windowedBy(TimeWindows.ofSizeWithNoGrace(10).advanceBy(5)).aggregate(() => 0).toStream().to('output'));
    pipe('a', 'k', 'x', 7);
    pipe('b', 'k', 'x', 8);
    expect(rows()).toEqual([
      ['k', 0, 10, 1, 7],
      ['k', 5, 15, 1, 7],
      ['k', 0, 10, 101, 8],
      ['k', 5, 15, 101, 8],
    ]);
  });

  it("keeps each input's stream time apart, as Kafka Streams does: a record is late only against its own input", () => {
    const { driver, pipe, rows } = cogroupedInputs((c) => c.windowedBy(TimeWindows.ofSizeAndGrace(10, 5)).aggregate(() => 0).toStream().to('output'));
    pipe('a', 'k', 'x', 30); // input a's stream time: 30
    pipe('b', 'k', 'x', 2); // input b has seen nothing later: window [0, 10) is open for it
    pipe('a', 'k', 'x', 3); // late for input a
    expect(rows()).toEqual([
      ['k', 30, 40, 1, 30],
      ['k', 0, 10, 100, 2],
    ]);
    expect(driver.metrics().droppedByReason.late).toBe(1);
  });

  it('sliding windows: records of both inputs share the windows; null values are dropped', () => {
    const { driver, pipe, rows } = cogroupedInputs((c) => c.windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(10, 5)).aggregate(() => 0).toStream().to('output'));
    pipe('a', 'k', 'x', 20);
    pipe('b', 'k', 'y', 25);
    pipe('a', 'k', null, 26);
    // As Kafka Streams forwards them: the previous record's right window, then the new record's left window.
    expect(rows()).toEqual([
      ['k', 10, 20, 1, 20],
      ['k', 21, 31, 100, 25],
      ['k', 15, 25, 101, 25],
    ]);
    expect(driver.metrics().droppedByReason['null-value']).toBe(1);
  });

  it('session windows: a record of either input extends or merges sessions, with the merger', () => {
    const { driver, pipe, rows } = cogroupedInputs((c) =>
      c
        .windowedBy(SessionWindows.ofInactivityGapAndGrace(5, 10))
        .aggregate(() => 0, (_k, x, y) => x + y, { name: 'sessions' })
        .toStream()
        .to('output'),
    );
    pipe('a', 'k', 'x', 0);
    pipe('b', 'k', 'x', 10);
    pipe('a', 'k', 'x', 5); // bridges [0, 0] and [10, 10]
    expect(rows()).toEqual([
      ['k', 0, 0, 1, 0],
      ['k', 10, 10, 100, 10],
      ['k', 0, 0, null, 0],
      ['k', 10, 10, null, 10],
      ['k', 0, 10, 102, 10],
    ]);
    expect(driver.getSessionStore<string, number>('sessions').fetch('k')).toEqual([[{ key: 'k', window: { start: 0, end: 10 } }, 102]]);
  });

  it('suppress(untilWindowCloses) waits for the grace of the cogroup windows', () => {
    const { pipe, rows } = cogroupedInputs((c) =>
      c
        .windowedBy(TimeWindows.ofSizeAndGrace(10, 5))
        .aggregate(() => 0, { keySerde: Serdes.string(), valueSerde: Serdes.number() })
        .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
        .toStream()
        .to('output'),
    );
    pipe('a', 'k', 'x', 1);
    pipe('b', 'k', 'x', 2);
    pipe('a', 'k', 'x', 14);
    expect(rows()).toEqual([]);
    pipe('b', 'k', 'x', 15);
    expect(rows()).toEqual([['k', 0, 10, 101, 2]]);
  });

  it('repartitions a re-keyed input before the windows', () => {
    const { driver, pipe, rows } = cogroupedInputs(
      (c) => c.windowedBy(TimeWindows.ofSizeWithNoGrace(10)).aggregate(() => 0, { name: 'windows' }).toStream().to('output'),
      { byValue: true },
    );
    pipe('b', 'ignored', 'k', 1);
    pipe('a', 'k', 'x', 2);
    expect(driver.topics.has('test-app-windows-repartition')).toBe(true);
    expect(rows()).toEqual([
      ['k', 0, 10, 100, 1],
      ['k', 0, 10, 101, 2],
    ]);
  });

  it('names the window store and processors as Kafka Streams does, and checks the retention', () => {
    const builder = new StreamsBuilder();
    const a = builder.stream<string, string>('a').groupByKey();
    const cogrouped = a.cogroup((_k, _v, n: number) => n + 1);
    cogrouped.windowedBy(TimeWindows.ofSizeWithNoGrace(10)).aggregate(() => 0);
    cogrouped.windowedBy(SessionWindows.ofInactivityGapWithNoGrace(10)).aggregate(() => 0, (_k, x, y) => x + y, { retention: 20 });
    const topology = builder.build();
    expect([...topology.stores.values()].map((s) => [s.name, s.kind, s.retentionMs])).toEqual([
      ['COGROUPKSTREAM-AGGREGATE-STATE-STORE-0000000001', 'window', 10],
      ['COGROUPKSTREAM-AGGREGATE-STATE-STORE-0000000004', 'session', 20],
    ]);
    expect(topology.subTopologies[0]!.nodes.map((n) => n.name)).toEqual([
      'KSTREAM-SOURCE-0000000000',
      'COGROUPKSTREAM-AGGREGATE-0000000002',
      'COGROUPKSTREAM-MERGE-0000000003',
      'COGROUPKSTREAM-AGGREGATE-0000000005',
      'COGROUPKSTREAM-MERGE-0000000006',
    ]);
    expect(() => cogrouped.windowedBy(TimeWindows.ofSizeAndGrace(10, 5)).aggregate(() => 0, { retention: 12 })).toThrow(TopologyError);
    expect(() => cogrouped.windowedBy({} as TimeWindows)).toThrow(/windowedBy takes/);
    expect(() => cogrouped.windowedBy(SessionWindows.ofInactivityGapWithNoGrace(1)).aggregate(() => 0, null as never)).toThrow(/merger must be a function/);
  });
});
