import { describe, expect, it } from 'vitest';
import { EmitStrategy, Serdes, SlidingWindows, TopologyError } from '@tributary/core';
import { rows, windowedTopology, type Row } from './windowTestKit';

// Scenarios and expectations below are those of Kafka Streams' own sliding window tests
// (KStreamSlidingWindowAggregateTest), so these pin Tributary to Kafka's outputs.

type Strategy = 'onWindowUpdate' | 'onWindowClose';

function sliding(windows: SlidingWindows, strategy: Strategy, fold: 'aggregate' | 'reduce' = 'aggregate') {
  return windowedTopology((stream) => {
    const windowed = stream.groupByKey().windowedBy(windows).emitStrategy(strategy === 'onWindowClose' ? EmitStrategy.onWindowClose() : EmitStrategy.onWindowUpdate());
    const table =
      fold === 'aggregate'
        ? windowed.aggregate(() => '0', (_key, value, aggregate) => `${aggregate}+${value}`, { name: 'sliding', valueSerde: Serdes.string() })
        : windowed.reduce((aggregate, value) => `${aggregate}+${value}`, { name: 'sliding' });
    table.toStream().to('output', { valueSerde: Serdes.string() });
  });
}

/** Outputs per window start, as `value@timestamp`, sorted: Kafka's tests compare sets per start. */
function byStart(output: Row[], end: (start: number) => number): Record<number, string[]> {
  const gathered: Record<number, string[]> = {};
  for (const [, start, windowEnd, value, timestamp] of output) {
    expect(windowEnd).toBe(end(start));
    (gathered[start] ??= []).push(`${String(value)}@${timestamp}`);
  }
  for (const values of Object.values(gathered)) values.sort();
  return gathered;
}

const run = (windows: SlidingWindows, strategy: Strategy, records: [string, number][], fold: 'aggregate' | 'reduce' = 'aggregate') => {
  const { pipe, output, late } = sliding(windows, strategy, fold);
  const out = output();
  pipe(...records.map(([value, timestamp]) => ['A', value, timestamp] as [string, string, number]));
  return { perStart: byStart(rows(out), (start) => start + windows.timeDifferenceMs), late: late() };
};

const sorted = (expected: Record<number, string[]>) => Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, [...v].sort()]));

describe('SlidingWindows aggregate (Kafka Streams scenarios)', () => {
  const smallInput: [string, number][] = [['1', 10], ['2', 10], ['3', 14], ['4', 15], ['5', 20], ['6', 22], ['7', 30]];

  it('small input, emit on update', () => {
    const { perStart } = run(SlidingWindows.ofTimeDifferenceAndGrace(10, 5), 'onWindowUpdate', smallInput);
    expect(perStart).toEqual(
      sorted({
        0: ['0+1@10', '0+1+2@10'],
        4: ['0+1+2+3@14'],
        5: ['0+1+2+3+4@15'],
        10: ['0+1+2+3+4+5@20'],
        11: ['0+3@14', '0+3+4@15', '0+3+4+5@20'],
        12: ['0+3+4+5+6@22'],
        15: ['0+4@15', '0+4+5@20', '0+4+5+6@22'],
        16: ['0+5@20', '0+5+6@22'],
        20: ['0+5+6+7@30'],
        21: ['0+6@22', '0+6+7@30'],
        23: ['0+7@30'],
      }),
    );
  });

  it('small input, emit on window close', () => {
    const { perStart } = run(SlidingWindows.ofTimeDifferenceAndGrace(10, 5), 'onWindowClose', smallInput);
    expect(perStart).toEqual({
      0: ['0+1+2@10'],
      4: ['0+1+2+3@14'],
      5: ['0+1+2+3+4@15'],
      10: ['0+1+2+3+4+5@20'],
      11: ['0+3+4+5@20'],
      12: ['0+3+4+5+6@22'],
    });
  });

  it('reduce, both strategies', () => {
    const input: [string, number][] = [['1', 10], ['2', 14], ['3', 15], ['4', 22], ['5', 26], ['6', 30]];
    const windows = SlidingWindows.ofTimeDifferenceAndGrace(10, 5);
    expect(run(windows, 'onWindowUpdate', input, 'reduce').perStart).toEqual(
      sorted({
        0: ['1@10'],
        4: ['1+2@14'],
        5: ['1+2+3@15'],
        11: ['2@14', '2+3@15'],
        12: ['2+3+4@22'],
        15: ['3@15', '3+4@22'],
        16: ['4@22', '4+5@26'],
        20: ['4+5+6@30'],
        23: ['5@26', '5+6@30'],
        27: ['6@30'],
      }),
    );
    expect(run(windows, 'onWindowClose', input, 'reduce').perStart).toEqual({
      0: ['1@10'],
      4: ['1+2@14'],
      5: ['1+2+3@15'],
      11: ['2+3@15'],
      12: ['2+3+4@22'],
    });
  });

  it('early records (timestamps below the time difference) share [0, d]', () => {
    const input: [string, number][] = [['1', 0], ['2', 5], ['3', 6], ['4', 3], ['5', 13], ['6', 10], ['7', 70]];
    const windows = SlidingWindows.ofTimeDifferenceAndGrace(50, 0);
    expect(run(windows, 'onWindowUpdate', input).perStart).toEqual(
      sorted({
        0: ['0+1@0', '0+1+2@5', '0+1+2+3@6', '0+1+2+3+4@6', '0+1+2+3+4+5@13', '0+1+2+3+4+5+6@13'],
        1: ['0+2@5', '0+2+3@6', '0+2+3+4@6', '0+2+3+4+5@13', '0+2+3+4+5+6@13'],
        4: ['0+2+3@6', '0+2+3+5@13', '0+2+3+5+6@13'],
        6: ['0+3@6', '0+3+5@13', '0+3+5+6@13'],
        7: ['0+5@13', '0+5+6@13'],
        11: ['0+5@13'],
        20: ['0+7@70'],
      }),
    );
    expect(run(windows, 'onWindowClose', input).perStart).toEqual({
      0: ['0+1+2+3+4+5+6@13'],
      1: ['0+2+3+4+5+6@13'],
      4: ['0+2+3+5+6@13'],
      6: ['0+3+5+6@13'],
      7: ['0+5+6@13'],
      11: ['0+5@13'],
    });
  });

  it('out-of-order records without grace update the windows still open', () => {
    const input: [string, number][] = [['1', 100], ['2', 105], ['3', 106], ['4', 103], ['5', 113], ['6', 110]];
    const windows = SlidingWindows.ofTimeDifferenceWithNoGrace(50);
    expect(run(windows, 'onWindowUpdate', input).perStart).toEqual(
      sorted({
        50: ['0+1@100'],
        55: ['0+1+2@105'],
        56: ['0+1+2+3@106', '0+1+2+3+4@106'],
        63: ['0+1+2+3+4+5@113', '0+1+2+3+4+5+6@113'],
        101: ['0+2@105', '0+2+3@106', '0+2+3+4@106', '0+2+3+4+5@113', '0+2+3+4+5+6@113'],
        104: ['0+2+3@106', '0+2+3+5@113', '0+2+3+5+6@113'],
        106: ['0+3@106', '0+3+5@113', '0+3+5+6@113'],
        107: ['0+5@113', '0+5+6@113'],
        111: ['0+5@113'],
      }),
    );
    expect(run(windows, 'onWindowClose', input).perStart).toEqual({
      50: ['0+1@100'],
      55: ['0+1+2@105'],
      56: ['0+1+2+3+4@106'],
    });
  });
});

describe('SlidingWindows boundaries', () => {
  it('keeps the exact update order of Kafka Streams (latest window first)', () => {
    const { pipe, output } = sliding(SlidingWindows.ofTimeDifferenceAndGrace(10, 20), 'onWindowUpdate');
    const out = output();
    pipe(['A', '1', 10], ['A', '2', 15], ['A', '3', 12]);
    expect(rows(out)).toEqual([
      ['A', 0, 10, '0+1', 10],
      ['A', 11, 21, '0+2', 15],
      ['A', 5, 15, '0+1+2', 15],
      ['A', 11, 21, '0+2+3', 15],
      ['A', 5, 15, '0+1+2+3', 15],
      ['A', 2, 12, '0+1+3', 12],
      ['A', 13, 23, '0+2', 15],
    ]);
  });

  it("forwards a window twice when the previous record's right window is the new record's left window, as Kafka Streams does without caching", () => {
    const { pipe, output } = sliding(SlidingWindows.ofTimeDifferenceAndGrace(10, 0), 'onWindowUpdate');
    const out = output();
    pipe(['A', '1', 20], ['A', '2', 25]);
    out.readRecordsToList();
    pipe(['A', '3', 36]);
    expect(rows(out)).toEqual([
      ['A', 26, 36, '0+3', 36],
      ['A', 26, 36, '0+3', 36],
    ]);
  });

  it('updates the open windows of an out-of-order record and counts each closed one as late', () => {
    const { pipe, output, late } = sliding(SlidingWindows.ofTimeDifferenceAndGrace(10, 5), 'onWindowUpdate');
    const out = output();
    pipe(['A', '1', 100]); // close time 95 from here on
    out.readRecordsToList();
    pipe(['A', '2', 95]); // left window [85, 95] still open (95 >= 95)
    pipe(['A', '3', 89]); // updates [85, 95]; its left window [79, 89] is closed: late
    pipe(['A', '4', 84]); // 84 + 10 < 95: every window containing it is closed: late
    expect(rows(out)).toEqual([
      ['A', 90, 100, '0+1+2', 100],
      ['A', 85, 95, '0+2', 95],
      ['A', 96, 106, '0+1', 100],
      ['A', 85, 95, '0+2+3', 95],
    ]);
    expect(late()).toBe(2);
  });

  it('emits on window close only the closed windows its store still retains after the update, as Kafka Streams does', () => {
    // Retention is 2 x 10 + 5 = 25 from the latest window start written.
    const closeAfter = (jump: number) => run(SlidingWindows.ofTimeDifferenceAndGrace(10, 5), 'onWindowClose', [['1', 20], ['2', jump]]).perStart;
    // A@36 closes [10, 20] (20 < 36 - 5) and writes [26, 36]: start 10 >= 26 - 25, still retained.
    expect(closeAfter(36)).toEqual({ 10: ['0+1@20'] });
    // A@50 closes it too, but writes [40, 50]: start 10 < 40 - 25, gone before it is read back.
    expect(closeAfter(50)).toEqual({});
  });

  it('drops records with a null value or key, counted by reason', () => {
    const { pipe, output, driver } = sliding(SlidingWindows.ofTimeDifferenceWithNoGrace(10), 'onWindowUpdate');
    const out = output();
    pipe(['A', null, 20], [null, '1', 20], ['A', '1', 20]);
    expect(rows(out)).toEqual([['A', 10, 20, '0+1', 20]]);
    expect(driver.metrics().droppedByReason).toEqual({ 'null-key': 1, 'null-value': 1 });
  });

  it('copies an aggregate that seeds a second window, so mutating aggregators stay correct', () => {
    const { pipe, driver } = windowedTopology((stream) =>
      stream
        .groupByKey()
        .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(10, 50))
        .aggregate(
          () => [] as string[],
          (_key, value, list) => {
            list.push(value);
            return list;
          },
          { name: 'lists' },
        ),
    );
    pipe(['A', 'a', 10], ['A', 'b', 15], ['A', 'c', 12]);
    const store = driver.getWindowStore<string, string[]>('lists');
    expect(store.fetch('A', 0, 30)).toEqual([
      [0, ['a']],
      [2, ['a', 'c']],
      [5, ['a', 'b', 'c']],
      [11, ['b', 'c']],
      [13, ['b']],
    ]);
  });

  it('rejects a negative time difference and a retention below 2 x difference + grace', () => {
    expect(() => SlidingWindows.ofTimeDifferenceWithNoGrace(-1)).toThrow(TopologyError);
    expect(() => SlidingWindows.ofTimeDifferenceAndGrace('10s', -5)).toThrow(/grace must be a non-negative/);
    const { driver } = windowedTopology((stream) => stream.groupByKey().windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(10, 5)).count({ name: 'c', retention: 25 }));
    expect(driver.topology.stores.get('c')?.retentionMs).toBe(25);
    expect(() =>
      windowedTopology((stream) => stream.groupByKey().windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(10, 5)).count({ name: 'c', retention: 24 })),
    ).toThrow(/2 x the time difference plus the grace period \(25 ms\), got 24 ms/);
  });
});
