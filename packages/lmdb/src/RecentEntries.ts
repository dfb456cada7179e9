/** One kept entry, a link of the recency list (most recent at the head). */
interface Link<E> {
  readonly key: string | number;
  readonly entry: E;
  readonly bytes: number;
  newer: Link<E> | undefined;
  older: Link<E> | undefined;
}

/**
 * Decoded entries kept by recency up to `maxBytes` (as stored): least recently used first
 * out. A `Map` finds an entry, a doubly linked list orders them, so a hit, an insert and an
 * eviction each cost a few pointer moves. (Evicting the oldest entry of an insertion-ordered
 * `Map` instead, by iterating it from the front, walks past every slot deleted before it
 * until V8 rehashes the table: tens of microseconds per eviction at a few hundred thousand
 * entries, which made a store larger than its cache slower than its disk.)
 */
export class RecentEntries<E> {
  private readonly links = new Map<string | number, Link<E>>();
  private newest: Link<E> | undefined;
  private oldest: Link<E> | undefined;
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** Forgets every entry. */
  clear(): void {
    this.links.clear();
    this.newest = undefined;
    this.oldest = undefined;
    this.bytes = 0;
  }

  /** How many entries are kept. */
  get size(): number {
    return this.links.size;
  }

  /** The entry under `key`, which becomes the most recently used; `undefined` when not kept. */
  get(key: string | number): E | undefined {
    const link = this.links.get(key);
    if (!link) return undefined;
    if (link !== this.newest) {
      this.unlink(link);
      this.link(link);
    }
    return link.entry;
  }

  /** Keeps `entry` under `key` as the most recently used, then drops the least recently used while over `maxBytes`. */
  set(key: string | number, entry: E, bytes: number): void {
    this.delete(key);
    if (bytes > this.maxBytes) return;
    const link: Link<E> = { key, entry, bytes, newer: undefined, older: undefined };
    this.links.set(key, link);
    this.link(link);
    this.bytes += bytes;
    while (this.bytes > this.maxBytes && this.oldest) this.delete(this.oldest.key);
  }

  delete(key: string | number): void {
    const link = this.links.get(key);
    if (!link) return;
    this.links.delete(key);
    this.unlink(link);
    this.bytes -= link.bytes;
  }

  private link(link: Link<E>): void {
    link.older = this.newest;
    link.newer = undefined;
    if (this.newest) this.newest.newer = link;
    this.newest = link;
    this.oldest ??= link;
  }

  private unlink(link: Link<E>): void {
    if (link.newer) link.newer.older = link.older;
    else this.newest = link.older;
    if (link.older) link.older.newer = link.newer;
    else this.oldest = link.newer;
  }
}
