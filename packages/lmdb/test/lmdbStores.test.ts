import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Stores, StreamsBuilder, silentLogger, type KeyValueStore, type StoreSpec, type WindowStore, type SessionStore, type PersistentStore } from '@tributary/core';
import { Task } from '@tributary/core/runtime';
import { lmdbStoreFactory, lmdbStores } from '@tributary/lmdb';
import { storeSuite } from '../../../test/kits/storeSuite';

const root = mkdtempSync(join(tmpdir(), 'tributary-lmdb-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let opened = 0;
/** A fresh file per store: each test starts empty. */
const freshPath = (spec: StoreSpec) => join(root, `${spec.name}-${opened++}`);

storeSuite('LMDB', {
  create: (spec, logger) => lmdbStores.open(spec, freshPath(spec), logger),
  createStore: (spec, logger) => (spec.persistable ? lmdbStores.open(spec, freshPath(spec), logger) : undefined),
});

// The same semantics when the cache in front of LMDB commits every other write and keeps
// almost nothing decoded: reads come from LMDB, scans meet committed and held writes.
const tinyCache = lmdbStoreFactory({ cache: { maxPending: 2, maxRecentBytes: 64 } });
storeSuite('LMDB, tiny cache', {
  create: (spec, logger) => tinyCache.open(spec, freshPath(spec), logger),
  createStore: (spec, logger) => (spec.persistable ? tinyCache.open(spec, freshPath(spec), logger) : undefined),
});

describe('LMDB stores across a reopen', () => {
  it('keep key-value entries and their timestamps after close', async () => {
    const spec = Stores.keyValueStore('profiles');
    const path = freshPath(spec);
    const first = lmdbStores.open(spec, path, undefined) as PersistentStore & KeyValueStore<string, { spend: number }>;
    first.put('c1', { spend: 10 }, 100);
    first.put('c2', { spend: 20 }, 200);
    first.delete('c2', 300);
    await first.flush();
    first.close();
    const second = lmdbStores.open(spec, path, undefined) as PersistentStore & KeyValueStore<string, { spend: number }>;
    expect(second.all()).toEqual([['c1', { spend: 10 }]]);
    expect(second.getWithTimestamp('c1')).toEqual({ value: { spend: 10 }, timestamp: 100 });
    second.close();
  });

  it('keep windows and measure retention from the latest start written before the close', () => {
    const spec = Stores.windowStore('clicks', { retention: 20, windowSize: 10 });
    const path = freshPath(spec);
    const first = lmdbStores.open(spec, path, undefined) as PersistentStore & WindowStore<string, number>;
    first.put('a', 1, 0, 1);
    first.put('a', 2, 10, 11);
    first.put('b', 3, 15, 16);
    first.close();
    const second = lmdbStores.open(spec, path, undefined) as PersistentStore & WindowStore<string, number>;
    expect(second.fetch('a', 0, 20)).toEqual([
      [0, 1],
      [10, 2],
    ]);
    second.put('a', 9, 5, 6); // 5 > 15 - 20: still accepted after the reopen
    second.put('b', 4, 30, 31); // latest start 30: windows at 10 or before are gone
    expect(second.all().map(([w, v]) => [w.key, w.window.start, v])).toEqual([
      ['b', 15, 3],
      ['b', 30, 4],
    ]);
    second.close();
  });

  it('keep sessions and their expiry after close', () => {
    const spec = Stores.sessionStore('visits', { retention: 10 });
    const path = freshPath(spec);
    const first = lmdbStores.open(spec, path, undefined) as PersistentStore & SessionStore<string, number>;
    first.put({ key: 'a', window: { start: 0, end: 5 } }, 2);
    first.put({ key: 'b', window: { start: 8, end: 12 } }, 1);
    first.close();
    const second = lmdbStores.open(spec, path, undefined) as PersistentStore & SessionStore<string, number>;
    expect(second.fetch('a').map(([w, v]) => [w.window, v])).toEqual([[{ start: 0, end: 5 }, 2]]);
    expect(second.put({ key: 'c', window: { start: 1, end: 1 } }, 1)).toBe(false); // 1 < 12 - 10
    second.close();
  });

  it('rejects cache limits that are not whole numbers, naming the limit', () => {
    expect(() => lmdbStoreFactory({ cache: { maxPending: 0 } })).toThrow('lmdbStoreFactory: cache.maxPending must be a whole number of at least 1, got 0');
    expect(() => lmdbStoreFactory({ cache: { maxRecentBytes: 1.5 } })).toThrow('lmdbStoreFactory: cache.maxRecentBytes must be a whole number (0 or more), got 1.5');
  });

  it('drop every entry on clear(), held or committed, and stay empty after a reopen', async () => {
    const kvSpec = Stores.keyValueStore('wiped');
    const windowSpec = Stores.windowStore('wiped-windows', { retention: 20, windowSize: 10 });
    const sessionSpec = Stores.sessionStore('wiped-sessions', { retention: 10 });
    const paths = [freshPath(kvSpec), freshPath(windowSpec), freshPath(sessionSpec)] as const;
    const kv = lmdbStores.open(kvSpec, paths[0], undefined) as PersistentStore & KeyValueStore<string, number>;
    const windows = lmdbStores.open(windowSpec, paths[1], undefined) as PersistentStore & WindowStore<string, number>;
    const sessions = lmdbStores.open(sessionSpec, paths[2], undefined) as PersistentStore & SessionStore<string, number>;
    kv.put('committed', 1);
    await kv.flush();
    kv.put('held', 2);
    windows.put('a', 1, 0, 1);
    sessions.put({ key: 'a', window: { start: 0, end: 5 } }, 2);
    for (const store of [kv, windows, sessions]) store.clear!();
    expect([kv.all(), windows.all(), sessions.all()]).toEqual([[], [], []]);
    windows.put('b', 3, 0, 1); // retention starts over: an early window is accepted again
    expect(windows.all().map(([w, v]) => [w.key, v])).toEqual([['b', 3]]);
    for (const store of [kv, windows, sessions]) store.close();
    const reopened = lmdbStores.open(kvSpec, paths[0], undefined) as PersistentStore & KeyValueStore<string, number>;
    expect(reopened.all()).toEqual([]);
    reopened.close();
  });

  it('refuses store kinds it has no form for, naming the store', () => {
    const spec = Stores.versionedKeyValueStore('rates', { historyRetention: '1h' });
    expect(() => lmdbStores.open(spec, freshPath(spec), undefined)).toThrow("store 'rates' is a versioned store: LMDB keeps key-value, window and session stores only");
  });
});

describe('LMDB store values', () => {
  /** A value with behaviour, as aggregations keep (the CRM's co-purchase rows are one). */
  class Tally {
    constructor(readonly hits: number) {}
    plus(n: number): Tally {
      return new Tally(this.hits + n);
    }
  }
  const tallySerde = {
    name: 'tally',
    serialize: (_topic: string, value: Tally) => Buffer.from(String(value.hits)),
    deserialize: (_topic: string, bytes: Buffer | null) => new Tally(Number(bytes!.toString())),
  };

  it('go through the store value serde when it declares one, so a value comes back from disk as the serde builds it', async () => {
    const topics: string[] = [];
    const serde = { ...tallySerde, serialize: (topic: string, value: Tally) => (topics.push(topic), tallySerde.serialize(topic, value)) };
    const spec = Stores.keyValueStore<string, Tally>('tallies', { valueSerde: serde });
    const path = freshPath(spec);
    const first = lmdbStores.open(spec, path, undefined, 'app-tallies-changelog') as PersistentStore & KeyValueStore<string, Tally>;
    first.put('a', new Tally(1), 1);
    first.put('a', first.get('a')!.plus(2), 2);
    await first.flush();
    expect(topics).toEqual(['app-tallies-changelog']); // two writes between commits to LMDB: one encode
    first.close();
    const second = lmdbStores.open(spec, path, undefined, 'app-tallies-changelog') as PersistentStore & KeyValueStore<string, Tally>;
    expect(second.get('a')).toBeInstanceOf(Tally);
    expect(second.get('a')!.hits).toBe(3);
    expect(second.all().map(([k, v]) => [k, v.hits])).toEqual([['a', 3]]);
    second.close();
  });

  it('restored by a task keep the changelog bytes of the value serde as they are: deserialized when read, never serialized again', () => {
    const calls = { serialize: 0, deserialize: 0 };
    const serde = {
      name: 'tally',
      serialize: (topic: string, value: Tally) => (calls.serialize++, tallySerde.serialize(topic, value)),
      deserialize: (topic: string, bytes: Buffer | null) => (calls.deserialize++, tallySerde.deserialize(topic, bytes)),
    };
    const builder = new StreamsBuilder();
    builder.stream<string, Tally>('visits').groupByKey().reduce((total, visit) => total.plus(visit.hits), { name: 'tallies', valueSerde: serde });
    let store: (PersistentStore & KeyValueStore<string, Tally>) | undefined;
    const task = new Task(builder.build().subTopologies[0]!, 0, {
      applicationId: 'app',
      collector: { send: () => undefined, partitionsFor: () => 1 },
      logger: silentLogger,
      createStore: (spec, logger) => (store = lmdbStores.open(spec, freshPath(spec), logger, 'app-tallies-changelog') as PersistentStore & KeyValueStore<string, Tally>),
    });
    const key = (k: string) => Buffer.from(JSON.stringify(k));
    task.restore('tallies', key('a'), Buffer.from('5'), 10);
    task.restore('tallies', key('b'), Buffer.from('1'), 11);
    task.restore('tallies', key('a'), Buffer.from('7'), 12);
    task.restore('tallies', key('b'), null, 13);
    expect(calls).toEqual({ serialize: 0, deserialize: 0 });
    expect(store!.getWithTimestamp('a')).toEqual({ value: new Tally(7), timestamp: 12 });
    expect(store!.get('a')).toBeInstanceOf(Tally);
    expect(store!.get('b')).toBeUndefined();
    expect(calls).toEqual({ serialize: 0, deserialize: 1 }); // one read from disk; the second comes from the cache
    task.close();
  });

  it('without a serde are kept as data: no prototype survives the disk', () => {
    const spec = Stores.keyValueStore<string, Tally>('plain-tallies');
    const path = freshPath(spec);
    const first = lmdbStores.open(spec, path, undefined) as PersistentStore & KeyValueStore<string, Tally>;
    first.put('a', new Tally(1), 1);
    first.close();
    const second = lmdbStores.open(spec, path, undefined) as PersistentStore & KeyValueStore<string, Tally>;
    expect(second.get('a')).toEqual({ hits: 1 });
    expect(second.get('a')).not.toBeInstanceOf(Tally);
    second.close();
  });
});
