import type { SessionEntry } from './AbstractSessionStore';
import type { WindowEntry } from './AbstractWindowStore';
import type { SessionStore } from './SessionStore';
import type { WindowStore } from './WindowStore';
import type { Windowed } from '../windows/Windowed';

/**
 * What the windowed aggregations (`windowedBy(TimeWindows | SlidingWindows)`) read and
 * write beyond {@link WindowStore}: whole entries, so the hot path makes no copies, and the
 * windows an emit-on-close scan reads. Every window store a runtime gives them implements it
 * (in memory, or a persistent one).
 */
export interface AggregationWindowStore<K, V> extends WindowStore<K, V> {
  /** @return false when the window had already expired and the write was ignored. */
  put(key: K, value: V | null, windowStart: number, timestamp: number): boolean;
  /** `put` that returns the entry written (`undefined` for a delete), or `false` when the window had expired. */
  putEntry(key: K, value: V | null, windowStart: number, timestamp: number): WindowEntry<K, V> | undefined | false;
  /** `key`'s visible window starting at `windowStart`. */
  entryAt(key: K, windowStart: number): WindowEntry<K, V> | undefined;
  /** `key`'s visible windows with `from <= start <= to`, ascending by start. */
  entriesFor(key: K, from: number, to: number): WindowEntry<K, V>[];
  /**
   * Every key's windows with `from <= start <= to` still kept (including the one that just
   * left retention: a window is kept one millisecond longer than it is visible), by start, then key.
   */
  entriesBetween(from: number, to: number): WindowEntry<K, V>[];
}

/** What the session aggregations read beyond {@link SessionStore} (see {@link AggregationWindowStore}). */
export interface AggregationSessionStore<K, V> extends SessionStore<K, V> {
  /** @return false when the session had already expired and the write was ignored. */
  put(sessionKey: Windowed<K>, aggregate: V | null): boolean;
  /** `key`'s visible sessions with `end >= earliestSessionEnd` and `start <= latestSessionStart`, by end then start. */
  entriesFor(key: K, earliestSessionEnd: number, latestSessionStart: number): SessionEntry<K, V>[];
  /** Every session with `from <= end <= to` still kept (including the one that just left retention), by end, then start, then key. */
  entriesEndingBetween(from: number, to: number): SessionEntry<K, V>[];
}
