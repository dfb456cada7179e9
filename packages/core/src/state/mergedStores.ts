import type { KeyValue } from '../KeyValue';
import type { Windowed } from '../windows/Windowed';
import type { KeyValueStore, ReadOnlyKeyValueStore, ValueAndTimestamp } from './KeyValueStore';
import type { ReadOnlySessionStore, SessionStore } from './SessionStore';
import { compareKeys } from './storeKey';
import type { ReadOnlyWindowStore, WindowStore } from './WindowStore';
import type { ReadOnlyVersionedKeyValueStore, VersionedKeyValueStore, VersionedRecord } from './VersionedKeyValueStore';

/*
 * Read-only views over a store that each partition's task holds a part of: what the test
 * driver's `getKeyValueStore`/`getWindowStore`/`getSessionStore` and a runtime's interactive
 * queries return. A key lives in one partition, so a lookup by key asks each part until one
 * answers; a scan merges the parts in the order one store would return.
 */

/** A key lives in one partition's store: the first part that has it answers. */
function firstOf<S, R>(parts: readonly S[], read: (part: S) => R | undefined): R | undefined {
  for (const part of parts) {
    const found = read(part);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Like {@link firstOf}, for reads that return a list: the first part with a non-empty one. */
function firstListOf<S, R>(parts: readonly S[], read: (part: S) => R[]): R[] {
  return (
    firstOf(parts, (part) => {
      const found = read(part);
      return found.length > 0 ? found : undefined;
    }) ?? []
  );
}

const byKey = <K, V>(a: KeyValue<K, V>, b: KeyValue<K, V>) => compareKeys(a[0], b[0]);

const byStartThenKey = <K, V>(a: KeyValue<Windowed<K>, V>, b: KeyValue<Windowed<K>, V>) =>
  a[0].window.start - b[0].window.start || compareKeys(a[0].key, b[0].key);

const byEndKeyStart = <K, V>(a: KeyValue<Windowed<K>, V>, b: KeyValue<Windowed<K>, V>) =>
  a[0].window.end - b[0].window.end || compareKeys(a[0].key, b[0].key) || a[0].window.start - b[0].window.start;

/** One read-only view over a key-value store that each partition's task holds a part of. */
export function mergedKeyValueStore<K, V>(parts: readonly KeyValueStore<K, V>[]): ReadOnlyKeyValueStore<K, V> & Pick<KeyValueStore<K, V>, 'getWithTimestamp'> {
  return {
    get: (key) => firstOf(parts, (p) => p.get(key)),
    getWithTimestamp: (key): ValueAndTimestamp<V> | undefined => firstOf(parts, (p) => p.getWithTimestamp(key)),
    all: () => parts.flatMap((p) => p.all()).sort(byKey),
    range: (from, to) => parts.flatMap((p) => p.range(from, to)).sort(byKey),
    approximateNumEntries: () => parts.reduce((n, p) => n + p.approximateNumEntries(), 0),
  };
}

/** One read-only view over a versioned key-value store that each partition's task holds a part of. */
export function mergedVersionedKeyValueStore<K, V>(parts: readonly VersionedKeyValueStore<K, V>[]): ReadOnlyVersionedKeyValueStore<K, V> {
  return {
    get: (key: K, asOfTimestamp?: number): VersionedRecord<V> | undefined =>
      firstOf(parts, (p) => (asOfTimestamp === undefined ? p.get(key) : p.get(key, asOfTimestamp))),
  };
}

/** One read-only view over a window store that each partition's task holds a part of. */
export function mergedWindowStore<K, V>(parts: readonly WindowStore<K, V>[]): ReadOnlyWindowStore<K, V> {
  function fetch(key: K, windowStart: number): V | undefined;
  function fetch(key: K, timeFrom: number, timeTo: number): KeyValue<number, V>[];
  function fetch(key: K, from: number, to?: number): V | undefined | KeyValue<number, V>[] {
    if (to === undefined) return firstOf(parts, (p) => p.fetch(key, from));
    return firstListOf(parts, (p) => p.fetch(key, from, to));
  }
  return {
    fetch,
    fetchWithTimestamp: (key, windowStart): ValueAndTimestamp<V> | undefined => firstOf(parts, (p) => p.fetchWithTimestamp(key, windowStart)),
    backwardFetch: (key, from, to) => fetch(key, from, to).reverse(),
    fetchAll: (from, to) => parts.flatMap((p) => p.fetchAll(from, to)).sort(byStartThenKey),
    all: () => parts.flatMap((p) => p.all()).sort(byStartThenKey),
  };
}

/** One read-only view over a session store that each partition's task holds a part of. */
export function mergedSessionStore<K, V>(parts: readonly SessionStore<K, V>[]): ReadOnlySessionStore<K, V> {
  return {
    fetch: (key: K, from?: number, to?: number) =>
      firstListOf(parts, (p) => (from === undefined ? p.fetch(key) : p.fetch(key, from, to ?? Number.POSITIVE_INFINITY))),
    findSessions: (key, earliestSessionEnd, latestSessionStart) => firstListOf(parts, (p) => p.findSessions(key, earliestSessionEnd, latestSessionStart)),
    fetchSession: (key, start, end) => firstOf(parts, (p) => p.fetchSession(key, start, end)),
    all: () => parts.flatMap((p) => p.all()).sort(byEndKeyStart),
  };
}
