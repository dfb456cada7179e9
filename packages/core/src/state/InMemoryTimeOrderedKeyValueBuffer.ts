import type { Headers } from '../KeyValue';
import type { Change } from '../graph/Change';
import type { Windowed } from '../windows/Windowed';
import type { RestorableStore, StoreChangeLogger } from './StateStore';
import { compareKeys, storeKey } from './storeKey';

/** A table update held back by `suppress`, with the context it is forwarded with later. */
export interface BufferedRecord {
  readonly key: unknown;
  readonly value: Change<unknown>;
  readonly timestamp: number;
  readonly headers: Headers;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/** What the buffer's changelog holds per key: the buffer time and the latest update. */
export interface BufferedEntry {
  readonly time: number;
  readonly record: BufferedRecord;
}

interface Slot {
  readonly time: number;
  readonly id: unknown;
  entry: BufferedEntry;
  bytes: number;
}

/**
 * The buffer behind `KTable.suppress` (Kafka Streams' `InMemoryTimeOrderedKeyValueBuffer`):
 * one update per key, ordered by buffer time (a window's end, or the record time), then
 * key. A newer update of a buffered key replaces the value but keeps the key's place.
 * Every put and eviction goes to the changelog logger.
 */
export class InMemoryTimeOrderedKeyValueBuffer implements RestorableStore {
  private readonly index = new Map<unknown, Slot>();
  /** Slots by (time, key), from `head` on. */
  private slots: Slot[] = [];
  private head = 0;
  private bytes = 0;

  constructor(
    readonly name: string,
    private readonly logger?: StoreChangeLogger,
    /** Estimates each entry's size, for `BufferConfig.maxBytes`. */
    private readonly measure?: (entry: BufferedEntry) => number,
  ) {}

  put(time: number, record: BufferedRecord): void {
    const entry: BufferedEntry = { time, record };
    this.write(record.key, entry);
    this.logger?.log(record.key, entry, record.timestamp);
  }

  /** The smallest buffer time, `Infinity` when empty. */
  minTime(): number {
    return this.head < this.slots.length ? this.slots[this.head]!.time : Number.POSITIVE_INFINITY;
  }

  /** Removes entries in order while `predicate()` holds, handing each to `evicted`. */
  evictWhile(predicate: () => boolean, evicted: (record: BufferedRecord) => void): void {
    while (this.head < this.slots.length && predicate()) {
      const slot = this.slots[this.head++]!;
      this.index.delete(slot.id);
      this.bytes -= slot.bytes;
      this.logger?.log(slot.entry.record.key, null, slot.entry.record.timestamp);
      evicted(slot.entry.record);
    }
    if (this.head > 1024 && this.head * 2 > this.slots.length) {
      this.slots = this.slots.slice(this.head);
      this.head = 0;
    }
  }

  numRecords(): number {
    return this.index.size;
  }

  /** Estimated bytes held (only tracked when the buffer has a byte limit). */
  bufferSize(): number {
    return this.bytes;
  }

  restore(key: unknown, value: unknown, _timestamp: number): void {
    if (value === null || value === undefined) {
      const slot = this.index.get(storeKey(key));
      if (!slot) return;
      this.index.delete(slot.id);
      this.bytes -= slot.bytes;
      const i = this.slots.indexOf(slot, this.head);
      if (i >= 0) this.slots.splice(i, 1);
      return;
    }
    // The changelog carries the key in the record key, not in the value.
    const entry = value as BufferedEntry;
    this.write(key, { time: entry.time, record: { ...entry.record, key } });
  }

  close(): void {
    this.index.clear();
    this.slots = [];
    this.head = 0;
    this.bytes = 0;
  }

  private write(key: unknown, entry: BufferedEntry): void {
    const id = storeKey(key);
    const bytes = this.measure ? this.measure(entry) : 0;
    const existing = this.index.get(id);
    if (existing) {
      // Kafka's non-resetting semantics: the key keeps its place and buffer time.
      this.bytes += bytes - existing.bytes;
      existing.entry = { time: existing.time, record: entry.record };
      existing.bytes = bytes;
      return;
    }
    const slot: Slot = { time: entry.time, id, entry, bytes };
    this.index.set(id, slot);
    this.bytes += bytes;
    const { slots } = this;
    if (this.head === slots.length || compareSlots(slots[slots.length - 1]!, slot) < 0) {
      slots.push(slot);
      return;
    }
    let lo = this.head;
    let hi = slots.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareSlots(slots[mid]!, slot) < 0) lo = mid + 1;
      else hi = mid;
    }
    slots.splice(lo, 0, slot);
  }
}

const isWindowed = (key: unknown): key is Windowed<unknown> =>
  typeof key === 'object' && key !== null && 'window' in key && typeof (key as Windowed<unknown>).window?.start === 'number';

/** Buffer order: time, then key (a windowed key by its key, then end, then start). */
function compareSlots(a: Slot, b: Slot): number {
  if (a.time !== b.time) return a.time - b.time;
  const x = a.entry.record.key;
  const y = b.entry.record.key;
  if (isWindowed(x) && isWindowed(y)) return compareKeys(x.key, y.key) || x.window.end - y.window.end || x.window.start - y.window.start;
  return compareKeys(x, y);
}
