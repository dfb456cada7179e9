import type { StateStore } from './StateStore';

/**
 * One version of a key's value (Kafka Streams' `VersionedRecord`): the value, the timestamp
 * it became valid at, and, unless it is the latest version, the timestamp it stopped being
 * valid at (the next version's timestamp).
 */
export interface VersionedRecord<V> {
  readonly value: V;
  /** When this version became valid: the timestamp it was put with. */
  readonly timestamp: number;
  /** When the next version replaced it; `undefined` for the latest version. */
  readonly validTo?: number;
}

/** What `VersionedKeyValueStore.put` returns when the record put is now the key's latest version. */
export const PUT_RETURN_CODE_VALID_TO_UNDEFINED = -1;

/** What `VersionedKeyValueStore.put` returns when the record was older than the history retention allows, and was not put. */
export const PUT_RETURN_CODE_NOT_PUT = Number.MIN_SAFE_INTEGER;

/** What interactive queries and the test driver may do with a versioned key-value store. */
export interface ReadOnlyVersionedKeyValueStore<K, V> {
  /** The key's latest version, or `undefined` when it has none or the latest is a delete. */
  get(key: K): VersionedRecord<V> | undefined;
  /**
   * The version valid at `asOfTimestamp` (inclusive): the one with the largest timestamp not
   * after it, or `undefined` when there is none, it is a delete, or `asOfTimestamp` lies more
   * than the history retention before the store's stream time (then only the latest version
   * can answer, when it is not newer than `asOfTimestamp`).
   */
  get(key: K, asOfTimestamp: number): VersionedRecord<V> | undefined;
}

/**
 * A key-value store that keeps every version of a value for `historyRetentionMs` (Kafka
 * Streams' `VersionedKeyValueStore`, KIP-889). The store's stream time is the largest
 * timestamp written; history retention doubles as the grace period: a write older than
 * stream time minus history retention is refused. One version per key and timestamp: a
 * second put at the same timestamp replaces the first.
 */
export interface VersionedKeyValueStore<K, V> extends ReadOnlyVersionedKeyValueStore<K, V>, StateStore {
  /** How long versions stay queryable after they were replaced, measured back from stream time. */
  readonly historyRetentionMs: number;
  /**
   * Adds the version `value` (a `null` is a delete) of `key` valid from `timestamp`. Returns
   * its `validTo`: the next version's timestamp, {@link PUT_RETURN_CODE_VALID_TO_UNDEFINED}
   * when it is the latest, or {@link PUT_RETURN_CODE_NOT_PUT} when it was refused as too old.
   */
  put(key: K, value: V | null, timestamp: number): number;
  /**
   * Deletes `key` as of `timestamp` and returns the version that was valid then, as
   * `get(key, timestamp)` followed by `put(key, null, timestamp)`; a delete older than the
   * history retention allows does nothing and returns `undefined`.
   */
  delete(key: K, timestamp: number): VersionedRecord<V> | undefined;
}

/** Whether a store is versioned (processors that may be given either kind check it). */
export function isVersionedStore(store: unknown): store is VersionedKeyValueStore<unknown, unknown> {
  return typeof store === 'object' && store !== null && typeof (store as { historyRetentionMs?: unknown }).historyRetentionMs === 'number';
}
