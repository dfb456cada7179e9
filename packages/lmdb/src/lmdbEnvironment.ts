import { open, type Database, type Key, type RootDatabase } from 'lmdb';

/** The named databases one store keeps in its environment. */
export type StoreDatabase = Database<Buffer, Key>;

/**
 * Opens the LMDB environment of one store at `path`: a directory holding `data.mdb` and
 * `lock.mdb`. Commits are not synced to disk one by one (`noSync`): the changelog is the store's
 * durability, and {@link syncToDisk} runs before a checkpoint names what the store holds.
 * A process that dies keeps every committed write (they are in the page cache); a machine
 * that dies may lose the latest ones, and the checkpoint written after the last sync
 * never claims them.
 */
export function openEnvironment(path: string): RootDatabase<Buffer, Key> {
  return open<Buffer, Key>({ path, noSync: true, encoding: 'binary', maxDbs: 4 });
}

export function openDatabase(env: RootDatabase<Buffer, Key>, name: string): StoreDatabase {
  return env.openDB<Buffer, Key>(name, { encoding: 'binary' });
}

/** Resolves once every write committed so far is on disk (`mdb_env_sync`, forced). */
export function syncToDisk(env: RootDatabase<Buffer, Key>): Promise<void> {
  const sync = (env as unknown as { sync(callback: (error?: Error) => void): void }).sync.bind(env);
  return new Promise((resolve, reject) => sync((error) => (error ? reject(error) : resolve())));
}

/** An empty value, for index entries whose key says everything. */
export const EMPTY = Buffer.alloc(0);
