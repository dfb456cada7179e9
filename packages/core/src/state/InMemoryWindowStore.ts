import type { KeyValue } from '../KeyValue';
import { windowed, type Windowed } from '../windows/Windowed';
import type { ValueAndTimestamp } from './KeyValueStore';
import type { RestorableStore, StoreChangeLogger } from './StateStore';
import { compareKeys, storeKey } from './storeKey';
import { TimeIndex } from './TimeIndex';
import type { WindowStore } from './WindowStore';

/** One window of one key. Replaced, never mutated, so a reader's snapshot stays valid. */
export interface WindowEntry<K, V> {
  readonly key: K;
  readonly start: number;
  readonly value: V;
  readonly timestamp: number;
  /** The window's key as a windowed key, made once per window and shared by its changelog records and outputs. */
  readonly windowedKey: Windowed<K>;
}

/**
 * A window store in memory. Windows are indexed by key (each key's windows sorted by
 * start: one map lookup per read or write) and listed by window start (the keys that got
 * a window at that start, for expiry and time-ordered scans). As in Kafka Streams,
 * retention is measured from the latest window start written: a window is visible while
 * `start > latestStart - retention` and a write to an older window is ignored. A window
 * stays in memory one millisecond longer than it is visible, so an emit-on-close scan
 * still finds the window that just closed.
 */
export class InMemoryWindowStore<K, V> implements WindowStore<K, V>, RestorableStore {
  private readonly byKey = new Map<unknown, WindowEntry<K, V>[]>();
  /**
   * Per window start, the window lists of the keys given a window there (may repeat, or
   * have lost that window since). A list is never dropped while it holds windows, so
   * expiry reaches each key without a map lookup.
   */
  private readonly keysByStart = new Map<number, WindowEntry<K, V>[][]>();
  /** Window starts present in `keysByStart`. */
  private readonly starts = new TimeIndex();
  private latestStart = Number.NEGATIVE_INFINITY;
  /** The last key looked up and its windows, reused by the write that usually follows. */
  private lastId: unknown = NO_KEY;
  private lastWindows: WindowEntry<K, V>[] | undefined = undefined;
  /** Keys in `byKey` whose windows all expired. */
  private emptyKeys = 0;

  constructor(
    readonly name: string,
    readonly retentionMs: number,
    readonly windowSizeMs: number,
    private readonly logger?: StoreChangeLogger,
  ) {}

  /** @return false when the window had already expired and the write was ignored. */
  put(key: K, value: V | null, windowStart: number, timestamp: number): boolean {
    return this.putEntry(key, value, windowStart, timestamp) !== false;
  }

  /**
   * @internal `put` for the aggregation hot path: returns the entry written (`undefined`
   * for a delete), or `false` when the window had expired.
   */
  putEntry(key: K, value: V | null, windowStart: number, timestamp: number): WindowEntry<K, V> | undefined | false {
    if (!this.accept(windowStart)) return false;
    const entry = this.write(key, value, windowStart, timestamp);
    this.logger?.log(entry ? entry.windowedKey : windowed(key, windowStart, windowStart + this.windowSizeMs), value ?? null, timestamp);
    return entry;
  }

  restore(key: unknown, value: unknown, timestamp: number): void {
    const windowedKey = key as Windowed<K>;
    if (this.accept(windowedKey.window.start)) this.write(windowedKey.key, value as V | null, windowedKey.window.start, timestamp);
  }

  fetch(key: K, windowStart: number): V | undefined;
  fetch(key: K, timeFrom: number, timeTo: number): KeyValue<number, V>[];
  fetch(key: K, from: number, to?: number): V | undefined | KeyValue<number, V>[] {
    if (to === undefined) return this.entryAt(key, from)?.value;
    return this.entriesFor(key, from, to).map((e) => [e.start, e.value] as const);
  }

  fetchWithTimestamp(key: K, windowStart: number): ValueAndTimestamp<V> | undefined {
    const entry = this.entryAt(key, windowStart);
    return entry && { value: entry.value, timestamp: entry.timestamp };
  }

  backwardFetch(key: K, timeFrom: number, timeTo: number): KeyValue<number, V>[] {
    return this.fetch(key, timeFrom, timeTo).reverse();
  }

  fetchAll(timeFrom: number, timeTo: number): KeyValue<Windowed<K>, V>[] {
    const from = Math.max(timeFrom, this.latestStart - this.retentionMs + 1);
    return this.entriesBetween(from, timeTo).map((e) => [e.windowedKey, e.value] as const);
  }

  all(): KeyValue<Windowed<K>, V>[] {
    return this.fetchAll(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
  }

  /** @internal `key`'s visible window starting at `windowStart`, as stored (no copy: the aggregation hot path). */
  entryAt(key: K, windowStart: number): WindowEntry<K, V> | undefined {
    if (windowStart <= this.latestStart - this.retentionMs) return undefined;
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

  /** @internal `key`'s visible windows with `from <= start <= to`, ascending by start. */
  entriesFor(key: K, from: number, to: number): WindowEntry<K, V>[] {
    const windows = this.byKey.get(storeKey(key));
    if (!windows) return [];
    const lowest = Math.max(from, this.latestStart - this.retentionMs + 1);
    const found: WindowEntry<K, V>[] = [];
    for (let i = firstAtOrAfter(windows, lowest); i < windows.length && windows[i]!.start <= to; i++) found.push(windows[i]!);
    return found;
  }

  /**
   * @internal every key's windows with `from <= start <= to` still in memory (including the
   * one that just left retention), by start, then key: what an emit-on-close scan reads.
   */
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

  /** Advances the latest start, drops what fell out of memory, and says whether `windowStart` is still retained. */
  private accept(windowStart: number): boolean {
    if (windowStart > this.latestStart) {
      this.latestStart = windowStart;
      // Expiry may drop the remembered key's windows.
      this.lastId = NO_KEY;
      this.lastWindows = undefined;
      this.expire(windowStart - this.retentionMs);
    }
    return windowStart > this.latestStart - this.retentionMs;
  }

  private write(key: K, value: V | null, start: number, timestamp: number): WindowEntry<K, V> | undefined {
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
    return { key, start, value, timestamp, windowedKey: previous ? previous.windowedKey : windowed(key, start, start + this.windowSizeMs) };
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
  private expire(threshold: number): void {
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
