import { TopologyError } from '../errors';
import type { Duration } from '../duration';
import { windowMillis } from './windowArguments';

/**
 * Sessions of activity per key separated by an inactivity gap (Kafka Streams'
 * `SessionWindows`). A session is `[start, end]`, both ends inclusive: the timestamps of
 * its first and last record. A record within `gap` of a session joins it; a record that
 * bridges two sessions merges them: the old sessions are deleted downstream with
 * tombstones (`null` values for their windowed keys) and the merged session is emitted.
 * A session's output timestamp is its end.
 *
 * CAUTION: a record is accepted only if the session it ends up in still has
 * `end + gap + grace` at least at stream time (the largest timestamp the aggregation has
 * seen, the record itself included); otherwise it is dropped as late and counted in the
 * `dropped-records` metric (reason `late`). Out-of-order records within grace can still
 * merge sessions that were already emitted.
 *
 * ## Example
 * ```ts
 * import { StreamsBuilder, SessionWindows } from '@tributary/core';
 *
 * const builder = new StreamsBuilder();
 * builder
 *   .stream<string, { page: string }>('clicks')
 *   .groupByKey()
 *   .windowedBy(SessionWindows.ofInactivityGapAndGrace('30m', '5m'))
 *   .count({ name: 'clicks-per-visit' });
 * ```
 *
 * @see TimeWindows
 */
export class SessionWindows {
  private constructor(
    /** Largest silence between two records of one session. */
    readonly gapMs: number,
    /** How long after a session could have closed it still accepts out-of-order records. */
    readonly graceMs: number,
  ) {
    if (gapMs <= 0) throw new TopologyError(`SessionWindows: the inactivity gap must be larger than zero, got ${gapMs} ms`);
  }

  /** Sessions that drop any record arriving after its session closed. */
  static ofInactivityGapWithNoGrace(inactivityGap: Duration): SessionWindows {
    return SessionWindows.ofInactivityGapAndGrace(inactivityGap, 0);
  }

  /**
   * Sessions that accept out-of-order records for `grace` beyond the gap.
   * @param inactivityGap milliseconds or a string such as `'30m'`.
   * @param grace milliseconds or a string such as `'5m'`.
   */
  static ofInactivityGapAndGrace(inactivityGap: Duration, grace: Duration): SessionWindows {
    return new SessionWindows(windowMillis(inactivityGap, 'SessionWindows: inactivityGap'), windowMillis(grace, 'SessionWindows: grace'));
  }

  /** How long the store keeps a session after its end: gap + grace. */
  get retentionMs(): number {
    return this.gapMs + this.graceMs;
  }

  toString(): string {
    return `SessionWindows{gapMs=${this.gapMs}, graceMs=${this.graceMs}}`;
  }
}
