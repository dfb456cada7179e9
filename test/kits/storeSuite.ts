import { describe, expect, it } from 'vitest';
import { EmitStrategy, StreamsBuilder, Stores, TimeWindows, SessionWindows, type KeyValueStore, type RestorableStore, type SessionStore, type StoreChangeLogger, type StoreSpec, type WindowStore } from '@tributary/core';
import type { AggregationSessionStore, AggregationWindowStore } from '@tributary/core/runtime';
import { TopologyTestDriver } from '@tributary/core/testing';

// A test kit shared by the unit tests of several packages (not a package's internals): the
// behaviour every store implementation must have, run on the in-memory stores
// (packages/core/test/state/inMemoryStores.test.ts) and on LMDB (packages/lmdb/test).

/** How the shared store suite makes stores of one implementation. */
export interface StoreSuiteTarget {
  /** A new, empty store for `spec`. */
  create(spec: StoreSpec, logger: StoreChangeLogger | undefined): RestorableStore;
  /** For the topology tests: stores the driver creates (`undefined` keeps the in-memory one). */
  createStore?: (spec: StoreSpec, logger: StoreChangeLogger | undefined) => RestorableStore | undefined;
}

const recorder = () => {
  const logged: [unknown, unknown, number][] = [];
  const logger: StoreChangeLogger = { log: (key, value, timestamp) => logged.push([key, value, timestamp]) };
  return { logged, logger };
};

const session = <K>(key: K, start: number, end: number) => ({ key, window: { start, end } });

/** The behaviour every key-value, window and session store implementation shares. */
export function storeSuite(kind: string, target: StoreSuiteTarget): void {
  const keyValue = <K, V>(logger?: StoreChangeLogger) => target.create(Stores.keyValueStore('kv'), logger) as unknown as KeyValueStore<K, V> & RestorableStore;
  const windowStore = <K, V>(logger?: StoreChangeLogger, retention = 20) =>
    target.create(Stores.windowStore('w', { retention, windowSize: 10 }), logger) as unknown as AggregationWindowStore<K, V> & RestorableStore;
  const sessionStore = <K, V>(logger?: StoreChangeLogger, retention = 10) =>
    target.create(Stores.sessionStore('s', { retention }), logger) as unknown as AggregationSessionStore<K, V> & RestorableStore;

  describe(`${kind} key-value store`, () => {
    it('gets, puts, deletes and logs each write in order', () => {
      const { logged, logger } = recorder();
      const store = keyValue<string, { n: number }>(logger);
      store.put('a', { n: 1 }, 5);
      expect(store.get('a')).toEqual({ n: 1 });
      expect(store.getWithTimestamp('a')).toMatchObject({ value: { n: 1 }, timestamp: 5 });
      expect(store.putIfAbsent('a', { n: 2 }, 6)).toEqual({ n: 1 });
      expect(store.putIfAbsent('b', { n: 3 }, 7)).toBeUndefined();
      expect(store.delete('a', 8)).toEqual({ n: 1 });
      expect(store.get('a')).toBeUndefined();
      store.put('b', null, 9);
      expect(store.get('b')).toBeUndefined();
      expect(store.approximateNumEntries()).toBe(0);
      expect(logged).toEqual([
        ['a', { n: 1 }, 5],
        ['b', { n: 3 }, 7],
        ['a', null, 8],
        ['b', null, 9],
      ]);
      store.close();
    });

    it('lists all entries and ranges in key order, bounds included: strings, numbers, and object keys by value', () => {
      const strings = keyValue<string, number>();
      for (const key of ['d', 'a', 'c', 'b', 'e']) strings.put(key, key.charCodeAt(0));
      expect(strings.all().map(([k]) => k)).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(strings.range('b', 'd')).toEqual([
        ['b', 98],
        ['c', 99],
        ['d', 100],
      ]);
      expect(strings.approximateNumEntries()).toBe(5);
      strings.close();
      const numbers = keyValue<number, string>();
      for (const key of [10, 2, 33, 1]) numbers.put(key, `v${key}`);
      expect(numbers.all().map(([k]) => k)).toEqual([1, 2, 10, 33]);
      expect(numbers.range(2, 10).map(([k]) => k)).toEqual([2, 10]);
      numbers.close();
      const objects = keyValue<{ id: number; region: string }, number>();
      objects.put({ id: 1, region: 'eu' }, 1);
      objects.put({ region: 'eu', id: 1 }, 2);
      expect(objects.get({ region: 'eu', id: 1 })).toBe(2);
      expect(objects.all()).toEqual([[{ id: 1, region: 'eu' }, 2]]);
      objects.close();
    });

    it('restores without logging again', () => {
      const { logged, logger } = recorder();
      const store = keyValue<string, number>(logger);
      store.restore('a', 1, 3);
      store.restore('b', 2, 4);
      store.restore('a', null, 5);
      expect(store.all()).toEqual([['b', 2]]);
      expect(store.getWithTimestamp('b')).toMatchObject({ value: 2, timestamp: 4 });
      expect(logged).toEqual([]);
      store.close();
    });

    it('returns copies that keep plain data: nested objects, arrays, Buffers, null fields', () => {
      const store = keyValue<string, unknown>();
      const value = { list: [1, 'two', { three: 3 }], bytes: Buffer.from('hi'), nothing: null, flag: true };
      store.put('k', value);
      expect(store.get('k')).toEqual(value);
      store.close();
    });
  });

  describe(`${kind} window store`, () => {
    it('logs each write keyed by the windowed key, deletes on null, and ignores expired windows', () => {
      const { logged, logger } = recorder();
      const store = windowStore<string, number>(logger);
      store.put('a', 1, 0, 3);
      store.put('a', 2, 0, 4);
      expect(store.put('b', 5, 30, 31)).toBe(true); // latest start 30: window 0 (<= 30 - 20) expires
      expect(store.put('a', 9, 10, 12)).toBe(false); // 10 <= 30 - 20: ignored, not logged
      store.put('b', null, 30, 32);
      expect(logged).toEqual([
        [{ key: 'a', window: { start: 0, end: 10 } }, 1, 3],
        [{ key: 'a', window: { start: 0, end: 10 } }, 2, 4],
        [{ key: 'b', window: { start: 30, end: 40 } }, 5, 31],
        [{ key: 'b', window: { start: 30, end: 40 } }, null, 32],
      ]);
      expect(store.all()).toEqual([]);
      expect(store.fetch('a', 0)).toBeUndefined();
      store.close();
    });

    it('fetches a key by window start, forward and backward, and every key by start then key', () => {
      const store = windowStore<string, number>(undefined, 100);
      store.put('b', 1, 0, 1);
      store.put('a', 2, 10, 12);
      store.put('a', 3, 0, 5);
      store.put('b', 4, 20, 21);
      store.put('a', 5, 20, 29);
      expect(store.fetch('a', 0, 20)).toEqual([
        [0, 3],
        [10, 2],
        [20, 5],
      ]);
      expect(store.fetch('a', 5, 15)).toEqual([[10, 2]]);
      expect(store.backwardFetch('a', 0, 10)).toEqual([
        [10, 2],
        [0, 3],
      ]);
      expect(store.fetchWithTimestamp('a', 20)).toEqual({ value: 5, timestamp: 29 });
      expect(store.fetchAll(0, 20).map(([w, v]) => [w.key, w.window.start, w.window.end, v])).toEqual([
        ['a', 0, 10, 3],
        ['b', 0, 10, 1],
        ['a', 10, 20, 2],
        ['a', 20, 30, 5],
        ['b', 20, 30, 4],
      ]);
      expect(store.fetchAll(10, 10).map(([w]) => w.key)).toEqual(['a']);
      store.close();
    });

    it('keeps a window one millisecond past retention for emit-on-close scans, and hands out entries with their windowed keys', () => {
      const store = windowStore<string, number>(undefined, 20);
      expect(store.putEntry('a', 1, 0, 1)).toMatchObject({ key: 'a', start: 0, value: 1, timestamp: 1, windowedKey: { key: 'a', window: { start: 0, end: 10 } } });
      store.put('b', 2, 20, 21); // latest start 20: window 0 is out of retention (0 <= 20 - 20) but still kept
      expect(store.entryAt('a', 0)).toBeUndefined();
      expect(store.fetch('a', 0, 20)).toEqual([]);
      expect(store.entriesBetween(0, 20).map((e) => [e.key, e.start])).toEqual([
        ['a', 0],
        ['b', 20],
      ]);
      store.put('b', 3, 21, 22); // now window 0 is gone
      expect(store.entriesBetween(0, 20).map((e) => [e.key, e.start])).toEqual([['b', 20]]);
      expect(store.entriesFor('b', 0, 30).map((e) => [e.start, e.value])).toEqual([
        [20, 2],
        [21, 3],
      ]);
      store.close();
    });

    it('restores through its changelog serdes without logging again', () => {
      const source = recorder();
      const spec = Stores.windowStore('w', { retention: 20, windowSize: 10 });
      const written = target.create(spec, source.logger) as unknown as WindowStore<string, number>;
      written.put('a', 1, 0, 3);
      written.put('a', 2, 10, 13);
      written.close();
      const restored = recorder();
      const store = target.create(spec, restored.logger) as unknown as WindowStore<string, number> & RestorableStore;
      const keySerde = spec.keySerde!;
      for (const [key, value, timestamp] of source.logged) store.restore(keySerde.deserialize('t', keySerde.serialize('t', key)), value, timestamp);
      expect(restored.logged).toEqual([]);
      expect(store.fetch('a', 0, 20)).toEqual([
        [0, 1],
        [10, 2],
      ]);
      expect(store.fetchWithTimestamp('a', 10)).toEqual({ value: 2, timestamp: 13 });
      store.close();
    });
  });

  describe(`${kind} session store`, () => {
    it('finds sessions by end and start, logs puts and removals, and expires by latest end', () => {
      const { logged, logger } = recorder();
      const store = sessionStore<string, number>(logger) as SessionStore<string, number>;
      store.put(session('a', 0, 5), 2);
      store.put(session('a', 8, 9), 1);
      store.put(session('b', 3, 4), 7);
      expect(store.findSessions('a', 5, 8).map(([w]) => w.window)).toEqual([
        { start: 0, end: 5 },
        { start: 8, end: 9 },
      ]);
      expect(store.findSessions('a', 6, 8).map(([w]) => w.window)).toEqual([{ start: 8, end: 9 }]);
      expect(store.findSessions('a', 5, 7).map(([w]) => w.window)).toEqual([{ start: 0, end: 5 }]);
      expect(store.fetchSession('a', 8, 9)).toBe(1);
      expect(store.fetchSession('a', 8, 10)).toBeUndefined();
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
      store.close();
    });

    it('scans sessions by end, then start, then key; keeps and accepts a session ending exactly at the close', () => {
      const store = sessionStore<string, number>(undefined, 10);
      store.put(session('b', 2, 5), 1);
      store.put(session('a', 3, 5), 2);
      store.put(session('a', 2, 5), 3);
      store.put(session('c', 0, 1), 4);
      expect(store.entriesEndingBetween(0, 10).map((e) => [e.sessionKey.key, e.sessionKey.window.start, e.sessionKey.window.end, e.value])).toEqual([
        ['c', 0, 1, 4],
        ['a', 2, 5, 3],
        ['b', 2, 5, 1],
        ['a', 3, 5, 2],
      ]);
      store.put(session('d', 15, 15), 5); // latest end 15: end 5 is at the boundary, kept but not visible
      expect(store.fetch('a')).toEqual([]);
      expect(store.entriesEndingBetween(0, 5).map((e) => e.sessionKey.key)).toEqual(['a', 'b', 'a']);
      expect(store.put(session('e', 5, 5), 6)).toBe(true);
      expect(store.put(session('e', 4, 4), 7)).toBe(false);
      store.close();
    });
  });

  describe(`${kind} stores under windowed aggregations (TopologyTestDriver)`, () => {
    it('counts tumbling windows and emits each final count once, on window close, by start then key', () => {
      const builder = new StreamsBuilder();
      builder
        .stream<string, string>('clicks')
        .groupByKey()
        .windowedBy(TimeWindows.ofSizeAndGrace(10, 5))
        .emitStrategy(EmitStrategy.onWindowClose())
        .count({ name: 'clicks-per-10' })
        .toStream()
        .map((w, n) => [`${w.key}@${w.window.start}`, n])
        .to('counts');
      const driver = new TopologyTestDriver(builder.build(), { createStore: target.createStore });
      const input = driver.createInputTopic<string, string>('clicks');
      const output = driver.createOutputTopic<string, number>('counts');
      for (const [key, t] of [['b', 1], ['a', 4], ['a', 6], ['a', 12], ['a', 16]] as const) input.pipeInput(key, 'x', t);
      expect(output.readKeyValuesToList()).toEqual([
        ['a@0', 2],
        ['b@0', 1],
      ]);
      expect(driver.getWindowStore<string, number>('clicks-per-10').fetch('a', 10)).toBe(2);
      input.pipeInput('c', 'x', 26);
      expect(output.readKeyValuesToList()).toEqual([['a@10', 2]]);
      driver.close();
    });

    it('merges sessions: tombstones for the old ones (by end), then the merged one', () => {
      const builder = new StreamsBuilder();
      builder
        .stream<string, string>('clicks')
        .groupByKey()
        .windowedBy(SessionWindows.ofInactivityGapAndGrace(5, 20))
        .count({ name: 'sessions' })
        .toStream()
        .map((w, n) => [`${w.key}@${w.window.start}-${w.window.end}`, n])
        .to('counts');
      const driver = new TopologyTestDriver(builder.build(), { createStore: target.createStore });
      const input = driver.createInputTopic<string, string>('clicks');
      const output = driver.createOutputTopic<string, number | null>('counts');
      input.pipeInput('a', 'x', 0);
      input.pipeInput('a', 'x', 10);
      input.pipeInput('a', 'x', 5);
      expect(output.readKeyValuesToList()).toEqual([
        ['a@0-0', 1],
        ['a@10-10', 1],
        ['a@0-0', null],
        ['a@10-10', null],
        ['a@0-10', 3],
      ]);
      expect(driver.getSessionStore<string, number>('sessions').fetch('a').map(([w, v]) => [w.window, v])).toEqual([[{ start: 0, end: 10 }, 3]]);
      driver.close();
    });
  });
}
