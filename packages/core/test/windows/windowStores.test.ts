import { describe, expect, it } from 'vitest';
import { Stores, type SessionStore, type StoreChangeLogger, type WindowStore } from '@tributary/core';

const recorder = () => {
  const logged: [unknown, unknown, number][] = [];
  const logger: StoreChangeLogger = { log: (key, value, timestamp) => logged.push([key, value, timestamp]) };
  return { logged, logger };
};

describe('in-memory window store', () => {
  const create = () => {
    const { logged, logger } = recorder();
    const spec = Stores.windowStore('w', { retention: 20, windowSize: 10 });
    return { store: spec.create(logger) as unknown as WindowStore<string, number> & { restore(k: unknown, v: unknown, t: number): void }, logged, spec };
  };

  it('logs each write keyed by the windowed key, deletes on null, and ignores expired windows', () => {
    const { store, logged } = create();
    store.put('a', 1, 0, 3);
    store.put('a', 2, 0, 4);
    store.put('b', 5, 30, 31); // latest start 30: window 0 (<= 30 - 20) expires
    store.put('a', 9, 10, 12); // 10 <= 30 - 20: ignored, not logged
    store.put('b', null, 30, 32);
    expect(logged).toEqual([
      [{ key: 'a', window: { start: 0, end: 10 } }, 1, 3],
      [{ key: 'a', window: { start: 0, end: 10 } }, 2, 4],
      [{ key: 'b', window: { start: 30, end: 40 } }, 5, 31],
      [{ key: 'b', window: { start: 30, end: 40 } }, null, 32],
    ]);
    expect(store.all()).toEqual([]);
    expect(store.fetch('a', 0)).toBeUndefined();
  });

  it('restores through its changelog serdes without logging again', () => {
    const source = create();
    source.store.put('a', 1, 0, 3);
    source.store.put('a', 2, 10, 13);
    const target = create();
    const { keySerde, valueSerde } = source.spec;
    for (const [key, value, timestamp] of source.logged) {
      target.store.restore(keySerde!.deserialize('t', keySerde!.serialize('t', key)), value, timestamp);
    }
    expect(target.logged).toEqual([]);
    expect(target.store.fetch('a', 0, 20)).toEqual([
      [0, 1],
      [10, 2],
    ]);
    expect(target.store.fetchWithTimestamp('a', 10)).toEqual({ value: 2, timestamp: 13 });
    expect(valueSerde).toBeUndefined();
  });
});

describe('in-memory window store with many short-lived keys', () => {
  it('forgets keys whose windows expired once they far outnumber live keys, and serves them again after', () => {
    const { store } = (() => {
      const spec = Stores.windowStore('w', { retention: 20, windowSize: 10, logging: false });
      return { store: spec.create(undefined) as unknown as WindowStore<string, number> };
    })();
    for (let k = 0; k < 120_000; k++) store.put(`k${k}`, 1, 0, 0);
    store.put('live', 1, 100, 100); // every window at 0 expires: 120,000 empty keys
    store.put('k7', 2, 110, 110);
    expect(store.fetch('k7', 110)).toBe(2);
    expect(store.fetch('k7', 0)).toBeUndefined();
    expect(store.all().map(([w, v]) => [w.key, w.window.start, v])).toEqual([
      ['live', 100, 1],
      ['k7', 110, 2],
    ]);
    expect((store as unknown as { byKey: Map<unknown, unknown> }).byKey.size).toBe(2);
  });
});

describe('in-memory session store', () => {
  it('finds sessions by end and start, logs puts and removals, and expires by latest end', () => {
    const { logged, logger } = recorder();
    const store = Stores.sessionStore('s', { retention: 10 }).create(logger) as unknown as SessionStore<string, number>;
    const session = (key: string, start: number, end: number) => ({ key, window: { start, end } });
    store.put(session('a', 0, 5), 2);
    store.put(session('a', 8, 9), 1);
    store.put(session('b', 3, 4), 7);
    expect(store.findSessions('a', 5, 8).map(([w]) => w.window)).toEqual([
      { start: 0, end: 5 },
      { start: 8, end: 9 },
    ]);
    expect(store.findSessions('a', 6, 8).map(([w]) => w.window)).toEqual([{ start: 8, end: 9 }]);
    expect(store.findSessions('a', 5, 7).map(([w]) => w.window)).toEqual([{ start: 0, end: 5 }]);
    store.remove(session('a', 0, 5));
    expect(store.fetch('a').map(([w, v]) => [w.window.start, v])).toEqual([[8, 1]]);
    store.put(session('c', 14, 14), 1); // latest end 14: sessions ending at 4 or before expire
    expect(store.all().map(([w]) => w.key)).toEqual(['a', 'c']);
    expect(logged.map(([key, value]) => [(key as { key: string }).key, value])).toEqual([
      ['a', 2],
      ['a', 1],
      ['b', 7],
      ['a', null],
      ['c', 1],
    ]);
  });
});
