import type { KeyValue, PersistentStore, StoreChangeLogger, ValueAndTimestamp } from '@tributary/core';
import { AbstractKeyValueStore } from '@tributary/core/runtime';
import type { Key, RangeOptions, RootDatabase } from 'lmdb';
import { EntryCodec } from './entryCodec';
import { keyId } from './keyId';
import { openDatabase, syncToDisk, type StoreDatabase } from './lmdbEnvironment';

/**
 * A key-value store in LMDB: one entry per key, `[key, value, timestamp]` in MessagePack
 * under the key's {@link keyId}. Reads and writes are synchronous (each write is its own
 * transaction); each write goes to the changelog logger before it returns, as in memory.
 * `all()` and `range()` follow LMDB's key order (see {@link keyId}).
 */
export class LmdbKeyValueStore<K, V> extends AbstractKeyValueStore<K, V> implements PersistentStore {
  private readonly entries: StoreDatabase;

  constructor(
    name: string,
    private readonly env: RootDatabase<Buffer, Key>,
    logger?: StoreChangeLogger,
    private readonly codec: EntryCodec = EntryCodec.plain,
  ) {
    super(name, logger);
    this.entries = openDatabase(env, 'entries');
  }

  all(): KeyValue<K, V>[] {
    return this.scan({});
  }

  range(from: K, to: K): KeyValue<K, V>[] {
    return this.scan({ start: keyId(from, this.name), end: keyId(to, this.name), inclusiveEnd: true });
  }

  approximateNumEntries(): number {
    return (this.entries.getStats() as { entryCount: number }).entryCount;
  }

  flush(): Promise<void> {
    return syncToDisk(this.env);
  }

  close(): void {
    void this.env.close();
  }

  protected read(key: K): ValueAndTimestamp<V> | undefined {
    const bytes = this.entries.get(keyId(key, this.name));
    if (bytes === undefined) return undefined;
    const [, value, timestamp] = this.codec.decode(bytes);
    return { value: value as V, timestamp: timestamp as number };
  }

  protected write(key: K, value: V | null, timestamp: number): void {
    const id = keyId(key, this.name);
    if (value === null || value === undefined) this.entries.removeSync(id);
    else this.entries.putSync(id, this.codec.encode([key, value, timestamp]));
  }

  private scan(options: RangeOptions): KeyValue<K, V>[] {
    const found: KeyValue<K, V>[] = [];
    for (const { value } of this.entries.getRange(options)) {
      const [key, stored] = this.codec.decode(value);
      found.push([key as K, stored as V]);
    }
    return found;
  }
}
