import { AbstractWindowStore, type WindowEntry } from './AbstractWindowStore';
import { compareKeys, storeKey } from './storeKey';
import { TimeIndex } from './TimeIndex';

/**
 * A window store in memory, with {@link AbstractWindowStore}'s retention. Windows are
 * indexed by key (each key's windows sorted by start: one map lookup per read or write)
 * and listed by window start (the keys that got a window at that start, for expiry and
 * time-ordered scans).
 */
export class InMemoryWindowStore<K, V> extends AbstractWindowStore<K, V> {
  private readonly byKey = new Map<unknown, WindowEntry<K, V>[]>();
  /**
   * Per window start, the window lists of the keys given a window there (may repeat, or
   * have lost that window since). A list is never dropped while it holds windows, so
   * expiry reaches each key without a map lookup.
   */
  private readonly keysByStart = new Map<number, WindowEntry<K, V>[][]>();
  /** Window starts present in `keysByStart`. */
  private readonly starts = new TimeIndex();
  /** The last key looked up and its windows, reused by the write that usually follows. */
  private lastId: unknown = NO_KEY;
  private lastWindows: WindowEntry<K, V>[] | undefined = undefined;
  /** Keys in `byKey` whose windows all expired. */
  private emptyKeys = 0;

  protected storedEntry(key: K, windowStart: number): WindowEntry<K, V> | undefined {
    const id = storeKey(key);
    const windows = this.byKey.get(id);
    // The aggregation reads a window, then writes it: remember the lookup for the write.
    this.lastId = id;
    this.lastWindows = windows;
    if (windows === undefined || windows.length === 0) return undefined;
    const last = windows[windows.length - 1]!;
    if (last.start === windowStart) return last;
    if (last.start < windowStart) return undefined;
    const found = windows[firstAtOrAfter(windows, windowStart)];
    return found?.start === windowStart ? found : undefined;
  }

  protected storedEntries(key: K, from: number, to: number): WindowEntry<K, V>[] {
    const windows = this.byKey.get(storeKey(key));
    if (!windows) return [];
    const found: WindowEntry<K, V>[] = [];
    for (let i = firstAtOrAfter(windows, from); i < windows.length && windows[i]!.start <= to; i++) found.push(windows[i]!);
    return found;
  }

  entriesBetween(from: number, to: number): WindowEntry<K, V>[] {
    const found: WindowEntry<K, V>[] = [];
    this.starts.forEachBetween(from, to, (start) => {
      const atStart = new Map<WindowEntry<K, V>[], WindowEntry<K, V>>();
      for (const windows of this.keysByStart.get(start) ?? []) {
        if (atStart.has(windows)) continue;
        const entry = windows[firstAtOrAfter(windows, start)];
        if (entry?.start === start) atStart.set(windows, entry);
      }
      const entries = [...atStart.values()];
      if (entries.length > 1) entries.sort((a, b) => compareKeys(a.key, b.key));
      for (const entry of entries) found.push(entry);
    });
    return found;
  }

  approximateNumEntries(): number {
    let n = 0;
    for (const windows of this.byKey.values()) n += windows.length;
    return n;
  }

  close(): void {
    this.emptyKeys = 0;
    this.lastId = NO_KEY;
    this.lastWindows = undefined;
    this.byKey.clear();
    this.keysByStart.clear();
    this.starts.clear();
  }

  protected write(key: K, value: V | null, start: number, timestamp: number): WindowEntry<K, V> | undefined {
    const id = storeKey(key);
    const windows = id === this.lastId ? this.lastWindows : this.byKey.get(id);
    this.lastId = NO_KEY;
    this.lastWindows = undefined;
    if (value === null || value === undefined) {
      if (!windows || windows.length === 0) return undefined;
      const i = firstAtOrAfter(windows, start);
      if (windows[i]?.start === start) windows.splice(i, 1);
      if (windows.length === 0) this.emptyKeys++;
      return undefined;
    }
    if (windows === undefined) {
      const entry = this.entry(key, start, value, timestamp, undefined);
      const list = [entry];
      this.byKey.set(id, list);
      this.indexStart(list, start);
      return entry;
    }
    const lastIndex = windows.length - 1;
    const last = windows[lastIndex];
    if (last === undefined) {
      this.emptyKeys--;
      const entry = this.entry(key, start, value, timestamp, undefined);
      windows.push(entry);
      this.indexStart(windows, start);
      return entry;
    }
    if (last.start === start) return (windows[lastIndex] = this.entry(key, start, value, timestamp, last));
    if (last.start < start) {
      const entry = this.entry(key, start, value, timestamp, undefined);
      windows.push(entry);
      this.indexStart(windows, start);
      return entry;
    }
    const i = firstAtOrAfter(windows, start);
    const existing = windows[i];
    if (existing?.start === start) return (windows[i] = this.entry(key, start, value, timestamp, existing));
    const entry = this.entry(key, start, value, timestamp, undefined);
    windows.splice(i, 0, entry);
    this.indexStart(windows, start);
    return entry;
  }

  private entry(key: K, start: number, value: V, timestamp: number, previous: WindowEntry<K, V> | undefined): WindowEntry<K, V> {
    return { key, start, value, timestamp, windowedKey: previous ? previous.windowedKey : this.windowedKey(key, start) };
  }

  /** Lists a key's windows under `start`, for expiry and scans. */
  private indexStart(windows: WindowEntry<K, V>[], start: number): void {
    const lists = this.keysByStart.get(start);
    if (lists) {
      lists.push(windows);
      return;
    }
    this.keysByStart.set(start, [windows]);
    this.starts.add(start);
  }

  /** Removes windows with `start < threshold` from memory. */
  protected expire(threshold: number): void {
    // Expiry may drop the remembered key's windows.
    this.lastId = NO_KEY;
    this.lastWindows = undefined;
    this.starts.removeBelow(threshold, (start) => {
      const lists = this.keysByStart.get(start);
      this.keysByStart.delete(start);
      if (!lists) return;
      for (const windows of lists) {
        // Empty: expired already, or dropped from the map (only empty lists are).
        if (windows.length === 0) continue;
        // Expiry goes by ascending start, so a key's expired windows are its first ones.
        let n = 0;
        while (n < windows.length && windows[n]!.start < threshold) n++;
        if (n === windows.length) {
          // Kept, empty: a key that comes back reuses it instead of churning the map.
          windows.length = 0;
          this.emptyKeys++;
        } else if (n > 0) windows.splice(0, n);
      }
    });
    if (this.emptyKeys > EMPTY_KEYS_KEPT && this.emptyKeys > 4 * (this.byKey.size - this.emptyKeys)) this.dropEmptyKeys();
  }

  /** Forgets keys left without windows; runs when they outnumber the live keys 4 to 1. */
  private dropEmptyKeys(): void {
    for (const [id, windows] of this.byKey) if (windows.length === 0) this.byKey.delete(id);
    this.emptyKeys = 0;
  }
}

/** Empty per-key lists kept before they may be dropped. */
const EMPTY_KEYS_KEPT = 100_000;

/** No key remembered: a value no store key can equal. */
const NO_KEY = Symbol('no key');

/** Index of the first window with `start >= at` in a list sorted by start. */
function firstAtOrAfter(windows: readonly { start: number }[], at: number): number {
  let lo = 0;
  let hi = windows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (windows[mid]!.start < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
