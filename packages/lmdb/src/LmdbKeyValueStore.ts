import type { KeyValue, PersistentStore, StoreChangeLogger, ValueAndTimestamp } from '@tributary/core';
import { AbstractKeyValueStore } from '@tributary/core/runtime';
import type { Key, RangeOptions, RootDatabase } from 'lmdb';
import { DEFAULT_CACHE_LIMITS, EntryCache, type EntryCacheLimits } from './EntryCache';
import { EntryCodec } from './entryCodec';
import { keyId } from './keyId';
import { openDatabase, type StoreDatabase } from './lmdbEnvironment';

type Entry = readonly [key: unknown, value: unknown, timestamp: number];

/**
 * A key-value store in LMDB: one entry per key, `[key, value, timestamp]` encoded by the
 * store's {@link EntryCodec} under the key's {@link keyId}. Reads and writes go through an
 * {@link EntryCache}; each write goes to the changelog logger before it returns, as in
 * memory. `all()` and `range()` follow LMDB's key order (see {@link keyId}).
 */
export class LmdbKeyValueStore<K, V> extends AbstractKeyValueStore<K, V> implements PersistentStore {
  private readonly entries: StoreDatabase;
  private readonly cache: EntryCache<string | number, Entry>;

  constructor(
    name: string,
    private readonly env: RootDatabase<Buffer, Key>,
    logger?: StoreChangeLogger,
    private readonly codec: EntryCodec = EntryCodec.plain,
    cacheLimits: EntryCacheLimits = DEFAULT_CACHE_LIMITS,
  ) {
    super(name, logger);
    this.entries = openDatabase(env, 'entries');
    const entries = this.entries;
    this.cache = new EntryCache(
      env,
      {
        load: (id) => {
          const bytes = entries.get(id);
          return bytes === undefined ? undefined : { entry: codec.decode(bytes) as unknown as Entry, bytes: bytes.length };
        },
        save: (id, entry) => {
          if (entry === null) {
            entries.removeSync(id);
            return 0;
          }
          const bytes = codec.encode(entry);
          entries.putSync(id, bytes);
          return bytes.length;
        },
        saveEncoded: (id, bytes) => (bytes === null ? entries.removeSync(id) : entries.putSync(id, bytes)),
      },
      (id) => id,
      cacheLimits,
    );
  }

  all(): KeyValue<K, V>[] {
    return this.scan({});
  }

  range(from: K, to: K): KeyValue<K, V>[] {
    return this.scan({ start: keyId(from, this.name), end: keyId(to, this.name), inclusiveEnd: true });
  }

  approximateNumEntries(): number {
    this.cache.commit();
    return (this.entries.getStats() as { entryCount: number }).entryCount;
  }

  flush(): Promise<void> {
    return this.cache.sync();
  }

  clear(): void {
    this.cache.clear([this.entries]);
  }

  close(): void {
    this.cache.close();
  }

  protected read(key: K): ValueAndTimestamp<V> | undefined {
    const entry = this.cache.get(keyId(key, this.name));
    return entry && { value: entry[1] as V, timestamp: entry[2] };
  }

  /** A changelog record: encoded now and written with the next commit, past the cache's objects. */
  override restore(key: unknown, value: unknown, timestamp: number): void {
    this.cache.restore(keyId(key, this.name), value === null || value === undefined ? null : this.codec.encode([key, value, timestamp]));
  }

  /** A changelog record of a store with a value serde: its value bytes are what the store keeps, as they are. */
  restoreSerialized(key: unknown, value: Buffer | null, timestamp: number): void {
    this.cache.restore(keyId(key, this.name), value === null ? null : this.codec.encodeSerialized([key, value, timestamp]));
  }

  protected write(key: K, value: V | null, timestamp: number): void {
    this.cache.set(keyId(key, this.name), value === null || value === undefined ? null : [key, value, timestamp]);
  }

  private scan(options: RangeOptions): KeyValue<K, V>[] {
    this.cache.commit();
    const found: KeyValue<K, V>[] = [];
    for (const { value } of this.entries.getRange(options)) {
      const [key, stored] = this.codec.decode(value);
      found.push([key as K, stored as V]);
    }
    return found;
  }
}
