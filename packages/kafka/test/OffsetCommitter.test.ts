import { describe, expect, it } from 'vitest';
import type { TopicPartitionOffset } from '../src/client/StreamsClient';
import { OffsetCommitter } from '../src/commit/OffsetCommitter';

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** A commit tracker, producer and consumer reduced to what the committer touches. */
function fakes(initial: Record<string, Record<number, number>> = {}, caches?: { held: Set<string> }) {
  const safe = new Map(Object.entries(initial).map(([t, ps]) => [t, new Map(Object.entries(ps).map(([p, o]) => [Number(p), o]))]));
  const owned = new Set<string>();
  for (const [t, ps] of safe) for (const p of ps.keys()) owned.add(`${t}-${p}`);
  const commits: TopicPartitionOffset[][] = [];
  const log: string[] = [];
  let flushGate: Promise<void> = Promise.resolve();
  let commitGate: Promise<void> = Promise.resolve();
  const committer = new OffsetCommitter({
    flush: async () => {
      log.push('flush');
      await flushGate;
      log.push('flushed');
    },
    committable: () => new Map([...safe].map(([t, ps]) => [t, new Map(ps)])),
    owns: (topic, partition) => owned.has(`${topic}-${partition}`),
    ...(caches ? { flushCaches: () => (log.push('flushCaches'), true), holds: (topic: string, partition: number) => caches.held.has(`${topic}-${partition}`) } : {}),
    commit: async (offsets) => {
      log.push('commit');
      await commitGate;
      commits.push([...offsets]);
    },
  });
  return {
    committer,
    commits,
    log,
    owned,
    setSafe: (topic: string, partition: number, offset: number) => {
      if (!safe.has(topic)) safe.set(topic, new Map());
      safe.get(topic)!.set(partition, offset);
      owned.add(`${topic}-${partition}`);
    },
    holdFlush: () => {
      const d = deferred();
      flushGate = d.promise;
      return d;
    },
    holdCommit: () => {
      const d = deferred();
      commitGate = d.promise;
      return d;
    },
  };
}

describe('OffsetCommitter', () => {
  it('flushes the producer first and commits the safe offsets only once every acknowledgement is in', async () => {
    const f = fakes({ orders: { 0: 10, 1: 4 } });
    const flush = f.holdFlush();
    const result = f.committer.commit('interval');
    await new Promise((r) => setTimeout(r, 5));
    expect(f.log).toEqual(['flush']);
    expect(f.commits).toEqual([]);
    flush.resolve();
    const { offsets } = await result;
    expect(f.log).toEqual(['flush', 'flushed', 'commit']);
    expect(offsets).toEqual([
      { topic: 'orders', partition: 0, offset: 10 },
      { topic: 'orders', partition: 1, offset: 4 },
    ]);
    expect(f.committer.committedOffset('orders', 0)).toBe(10);
  });

  it("with record caches, commits what completed before the caches' flush, and everything of a partition held for revocation", async () => {
    // Partition 0's task is held (it moves away: it processes nothing more); partition 1's goes on.
    const f = fakes({ orders: { 0: 10, 1: 4 } }, { held: new Set(['orders-0']) });
    const flush = f.holdFlush();
    const result = f.committer.commit('revocation');
    await new Promise((r) => setTimeout(r, 5));
    // While the producer flushes, records of both partitions complete; partition 1's latest may sit in a cache.
    f.setSafe('orders', 0, 15);
    f.setSafe('orders', 1, 9);
    flush.resolve();
    const { offsets } = await result;
    expect(f.log).toEqual(['flushCaches', 'flush', 'flushed', 'commit']);
    expect(offsets).toEqual([
      { topic: 'orders', partition: 0, offset: 15 },
      { topic: 'orders', partition: 1, offset: 4 },
    ]);
  });

  it('commits only the partitions this instance owns', async () => {
    const f = fakes({ orders: { 0: 10, 1: 4 } });
    f.owned.delete('orders-1');
    await f.committer.commit('rebalance');
    expect(f.commits).toEqual([[{ topic: 'orders', partition: 0, offset: 10 }]]);
  });

  it('skips partitions whose offset has not moved since the last commit', async () => {
    const f = fakes({ orders: { 0: 10, 1: 4 } });
    await f.committer.commit('interval');
    f.setSafe('orders', 1, 9);
    await f.committer.commit('interval');
    const third = await f.committer.commit('interval');
    expect(f.commits).toEqual([
      [
        { topic: 'orders', partition: 0, offset: 10 },
        { topic: 'orders', partition: 1, offset: 4 },
      ],
      [{ topic: 'orders', partition: 1, offset: 9 }],
    ]);
    expect(third.offsets).toEqual([]);
    expect(f.committer.commits).toBe(3);
  });

  it('never commits below what the group had committed before (seeded from the broker)', async () => {
    const f = fakes({ orders: { 0: 10 } });
    f.committer.seed([{ topic: 'orders', partition: 0, offset: 12 }]);
    const { offsets } = await f.committer.commit('interval');
    expect(offsets).toEqual([]);
    expect(f.committer.committedOffset('orders', 0)).toBe(12);
  });

  it('runs one commit at a time; requests made meanwhile share a single following commit', async () => {
    const f = fakes({ orders: { 0: 1 } });
    const gate = f.holdCommit();
    const first = f.committer.commit('interval');
    await new Promise((r) => setTimeout(r, 5));
    f.setSafe('orders', 0, 5);
    const second = f.committer.commit('rebalance');
    const third = f.committer.commit('close');
    expect(second).toBe(third);
    await new Promise((r) => setTimeout(r, 5));
    expect(f.log.filter((l) => l === 'commit')).toHaveLength(1);
    gate.resolve();
    await first;
    await second;
    expect(f.commits).toEqual([[{ topic: 'orders', partition: 0, offset: 1 }], [{ topic: 'orders', partition: 0, offset: 5 }]]);
  });

  it('reports a failed commit and commits the same offsets next time', async () => {
    const f = fakes({ orders: { 0: 7 } });
    const gate = f.holdCommit();
    const failing = f.committer.commit('interval');
    gate.reject(new Error('REBALANCE_IN_PROGRESS'));
    await expect(failing).rejects.toThrow('REBALANCE_IN_PROGRESS');
    expect(f.committer.failures).toBe(1);
    expect(f.committer.committedOffset('orders', 0)).toBeUndefined();
    f.holdCommit().resolve();
    const { offsets } = await f.committer.commit('interval');
    expect(offsets).toEqual([{ topic: 'orders', partition: 0, offset: 7 }]);
  });

  it('forgets a revoked partition', async () => {
    const f = fakes({ orders: { 0: 3 } });
    await f.committer.commit('interval');
    f.committer.forget('orders', 0);
    expect(f.committer.committedOffset('orders', 0)).toBeUndefined();
  });
});
