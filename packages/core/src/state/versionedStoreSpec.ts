import type { Duration } from '../duration';
import { TopologyError } from '../errors';
import type { Serde } from '../serdes/Serde';
import { windowMillis } from '../windows/windowArguments';
import { InMemoryVersionedKeyValueStore } from './InMemoryVersionedKeyValueStore';
import type { StoreOptions, StoreSpec } from './StateStore';

/** Options of `Stores.versionedKeyValueStore`. */
export interface VersionedKeyValueStoreOptions<K, V> extends StoreOptions {
  /**
   * How long a replaced version stays queryable, measured back from the store's stream time
   * (the largest timestamp written); also how late a write may come before it is refused.
   * Required.
   */
  historyRetention: Duration;
  /** Serde of the changelog's keys. Defaults to the table's key serde, else JSON. */
  keySerde?: Serde<K>;
  /** Serde of the changelog's values. Defaults to the table's value serde, else JSON. */
  valueSerde?: Serde<V>;
}

/** The spec of a versioned key-value store: what `Stores.versionedKeyValueStore` returns, for a table's `{ store }`. */
export interface VersionedStoreSpec extends StoreSpec {
  readonly kind: 'versioned';
  readonly historyRetentionMs: number;
}

/**
 * Kafka Streams keeps a versioned changelog's records at least this long past the history
 * retention before compaction may drop them (`min.compaction.lag.ms`), so a restore can
 * rebuild the history.
 */
const VERSIONED_CHANGELOG_EXTRA_COMPACTION_LAG_MS = 86_400_000;

/** Builds the spec of a versioned key-value store; `serdes` fill in serdes the options leave out. */
export function versionedKeyValueStoreSpec(
  name: string,
  options: VersionedKeyValueStoreOptions<unknown, unknown> | VersionedKeyValueStoreOptions<never, never>,
  serdes: { keySerde?: Serde<unknown> | undefined; valueSerde?: Serde<unknown> | undefined } = {},
): VersionedStoreSpec {
  if (typeof name !== 'string' || name === '') throw new TopologyError('Stores.versionedKeyValueStore: name must be a non-empty string');
  const historyRetentionMs = windowMillis(options.historyRetention, `Stores.versionedKeyValueStore('${name}'): historyRetention`);
  return {
    name,
    kind: 'versioned',
    logging: options.logging ?? true,
    keySerde: (options.keySerde ?? serdes.keySerde) as Serde<unknown> | undefined,
    valueSerde: (options.valueSerde ?? serdes.valueSerde) as Serde<unknown> | undefined,
    historyRetentionMs,
    changelogConfig: { 'min.compaction.lag.ms': String(historyRetentionMs + VERSIONED_CHANGELOG_EXTRA_COMPACTION_LAG_MS) },
    create: (logger) => new InMemoryVersionedKeyValueStore(name, historyRetentionMs, logger),
  };
}

/** Whether a `{ store }` option is a versioned store spec rather than `{ type, logging }`. */
export function isVersionedStoreSpec(store: unknown): store is VersionedStoreSpec {
  return typeof store === 'object' && store !== null && (store as { kind?: unknown }).kind === 'versioned';
}
