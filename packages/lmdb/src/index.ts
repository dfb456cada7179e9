// @tributary/lmdb: persistent state stores on LMDB for Tributary.
export { lmdbStores } from './lmdbStores';
export { LmdbKeyValueStore } from './LmdbKeyValueStore';
export { LmdbWindowStore } from './LmdbWindowStore';
export { LmdbSessionStore } from './LmdbSessionStore';
