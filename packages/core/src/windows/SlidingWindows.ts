import type { Duration } from '../duration';
import { windowMillis } from './windowArguments';

/**
 * Windows of a fixed time difference that slide with the records (Kafka Streams'
 * `SlidingWindows`): two records fall into a common window when their timestamps are at
 * most `timeDifference` apart. A window is `[start, end]`, both ends inclusive, with
 * `end - start = timeDifference`. Windows are created only where records are: each
 * record gets a window ending at its timestamp (its left window) and, when later records
 * are near, one starting just after it (its right window). Records earlier than
 * `timeDifference` share the window `[0, timeDifference]`.
 *
 * CAUTION: a window accepts records only while `end + grace` is at least stream time (the
 * largest timestamp the aggregation has seen, the record itself included). An
 * out-of-order record still updates the windows that are open; each closed window it
 * misses counts once in the `dropped-records` metric (reason `late`), and a record with
 * `t + timeDifference + grace` below stream time is dropped whole. Records with a `null`
 * key or value are dropped too.
 *
 * ## Example
 * ```ts
 * import { StreamsBuilder, SlidingWindows } from '@tributary/core';
 *
 * const builder = new StreamsBuilder();
 * builder
 *   .stream<string, { amount: number }>('logins')
 *   .groupByKey()
 *   .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace('10m', '1m'))
 *   .count({ name: 'logins-within-10m' });
 * ```
 *
 * @see TimeWindows
 */
export class SlidingWindows {
  private constructor(
    /** The largest difference between two records' timestamps in one window. */
    readonly timeDifferenceMs: number,
    /** How long after its end a window still accepts out-of-order records. */
    readonly graceMs: number,
  ) {}

  /** Sliding windows that drop any record arriving after its window ended. */
  static ofTimeDifferenceWithNoGrace(timeDifference: Duration): SlidingWindows {
    return SlidingWindows.ofTimeDifferenceAndGrace(timeDifference, 0);
  }

  /**
   * Sliding windows that accept out-of-order records until stream time passes `end + grace`.
   * @param timeDifference milliseconds or a string such as `'10m'` (zero allowed).
   * @param grace milliseconds or a string such as `'1m'`.
   */
  static ofTimeDifferenceAndGrace(timeDifference: Duration, grace: Duration): SlidingWindows {
    return new SlidingWindows(windowMillis(timeDifference, 'SlidingWindows: timeDifference'), windowMillis(grace, 'SlidingWindows: grace'));
  }

  /** How long the store keeps a window: twice the time difference plus grace, since new windows are built from older ones. */
  get retentionMs(): number {
    return 2 * this.timeDifferenceMs + this.graceMs;
  }

  toString(): string {
    return `SlidingWindows{timeDifferenceMs=${this.timeDifferenceMs}, graceMs=${this.graceMs}}`;
  }
}
