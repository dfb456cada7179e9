import type { KeyValue } from '../KeyValue';
import type { KeyValueStore, ValueAndTimestamp } from './KeyValueStore';
import type { RestorableStore, StoreChangeLogger } from './StateStore';
import { compareKeys, storeKey } from './storeKey';

/**
 * A key-value store in a `Map`. Each write is handed to the changelog logger (when the
 * store is logged) before it returns, so the changelog sees writes in order.
 */
export class InMemoryKeyValueStore<K, V> implements KeyValueStore<K, V>, RestorableStore {
  private readonly entries = new Map<unknown, Entry<K, V>>();

  constructor(
    readonly name: string,
    private readonly logger?: StoreChangeLogger,
  ) {}

  get(key: K): V | undefined {
    return this.entries.get(storeKey(key))?.value;
  }

  getWithTimestamp(key: K): ValueAndTimestamp<V> | undefined {
    return this.entries.get(storeKey(key));
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

  all(): KeyValue<K, V>[] {
    return this.sorted([...this.entries.values()]);
  }

  range(from: K, to: K): KeyValue<K, V>[] {
    return this.sorted([...this.entries.values()].filter((e) => compareKeys(e.key, from) >= 0 && compareKeys(e.key, to) <= 0));
  }

  approximateNumEntries(): number {
    return this.entries.size;
  }

  close(): void {
    this.entries.clear();
  }

  private write(key: K, value: V | null, timestamp: number): void {
    if (value === null || value === undefined) this.entries.delete(storeKey(key));
    else this.entries.set(storeKey(key), { key, value, timestamp });
  }

  private sorted(list: Entry<K, V>[]): KeyValue<K, V>[] {
    return list.sort((a, b) => compareKeys(a.key, b.key)).map((e) => [e.key, e.value] as const);
  }
}

interface Entry<K, V> {
  readonly key: K;
  readonly value: V;
  readonly timestamp: number;
}
