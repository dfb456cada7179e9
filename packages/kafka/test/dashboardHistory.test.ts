import type { PartitionMetrics, StreamsMetrics } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { MetricsHistory } from '../src/dashboard/MetricsHistory';
import { RingBuffer } from '../src/dashboard/RingBuffer';

describe('RingBuffer', () => {
  it('keeps the last `capacity` items, oldest first', () => {
    const ring = new RingBuffer<number>(3);
    expect(ring.toArray()).toEqual([]);
    expect(ring.last()).toBeUndefined();
    for (let i = 1; i <= 5; i++) ring.push(i);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect(ring.size).toBe(3);
    expect(ring.last()).toBe(5);
    ring.push(6);
    expect(ring.toArray()).toEqual([4, 5, 6]);
  });

  it('refuses a capacity below 1', () => {
    expect(() => new RingBuffer(0)).toThrow('a ring buffer needs a capacity of at least 1, got 0');
    expect(() => new RingBuffer(1.5)).toThrow('got 1.5');
  });
});

/** Metrics with the given partitions (consumed and lag), as an application reports them. */
function metrics(partitions: { topic: string; partition: number; consumed: number; lag: number }[]): StreamsMetrics {
  const parts: PartitionMetrics[] = partitions.map((p) => ({ ...p, committedOffset: p.consumed, logEndOffset: p.consumed + p.lag }));
  return {
    elapsedMs: 1,
    consumed: parts.reduce((n, p) => n + p.consumed, 0),
    consumptionRate: 0,
    processed: 0,
    processRate: 0,
    lag: parts.reduce((n, p) => n + p.lag, 0),
    partitions: parts,
    droppedRecords: 0,
    droppedByReason: {},
    commits: 0,
    endToEndLatencyMs: { avg: 0, max: 0 },
    processLatencyMs: { avg: 0, max: 0 },
    commitLatencyMs: 0,
    restore: [],
  };
}

describe('MetricsHistory', () => {
  it('turns the growth of each partition’s consumed count between samples into a rate', () => {
    let current = metrics([{ topic: 'orders', partition: 0, consumed: 0, lag: 50 }]);
    const history = new MetricsHistory(() => current, { intervalMs: 1_000, windowMs: 10_000 });
    history.sample(10_000);
    current = metrics([{ topic: 'orders', partition: 0, consumed: 200, lag: 30 }]);
    history.sample(12_000);
    current = metrics([{ topic: 'orders', partition: 0, consumed: 200, lag: 30 }]);
    history.sample(13_000);
    const [orders] = history.view().partitions;
    expect(orders!.points).toEqual([
      [10_000, 0, 50],
      [12_000, 100, 30],
      [13_000, 0, 30],
    ]);
    expect(history.view().totals.map(([, rate]) => rate)).toEqual([0, 100, 0]);
    expect(orders!.latest).toMatchObject({ consumed: 200, lag: 30, committedOffset: 200, logEndOffset: 230, recordsLag: null });
  });

  it('keeps only the window (windowMs / intervalMs samples), so memory stays fixed', () => {
    let n = 0;
    const history = new MetricsHistory(() => metrics([{ topic: 't', partition: 0, consumed: (n += 10), lag: 0 }]), { intervalMs: 1_000, windowMs: 5_000 });
    for (let t = 1; t <= 12; t++) history.sample(t * 1_000);
    const view = history.view();
    expect(view.totals.map(([t]) => t)).toEqual([8_000, 9_000, 10_000, 11_000, 12_000]);
    expect(view.partitions[0]!.points).toHaveLength(5);
    expect(view).toMatchObject({ intervalMs: 1_000, windowMs: 5_000 });
  });

  it('starts a partition new to the instance (or whose count restarted) at rate 0, and keeps a revoked one until it ages out', () => {
    let current = metrics([{ topic: 'a', partition: 1, consumed: 500, lag: 0 }]);
    const history = new MetricsHistory(() => current, { intervalMs: 1_000, windowMs: 3_000 });
    history.sample(1_000);
    current = metrics([
      { topic: 'a', partition: 1, consumed: 10, lag: 0 },
      { topic: 'a', partition: 0, consumed: 40, lag: 2 },
    ]);
    history.sample(2_000);
    const view = history.view();
    expect(view.partitions.map((p) => `${p.topic}-${p.partition}`)).toEqual(['a-0', 'a-1']);
    expect(view.partitions[0]!.points).toEqual([[2_000, 0, 2]]);
    expect(view.partitions[1]!.points.map(([, rate]) => rate)).toEqual([0, 0]);
    current = metrics([{ topic: 'a', partition: 0, consumed: 50, lag: 0 }]);
    history.sample(3_000);
    history.sample(4_000);
    history.sample(5_000);
    expect(history.view().partitions.map((p) => `${p.topic}-${p.partition}`)).toEqual(['a-0']);
  });

  it('skips a sample whose metrics cannot be read, and checks its options', () => {
    let fail = true;
    const history = new MetricsHistory(() => {
      if (fail) throw new Error('not started');
      return metrics([]);
    });
    expect(history.sample(1)).toBeUndefined();
    fail = false;
    expect(history.sample(2)).toMatchObject({ t: 2, rate: 0, lag: 0 });
    expect(() => new MetricsHistory(() => metrics([]), { intervalMs: 0 })).toThrow('intervalMs must be a positive number of milliseconds, got 0');
    expect(() => new MetricsHistory(() => metrics([]), { intervalMs: 1_000, windowMs: 500 })).toThrow('windowMs must be at least intervalMs (1000), got 500');
  });
});
