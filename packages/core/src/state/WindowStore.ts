import type { KeyValue } from '../KeyValue';
import type { Windowed } from '../windows/Windowed';
import type { ValueAndTimestamp } from './KeyValueStore';
import type { StateStore } from './StateStore';

/**
 * What interactive queries and the test driver may do with a window store: values per key
 * and window start. Only windows within the store's retention (window size + grace,
 * measured from the latest window start written) are visible.
 */
export interface ReadOnlyWindowStore<K, V> {
  /** The value of `key`'s window starting at `windowStart`, or `undefined`. */
  fetch(key: K, windowStart: number): V | undefined;
  /** `[windowStart, value]` of `key`'s windows with `timeFrom <= windowStart <= timeTo`, ascending. */
  fetch(key: K, timeFrom: number, timeTo: number): KeyValue<number, V>[];
  /** The value of `key`'s window starting at `windowStart` with the timestamp of its latest record. */
  fetchWithTimestamp(key: K, windowStart: number): ValueAndTimestamp<V> | undefined;
  /** Like `fetch(key, timeFrom, timeTo)`, latest window first. */
  backwardFetch(key: K, timeFrom: number, timeTo: number): KeyValue<number, V>[];
  /** Every key's windows with `timeFrom <= windowStart <= timeTo`, by window start, then key. */
  fetchAll(timeFrom: number, timeTo: number): KeyValue<Windowed<K>, V>[];
  /** Every window in the store, by window start, then key. */
  all(): KeyValue<Windowed<K>, V>[];
}

/**
 * A store of values per key and window start (Kafka Streams' `TimestampedWindowStore`).
 * Every write goes to the changelog logger, keyed by the windowed key (Kafka's
 * `key bytes + 8-byte start` layout); a `null` value deletes the window.
 */
export interface WindowStore<K, V> extends ReadOnlyWindowStore<K, V>, StateStore {
  /** Writes `key`'s window starting at `windowStart`; `timestamp` is its latest record's. Ignored when the window has expired. */
  put(key: K, value: V | null, windowStart: number, timestamp: number): void;
}

