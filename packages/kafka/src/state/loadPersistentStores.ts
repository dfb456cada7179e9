import { StreamsError, type PersistentStoreFactory } from '@tributary/core';

/**
 * The default persistent stores, `lmdbStores` from `@tributary/lmdb`: an optional peer
 * dependency, loaded only when a store is persistent, so an application with in-memory
 * stores never loads LMDB's native binary.
 */
export async function loadPersistentStores(stores: readonly string[]): Promise<PersistentStoreFactory> {
  try {
    const lmdb = await import('@tributary/lmdb');
    return lmdb.lmdbStores;
  } catch (error) {
    throw new StreamsError(
      `stores ${stores.map((s) => `'${s}'`).join(', ')} are persistent (a stateDir is set, or their type is 'lmdb') and @tributary/lmdb could not be loaded: install it (npm install @tributary/lmdb), or pass persistentStores (${(error as Error).message})`,
      { cause: error },
    );
  }
}
