import { TopologyError } from '../errors';
import { toMillis, type Duration } from '../duration';

/**
 * The time bounds of a stream-stream join (Kafka Streams' `JoinWindows`): two records with
 * the same key join when `left.timestamp - before <= right.timestamp <= left.timestamp + after`.
 * Windows slide with each record; they are not aligned to the epoch.
 *
 * CAUTION: a record that arrives once stream time has passed its window end plus the grace
 * period finds the other side's records already expired, and a left or outer join emits its
 * unmatched result (`joiner(value, null, key)`) at once. Unmatched results of records that
 * arrived in time are held back until their window and grace have passed, so that a later
 * match does not make them spurious.
 *
 * ## Example
 * ```ts
 * import { JoinWindows } from '@tributary/core';
 *
 * // an order and its payment join when they are at most 5 minutes apart;
 * // records up to 30 seconds late still join
 * const windows = JoinWindows.ofTimeDifferenceAndGrace('5m', '30s');
 * orders.join(payments, (order, payment) => ({ order, payment }), windows);
 * ```
 *
 * @see KStream.join
 */
export class JoinWindows {
  private constructor(
    /** How far the other side's record may lie before this side's, in ms. */
    readonly beforeMs: number,
    /** How far the other side's record may lie after this side's, in ms. */
    readonly afterMs: number,
    /** How long after a window's end late records are still joined, in ms. */
    readonly graceMs: number,
  ) {
    if (beforeMs + afterMs < 0) {
      throw new TopologyError(`JoinWindows: the window (before ${beforeMs} ms + after ${afterMs} ms) must not be negative`);
    }
  }

  /**
   * Records join when their timestamps differ by at most `timeDifference`; no grace, so a
   * record that arrives after its window closed no longer joins.
   */
  static ofTimeDifferenceWithNoGrace(timeDifference: Duration): JoinWindows {
    const difference = toMillis(timeDifference, 'JoinWindows: timeDifference');
    return new JoinWindows(difference, difference, 0);
  }

  /** Records join when their timestamps differ by at most `timeDifference`; late records are admitted for `afterWindowEnd`. */
  static ofTimeDifferenceAndGrace(timeDifference: Duration, afterWindowEnd: Duration): JoinWindows {
    const difference = toMillis(timeDifference, 'JoinWindows: timeDifference');
    return new JoinWindows(difference, difference, toMillis(afterWindowEnd, 'JoinWindows: afterWindowEnd'));
  }

  /** The same windows with the lower bound moved: the other side may lie at most `timeDifference` before (negative: after). */
  before(timeDifference: Duration): JoinWindows {
    return new JoinWindows(signedMillis(timeDifference, 'JoinWindows.before'), this.afterMs, this.graceMs);
  }

  /** The same windows with the upper bound moved: the other side may lie at most `timeDifference` after (negative: before). */
  after(timeDifference: Duration): JoinWindows {
    return new JoinWindows(this.beforeMs, signedMillis(timeDifference, 'JoinWindows.after'), this.graceMs);
  }

  /** The window size, `before + after`, in ms. */
  get sizeMs(): number {
    return this.beforeMs + this.afterMs;
  }

  /** How long each side's records are kept: the window size plus grace. */
  get retentionMs(): number {
    return this.sizeMs + this.graceMs;
  }

  toString(): string {
    return `JoinWindows{beforeMs=${this.beforeMs}, afterMs=${this.afterMs}, graceMs=${this.graceMs}}`;
  }
}

/** `before`/`after` accept negative numbers of milliseconds, as Kafka Streams does. */
function signedMillis(duration: Duration, what: string): number {
  if (typeof duration === 'number' && Number.isFinite(duration) && duration < 0) return duration;
  return toMillis(duration, what);
}
