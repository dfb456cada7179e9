import type { KeyValue } from '../KeyValue';
import type { KeyValueStore, ValueAndTimestamp } from './KeyValueStore';
import type { RestorableStore, StoreChangeLogger } from './StateStore';

/**
 * What every key-value store does over its storage: reads, writes that go to the changelog
 * logger (when the store is logged) before they return, so the changelog sees writes in
 * order, and restores that do not. An implementation (in memory, `@tributary/lmdb`)
 * supplies how one entry is read and written, and its scans.
 */
export abstract class AbstractKeyValueStore<K, V> implements KeyValueStore<K, V>, RestorableStore {
  constructor(
    readonly name: string,
    protected readonly logger?: StoreChangeLogger,
  ) {}

  get(key: K): V | undefined {
    return this.read(key)?.value;
  }

  getWithTimestamp(key: K): ValueAndTimestamp<V> | undefined {
    return this.read(key);
  }

  put(key: K, value: V | null, timestamp = 0): void {
    this.write(key, value, timestamp);
    this.logger?.log(key, value, timestamp);
  }

  putIfAbsent(key: K, value: V, timestamp = 0): V | undefined {
    const existing = this.get(key);
    if (existing === undefined) this.put(key, value, timestamp);
    return existing;
  }

  delete(key: K, timestamp = 0): V | undefined {
    const existing = this.get(key);
    this.put(key, null, timestamp);
    return existing;
  }

  restore(key: unknown, value: unknown, timestamp: number): void {
    this.write(key as K, value as V | null, timestamp);
  }

  abstract all(): KeyValue<K, V>[];
  abstract range(from: K, to: K): KeyValue<K, V>[];
  abstract approximateNumEntries(): number;
  abstract close(): void;

  /** `key`'s value and the timestamp it was written with, or `undefined`. */
  protected abstract read(key: K): ValueAndTimestamp<V> | undefined;
  /** Stores `key`'s value, or deletes the key when `value` is `null` or `undefined`; logs nothing. */
  protected abstract write(key: K, value: V | null, timestamp: number): void;
}
