import { describe, expect, it } from 'vitest';
import { CommitRate } from '../src/lag/CommitRate';

/** An application committing every `commitMs`, consuming `perSecond`, watched every `pollMs`. */
function watch(rate: CommitRate, { commitMs, pollMs, perSecond, untilMs }: { commitMs: number; pollMs: number; perSecond: number; untilMs: number }): void {
  for (let at = 0; at <= untilMs; at += pollMs) {
    const lastCommitAt = Math.floor(at / commitMs) * commitMs;
    rate.observe(at, (lastCommitAt / 1000) * perSecond);
  }
}

describe('CommitRate', () => {
  it('is waiting until two distinct committed offsets are seen', () => {
    const rate = new CommitRate();
    expect(rate.rate(0)).toEqual({ kind: 'waiting' });
    rate.observe(0, null);
    rate.observe(1000, 500);
    rate.observe(5000, 500); // the same commit, seen again
    expect(rate.rate(5000)).toEqual({ kind: 'waiting' });
    rate.observe(30_000, 15_500);
    expect(rate.rate(30_000)).toEqual({ kind: 'measured', perSecond: 15_000 / 29, spanMs: 29_000 });
  });

  it('measures the real rate whatever the polling interval, with a 30 s commit interval (where a 5 s window reads 0)', () => {
    for (const pollMs of [1000, 5000, 7000]) {
      const rate = new CommitRate();
      watch(rate, { commitMs: 30_000, pollMs, perSecond: 200, untilMs: 100_000 });
      const estimate = rate.rate(100_000);
      expect(estimate.kind, `poll every ${pollMs} ms`).toBe('measured');
      // The changes are seen up to one poll late: the error is at most a poll in a span of whole commit intervals.
      if (estimate.kind === 'measured') expect(Math.abs(estimate.perSecond - 200), `poll every ${pollMs} ms`).toBeLessThan(200 * (pollMs / estimate.spanMs) + 1);
    }
    // Polling on the commits themselves gives the exact rate.
    const exact = new CommitRate();
    watch(exact, { commitMs: 30_000, pollMs: 30_000, perSecond: 200, untilMs: 90_000 });
    expect(exact.rate(90_000)).toEqual({ kind: 'measured', perSecond: 200, spanMs: 90_000 });
  });

  it('follows a change of rate: only the commits of the last window count', () => {
    const rate = new CommitRate(60_000);
    let offset = 0;
    for (let at = 0; at <= 300_000; at += 10_000) {
      offset += at <= 150_000 ? 1000 : 5000; // 100/s, then 500/s
      rate.observe(at, offset);
    }
    expect(rate.rate(300_000)).toMatchObject({ kind: 'measured', perSecond: 500 });
  });

  it('falls when commits stop coming, instead of showing the last rate forever', () => {
    const rate = new CommitRate();
    rate.observe(0, 0);
    rate.observe(30_000, 3000);
    rate.observe(60_000, 6000);
    expect(rate.rate(70_000)).toMatchObject({ perSecond: 100 });
    // Two usual gaps (60 s) without a new commit: the span runs on to now.
    expect(rate.rate(180_000)).toEqual({ kind: 'measured', perSecond: 6000 / 180, spanMs: 180_000 });
  });

  it('starts over when the committed offset goes back (the application was reset)', () => {
    const rate = new CommitRate();
    rate.observe(0, 1000);
    rate.observe(30_000, 4000);
    rate.observe(40_000, 0);
    expect(rate.rate(40_000)).toEqual({ kind: 'waiting' });
    rate.observe(70_000, 600);
    expect(rate.rate(70_000)).toEqual({ kind: 'measured', perSecond: 20, spanMs: 30_000 });
  });
});
