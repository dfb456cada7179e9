import type { KeyValue } from '../KeyValue';
import type { Windowed } from '../windows/Windowed';
import type { StateStore } from './StateStore';

/**
 * What interactive queries and the test driver may do with a session store. Only
 * sessions within the store's retention (gap + grace, measured from the latest session
 * end written) are visible.
 */
export interface ReadOnlySessionStore<K, V> {
  /** Every session of `key`, by end then start. */
  fetch(key: K): KeyValue<Windowed<K>, V>[];
  /** Sessions of `key` that overlap `[from, to]` (end >= from and start <= to), by end then start. */
  fetch(key: K, from: number, to: number): KeyValue<Windowed<K>, V>[];
  /** Sessions of `key` with `end >= earliestSessionEnd` and `start <= latestSessionStart` (Kafka Streams' `findSessions`). */
  findSessions(key: K, earliestSessionEnd: number, latestSessionStart: number): KeyValue<Windowed<K>, V>[];
  /** The value of `key`'s session `[start, end]`, or `undefined`. */
  fetchSession(key: K, start: number, end: number): V | undefined;
  /** Every session in the store, by end, then key, then start. */
  all(): KeyValue<Windowed<K>, V>[];
}

/**
 * A store of session aggregates (Kafka Streams' `SessionStore`), keyed by windowed key.
 * Every write goes to the changelog logger, keyed by the windowed key; a removal is a
 * tombstone.
 */
export interface SessionStore<K, V> extends ReadOnlySessionStore<K, V>, StateStore {
  /** Writes a session; a `null` aggregate removes it. Ignored when the session has expired. */
  put(sessionKey: Windowed<K>, aggregate: V | null): void;
  remove(sessionKey: Windowed<K>): void;
}
