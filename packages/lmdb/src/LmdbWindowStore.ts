import type { PersistentStore, StoreChangeLogger } from '@tributary/core';
import { AbstractWindowStore, type WindowEntry } from '@tributary/core/runtime';
import type { Key, RootDatabase } from 'lmdb';
import { DEFAULT_CACHE_LIMITS, EntryCache, type EntryCacheLimits } from './EntryCache';
import { EntryCodec } from './entryCodec';
import { keyId } from './keyId';
import { EMPTY, openDatabase, type StoreDatabase } from './lmdbEnvironment';

/** A window's LMDB key: the key's {@link keyId}, then the window start. */
type WindowId = readonly [id: string | number, start: number];

/**
 * A window store in LMDB with the in-memory store's semantics ({@link AbstractWindowStore}:
 * retention measured from the latest window start written, found again on open).
 * Two databases: `windows` under `[keyId, start]` (a key's windows, by start) holding
 * `[key, value, timestamp]`, and the index `starts` under `[start, keyId]` (every window
 * by start, then key) for expiry and time-ordered scans. Point reads and writes go through
 * an {@link EntryCache}, which writes both databases in one transaction; scans and expiry
 * commit it first.
 */
export class LmdbWindowStore<K, V> extends AbstractWindowStore<K, V> implements PersistentStore {
  private readonly windows: StoreDatabase;
  private readonly starts: StoreDatabase;
  private readonly cache: EntryCache<WindowId, WindowEntry<K, V>>;
  /** Inside {@link restore}: writes are changelog records. */
  private restoring = false;

  constructor(
    name: string,
    retentionMs: number,
    windowSizeMs: number,
    private readonly env: RootDatabase<Buffer, Key>,
    logger?: StoreChangeLogger,
    private readonly codec: EntryCodec = EntryCodec.plain,
    cacheLimits: EntryCacheLimits = DEFAULT_CACHE_LIMITS,
  ) {
    super(name, retentionMs, windowSizeMs, logger);
    this.windows = openDatabase(env, 'windows');
    this.starts = openDatabase(env, 'starts');
    for (const key of this.starts.getKeys({ reverse: true, limit: 1 })) this.latestStart = (key as [number, unknown])[0];
    this.cache = new EntryCache(
      env,
      {
        load: ([id, start]) => {
          const bytes = this.windows.get([id, start]);
          return bytes === undefined ? undefined : { entry: this.decode(start, bytes), bytes: bytes.length };
        },
        save: ([id, start], entry) => {
          if (entry === null) {
            this.windows.removeSync([id, start]);
            this.starts.removeSync([start, id]);
            return 0;
          }
          const bytes = this.codec.encode([entry.key, entry.value, entry.timestamp]);
          this.windows.putSync([id, start], bytes);
          this.starts.putSync([start, id], EMPTY);
          return bytes.length;
        },
        saveEncoded: ([id, start], bytes) => {
          if (bytes === null) {
            this.windows.removeSync([id, start]);
            this.starts.removeSync([start, id]);
          } else {
            this.windows.putSync([id, start], bytes);
            this.starts.putSync([start, id], EMPTY);
          }
        },
      },
      ([id, start]) => `${start}/${typeof id === 'number' ? 'n' : 's'}${id}`,
      cacheLimits,
    );
  }

  protected storedEntry(key: K, windowStart: number): WindowEntry<K, V> | undefined {
    return this.cache.get([keyId(key, this.name), windowStart]);
  }

  protected storedEntries(key: K, from: number, to: number): WindowEntry<K, V>[] {
    const id = keyId(key, this.name);
    const found: WindowEntry<K, V>[] = [];
    if (from > to) return found;
    this.cache.commit();
    for (const { key: stored, value } of this.windows.getRange({ start: [id, from] })) {
      const [storedId, start] = stored as [unknown, number];
      if (storedId !== id || start > to) break;
      found.push(this.decode(start, value));
    }
    return found;
  }

  entriesBetween(from: number, to: number): WindowEntry<K, V>[] {
    const found: WindowEntry<K, V>[] = [];
    if (from > to) return found;
    this.cache.commit();
    for (const indexed of this.starts.getKeys({ start: Number.isFinite(from) ? [from] : undefined })) {
      const [start, id] = indexed as [number, string | number];
      if (start > to) break;
      const bytes = this.windows.get([id, start]);
      if (bytes !== undefined) found.push(this.decode(start, bytes));
    }
    return found;
  }

  approximateNumEntries(): number {
    this.cache.commit();
    return (this.windows.getStats() as { entryCount: number }).entryCount;
  }

  flush(): Promise<void> {
    return this.cache.sync();
  }

  clear(): void {
    this.cache.clear([this.windows, this.starts]);
    this.latestStart = Number.NEGATIVE_INFINITY;
  }

  close(): void {
    this.cache.close();
  }

  /** A changelog record: encoded now and written with the next commit, past the cache's objects (see {@link write}). */
  override restore(key: unknown, value: unknown, timestamp: number): void {
    this.restoring = true;
    try {
      super.restore(key, value, timestamp);
    } finally {
      this.restoring = false;
    }
  }

  protected write(key: K, value: V | null, start: number, timestamp: number): WindowEntry<K, V> | undefined {
    const id = keyId(key, this.name);
    if (this.restoring) {
      this.cache.restore([id, start], value === null || value === undefined ? null : this.codec.encode([key, value, timestamp]));
      return undefined;
    }
    if (value === null || value === undefined) {
      this.cache.set([id, start], null);
      return undefined;
    }
    const entry: WindowEntry<K, V> = { key, start, value, timestamp, windowedKey: this.windowedKey(key, start) };
    this.cache.set([id, start], entry);
    return entry;
  }

  /** Removes the windows with `start < threshold`. */
  protected expire(threshold: number): void {
    this.cache.commit();
    const expired: WindowId[] = [];
    for (const indexed of this.starts.getKeys({ end: [threshold] })) {
      const [start, id] = indexed as [number, string | number];
      expired.push([id, start]);
    }
    if (expired.length === 0) return;
    this.env.transactionSync(() => {
      for (const [id, start] of expired) {
        this.windows.removeSync([id, start]);
        this.starts.removeSync([start, id]);
      }
    });
    for (const id of expired) this.cache.evict(id);
  }

  private decode(start: number, bytes: Buffer): WindowEntry<K, V> {
    const [key, value, timestamp] = this.codec.decode(bytes) as [K, V, number];
    return { key, start, value, timestamp, windowedKey: this.windowedKey(key, start) };
  }
}
