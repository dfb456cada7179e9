import type { KeyValue } from '../KeyValue';
import type { KeyValueStore, ReadOnlyKeyValueStore, ValueAndTimestamp } from '../state/KeyValueStore';
import { compareKeys } from '../state/storeKey';

/** One read-only view over a store that each partition's task holds a part of. */
export function mergedKeyValueStore<K, V>(parts: KeyValueStore<K, V>[]): ReadOnlyKeyValueStore<K, V> & { getWithTimestamp(key: K): ValueAndTimestamp<V> | undefined } {
  const sorted = (entries: KeyValue<K, V>[]) => entries.sort((a, b) => compareKeys(a[0], b[0]));
  return {
    get: (key) => {
      for (const part of parts) {
        const value = part.get(key);
        if (value !== undefined) return value;
      }
      return undefined;
    },
    getWithTimestamp: (key) => {
      for (const part of parts) {
        const value = part.getWithTimestamp(key);
        if (value !== undefined) return value;
      }
      return undefined;
    },
    all: () => sorted(parts.flatMap((p) => p.all())),
    range: (from, to) => sorted(parts.flatMap((p) => p.range(from, to))),
    approximateNumEntries: () => parts.reduce((n, p) => n + p.approximateNumEntries(), 0),
  };
}
