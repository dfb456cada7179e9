import { StreamsError, type PersistentStore, type PersistentStoreFactory, type StoreChangeLogger, type StoreSpec } from '@tributary/core';
import { DEFAULT_CACHE_LIMITS, type EntryCacheLimits } from './EntryCache';
import { EntryCodec } from './entryCodec';
import { openEnvironment } from './lmdbEnvironment';
import { LmdbKeyValueStore } from './LmdbKeyValueStore';
import { LmdbSessionStore } from './LmdbSessionStore';
import { LmdbWindowStore } from './LmdbWindowStore';

/** Options of {@link lmdbStoreFactory}. */
export interface LmdbStoreOptions {
  /**
   * The objects each store keeps in front of LMDB: `maxPending` writes held before they go to
   * LMDB in one transaction (default 10,000), and `maxRecentBytes` of recently used entries
   * kept decoded (default 16 MiB, counted as stored). Smaller limits use less heap, larger
   * ones fewer transactions and decodes.
   */
  readonly cache?: Partial<EntryCacheLimits>;
}

/**
 * A factory of key-value, window and session stores in LMDB, one environment (a directory
 * with `data.mdb` and `lock.mdb`) per store of a task. Pass it as `persistentStores` to
 * `KafkaStreams` for other cache limits than {@link lmdbStores}' defaults.
 *
 * ## Example
 * ```ts
 * import { lmdbStoreFactory } from '@tributary/lmdb';
 *
 * const app = new KafkaStreams(topology, { ...options, stateDir: '/var/lib/crm', persistentStores: lmdbStoreFactory({ cache: { maxRecentBytes: 64 * 1024 * 1024 } }) });
 * ```
 */
export function lmdbStoreFactory(options: LmdbStoreOptions = {}): PersistentStoreFactory {
  const limits = { ...DEFAULT_CACHE_LIMITS, ...options.cache };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < (name === 'maxPending' ? 1 : 0)) throw new StreamsError(`lmdbStoreFactory: cache.${name} must be a whole number${name === 'maxPending' ? ' of at least 1' : ' (0 or more)'}, got ${String(value)}`);
  }
  return {
    type: 'lmdb',
    open(spec: StoreSpec, path: string, logger: StoreChangeLogger | undefined, changelogTopic = spec.name): PersistentStore {
      const codec = new EntryCodec(spec.valueSerde, changelogTopic);
      switch (spec.kind) {
        case 'keyValue':
          return new LmdbKeyValueStore(spec.name, openEnvironment(path), logger, codec, limits);
        case 'window':
          return new LmdbWindowStore(spec.name, required(spec, 'retentionMs'), required(spec, 'windowSizeMs'), openEnvironment(path), logger, codec, limits);
        case 'session':
          return new LmdbSessionStore(spec.name, required(spec, 'retentionMs'), openEnvironment(path), logger, codec, limits);
        default:
          throw new StreamsError(`store '${spec.name}' is a ${spec.kind} store: LMDB keeps key-value, window and session stores only`);
      }
    },
  };
}

/**
 * Key-value, window and session stores in LMDB with the default cache limits.
 * `KafkaStreams` uses it for stores of type `'lmdb'`, and for every plain store when it has a
 * `stateDir`.
 *
 * ## Example
 * ```ts
 * import { lmdbStores } from '@tributary/lmdb';
 *
 * const store = lmdbStores.open(Stores.keyValueStore('profiles'), '/tmp/state/profiles', undefined);
 * ```
 */
export const lmdbStores: PersistentStoreFactory = lmdbStoreFactory();

function required(spec: StoreSpec, field: 'retentionMs' | 'windowSizeMs'): number {
  const value = spec[field];
  if (value === undefined) throw new StreamsError(`store '${spec.name}' (${spec.kind}) has no ${field}`);
  return value;
}
