import type { KeyValue } from '../KeyValue';
import { AbstractKeyValueStore } from './AbstractKeyValueStore';
import { compareKeys, storeKey } from './storeKey';

/**
 * A key-value store in a `Map`. Each write is handed to the changelog logger (when the
 * store is logged) before it returns, so the changelog sees writes in order.
 */
export class InMemoryKeyValueStore<K, V> extends AbstractKeyValueStore<K, V> {
  private readonly entries = new Map<unknown, Entry<K, V>>();

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

  protected read(key: K): Entry<K, V> | undefined {
    return this.entries.get(storeKey(key));
  }

  protected write(key: K, value: V | null, timestamp: number): void {
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
