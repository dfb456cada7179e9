// @tributary/lmdb: persistent state stores on LMDB for Tributary.
export { lmdbStores, lmdbStoreFactory, type LmdbStoreOptions } from './lmdbStores';
export type { EntryCacheLimits } from './EntryCache';
export { LmdbKeyValueStore } from './LmdbKeyValueStore';
export { LmdbWindowStore } from './LmdbWindowStore';
export { LmdbSessionStore } from './LmdbSessionStore';
