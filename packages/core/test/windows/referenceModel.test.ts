import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EmitStrategy, SessionWindows, SlidingWindows, Suppressed, TimeWindows, type KStream } from '@tributary/core';
import { rows, windowedTopology, type Row } from './windowTestKit';

interface Input {
  readonly key: string;
  readonly timestamp: number;
}

const inputs = (maxTimestamp: number) =>
  fc.array(fc.record({ key: fc.constantFrom('a', 'b', 'c'), timestamp: fc.nat({ max: maxTimestamp }) }), { maxLength: 60 });

const pipeAll = (pipe: (...records: [string, string, number][]) => void, records: readonly Input[]) =>
  pipe(...records.map((r, i) => [r.key, String(i), r.timestamp] as [string, string, number]));

/**
 * The rule of issue 3, item 2, by brute force: stream time is the largest timestamp seen
 * so far, the record's included; a record goes into each window [start, start + size)
 * containing it (starts at multiples of advance, never negative) while
 * streamTime < start + size + grace, and counts as late for each other one.
 */
function timeWindowModel(records: readonly Input[], size: number, advance: number, grace: number) {
  let streamTime = -Infinity;
  let latestStart = -Infinity;
  let late = 0;
  const windows = new Map<string, { key: string; start: number; count: number; maxTimestamp: number }>();
  const byStartThenKey = () => [...windows.values()].sort((x, y) => x.start - y.start || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  const updates: Row[] = [];
  const emitted: Row[] = [];
  const closed = new Set<string>();
  for (const { key, timestamp } of records) {
    streamTime = Math.max(streamTime, timestamp);
    for (let start = 0; start <= timestamp; start += advance) {
      if (timestamp >= start + size) continue;
      if (!(streamTime < start + size + grace)) {
        late++;
        continue;
      }
      const id = `${key}@${start}`;
      const window = windows.get(id) ?? { key, start, count: 0, maxTimestamp: timestamp };
      window.count++;
      window.maxTimestamp = Math.max(window.maxTimestamp, timestamp);
      windows.set(id, window);
      latestStart = Math.max(latestStart, start);
      updates.push([key, start, start + size, window.count, window.maxTimestamp]);
    }
    // onWindowClose, Kafka Streams' rule: a window is emitted with the record that first closes
    // it (streamTime - grace >= end), if the window store still retains it after that record's
    // update (start >= latest start written - (size + grace)); otherwise never.
    for (const w of byStartThenKey()) {
      const id = `${w.key}@${w.start}`;
      if (closed.has(id) || streamTime - grace < w.start + size) continue;
      closed.add(id);
      if (w.start >= latestStart - size - grace) emitted.push([w.key, w.start, w.start + size, w.count, w.maxTimestamp]);
    }
  }
  // suppress(untilWindowCloses) buffers every update: every closed window comes out.
  const suppressed: Row[] = byStartThenKey()
    .filter((w) => streamTime >= w.start + size + grace)
    .map((w) => [w.key, w.start, w.start + size, w.count, w.maxTimestamp]);
  // The store keeps a window while start > (latest start written) - (size + grace).
  const stored = byStartThenKey()
    .filter((w) => w.start > latestStart - size - grace)
    .map((w) => [w.key, w.start, w.count]);
  return { updates, finals: emitted, suppressed, stored, late };
}

describe('time windows against a brute-force model', () => {
  it('update stream, final results (emitStrategy and suppress), store contents and late counts match', () => {
    const scenario = fc
      .record({ size: fc.integer({ min: 1, max: 25 }), grace: fc.nat({ max: 30 }), records: inputs(150) })
      .chain((s) => fc.record({ advance: fc.integer({ min: 1, max: s.size }) }).map(({ advance }) => ({ ...s, advance })));
    fc.assert(
      fc.property(scenario, ({ size, advance, grace, records }) => {
        const windows = TimeWindows.ofSizeAndGrace(size, grace).advanceBy(advance);
        const { pipe, output, driver } = windowedTopology((stream: KStream<string, string>) => {
          const windowed = stream.groupByKey().windowedBy(windows);
          const updates = windowed.count({ name: 'updates' });
          updates.toStream().to('updates');
          updates.suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded())).toStream().to('suppressed');
          windowed.emitStrategy(EmitStrategy.onWindowClose()).count({ name: 'finals' }).toStream().to('finals');
        });
        const [updates, finals, suppressed] = [output('updates'), output('finals'), output('suppressed')];
        pipeAll(pipe, records);
        const model = timeWindowModel(records, size, advance, grace);
        expect(rows(updates)).toEqual(model.updates);
        expect(rows(finals)).toEqual(model.finals);
        expect(rows(suppressed)).toEqual(model.suppressed);
        for (const name of ['updates', 'finals']) {
          expect(driver.getWindowStore<string, number>(name).all().map(([w, count]) => [w.key, w.window.start, count])).toEqual(model.stored);
        }
        // Both aggregations count their late windows.
        expect(driver.metrics().droppedByReason.late ?? 0).toBe(2 * model.late);
      }),
      { numRuns: 150 },
    );
  });
});

describe('sliding windows against a brute-force model', () => {
  it('every stored window holds exactly the records in [start, start + d], and windows exist exactly where records define them', () => {
    const scenario = fc.record({ d: fc.integer({ min: 1, max: 15 }), records: inputs(80) });
    fc.assert(
      fc.property(scenario, ({ d, records }) => {
        // Grace covers every disorder: nothing is late, the model is the definition of the windows.
        const { pipe, driver } = windowedTopology((stream) =>
          stream
            .groupByKey()
            .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(d, 1_000))
            .aggregate(() => '', (_key, value, ids) => `${ids}${value},`, { name: 'sliding' }),
        );
        pipeAll(pipe, records);
        const store = driver.getWindowStore<string, string>('sliding');
        for (const key of ['a', 'b', 'c']) {
          const mine = records.map((r, i) => ({ ...r, id: String(i) })).filter((r) => r.key === key);
          const starts = new Set<number>();
          for (const { timestamp: t } of mine) {
            starts.add(Math.max(0, t - d));
            if (mine.some((o) => o.timestamp > t && o.timestamp <= t + 1 + d)) starts.add(t + 1);
          }
          const expected = [...starts]
            .sort((x, y) => x - y)
            .map((start) => [start, mine.filter((r) => r.timestamp >= start && r.timestamp <= start + d).map((r) => r.id).sort()]);
          const actual = store.fetch(key, 0, 10_000).map(([start, ids]) => [start, ids.split(',').filter(Boolean).sort()]);
          expect(actual).toEqual(expected);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('session windows against a brute-force model', () => {
  it('sessions are the runs of timestamps no more than a gap apart', () => {
    const scenario = fc.record({ gap: fc.integer({ min: 1, max: 20 }), records: inputs(150) });
    fc.assert(
      fc.property(scenario, ({ gap, records }) => {
        const { pipe, output, driver } = windowedTopology((stream) =>
          stream.groupByKey().windowedBy(SessionWindows.ofInactivityGapAndGrace(gap, 1_000)).count({ name: 'sessions' }).toStream().to('output'),
        );
        const out = output();
        pipeAll(pipe, records);
        const store = driver.getSessionStore<string, number>('sessions');
        const latest = new Map<string, unknown>();
        for (const [key, start, end, count] of rows(out)) {
          if (count === null) latest.delete(`${key}@${start}-${end}`);
          else latest.set(`${key}@${start}-${end}`, count);
        }
        for (const key of ['a', 'b', 'c']) {
          const times = records.filter((r) => r.key === key).map((r) => r.timestamp).sort((x, y) => x - y);
          const sessions: [number, number, number][] = [];
          for (const t of times) {
            const last = sessions.at(-1);
            if (last && t - last[1] <= gap) {
              last[1] = t;
              last[2]++;
            } else sessions.push([t, t, 1]);
          }
          expect(store.fetch(key).map(([w, count]) => [w.window.start, w.window.end, count])).toEqual(sessions);
          // The table the output topic describes (tombstones applied) is the same set of sessions.
          expect([...latest].filter(([id]) => id.startsWith(`${key}@`)).map(([id, count]) => `${id}=${String(count)}`).sort()).toEqual(
            sessions.map(([start, end, count]) => `${key}@${start}-${end}=${count}`).sort(),
          );
        }
      }),
      { numRuns: 150 },
    );
  });
});
