import type { KeyValue } from '../KeyValue';
import type { StateStore } from './StateStore';

/** What interactive queries and the test driver may do with a key-value store. */
export interface ReadOnlyKeyValueStore<K, V> {
  /** The value for `key`, or `undefined` when there is none. */
  get(key: K): V | undefined;
  /** Every entry, in key order. */
  all(): KeyValue<K, V>[];
  /** Entries with `from <= key <= to`, in key order. */
  range(from: K, to: K): KeyValue<K, V>[];
  approximateNumEntries(): number;
}

/** A value with the timestamp of the latest record that wrote it (Kafka Streams' `ValueAndTimestamp`). */
export interface ValueAndTimestamp<V> {
  readonly value: V;
  readonly timestamp: number;
}

/** A key-value store a processor reads and writes. A `null` value deletes the key. */
export interface KeyValueStore<K, V> extends ReadOnlyKeyValueStore<K, V>, StateStore {
  /** The value and the timestamp it was written with. */
  getWithTimestamp(key: K): ValueAndTimestamp<V> | undefined;
  put(key: K, value: V | null, timestamp?: number): void;
  putIfAbsent(key: K, value: V, timestamp?: number): V | undefined;
  delete(key: K, timestamp?: number): V | undefined;
}
