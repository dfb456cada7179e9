import type { Headers } from '../KeyValue';
import type { Serde } from '../serdes/Serde';
import { Serdes } from '../serdes/Serdes';
import type { Windowed } from './Windowed';

const TIMESTAMP_SIZE = 8;
const TWO_32 = 2 ** 32;

function writeLong(target: Buffer, value: number, offset: number): void {
  if (value >= 0 && value <= Number.MAX_SAFE_INTEGER) {
    target.writeUInt32BE(Math.floor(value / TWO_32), offset);
    target.writeUInt32BE(value % TWO_32, offset + 4);
  } else {
    target.writeBigInt64BE(BigInt(Math.trunc(value)), offset);
  }
}

function readLong(source: Buffer, offset: number): number {
  const high = source.readInt32BE(offset);
  return high >= 0 ? high * TWO_32 + source.readUInt32BE(offset + 4) : Number(source.readBigInt64BE(offset));
}

function innerBytes<K>(inner: Serde<K>, topic: string, key: K, headers: Headers | undefined): Buffer {
  const bytes = inner.serialize(topic, key, headers);
  if (!Buffer.isBuffer(bytes)) throw new TypeError(`a windowed key needs an inner key serde that writes bytes; '${inner.name}' returned ${bytes === null ? 'null' : typeof bytes}`);
  return bytes;
}

/**
 * A windowed key of a time or sliding window as Kafka Streams writes it
 * (`TimeWindowedSerde`): the inner key's bytes, then the window start as an 8-byte
 * big-endian long. The end is `start + windowSizeMs` when read back.
 */
function timeWindowed<K>(inner: Serde<K>, windowSizeMs: number): Serde<Windowed<K>> {
  if (inner.name === 'passthrough') return Serdes.passthrough<Windowed<K>>();
  return {
    name: `timeWindowed(${inner.name})`,
    serialize: (topic, windowedKey, headers) => {
      if (windowedKey === null || windowedKey === undefined) return null;
      const key = innerBytes(inner, topic, windowedKey.key, headers);
      const out = Buffer.allocUnsafe(key.length + TIMESTAMP_SIZE);
      key.copy(out, 0);
      writeLong(out, windowedKey.window.start, key.length);
      return out;
    },
    deserialize: (topic, data, headers) => {
      if (data === null || data === undefined) return null as unknown as Windowed<K>;
      const split = data.length - TIMESTAMP_SIZE;
      const start = readLong(data, split);
      return { key: inner.deserialize(topic, data.subarray(0, split), headers), window: { start, end: start + windowSizeMs } };
    },
  };
}

/**
 * A windowed key of a session as Kafka Streams writes it (`SessionWindowedSerde`): the
 * inner key's bytes, then the session end and start as 8-byte big-endian longs.
 */
function sessionWindowed<K>(inner: Serde<K>): Serde<Windowed<K>> {
  if (inner.name === 'passthrough') return Serdes.passthrough<Windowed<K>>();
  return {
    name: `sessionWindowed(${inner.name})`,
    serialize: (topic, windowedKey, headers) => {
      if (windowedKey === null || windowedKey === undefined) return null;
      const key = innerBytes(inner, topic, windowedKey.key, headers);
      const out = Buffer.allocUnsafe(key.length + 2 * TIMESTAMP_SIZE);
      key.copy(out, 0);
      writeLong(out, windowedKey.window.end, key.length);
      writeLong(out, windowedKey.window.start, key.length + TIMESTAMP_SIZE);
      return out;
    },
    deserialize: (topic, data, headers) => {
      if (data === null || data === undefined) return null as unknown as Windowed<K>;
      const split = data.length - 2 * TIMESTAMP_SIZE;
      const end = readLong(data, split);
      const start = readLong(data, split + TIMESTAMP_SIZE);
      return { key: inner.deserialize(topic, data.subarray(0, split), headers), window: { start, end } };
    },
  };
}

/**
 * Serdes for windowed keys, byte-compatible with Kafka Streams' `WindowedSerdes`, so a
 * Java consumer reads what a windowed aggregation writes. A windowed table's key serde
 * defaults to these around the grouping's key serde (`Serdes.string()` when undeclared).
 *
 * ## Example
 * ```ts
 * import { Serdes, WindowedSerdes } from '@tributary/core';
 *
 * counts.toStream().to('counts-per-minute', { keySerde: WindowedSerdes.timeWindowed(Serdes.string(), 60_000) });
 * ```
 */
export const WindowedSerdes = { timeWindowed, sessionWindowed } as const;
