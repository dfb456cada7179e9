import type { Serde } from '@tributary/core';
import { Packr } from 'msgpackr';

/**
 * MessagePack round-trips what aggregations hold (objects, arrays, strings, numbers,
 * booleans, null, Buffers, Dates, Maps, Sets), but like a JSON changelog it keeps no class
 * prototypes or functions. No shared record structures: each entry decodes alone.
 */
const packr = new Packr({ useRecords: false, moreTypes: true });

/**
 * How a store entry (`[key, value, ...]`) is kept on disk. The value goes through the store's
 * value serde when it declares one, as Kafka Streams keeps store values as the serde's bytes:
 * a value the serde rebuilds (an instance of a class with methods, say) comes back as it
 * comes back from the changelog. Without a serde, the whole entry is MessagePack.
 */
export class EntryCodec {
  /** Entries as MessagePack only. */
  static readonly plain = new EntryCodec(undefined, '');

  constructor(
    private readonly valueSerde: Serde<unknown> | undefined,
    /** The topic the serde is told, the store's changelog topic. */
    private readonly topic: string,
  ) {}

  encode(entry: readonly unknown[]): Buffer {
    const value = entry[1];
    if (!this.valueSerde || value === null || value === undefined) return packr.pack(entry);
    const stored = [...entry];
    stored[1] = this.valueSerde.serialize(this.topic, value);
    return packr.pack(stored);
  }

  /** An entry whose value is the value serde's bytes already, as a changelog record holds them (see `restoreSerialized`). */
  encodeSerialized(entry: readonly unknown[]): Buffer {
    return packr.pack(entry);
  }

  decode(bytes: Uint8Array): unknown[] {
    const entry = packr.unpack(bytes) as unknown[];
    const value = entry[1];
    if (this.valueSerde && value instanceof Uint8Array) entry[1] = this.valueSerde.deserialize(this.topic, Buffer.from(value.buffer, value.byteOffset, value.byteLength));
    return entry;
  }
}
