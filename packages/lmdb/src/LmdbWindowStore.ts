import type { PersistentStore, StoreChangeLogger } from '@tributary/core';
import { AbstractWindowStore, type WindowEntry } from '@tributary/core/runtime';
import type { Key, RootDatabase } from 'lmdb';
import { EntryCodec } from './entryCodec';
import { keyId } from './keyId';
import { EMPTY, openDatabase, syncToDisk, type StoreDatabase } from './lmdbEnvironment';

/**
 * A window store in LMDB with the in-memory store's semantics ({@link AbstractWindowStore}:
 * retention measured from the latest window start written, found again on open).
 * Two databases: `windows` under `[keyId, start]` (a key's windows, by start) holding
 * `[key, value, timestamp]`, and the index `starts` under `[start, keyId]` (every window
 * by start, then key) for expiry and time-ordered scans. Each write updates both in one
 * transaction.
 */
export class LmdbWindowStore<K, V> extends AbstractWindowStore<K, V> implements PersistentStore {
  private readonly windows: StoreDatabase;
  private readonly starts: StoreDatabase;

  constructor(
    name: string,
    retentionMs: number,
    windowSizeMs: number,
    private readonly env: RootDatabase<Buffer, Key>,
    logger?: StoreChangeLogger,
    private readonly codec: EntryCodec = EntryCodec.plain,
  ) {
    super(name, retentionMs, windowSizeMs, logger);
    this.windows = openDatabase(env, 'windows');
    this.starts = openDatabase(env, 'starts');
    for (const key of this.starts.getKeys({ reverse: true, limit: 1 })) this.latestStart = (key as [number, unknown])[0];
  }

  protected storedEntry(key: K, windowStart: number): WindowEntry<K, V> | undefined {
    const bytes = this.windows.get([keyId(key, this.name), windowStart]);
    return bytes === undefined ? undefined : this.decode(windowStart, bytes);
  }

  protected storedEntries(key: K, from: number, to: number): WindowEntry<K, V>[] {
    const id = keyId(key, this.name);
    const found: WindowEntry<K, V>[] = [];
    if (from > to) return found;
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
    for (const indexed of this.starts.getKeys({ start: Number.isFinite(from) ? [from] : undefined })) {
      const [start, id] = indexed as [number, string | number];
      if (start > to) break;
      const bytes = this.windows.get([id, start]);
      if (bytes !== undefined) found.push(this.decode(start, bytes));
    }
    return found;
  }

  approximateNumEntries(): number {
    return (this.windows.getStats() as { entryCount: number }).entryCount;
  }

  flush(): Promise<void> {
    return syncToDisk(this.env);
  }

  close(): void {
    void this.env.close();
  }

  protected write(key: K, value: V | null, start: number, timestamp: number): WindowEntry<K, V> | undefined {
    const id = keyId(key, this.name);
    if (value === null || value === undefined) {
      this.env.transactionSync(() => {
        this.windows.removeSync([id, start]);
        this.starts.removeSync([start, id]);
      });
      return undefined;
    }
    this.env.transactionSync(() => {
      this.windows.putSync([id, start], this.codec.encode([key, value, timestamp]));
      this.starts.putSync([start, id], EMPTY);
    });
    return { key, start, value, timestamp, windowedKey: this.windowedKey(key, start) };
  }

  /** Removes the windows with `start < threshold`. */
  protected expire(threshold: number): void {
    const expired: [number, string | number][] = [];
    for (const indexed of this.starts.getKeys({ end: [threshold] })) expired.push(indexed as [number, string | number]);
    if (expired.length === 0) return;
    this.env.transactionSync(() => {
      for (const [start, id] of expired) {
        this.windows.removeSync([id, start]);
        this.starts.removeSync([start, id]);
      }
    });
  }

  private decode(start: number, bytes: Buffer): WindowEntry<K, V> {
    const [key, value, timestamp] = this.codec.decode(bytes) as [K, V, number];
    return { key, start, value, timestamp, windowedKey: this.windowedKey(key, start) };
  }
}
