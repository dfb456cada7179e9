import type { Serde } from '../serdes/Serde';
import { InMemoryKeyValueStore } from './InMemoryKeyValueStore';
import type { StoreOptions, StoreSpec } from './StateStore';

export interface KeyValueStoreOptions<K, V> extends StoreOptions {
  /** Serdes of the changelog. Default to JSON. */
  keySerde?: Serde<K>;
  valueSerde?: Serde<V>;
}

/** Store specs for `process()` and custom processors, after Kafka Streams' `Stores`. */
export const Stores = {
  /** An in-memory key-value store, logged to `<applicationId>-<name>-changelog` unless `logging: false`. */
  keyValueStore<K = unknown, V = unknown>(name: string, options: KeyValueStoreOptions<K, V> = {}): StoreSpec {
    return keyValueStoreSpec(name, options);
  },
} as const;

export function keyValueStoreSpec(name: string, options: KeyValueStoreOptions<unknown, unknown> | KeyValueStoreOptions<never, never>): StoreSpec {
  return {
    name,
    kind: 'keyValue',
    logging: options.logging ?? true,
    keySerde: options.keySerde as Serde<unknown> | undefined,
    valueSerde: options.valueSerde as Serde<unknown> | undefined,
    create: (logger) => new InMemoryKeyValueStore(name, logger),
  };
}
