import type { KeyValue } from '../KeyValue';
import type { ValueAndTimestamp } from '../state/KeyValueStore';
import type { ReadOnlySessionStore, SessionStore } from '../state/SessionStore';
import { compareKeys } from '../state/storeKey';
import type { ReadOnlyWindowStore, WindowStore } from '../state/WindowStore';
import type { Windowed } from '../windows/Windowed';

const byStartThenKey = <K, V>(a: KeyValue<Windowed<K>, V>, b: KeyValue<Windowed<K>, V>) =>
  a[0].window.start - b[0].window.start || compareKeys(a[0].key, b[0].key);

const byEndKeyStart = <K, V>(a: KeyValue<Windowed<K>, V>, b: KeyValue<Windowed<K>, V>) =>
  a[0].window.end - b[0].window.end || compareKeys(a[0].key, b[0].key) || a[0].window.start - b[0].window.start;

/** A key lives in one partition's store; the first part that has it answers. */
function firstOf<S, R>(parts: S[], read: (part: S) => R | undefined): R | undefined {
  for (const part of parts) {
    const found = read(part);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** One read-only view over a window store that each partition's task holds a part of. */
export function mergedWindowStore<K, V>(parts: WindowStore<K, V>[]): ReadOnlyWindowStore<K, V> {
  function fetch(key: K, windowStart: number): V | undefined;
  function fetch(key: K, timeFrom: number, timeTo: number): KeyValue<number, V>[];
  function fetch(key: K, from: number, to?: number): V | undefined | KeyValue<number, V>[] {
    if (to === undefined) return firstOf(parts, (p) => p.fetch(key, from));
    return firstOf(parts, (p) => {
      const found = p.fetch(key, from, to);
      return found.length > 0 ? found : undefined;
    }) ?? [];
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
export function mergedSessionStore<K, V>(parts: SessionStore<K, V>[]): ReadOnlySessionStore<K, V> {
  const sessionsOf = (read: (part: SessionStore<K, V>) => KeyValue<Windowed<K>, V>[]) =>
    firstOf(parts, (p) => {
      const found = read(p);
      return found.length > 0 ? found : undefined;
    }) ?? [];
  return {
    fetch: (key: K, from?: number, to?: number) => sessionsOf((p) => (from === undefined ? p.fetch(key) : p.fetch(key, from, to ?? Number.POSITIVE_INFINITY))),
    findSessions: (key, earliestSessionEnd, latestSessionStart) => sessionsOf((p) => p.findSessions(key, earliestSessionEnd, latestSessionStart)),
    fetchSession: (key, start, end) => firstOf(parts, (p) => p.fetchSession(key, start, end)),
    all: () => parts.flatMap((p) => p.all()).sort(byEndKeyStart),
  };
}
