import { describe, expectTypeOf, it } from 'vitest';
import {
  SessionWindows,
  SlidingWindows,
  StreamsBuilder,
  Suppressed,
  TimeWindows,
  type KTable,
  type SessionWindowedKStream,
  type TimeWindowedKStream,
  type Windowed,
} from '@tributary/core';

describe('window types', () => {
  const grouped = new StreamsBuilder().stream<string, { amount: number }>('payments').groupByKey();

  it('windowedBy picks the windowed stream by window kind', () => {
    expectTypeOf(grouped.windowedBy(TimeWindows.ofSizeWithNoGrace('1m'))).toEqualTypeOf<TimeWindowedKStream<string, { amount: number }>>();
    expectTypeOf(grouped.windowedBy(SlidingWindows.ofTimeDifferenceWithNoGrace('1m'))).toEqualTypeOf<TimeWindowedKStream<string, { amount: number }>>();
    expectTypeOf(grouped.windowedBy(SessionWindows.ofInactivityGapWithNoGrace('1m'))).toEqualTypeOf<SessionWindowedKStream<string, { amount: number }>>();
  });

  it('aggregations return tables keyed by windowed key', () => {
    const windowed = grouped.windowedBy(TimeWindows.ofSizeWithNoGrace('1m'));
    expectTypeOf(windowed.count()).toEqualTypeOf<KTable<Windowed<string>, number>>();
    expectTypeOf(windowed.aggregate(() => 0, (_k, v, total) => total + v.amount)).toEqualTypeOf<KTable<Windowed<string>, number>>();
    const sessions = grouped.windowedBy(SessionWindows.ofInactivityGapWithNoGrace('1m'));
    expectTypeOf(sessions.reduce((a, b) => ({ amount: a.amount + b.amount }))).toEqualTypeOf<KTable<Windowed<string>, { amount: number }>>();
  });

  it('untilWindowCloses only suits windowed tables', () => {
    const counts = grouped.windowedBy(TimeWindows.ofSizeWithNoGrace('1m')).count();
    expectTypeOf(counts.suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))).toEqualTypeOf<KTable<Windowed<string>, number>>();
    const plain = grouped.count();
    // @ts-expect-error a non-windowed table has no window to close
    plain.suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()));
    // @ts-expect-error final results need a strict buffer
    Suppressed.untilWindowCloses(Suppressed.BufferConfig.maxRecords(10));
    expectTypeOf(plain.suppress(Suppressed.untilTimeLimit('1m', Suppressed.BufferConfig.maxRecords(10)))).toEqualTypeOf<KTable<string, number>>();
  });
});
