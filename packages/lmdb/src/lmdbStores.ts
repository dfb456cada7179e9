import { StreamsError, type PersistentStore, type PersistentStoreFactory, type StoreChangeLogger, type StoreSpec } from '@tributary/core';
import { EntryCodec } from './entryCodec';
import { openEnvironment } from './lmdbEnvironment';
import { LmdbKeyValueStore } from './LmdbKeyValueStore';
import { LmdbSessionStore } from './LmdbSessionStore';
import { LmdbWindowStore } from './LmdbWindowStore';

/**
 * Opens key-value, window and session stores in LMDB, one environment (a directory with
 * `data.mdb` and `lock.mdb`) per store of a task. `KafkaStreams` uses it for stores of type `'lmdb'`,
 * and for every plain store when it has a `stateDir`.
 *
 * ## Example
 * ```ts
 * import { lmdbStores } from '@tributary/lmdb';
 *
 * const store = lmdbStores.open(Stores.keyValueStore('profiles'), '/tmp/state/profiles', undefined);
 * ```
 */
export const lmdbStores: PersistentStoreFactory = {
  type: 'lmdb',
  open(spec: StoreSpec, path: string, logger: StoreChangeLogger | undefined, changelogTopic = spec.name): PersistentStore {
    const codec = new EntryCodec(spec.valueSerde, changelogTopic);
    switch (spec.kind) {
      case 'keyValue':
        return new LmdbKeyValueStore(spec.name, openEnvironment(path), logger, codec);
      case 'window':
        return new LmdbWindowStore(spec.name, required(spec, 'retentionMs'), required(spec, 'windowSizeMs'), openEnvironment(path), logger, codec);
      case 'session':
        return new LmdbSessionStore(spec.name, required(spec, 'retentionMs'), openEnvironment(path), logger, codec);
      default:
        throw new StreamsError(`store '${spec.name}' is a ${spec.kind} store: LMDB keeps key-value, window and session stores only`);
    }
  },
};

function required(spec: StoreSpec, field: 'retentionMs' | 'windowSizeMs'): number {
  const value = spec[field];
  if (value === undefined) throw new StreamsError(`store '${spec.name}' (${spec.kind}) has no ${field}`);
  return value;
}
