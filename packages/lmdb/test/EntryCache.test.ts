import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { open, type Key, type RootDatabase } from 'lmdb';
import { EntryCache, type EntryCacheLimits } from '../src/EntryCache';

const root = mkdtempSync(join(tmpdir(), 'tributary-entry-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let opened = 0;
let env: RootDatabase<Buffer, Key>;
afterEach(() => env.close());

/** A cache over a real LMDB database of strings, counting what reaches LMDB. */
function cacheOver(limits: EntryCacheLimits) {
  env = open<Buffer, Key>({ path: join(root, `db-${opened++}`), noSync: true, encoding: 'binary' });
  const db = env.openDB<Buffer, Key>('entries', { encoding: 'binary' });
  const counts = { loads: 0, saves: 0, restores: 0, transactions: 0 };
  const transactionSync = env.transactionSync.bind(env);
  env.transactionSync = ((callback: () => unknown) => (counts.transactions++, transactionSync(callback))) as typeof env.transactionSync;
  const cache = new EntryCache<string, string>(
    env,
    {
      load(id) {
        counts.loads++;
        const bytes = db.get(id);
        return bytes === undefined ? undefined : { entry: bytes.toString(), bytes: bytes.length };
      },
      save(id, entry) {
        counts.saves++;
        if (entry === null) return (db.removeSync(id), 0);
        db.putSync(id, Buffer.from(entry));
        return entry.length;
      },
      saveEncoded(id, bytes) {
        counts.restores++;
        if (bytes === null) db.removeSync(id);
        else db.putSync(id, bytes);
      },
    },
    (id) => id,
    limits,
  );
  const inLmdb = (id: string) => db.get(id)?.toString();
  return { cache, counts, inLmdb };
}

describe('EntryCache', () => {
  it('serves held writes and deletes to reads before any reaches LMDB', () => {
    const { cache, counts, inLmdb } = cacheOver({ maxPending: 100, maxRecentBytes: 1024 });
    cache.set('a', 'one');
    cache.set('b', 'two');
    cache.set('b', null);
    expect(cache.get('a')).toBe('one');
    expect(cache.get('b')).toBeUndefined();
    expect(inLmdb('a')).toBeUndefined();
    expect(counts).toEqual({ loads: 0, saves: 0, restores: 0, transactions: 0 });
  });

  it('writes what it holds in one transaction at maxPending, one save per key however often it changed', () => {
    const { cache, counts, inLmdb } = cacheOver({ maxPending: 3, maxRecentBytes: 1024 });
    cache.set('a', '1');
    cache.set('a', '2');
    cache.set('b', '1');
    expect(counts.transactions).toBe(0);
    cache.set('c', '1'); // the third key held
    expect(counts).toMatchObject({ saves: 3, transactions: 1 });
    expect([inLmdb('a'), inLmdb('b'), inLmdb('c')]).toEqual(['2', '1', '1']);
  });

  it('commits deletes too, and a commit with nothing held opens no transaction', () => {
    const { cache, counts, inLmdb } = cacheOver({ maxPending: 100, maxRecentBytes: 1024 });
    cache.set('a', 'one');
    cache.commit();
    cache.set('a', null);
    cache.commit();
    cache.commit();
    expect(inLmdb('a')).toBeUndefined();
    expect(counts.transactions).toBe(2);
  });

  it('decodes a hot key once, and again after it left the recent entries for newer ones', () => {
    const { cache, counts } = cacheOver({ maxPending: 1, maxRecentBytes: 8 });
    cache.set('hot', 'four'); // committed at once (maxPending 1) and kept decoded: 4 of 8 bytes
    for (let i = 0; i < 5; i++) expect(cache.get('hot')).toBe('four');
    expect(counts.loads).toBe(0);
    cache.set('x', 'fiv'); // 7 bytes kept
    cache.set('y', 'six'); // 10 > 8: the least recently used, 'hot', goes
    expect(cache.get('hot')).toBe('four');
    expect(counts.loads).toBe(1);
    expect(cache.get('y')).toBe('six');
    expect(counts.loads).toBe(1);
  });

  it('keeps nothing decoded with maxRecentBytes 0, and loads what is absent every time', () => {
    const { cache, counts } = cacheOver({ maxPending: 1, maxRecentBytes: 0 });
    cache.set('a', 'one');
    expect(cache.get('a')).toBe('one');
    expect(cache.get('missing')).toBeUndefined();
    expect(cache.get('missing')).toBeUndefined();
    expect(counts.loads).toBe(3);
  });

  it('forgets an evicted entry, held or recent, so a store that deleted it in LMDB does not see it again', () => {
    const { cache, counts } = cacheOver({ maxPending: 100, maxRecentBytes: 1024 });
    cache.set('held', 'x');
    cache.set('recent', 'y');
    cache.commit();
    cache.set('held', 'z');
    cache.evict('held');
    cache.evict('recent');
    cache.commit();
    expect(counts.saves).toBe(2); // the evicted write never reached LMDB
    expect(cache.get('held')).toBe('x'); // what LMDB holds; the store deletes it there itself
    expect(counts.loads).toBe(1);
  });

  it('writes restored records as they are, in changelog order, once maxPending are held or before the next read', () => {
    const { cache, counts, inLmdb } = cacheOver({ maxPending: 3, maxRecentBytes: 1024 });
    cache.restore('a', Buffer.from('1'));
    cache.restore('a', Buffer.from('2'));
    cache.restore('b', Buffer.from('1'));
    expect(counts).toMatchObject({ restores: 3, transactions: 1 }); // the third record held
    expect([inLmdb('a'), inLmdb('b')]).toEqual(['2', '1']);
    cache.restore('b', null);
    expect(inLmdb('b')).toBe('1');
    expect(cache.get('b')).toBeUndefined(); // the read committed the delete first
    expect(inLmdb('b')).toBeUndefined();
    expect(counts).toMatchObject({ restores: 4, transactions: 2, loads: 1 });
  });

  it('keeps the order of writes and restored records on one key, and a restored record replaces what was kept decoded', () => {
    const { cache, inLmdb } = cacheOver({ maxPending: 100, maxRecentBytes: 1024 });
    cache.set('k', 'held');
    cache.restore('k', Buffer.from('restored')); // after the held write: it wins
    expect(cache.get('k')).toBe('restored');
    cache.restore('k', Buffer.from('again')); // 'restored' was kept decoded by the read; no longer
    expect(cache.get('k')).toBe('again');
    cache.restore('k', Buffer.from('old'));
    cache.set('k', 'put'); // after the restored record: it wins
    expect(cache.get('k')).toBe('put');
    cache.commit();
    expect(inLmdb('k')).toBe('put');
  });
});
