import type { KeyValue } from '../KeyValue';
import type { Serde } from '../serdes/Serde';
import { windowed, type Windowed } from '../windows/Windowed';
import type { ValueAndTimestamp } from './KeyValueStore';
import type { RestorableStore, StoreChangeLogger, StoreSpec } from './StateStore';
import { compareKeys, storeKey } from './storeKey';
import type { ReadOnlyWindowStore } from './WindowStore';

/** A record one side of a stream-stream join keeps: its value and timestamp. */
export interface TimestampedValue<V> {
  readonly timestamp: number;
  readonly value: V;
}

interface Entry<K, V> extends TimestampedValue<V> {
  readonly key: K;
  readonly seq: number;
}

/**
 * The buffer of one side of a stream-stream join (Kafka Streams' window store with
 * `retainDuplicates`): every record is kept, duplicates included, until stream time (the
 * largest timestamp put) has moved `retentionMs` past it. A put of an already expired
 * record is ignored, and a fetch never returns expired records, as in Kafka Streams.
 *
 * Changelog records are keyed `[key, timestamp, seq]`, so a restore keeps duplicates apart.
 * Readable in tests as a window store whose windows start at each record's timestamp.
 */
export class JoinWindowStore<K, V> implements RestorableStore, ReadOnlyWindowStore<K, V> {
  private readonly byKey = new Map<unknown, Entry<K, V>[]>();
  private observedStreamTime = Number.NEGATIVE_INFINITY;
  private seq = 0;
  private nextSweep = Number.NEGATIVE_INFINITY;

  constructor(
    readonly name: string,
    readonly retentionMs: number,
    readonly windowSizeMs: number,
    private readonly logger?: StoreChangeLogger,
  ) {}

  /** Keeps `value` under `key` at `timestamp`. A `null` value stores nothing but still moves stream time. */
  put(key: K, value: V | null, timestamp: number): void {
    if (timestamp > this.observedStreamTime) this.observedStreamTime = timestamp;
    if (value === null || value === undefined || timestamp <= this.observedStreamTime - this.retentionMs) return;
    const seq = this.seq++;
    this.insert({ key, timestamp, value, seq });
    this.logger?.log([key, timestamp, seq], value, timestamp);
    this.maybeSweep();
  }

  /** The records of `key` with `timeFrom <= timestamp <= timeTo` that have not expired, by timestamp then arrival. */
  fetchRecords(key: K, timeFrom: number, timeTo: number): TimestampedValue<V>[] {
    const entries = this.byKey.get(storeKey(key));
    if (!entries) return [];
    const from = Math.max(timeFrom, this.observedStreamTime - this.retentionMs + 1);
    const found: TimestampedValue<V>[] = [];
    for (let i = lowerBound(entries, from); i < entries.length; i++) {
      const entry = entries[i]!;
      if (entry.timestamp > timeTo) break;
      found.push(entry);
    }
    return found;
  }

  /** The first record of `key` at `windowStart`. */
  fetch(key: K, windowStart: number): V | undefined;
  /** `[timestamp, value]` of `key`'s records with `timeFrom <= timestamp <= timeTo`, duplicates included. */
  fetch(key: K, timeFrom: number, timeTo: number): KeyValue<number, V>[];
  fetch(key: K, from: number, to?: number): V | undefined | KeyValue<number, V>[] {
    if (to === undefined) return this.fetchRecords(key, from, from)[0]?.value;
    return this.fetchRecords(key, from, to).map((r) => [r.timestamp, r.value] as const);
  }

  fetchWithTimestamp(key: K, windowStart: number): ValueAndTimestamp<V> | undefined {
    return this.fetchRecords(key, windowStart, windowStart)[0];
  }

  backwardFetch(key: K, timeFrom: number, timeTo: number): KeyValue<number, V>[] {
    return this.fetch(key, timeFrom, timeTo).reverse();
  }

  fetchAll(timeFrom: number, timeTo: number): KeyValue<Windowed<K>, V>[] {
    const from = Math.max(timeFrom, this.observedStreamTime - this.retentionMs + 1);
    const out: Entry<K, V>[] = [];
    for (const entries of this.byKey.values()) for (const entry of entries) if (entry.timestamp >= from && entry.timestamp <= timeTo) out.push(entry);
    out.sort((a, b) => a.timestamp - b.timestamp || compareKeys(a.key, b.key) || a.seq - b.seq);
    return out.map((e) => [windowed(e.key, e.timestamp, e.timestamp + this.windowSizeMs), e.value] as const);
  }

  all(): KeyValue<Windowed<K>, V>[] {
    return this.fetchAll(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
  }

  restore(key: unknown, value: unknown, timestamp: number): void {
    const [userKey, recordTimestamp, seq] = key as [K, number, number];
    if (recordTimestamp > this.observedStreamTime) this.observedStreamTime = recordTimestamp;
    if (seq >= this.seq) this.seq = seq + 1;
    if (value === null || value === undefined) return;
    this.insert({ key: userKey, timestamp: recordTimestamp ?? timestamp, value: value as V, seq });
  }

  approximateNumEntries(): number {
    let n = 0;
    for (const entries of this.byKey.values()) n += entries.length;
    return n;
  }

  close(): void {
    this.byKey.clear();
  }

  private insert(entry: Entry<K, V>): void {
    const id = storeKey(entry.key);
    let entries = this.byKey.get(id);
    if (!entries) {
      entries = [];
      this.byKey.set(id, entries);
    }
    // Mostly in order: append, else insert after the last entry with a timestamp <= this one.
    const last = entries[entries.length - 1];
    if (!last || last.timestamp <= entry.timestamp) entries.push(entry);
    else entries.splice(lowerBound(entries, entry.timestamp + 1), 0, entry);
  }

  /** Drops expired records at most once per retention period of stream time, so memory stays bounded. */
  private maybeSweep(): void {
    const minLive = this.observedStreamTime - this.retentionMs + 1;
    if (minLive < this.nextSweep) return;
    this.nextSweep = minLive + Math.max(this.retentionMs, 1);
    for (const [id, entries] of this.byKey) {
      const keep = lowerBound(entries, minLive);
      if (keep === entries.length) this.byKey.delete(id);
      else if (keep > 0) entries.splice(0, keep);
    }
  }
}

/** The first index whose timestamp is `>= timestamp`. */
function lowerBound(entries: readonly TimestampedValue<unknown>[], timestamp: number): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (entries[mid]!.timestamp < timestamp) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The spec of one side's buffer of a stream-stream join: retention is the window size plus grace. */
export function joinWindowStoreSpec(
  name: string,
  options: { retentionMs: number; windowSizeMs: number; logging: boolean; valueSerde: Serde<unknown> | undefined },
): StoreSpec {
  return {
    name,
    kind: 'window',
    logging: options.logging,
    keySerde: undefined,
    valueSerde: options.valueSerde,
    retentionMs: options.retentionMs,
    windowSizeMs: options.windowSizeMs,
    create: (logger) => new JoinWindowStore(name, options.retentionMs, options.windowSizeMs, logger),
  };
}
