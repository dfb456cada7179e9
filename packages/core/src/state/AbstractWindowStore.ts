import type { KeyValue } from '../KeyValue';
import { windowed, type Windowed } from '../windows/Windowed';
import type { AggregationWindowStore } from './aggregationStores';
import type { ValueAndTimestamp } from './KeyValueStore';
import type { RestorableStore, StoreChangeLogger } from './StateStore';

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
 * What every window store does over its storage: Kafka Streams' retention, the queries and
 * the changelog. Retention is measured from the latest window start written: a window is
 * visible while `start > latestStart - retention`, a write to an older window is ignored,
 * and a window is kept one millisecond longer than it is visible, so an emit-on-close scan
 * still finds the window that just closed. An implementation (in memory, `@tributary/lmdb`)
 * supplies how windows are stored, found and expired.
 */
export abstract class AbstractWindowStore<K, V> implements AggregationWindowStore<K, V>, RestorableStore {
  /** The latest window start written; a persistent store finds it again when it opens. */
  protected latestStart = Number.NEGATIVE_INFINITY;

  constructor(
    readonly name: string,
    readonly retentionMs: number,
    readonly windowSizeMs: number,
    protected readonly logger?: StoreChangeLogger,
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
    this.logger?.log(entry ? entry.windowedKey : this.windowedKey(key, windowStart), value ?? null, timestamp);
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
    return this.storedEntry(key, windowStart);
  }

  /** @internal `key`'s visible windows with `from <= start <= to`, ascending by start. */
  entriesFor(key: K, from: number, to: number): WindowEntry<K, V>[] {
    return this.storedEntries(key, Math.max(from, this.latestStart - this.retentionMs + 1), to);
  }

  /**
   * @internal every key's windows with `from <= start <= to` still kept (including the one
   * that just left retention), by start, then key: what an emit-on-close scan reads.
   */
  abstract entriesBetween(from: number, to: number): WindowEntry<K, V>[];
  abstract close(): void;

  /** `key`'s stored window starting at `start` (a visible one: the caller checked). */
  protected abstract storedEntry(key: K, start: number): WindowEntry<K, V> | undefined;
  /** `key`'s stored windows with `from <= start <= to`, ascending by start (`from` may exceed `to`). */
  protected abstract storedEntries(key: K, from: number, to: number): WindowEntry<K, V>[];
  /** Stores `key`'s window, or deletes it when `value` is `null` or `undefined`; logs nothing. @return the entry written. */
  protected abstract write(key: K, value: V | null, start: number, timestamp: number): WindowEntry<K, V> | undefined;
  /** Drops the windows with `start < threshold`. */
  protected abstract expire(threshold: number): void;

  /** The windowed key of `key`'s window starting at `start`. */
  protected windowedKey(key: K, start: number): Windowed<K> {
    return windowed(key, start, start + this.windowSizeMs);
  }

  /** Advances the latest start, drops what fell out of retention, and says whether `windowStart` is still retained. */
  private accept(windowStart: number): boolean {
    if (windowStart > this.latestStart) {
      this.latestStart = windowStart;
      this.expire(windowStart - this.retentionMs);
    }
    return windowStart > this.latestStart - this.retentionMs;
  }
}
