import type { Serde } from '../serdes/Serde';

/** What every store has. Stores belong to one task and are written only by its processors. */
export interface StateStore {
  readonly name: string;
  /**
   * The task is closed or its partition revoked: an in-memory store drops its state, a
   * persistent one closes its files and keeps them for the next task of its partition.
   */
  close(): void;
}

/**
 * Receives every write to a logged store, in order, so the Kafka runtime can append it to
 * the store's changelog topic. `value` is `null` for a delete.
 */
export interface StoreChangeLogger {
  log(key: unknown, value: unknown, timestamp: number): void;
}

/** A store a restore can write into without logging the write again. */
export interface RestorableStore extends StateStore {
  /** Applies one changelog record; `value` null deletes. */
  restore(key: unknown, value: unknown, timestamp: number): void;
  /**
   * Applies one changelog record with its value as the changelog holds it, the bytes of the
   * store's value serde: for a store that keeps values as those bytes (an LMDB store with
   * a value serde, as Kafka Streams' RocksDB stores keep bytes), so restoration neither
   * deserializes nor serializes the value again. Called instead of `restore` when the
   * store's spec has a value serde; optional.
   */
  restoreSerialized?(key: unknown, value: Buffer | null, timestamp: number): void;
}

/**
 * `buffer` is a time-ordered buffer (behind `KTable.suppress` and a stream-table join's grace
 * period); `versioned` a key-value store that keeps a history of versions.
 */
export type StoreKind = 'keyValue' | 'window' | 'session' | 'buffer' | 'versioned';

/**
 * Where a store keeps its state: `'inMemory'` in the heap, restored from its changelog by
 * every new task; `'lmdb'` on disk (`@tributary/lmdb`), under the runtime's state directory,
 * restored from its checkpoint on.
 */
export type StoreType = 'inMemory' | 'lmdb';

/** How a stateful operation wants its store built: `{ store: { type, logging } }`. */
export interface StoreOptions {
  /**
   * Defaults to the runtime's choice: in memory, or LMDB when `KafkaStreams` has a
   * `stateDir`. The TopologyTestDriver and the embedded engine keep every store in memory.
   */
  type?: StoreType;
  /** Writes go to the `<applicationId>-<storeName>-changelog` topic. Defaults to `true`. */
  logging?: boolean;
  /** Keeps store specs out: a versioned store spec is taken only where a table may be versioned (`builder.table`, `toTable`). */
  kind?: never;
}

/** Everything the runtime needs to create, log and restore one store for one task. */
export interface StoreSpec {
  readonly name: string;
  readonly kind: StoreKind;
  readonly logging: boolean;
  /** The kind of store asked for; `undefined` leaves it to the runtime (see {@link StoreOptions.type}). */
  readonly type?: StoreType | undefined;
  /**
   * A plain key-value, window or session store, which a runtime may keep on disk instead
   * (`create` then is not called). The stores of joins, suppression buffers and versioned
   * tables have no persistent form and stay in memory.
   */
  readonly persistable?: boolean;
  /** Serdes for the changelog; the stores themselves hold objects. */
  readonly keySerde: Serde<unknown> | undefined;
  readonly valueSerde: Serde<unknown> | undefined;
  /** For window and session stores: how long a window is kept (size + grace). */
  readonly retentionMs?: number;
  readonly windowSizeMs?: number;
  /** For versioned stores: how long replaced versions stay queryable. */
  readonly historyRetentionMs?: number;
  /** Settings the changelog topic is created with, over the defaults of its kind (e.g. `min.compaction.lag.ms`). */
  readonly changelogConfig?: Readonly<Record<string, string>>;
  /**
   * Bookkeeping that Kafka Streams keeps outside its stores (an `onWindowClose` aggregation's
   * last emitted close time, which it commits with the offsets): created, logged and restored
   * like any store, but left out of `describe()`.
   */
  readonly hidden?: boolean;
  /** A key-value store whose changelog gets each key once per commit (see `Stores.keyValueStore`'s `caching`). */
  readonly caching?: boolean;
  create(logger: StoreChangeLogger | undefined): RestorableStore;
}
