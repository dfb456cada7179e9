import type { PersistentStore, StoreChangeLogger, Windowed } from '@tributary/core';
import { AbstractSessionStore, windowed, type SessionEntry } from '@tributary/core/runtime';
import type { Key, RootDatabase } from 'lmdb';
import { EntryCodec } from './entryCodec';
import { keyId } from './keyId';
import { EMPTY, openDatabase, syncToDisk, type StoreDatabase } from './lmdbEnvironment';

/**
 * A session store in LMDB with the in-memory store's semantics ({@link AbstractSessionStore}:
 * retention measured from the latest session end written, found again on open). Two
 * databases: `sessions` under `[keyId, end, start]` (a key's sessions by end, then start)
 * holding `[key, value]`, and the index `ends` under `[end, start, keyId]` for expiry and
 * emit-on-close scans (Kafka Streams' time-ordered order).
 */
export class LmdbSessionStore<K, V> extends AbstractSessionStore<K, V> implements PersistentStore {
  private readonly sessions: StoreDatabase;
  private readonly ends: StoreDatabase;

  constructor(
    name: string,
    retentionMs: number,
    private readonly env: RootDatabase<Buffer, Key>,
    logger?: StoreChangeLogger,
    private readonly codec: EntryCodec = EntryCodec.plain,
  ) {
    super(name, retentionMs, logger);
    this.sessions = openDatabase(env, 'sessions');
    this.ends = openDatabase(env, 'ends');
    for (const key of this.ends.getKeys({ reverse: true, limit: 1 })) this.latestEnd = (key as [number, unknown])[0];
  }

  protected storedSession(key: K, start: number, end: number): V | undefined {
    const bytes = this.sessions.get([keyId(key, this.name), end, start]);
    return bytes === undefined ? undefined : (this.codec.decode(bytes)[1] as V);
  }

  protected storedSessions(key: K, earliestSessionEnd: number, latestSessionStart: number): SessionEntry<K, V>[] {
    const id = keyId(key, this.name);
    const found: SessionEntry<K, V>[] = [];
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
    for (const indexed of this.ends.getKeys({ start: Number.isFinite(from) ? [from] : undefined })) {
      const [end, start, id] = indexed as [number, number, string | number];
      if (end > to) break;
      const bytes = this.sessions.get([id, end, start]);
      if (bytes !== undefined) found.push(this.decode(start, end, bytes));
    }
    return found;
  }

  approximateNumEntries(): number {
    return (this.sessions.getStats() as { entryCount: number }).entryCount;
  }

  flush(): Promise<void> {
    return syncToDisk(this.env);
  }

  close(): void {
    void this.env.close();
  }

  protected write(sessionKey: Windowed<K>, value: V | null): void {
    const { start, end } = sessionKey.window;
    const id = keyId(sessionKey.key, this.name);
    this.env.transactionSync(() => {
      if (value === null) {
        this.sessions.removeSync([id, end, start]);
        this.ends.removeSync([end, start, id]);
      } else {
        this.sessions.putSync([id, end, start], this.codec.encode([sessionKey.key, value]));
        this.ends.putSync([end, start, id], EMPTY);
      }
    });
  }

  /** Removes the sessions with `end < threshold`. */
  protected expire(threshold: number): void {
    const expired: [number, number, string | number][] = [];
    for (const indexed of this.ends.getKeys({ end: [threshold] })) expired.push(indexed as [number, number, string | number]);
    if (expired.length === 0) return;
    this.env.transactionSync(() => {
      for (const [end, start, id] of expired) {
        this.sessions.removeSync([id, end, start]);
        this.ends.removeSync([end, start, id]);
      }
    });
  }

  private decode(start: number, end: number, bytes: Buffer): SessionEntry<K, V> {
    const [key, value] = this.codec.decode(bytes) as [K, V];
    return { sessionKey: windowed(key, start, end), value };
  }
}
