import type { PersistentStore, StoreChangeLogger, Windowed } from '@tributary/core';
import { AbstractSessionStore, windowed, type SessionEntry } from '@tributary/core/runtime';
import type { Key, RootDatabase } from 'lmdb';
import { DEFAULT_CACHE_LIMITS, EntryCache, type EntryCacheLimits } from './EntryCache';
import { EntryCodec } from './entryCodec';
import { keyId } from './keyId';
import { EMPTY, openDatabase, type StoreDatabase } from './lmdbEnvironment';

/** A session's LMDB key: the key's {@link keyId}, then the session's end and start. */
type SessionId = readonly [id: string | number, end: number, start: number];

/**
 * A session store in LMDB with the in-memory store's semantics ({@link AbstractSessionStore}:
 * retention measured from the latest session end written, found again on open). Two
 * databases: `sessions` under `[keyId, end, start]` (a key's sessions by end, then start)
 * holding `[key, value]`, and the index `ends` under `[end, start, keyId]` for expiry and
 * emit-on-close scans (Kafka Streams' time-ordered order). Point reads and writes go through
 * an {@link EntryCache}; scans and expiry commit it first.
 */
export class LmdbSessionStore<K, V> extends AbstractSessionStore<K, V> implements PersistentStore {
  private readonly sessions: StoreDatabase;
  private readonly ends: StoreDatabase;
  private readonly cache: EntryCache<SessionId, SessionEntry<K, V>>;
  /** Inside {@link restore}: writes are changelog records. */
  private restoring = false;

  constructor(
    name: string,
    retentionMs: number,
    private readonly env: RootDatabase<Buffer, Key>,
    logger?: StoreChangeLogger,
    private readonly codec: EntryCodec = EntryCodec.plain,
    cacheLimits: EntryCacheLimits = DEFAULT_CACHE_LIMITS,
  ) {
    super(name, retentionMs, logger);
    this.sessions = openDatabase(env, 'sessions');
    this.ends = openDatabase(env, 'ends');
    for (const key of this.ends.getKeys({ reverse: true, limit: 1 })) this.latestEnd = (key as [number, unknown])[0];
    this.cache = new EntryCache(
      env,
      {
        load: ([id, end, start]) => {
          const bytes = this.sessions.get([id, end, start]);
          return bytes === undefined ? undefined : { entry: this.decode(start, end, bytes), bytes: bytes.length };
        },
        save: ([id, end, start], entry) => {
          if (entry === null) {
            this.sessions.removeSync([id, end, start]);
            this.ends.removeSync([end, start, id]);
            return 0;
          }
          const bytes = this.codec.encode([entry.sessionKey.key, entry.value]);
          this.sessions.putSync([id, end, start], bytes);
          this.ends.putSync([end, start, id], EMPTY);
          return bytes.length;
        },
        saveEncoded: ([id, end, start], bytes) => {
          if (bytes === null) {
            this.sessions.removeSync([id, end, start]);
            this.ends.removeSync([end, start, id]);
          } else {
            this.sessions.putSync([id, end, start], bytes);
            this.ends.putSync([end, start, id], EMPTY);
          }
        },
      },
      ([id, end, start]) => `${end}/${start}/${typeof id === 'number' ? 'n' : 's'}${id}`,
      cacheLimits,
    );
  }

  protected storedSession(key: K, start: number, end: number): V | undefined {
    return this.cache.get([keyId(key, this.name), end, start])?.value;
  }

  protected storedSessions(key: K, earliestSessionEnd: number, latestSessionStart: number): SessionEntry<K, V>[] {
    const id = keyId(key, this.name);
    const found: SessionEntry<K, V>[] = [];
    this.cache.commit();
    for (const { key: stored, value } of this.sessions.getRange({ start: Number.isFinite(earliestSessionEnd) ? [id, earliestSessionEnd] : [id] })) {
      const [storedId, end, start] = stored as [unknown, number, number];
      if (storedId !== id) break;
      if (start <= latestSessionStart) found.push(this.decode(start, end, value));
    }
    return found;
  }

  entriesEndingBetween(from: number, to: number): SessionEntry<K, V>[] {
    const found: SessionEntry<K, V>[] = [];
    if (from > to) return found;
    this.cache.commit();
    for (const indexed of this.ends.getKeys({ start: Number.isFinite(from) ? [from] : undefined })) {
      const [end, start, id] = indexed as [number, number, string | number];
      if (end > to) break;
      const bytes = this.sessions.get([id, end, start]);
      if (bytes !== undefined) found.push(this.decode(start, end, bytes));
    }
    return found;
  }

  approximateNumEntries(): number {
    this.cache.commit();
    return (this.sessions.getStats() as { entryCount: number }).entryCount;
  }

  flush(): Promise<void> {
    return this.cache.sync();
  }

  clear(): void {
    this.cache.clear([this.sessions, this.ends]);
    this.latestEnd = Number.NEGATIVE_INFINITY;
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

  protected write(sessionKey: Windowed<K>, value: V | null): void {
    const { start, end } = sessionKey.window;
    if (this.restoring) {
      this.cache.restore([keyId(sessionKey.key, this.name), end, start], value === null ? null : this.codec.encode([sessionKey.key, value]));
      return;
    }
    this.cache.set([keyId(sessionKey.key, this.name), end, start], value === null ? null : { sessionKey, value });
  }

  /** Removes the sessions with `end < threshold`. */
  protected expire(threshold: number): void {
    this.cache.commit();
    const expired: SessionId[] = [];
    for (const indexed of this.ends.getKeys({ end: [threshold] })) {
      const [end, start, id] = indexed as [number, number, string | number];
      expired.push([id, end, start]);
    }
    if (expired.length === 0) return;
    this.env.transactionSync(() => {
      for (const [id, end, start] of expired) {
        this.sessions.removeSync([id, end, start]);
        this.ends.removeSync([end, start, id]);
      }
    });
    for (const id of expired) this.cache.evict(id);
  }

  private decode(start: number, end: number, bytes: Buffer): SessionEntry<K, V> {
    const [key, value] = this.codec.decode(bytes) as [K, V];
    return { sessionKey: windowed(key, start, end), value };
  }
}
