import type { RestorableStore, StoreChangeLogger, StoreSpec } from './StateStore';

/**
 * A store that keeps its state on disk across restarts (design section 6), so that a new
 * task of its partition restores only what the changelog got after the store's checkpoint.
 * `close()` closes its files and keeps them.
 */
export interface PersistentStore extends RestorableStore {
  /**
   * Resolves once every write so far is durable on disk: the runtime calls it before it
   * writes a checkpoint, which promises the store holds every changelog record before the
   * checkpointed offset.
   */
  flush(): Promise<void>;
  /**
   * Drops every entry: the runtime found that the store's checkpoint names an offset its
   * changelog does not hold (beyond its end: the topic was deleted and created again, an
   * application reset kept the state directory; or before its first offset), so what the
   * store holds cannot be vouched for, and it restores from scratch (Kafka Streams'
   * TaskCorruptedException). Optional: a store without it restores on top of what it has.
   */
  clear?(): void;
}

/**
 * Opens persistent stores for a runtime with a state directory (`KafkaStreams`'
 * `stateDir`): `@tributary/lmdb`'s `lmdbStores` is one. Only specs with `persistable` set
 * (plain key-value, window and session stores) are given to it.
 */
export interface PersistentStoreFactory {
  /** A name for error messages and the README's layout (`'lmdb'`). */
  readonly type: string;
  /**
   * Opens the store `spec` describes at `path` (a file or directory of the factory's own,
   * inside the task's directory), creating it when missing and keeping what it holds.
   * `changelogTopic` is the topic the store's serdes are told (Kafka Streams passes the
   * changelog's name); defaults to the store's name.
   */
  open(spec: StoreSpec, path: string, logger: StoreChangeLogger | undefined, changelogTopic?: string): PersistentStore;
}
