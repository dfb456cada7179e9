import type { Key, RootDatabase } from 'lmdb';
import { RecentEntries } from './RecentEntries';
import { syncToDisk, type StoreDatabase } from './lmdbEnvironment';

/** How a store keeps one entry in LMDB, called by the cache inside its write transaction. */
export interface EntryStorage<Id, E> {
  /** The entry under `id`, decoded, with its size in bytes; `undefined` when absent. */
  load(id: Id): { entry: E; bytes: number } | undefined;
  /** Writes the entry (or deletes it, for `null`) and returns the bytes written. */
  save(id: Id, entry: E | null): number;
  /** Writes an entry encoded already (or deletes it, for `null`): what {@link EntryCache.restore} holds. */
  saveEncoded(id: Id, bytes: Buffer | null): void;
}

/** Limits of an {@link EntryCache}. */
export interface EntryCacheLimits {
  /** Writes held before they go to LMDB in one transaction. */
  readonly maxPending: number;
  /** Bytes (as stored) of recently read or written entries kept decoded. */
  readonly maxRecentBytes: number;
}

export const DEFAULT_CACHE_LIMITS: EntryCacheLimits = { maxPending: 10_000, maxRecentBytes: 16 * 1024 * 1024 };

/**
 * The objects in front of one LMDB store: the writes since the last commit to LMDB, and the
 * entries read or written lately, decoded. A hot key is decoded once, not on every read, and
 * writes reach LMDB together, in one transaction, once `maxPending` of them are held (and
 * whenever the store calls {@link commit}: before a scan, a flush or a close). Writes to
 * one key between two commits cost one encode.
 *
 * Unlike Kafka Streams' record cache, it holds back no changelog record: every write is
 * logged when it is made. What it holds back from LMDB is what a crash loses from the disk,
 * and the changelog brings back: a checkpoint is written only after a flush.
 *
 * Entries are handed out as stored, not copied (as the in-memory stores do): a caller that
 * changes one must put it back.
 */
export class EntryCache<Id, E> {
  /** Writes not yet in LMDB, by cache key; `null` entries are deletes. */
  private readonly pending = new Map<string | number, { readonly id: Id; readonly entry: E | null }>();
  /** Restored entries not yet in LMDB, encoded, in changelog order; `null` bytes are deletes. */
  private restored: { readonly id: Id; readonly bytes: Buffer | null }[] = [];
  /** Entries as in LMDB, by recency, with their size as stored. */
  private readonly recent: RecentEntries<E>;

  constructor(
    private readonly env: RootDatabase<Buffer, Key>,
    private readonly storage: EntryStorage<Id, E>,
    /** The cache key of an LMDB key: equal for equal ids, distinct otherwise. */
    private readonly cacheKey: (id: Id) => string | number,
    private readonly limits: EntryCacheLimits = DEFAULT_CACHE_LIMITS,
  ) {
    this.recent = new RecentEntries(limits.maxRecentBytes);
  }

  /** The entry under `id`: a pending write, a recent entry, or read from LMDB. */
  get(id: Id): E | undefined {
    if (this.restored.length > 0) this.commit();
    const key = this.cacheKey(id);
    const written = this.pending.get(key);
    if (written) return written.entry ?? undefined;
    const known = this.recent.get(key);
    if (known !== undefined) return known;
    const loaded = this.storage.load(id);
    if (loaded) this.recent.set(key, loaded.entry, loaded.bytes);
    return loaded?.entry;
  }

  /** Holds a write (a delete for `null`); commits when `maxPending` writes are held. */
  set(id: Id, entry: E | null): void {
    if (this.restored.length > 0) this.commit();
    const key = this.cacheKey(id);
    this.pending.set(key, { id, entry });
    this.recent.delete(key);
    if (this.pending.size >= this.limits.maxPending) this.commit();
  }

  /**
   * Holds a changelog record for restoration, encoded already (a delete for `null`), to
   * write as it is: no object is kept, since restoration writes whole changelogs that nothing
   * reads meanwhile, and keeping them decoded would only evict what is in use (Kafka
   * Streams' restore bypasses its record cache too). Commits when `maxPending` are held; any
   * read or write through the cache commits them first, so the order of writes holds.
   */
  restore(id: Id, bytes: Buffer | null): void {
    if (this.pending.size > 0) this.commit();
    this.restored.push({ id, bytes });
    if (this.recent.size > 0) this.recent.delete(this.cacheKey(id));
    if (this.restored.length >= this.limits.maxPending) this.commit();
  }

  /** Writes every held write to LMDB in one transaction: restored records first, in order, then the writes held by key. */
  commit(): void {
    if (this.pending.size === 0 && this.restored.length === 0) return;
    const restored = this.restored;
    const written: [string | number, E, number][] = [];
    this.env.transactionSync(() => {
      for (const { id, bytes } of restored) this.storage.saveEncoded(id, bytes);
      for (const [key, { id, entry }] of this.pending) {
        const bytes = this.storage.save(id, entry);
        if (entry !== null) written.push([key, entry, bytes]);
      }
    });
    this.restored = [];
    this.pending.clear();
    for (const [key, entry, bytes] of written) this.recent.set(key, entry, bytes);
  }

  /** Commits what is held, then resolves once LMDB has every write on disk (before a checkpoint). */
  sync(): Promise<void> {
    this.commit();
    return syncToDisk(this.env);
  }

  /** Drops every entry of the store: forgets what is held and kept, and empties `databases` in one transaction. */
  clear(databases: readonly StoreDatabase[]): void {
    this.pending.clear();
    this.restored = [];
    this.recent.clear();
    this.env.transactionSync(() => {
      for (const database of databases) database.clearSync();
    });
  }

  /** Commits what is held and closes the store's environment. */
  close(): void {
    this.commit();
    void this.env.close();
  }

  /** Drops the entry under `id` from the cache, for a store that deletes it in LMDB directly (expiry). */
  evict(id: Id): void {
    if (this.restored.length > 0) this.commit();
    const key = this.cacheKey(id);
    this.pending.delete(key);
    this.recent.delete(key);
  }
}
