import type { Headers } from '../KeyValue';
import type { Serde } from '../serdes/Serde';
import { envelopedValue } from '../serdes/changeSerde';
import { InMemoryTimeOrderedKeyValueBuffer, type BufferedEntry } from './InMemoryTimeOrderedKeyValueBuffer';
import type { StoreSpec } from './StateStore';

/**
 * The buffer's changelog value: the buffer time, the update's both sides (through the
 * table's value serde, base64, when it has one) and the record context.
 */
export function bufferedEntrySerde(valueSerde: Serde<unknown> | undefined): Serde<BufferedEntry> {
  const { write, read } = envelopedValue(valueSerde);
  const writeHeaders = (headers: Headers) =>
    Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.isBuffer(v) ? { b64: v.toString('base64') } : v]));
  const readHeaders = (headers: Record<string, unknown>): Headers =>
    Object.fromEntries(
      Object.entries(headers).map(([k, v]) => [k, v && typeof v === 'object' ? Buffer.from((v as { b64: string }).b64, 'base64') : (v as string | undefined)]),
    );
  return {
    name: `bufferedEntry(${valueSerde?.name ?? 'json'})`,
    serialize: (topic, entry) => {
      if (entry === null || entry === undefined) return null;
      const { record } = entry;
      return Buffer.from(
        JSON.stringify({
          time: entry.time,
          n: write(topic, record.value.newValue),
          o: write(topic, record.value.oldValue),
          ts: record.timestamp,
          h: writeHeaders(record.headers),
          t: record.topic,
          p: record.partition,
          off: record.offset,
        }),
      );
    },
    deserialize: (topic, data) => {
      if (data === null) return null as unknown as BufferedEntry;
      const json = JSON.parse(data.toString('utf8')) as { time: number; n: unknown; o: unknown; ts: number; h: Record<string, unknown>; t: string; p: number; off: number };
      return {
        time: json.time,
        // The key is the changelog key; restore puts it back.
        record: {
          key: undefined,
          value: { newValue: read(topic, json.n), oldValue: read(topic, json.o) },
          timestamp: json.ts,
          headers: readHeaders(json.h),
          topic: json.t,
          partition: json.p,
          offset: json.off,
        },
      };
    },
  };
}

/** The store spec of a suppression buffer; the changelog key is the table's key. */
export function suppressionBufferSpec(
  name: string,
  options: { keySerde: Serde<unknown> | undefined; valueSerde: Serde<unknown> | undefined; logging: boolean; measureBytes: boolean },
): StoreSpec {
  const measure = options.measureBytes ? estimateBytes : undefined;
  return {
    name,
    kind: 'buffer',
    logging: options.logging,
    keySerde: options.keySerde,
    valueSerde: bufferedEntrySerde(options.valueSerde) as Serde<unknown>,
    create: (logger) => new InMemoryTimeOrderedKeyValueBuffer(name, logger, measure),
  };
}

/** A rough size of a buffered entry: its JSON length plus the fixed fields Kafka counts (8 bytes of time, the context). */
function estimateBytes(entry: BufferedEntry): number {
  const { record } = entry;
  const json = (v: unknown) => (v === null || v === undefined ? 0 : Buffer.byteLength(JSON.stringify(v) ?? ''));
  return 8 + json(record.key) + json(record.value.newValue) + json(record.value.oldValue) + 8 + 4 + 8 + Buffer.byteLength(record.topic) + json(record.headers);
}
