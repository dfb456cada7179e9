import type { AnyRecord } from '../graph/GraphNode';
import type { Serde } from '../serdes/Serde';
import { envelopedValue } from '../serdes/changeSerde';
import type { RestorableStore, StoreChangeLogger, StoreSpec } from './StateStore';
import { storeKey } from './storeKey';

interface Entry {
  readonly record: AnyRecord;
  readonly seq: number;
  /** The serialized key and the sequence number: ties between equal timestamps are broken by these bytes. */
  readonly order: Buffer;
  /** Identifies the entry in the changelog. */
  readonly id: string;
}

/** The changelog key of a buffered record: its timestamp, key and sequence number. */
export interface BufferSlot {
  readonly timestamp: number;
  readonly key: unknown;
  readonly seq: number;
}

/**
 * The buffer behind a stream-table join's grace period (Kafka Streams'
 * `RocksDBTimeOrderedKeyValueBuffer`): stream records held in timestamp order (equal
 * timestamps by serialized key, then arrival) until the buffer's stream time, the largest
 * timestamp put, has passed them by the grace period. A record already that far behind is
 * refused, so its caller handles it at once. Every put and eviction goes to the changelog.
 */
export class TimeOrderedRecordBuffer implements RestorableStore {
  /** Sorted from `head` on; evicted entries before `head` are dropped now and then. */
  private entries: Entry[] = [];
  private head = 0;
  /** Kafka Streams starts at -1 (no timestamp yet). */
  private observedStreamTime = -1;
  private seq = 0;

  constructor(
    readonly name: string,
    readonly graceMs: number,
    private readonly keyBytes: (key: unknown) => Buffer,
    private readonly logger?: StoreChangeLogger,
  ) {}

  /** Buffers `record`, or returns `false` when it is more than the grace period behind the buffer's stream time. */
  put(record: AnyRecord): boolean {
    if (this.observedStreamTime - this.graceMs > record.timestamp) return false;
    this.seq = (this.seq + 1) & 0x7fffffff;
    const entry = this.insert(record, this.seq);
    this.logger?.log(slotOf(entry), record, record.timestamp);
    return true;
  }

  /** Hands every record the grace period has passed to `callback`, oldest first, and removes it. */
  evictReady(callback: (record: AnyRecord) => void): void {
    const until = this.observedStreamTime - this.graceMs;
    while (this.head < this.entries.length && this.entries[this.head]!.record.timestamp <= until) {
      const entry = this.entries[this.head]!;
      callback(entry.record);
      this.entries[this.head++] = undefined as unknown as Entry;
      this.logger?.log(slotOf(entry), null, entry.record.timestamp);
    }
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  /** How many records are buffered. */
  numRecords(): number {
    return this.entries.length - this.head;
  }

  /** The buffered records, oldest first (for tests and interactive queries). */
  records(): AnyRecord[] {
    return this.entries.slice(this.head).map((e) => e.record);
  }

  restore(key: unknown, value: unknown, timestamp: number): void {
    const slot = key as BufferSlot;
    this.observedStreamTime = Math.max(this.observedStreamTime, slot.timestamp ?? timestamp);
    this.seq = Math.max(this.seq, slot.seq);
    const id = idOf(slot.timestamp, slot.key, slot.seq);
    // Evictions come in buffer order, so the entry a tombstone removes is usually the first.
    for (let i = this.head; i < this.entries.length; i++) {
      if (this.entries[i]!.id === id) {
        this.entries.splice(i, 1);
        break;
      }
    }
    if (value !== null && value !== undefined) this.insert({ ...(value as AnyRecord), key: slot.key }, slot.seq);
  }

  close(): void {
    this.entries = [];
    this.head = 0;
  }

  private insert(record: AnyRecord, seq: number): Entry {
    this.observedStreamTime = Math.max(this.observedStreamTime, record.timestamp);
    const sequence = Buffer.alloc(4);
    sequence.writeInt32BE(seq);
    const entry: Entry = { record, seq, order: Buffer.concat([this.keyBytes(record.key), sequence]), id: idOf(record.timestamp, record.key, seq) };
    let lo = this.head;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(this.entries[mid]!, entry) <= 0) lo = mid + 1;
      else hi = mid;
    }
    this.entries.splice(lo, 0, entry);
    return entry;
  }
}

function compare(a: Entry, b: Entry): number {
  return a.record.timestamp - b.record.timestamp || Buffer.compare(a.order, b.order);
}

const slotOf = (entry: Entry): BufferSlot => ({ timestamp: entry.record.timestamp, key: entry.record.key, seq: entry.seq });
const idOf = (timestamp: number, key: unknown, seq: number) => `${timestamp}:${seq}:${String(storeKey(key))}`;

/**
 * The spec of a stream-table join's buffer: records wait `graceMs` behind the buffer's
 * stream time. The changelog key is `{ timestamp, key, seq }` and the value the record
 * (value and context) in a JSON envelope, the key and value through the stream's serdes
 * when it has them.
 */
export function timeOrderedRecordBufferSpec(
  name: string,
  options: { graceMs: number; keySerde: Serde<unknown> | undefined; valueSerde: Serde<unknown> | undefined },
): StoreSpec {
  const { keySerde, valueSerde } = options;
  const keyBytes = (key: unknown): Buffer => {
    if (keySerde) return keySerde.serialize(name, key) ?? Buffer.alloc(0);
    return Buffer.from(typeof key === 'string' ? key : String(storeKey(key)), 'utf8');
  };
  return {
    name,
    kind: 'buffer',
    logging: true,
    keySerde: slotSerde(keySerde),
    valueSerde: bufferedRecordSerde(valueSerde),
    create: (logger) => new TimeOrderedRecordBuffer(name, options.graceMs, keyBytes, logger),
  };
}

function slotSerde(keySerde: Serde<unknown> | undefined): Serde<unknown> {
  const { write, read } = envelopedValue(keySerde);
  return {
    name: `bufferSlot(${keySerde?.name ?? 'json'})`,
    serialize: (topic, slot) => {
      const { timestamp, key, seq } = slot as BufferSlot;
      return Buffer.from(JSON.stringify({ t: timestamp, k: write(topic, key), s: seq }));
    },
    deserialize: (topic, data) => {
      const json = JSON.parse(data!.toString('utf8')) as { t: number; k: unknown; s: number };
      return { timestamp: json.t, key: read(topic, json.k), seq: json.s } satisfies BufferSlot;
    },
  };
}

function bufferedRecordSerde(valueSerde: Serde<unknown> | undefined): Serde<unknown> {
  const { write, read } = envelopedValue(valueSerde);
  const writeHeaders = (headers: AnyRecord['headers']) =>
    Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.isBuffer(v) ? { b64: v.toString('base64') } : v]));
  const readHeaders = (headers: Record<string, unknown>): AnyRecord['headers'] =>
    Object.fromEntries(
      Object.entries(headers).map(([k, v]) => [k, v && typeof v === 'object' ? Buffer.from((v as { b64: string }).b64, 'base64') : (v as string | undefined)]),
    );
  return {
    name: `bufferedRecord(${valueSerde?.name ?? 'json'})`,
    serialize: (topic, value) => {
      if (value === null || value === undefined) return null;
      const record = value as AnyRecord;
      return Buffer.from(
        JSON.stringify({ v: write(topic, record.value), ts: record.timestamp, h: writeHeaders(record.headers), t: record.topic, p: record.partition, off: record.offset }),
      );
    },
    deserialize: (topic, data) => {
      if (data === null) return null;
      const json = JSON.parse(data.toString('utf8')) as { v: unknown; ts: number; h: Record<string, unknown>; t: string; p: number; off: number };
      // The key is in the changelog key; restore puts it back.
      return { key: undefined, value: read(topic, json.v), timestamp: json.ts, headers: readHeaders(json.h), topic: json.t, partition: json.p, offset: json.off };
    },
  };
}
