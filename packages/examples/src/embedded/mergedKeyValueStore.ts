import type { KeyValue, ReadOnlyKeyValueStore } from '@tributary/core';

/**
 * One read-only view over a key-value store that each partition's task holds a part of
 * (interactive queries over the whole application). A key lives in one partition, so
 * `get` asks each part until one has it; `all` and `range` merge the parts in key order.
 */
export function mergedKeyValueStore<K, V>(parts: readonly ReadOnlyKeyValueStore<K, V>[]): ReadOnlyKeyValueStore<K, V> {
  const inKeyOrder = (entries: KeyValue<K, V>[]) => entries.sort((a, b) => compare(a[0], b[0]));
  return {
    get: (key) => {
      for (const part of parts) {
        const value = part.get(key);
        if (value !== undefined) return value;
      }
      return undefined;
    },
    all: () => (parts.length === 1 ? parts[0]!.all() : inKeyOrder(parts.flatMap((p) => p.all()))),
    range: (from, to) => (parts.length === 1 ? parts[0]!.range(from, to) : inKeyOrder(parts.flatMap((p) => p.range(from, to)))),
    approximateNumEntries: () => parts.reduce((n, p) => n + p.approximateNumEntries(), 0),
  };
}

/** Numbers numerically, anything else by its string form: the order each part already returns. */
function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = typeof a === 'string' ? a : JSON.stringify(a);
  const y = typeof b === 'string' ? b : JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
