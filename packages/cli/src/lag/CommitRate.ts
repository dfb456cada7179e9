/** What {@link CommitRate.rate} knows about a partition's consumption rate. */
export type RateEstimate =
  /** Fewer than two distinct committed offsets seen yet: no rate can be told. */
  | { readonly kind: 'waiting' }
  /** Records per second between the first and the last commit in the window, over `spanMs`. */
  | { readonly kind: 'measured'; readonly perSecond: number; readonly spanMs: number };

/**
 * The consumption rate of one partition from its committed offsets, as an observer outside
 * the application sees them: (committed offset of the latest commit - of the earliest) /
 * (time between them), the seed's formula on the broker's numbers.
 *
 * An application commits every `commit.interval.ms` (30 s in Kafka Streams), so between two
 * commits the committed offset stands still however fast it consumes: a rate over any
 * interval shorter than that reads 0. Here the span is the time between two observed
 * CHANGES of the committed offset, so it covers whole commit intervals whatever the polling
 * interval; until a second distinct offset is seen the rate is `waiting`. The earliest
 * change kept is the oldest within `windowMs` (always at least two), so the rate follows
 * the application. When no new commit comes for longer than twice the usual gap between
 * commits, the span runs on to now: an application that stopped consuming shows a falling
 * rate, not its last one forever. A committed offset that goes back (a reset) starts over.
 */
export class CommitRate {
  /** Distinct committed offsets, each with when it was first seen, oldest first. */
  private readonly changes: { offset: number; at: number }[] = [];

  constructor(private readonly windowMs = 120_000) {}

  /** Records the committed offset seen at `at` (ms); `null` (nothing committed) is ignored. */
  observe(at: number, committed: number | null): void {
    if (committed === null) return;
    const last = this.changes.at(-1);
    if (last && committed === last.offset) return;
    if (last && committed < last.offset) this.changes.length = 0;
    this.changes.push({ offset: committed, at });
    while (this.changes.length > 2 && at - this.changes[1]!.at >= this.windowMs) this.changes.shift();
  }

  /** The rate as of `now` (ms). */
  rate(now: number): RateEstimate {
    if (this.changes.length < 2) return { kind: 'waiting' };
    const first = this.changes[0]!;
    const last = this.changes.at(-1)!;
    const usualGap = (last.at - first.at) / (this.changes.length - 1);
    const end = now - last.at > 2 * usualGap ? now : last.at;
    const spanMs = end - first.at;
    return { kind: 'measured', perSecond: spanMs > 0 ? ((last.offset - first.offset) / spanMs) * 1000 : 0, spanMs };
  }

  /** How many distinct committed offsets are kept. */
  get commitsSeen(): number {
    return this.changes.length;
  }
}
