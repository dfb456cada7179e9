import { TopologyError } from '../errors';
import type { Duration } from '../duration';
import { windowMillis } from './windowArguments';

/**
 * Fixed-size windows aligned to the epoch (Kafka Streams' `TimeWindows`): tumbling by
 * default, hopping with {@link advanceBy}. A window is `[start, end)`: a record at
 * exactly `end` belongs to the next window. A hopping record belongs to every window that
 * contains it, and its updates are emitted in ascending window start.
 *
 * CAUTION: a window accepts records only while stream time (the largest timestamp the
 * aggregation has seen, the record itself included) is below `end + grace`. Later records
 * are dropped as late and counted in the `dropped-records` metric (reason `late`), once
 * per window they missed. With `ofSizeWithNoGrace` any out-of-order record whose window
 * has ended is dropped, so pick a grace period that covers your expected disorder.
 *
 * ## Example
 * ```ts
 * import { StreamsBuilder, TimeWindows } from '@tributary/core';
 *
 * const builder = new StreamsBuilder();
 * builder
 *   .stream<string, { amount: number }>('payments')
 *   .groupByKey()
 *   .windowedBy(TimeWindows.ofSizeAndGrace('5m', '30s').advanceBy('1m'))
 *   .count({ name: 'payments-per-5m' });
 * ```
 *
 * @see SlidingWindows
 * @see SessionWindows
 */
export class TimeWindows {
  private constructor(
    /** Length of a window in milliseconds. */
    readonly sizeMs: number,
    /** Distance between the starts of consecutive windows; equal to the size for tumbling windows. */
    readonly advanceMs: number,
    /** How long after its end a window still accepts out-of-order records. */
    readonly graceMs: number,
  ) {
    if (sizeMs <= 0) throw new TopologyError(`TimeWindows: the window size must be larger than zero, got ${sizeMs} ms`);
    if (advanceMs <= 0 || advanceMs > sizeMs) {
      throw new TopologyError(
        `TimeWindows: the advance must be larger than zero and at most the window size (${sizeMs} ms), got ${advanceMs} ms`,
      );
    }
  }

  /**
   * Tumbling windows of `size` that drop any record arriving after its window ended.
   * @param size milliseconds or a string such as `'5m'`.
   */
  static ofSizeWithNoGrace(size: Duration): TimeWindows {
    return TimeWindows.ofSizeAndGrace(size, 0);
  }

  /**
   * Tumbling windows of `size` that accept out-of-order records until stream time
   * reaches `end + grace`.
   * @param size milliseconds or a string such as `'5m'`.
   * @param grace milliseconds or a string such as `'30s'`.
   */
  static ofSizeAndGrace(size: Duration, grace: Duration): TimeWindows {
    const sizeMs = windowMillis(size, 'TimeWindows: size');
    return new TimeWindows(sizeMs, sizeMs, windowMillis(grace, 'TimeWindows: grace'));
  }

  /**
   * Hopping windows: a new window starts every `advance` (at most the size).
   * @return new windows; this one is unchanged.
   */
  advanceBy(advance: Duration): TimeWindows {
    return new TimeWindows(this.sizeMs, windowMillis(advance, 'TimeWindows.advanceBy: advance'), this.graceMs);
  }

  /** How long the store keeps a window: size + grace. */
  get retentionMs(): number {
    return this.sizeMs + this.graceMs;
  }

  /** The start of the earliest window that contains `timestamp` (windows never start before 0). */
  firstWindowStart(timestamp: number): number {
    const from = timestamp - this.sizeMs + this.advanceMs;
    return from <= 0 ? 0 : from - (from % this.advanceMs);
  }

  /** The starts of the windows that contain `timestamp`, ascending. */
  windowStartsFor(timestamp: number): number[] {
    const starts: number[] = [];
    for (let start = this.firstWindowStart(timestamp); start <= timestamp; start += this.advanceMs) starts.push(start);
    return starts;
  }

  toString(): string {
    return `TimeWindows{sizeMs=${this.sizeMs}, advanceMs=${this.advanceMs}, graceMs=${this.graceMs}}`;
  }
}
