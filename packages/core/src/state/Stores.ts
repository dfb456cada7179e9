import type { Serde } from '../serdes/Serde';
import { InMemoryKeyValueStore } from './InMemoryKeyValueStore';
import type { StoreOptions, StoreSpec } from './StateStore';
import type { Duration } from '../duration';
import { windowMillis } from '../windows/windowArguments';
import { sessionStoreSpec, windowStoreSpec, type SessionStoreOptions, type WindowStoreOptions } from './windowedStoreSpecs';
import { versionedKeyValueStoreSpec, type VersionedKeyValueStoreOptions, type VersionedStoreSpec } from './versionedStoreSpec';

/** Options of `Stores.keyValueStore`. */
export interface KeyValueStoreOptions<K, V> extends StoreOptions {
  /** Serde of the changelog's keys. Defaults to JSON. */
  keySerde?: Serde<K>;
  /** Serde of the changelog's values. Defaults to JSON. */
  valueSerde?: Serde<V>;
  /**
   * Kafka Streams' `withCachingEnabled()` for a key-value store: between two commits the
   * changelog gets each written key once, with its latest value, instead of every write
   * (reads and queries see every write at once). Takes effect where the runtime commits and
   * flushes before it (KafkaStreams); the TopologyTestDriver and the embedded engine log every
   * write. Defaults to `false`.
   */
  caching?: boolean;
}

/** Store specs for `process()` and custom processors, after Kafka Streams' `Stores`. */
export const Stores = {
  /** An in-memory key-value store, logged to `<applicationId>-<name>-changelog` unless `logging: false`. */
  keyValueStore<K = unknown, V = unknown>(name: string, options: KeyValueStoreOptions<K, V> = {}): StoreSpec {
    return keyValueStoreSpec(name, options);
  },
  /**
   * An in-memory window store keeping each window `retention` after the latest window
   * start, logged to `<applicationId>-<name>-changelog` unless `logging: false`.
   */
  windowStore<K = unknown, V = unknown>(name: string, options: WindowStoreFactoryOptions<K, V>): StoreSpec {
    const retentionMs = windowMillis(options.retention, `Stores.windowStore('${name}'): retention`);
    const windowSizeMs = windowMillis(options.windowSize, `Stores.windowStore('${name}'): windowSize`);
    return windowStoreSpec(name, { ...options, retentionMs, windowSizeMs } as WindowStoreOptions<unknown, unknown>);
  },
  /** An in-memory session store keeping each session `retention` after the latest session end. */
  sessionStore<K = unknown, V = unknown>(name: string, options: SessionStoreFactoryOptions<K, V>): StoreSpec {
    const retentionMs = windowMillis(options.retention, `Stores.sessionStore('${name}'): retention`);
    return sessionStoreSpec(name, { ...options, retentionMs } as SessionStoreOptions<unknown, unknown>);
  },
  /**
   * A versioned key-value store (Kafka Streams' `Stores.persistentVersionedKeyValueStore`,
   * here in memory): keeps every version of a value for `historyRetention` after a newer one
   * replaced it, and answers `get(key, asOfTimestamp)`. Writes older than the store's stream
   * time minus `historyRetention` are refused. Give it to `builder.table(topic, { store })` or
   * `toTable({ store })` for a versioned table: a stream-table join then reads the table as of
   * each stream record's timestamp, and may wait out late table updates with a grace period.
   * Logged to `<applicationId>-<name>-changelog` unless `logging: false`; the changelog keeps
   * records at least `historyRetention` plus one day before compaction, as in Kafka Streams.
   *
   * ## Example
   * ```ts
   * const rates = builder.table<string, number>('fx-rates', { store: Stores.versionedKeyValueStore('rates', { historyRetention: '1h' }) });
   * payments.join(rates, (payment, rate) => payment.amount * rate, { gracePeriod: '30s' });
   * ```
   */
  versionedKeyValueStore<K = unknown, V = unknown>(name: string, options: VersionedKeyValueStoreOptions<K, V>): VersionedStoreSpec {
    return versionedKeyValueStoreSpec(name, options as VersionedKeyValueStoreOptions<unknown, unknown>);
  },
} as const;

/** Options of `Stores.windowStore`; `keySerde` is the serde of the key inside the windowed changelog key. */
export interface WindowStoreFactoryOptions<K, V> extends KeyValueStoreOptions<K, V> {
  /** How long a window is kept, measured from the latest window start written. Required. */
  retention: Duration;
  /** The size of the windows, so a window's end can be told from its start. Required. */
  windowSize: Duration;
}

/** Options of `Stores.sessionStore`. */
export interface SessionStoreFactoryOptions<K, V> extends KeyValueStoreOptions<K, V> {
  /** How long a session is kept, measured from the latest session end written. Required. */
  retention: Duration;
}

/** The spec of a key-value store (in memory unless the runtime keeps it on disk): what `Stores.keyValueStore` and every DSL table store use. */
export function keyValueStoreSpec(name: string, options: KeyValueStoreOptions<unknown, unknown> | KeyValueStoreOptions<never, never>): StoreSpec {
  return {
    name,
    kind: 'keyValue',
    logging: options.logging ?? true,
    type: options.type,
    persistable: true,
    keySerde: options.keySerde as Serde<unknown> | undefined,
    valueSerde: options.valueSerde as Serde<unknown> | undefined,
    ...(options.caching ? { caching: true } : {}),
    create: (logger) => new InMemoryKeyValueStore(name, logger),
  };
}
