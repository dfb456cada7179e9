// What a reference topology is, how its output topics are read back, and the helpers the
// topologies share with Reference.java (the same functions on both sides).
import {
  EmitStrategy,
  JoinWindows,
  Serdes,
  SessionWindows,
  SlidingWindows,
  StreamsBuilder,
  Suppressed,
  TimeWindows,
  WindowedSerdes,
  type Serde,
  type Topology,
  type Windowed,
} from '@tributary/core';

/** Kafka's `LongSerde`: 8-byte big-endian two's complement (Tributary has only the double serde built in). */
export const longSerde: Serde<number> = {
  name: 'long',
  serialize: (_topic, value) => {
    if (value === null || value === undefined) return null;
    if (!Number.isSafeInteger(value)) throw new TypeError(`long serde cannot write ${value}`);
    const data = Buffer.alloc(8);
    data.writeBigInt64BE(BigInt(value));
    return data;
  },
  deserialize: (_topic, data) => {
    if (data === null || data === undefined) return null as unknown as number;
    if (data.length !== 8) throw new TypeError(`long serde expects 8 bytes, got ${data.length}`);
    return Number(data.readBigInt64BE(0));
  },
};

/** How to read an output topic back, and print its keys as the Java side does (`key@start/end` for windows). */
export interface OutputFormat {
  keySerde: Serde<unknown>;
  valueSerde: Serde<unknown>;
  formatKey: (key: unknown) => string | null;
}

export const plainKey = (key: unknown) => (key === null || key === undefined ? null : String(key));
export const windowedKey = (key: unknown) => {
  if (key === null || key === undefined) return null;
  const { key: inner, window } = key as Windowed<string>;
  return `${inner}@${window.start}/${window.end}`;
};

export const strings: OutputFormat = { keySerde: Serdes.string() as Serde<unknown>, valueSerde: Serdes.string() as Serde<unknown>, formatKey: plainKey };
export const longs: OutputFormat = { keySerde: Serdes.string() as Serde<unknown>, valueSerde: longSerde as Serde<unknown>, formatKey: plainKey };
export const timeWindowedLongs = (size: number): OutputFormat => ({
  keySerde: WindowedSerdes.timeWindowed(Serdes.string(), size) as Serde<unknown>,
  valueSerde: longSerde as Serde<unknown>,
  formatKey: windowedKey,
});
export const sessionWindowedLongs: OutputFormat = {
  keySerde: WindowedSerdes.sessionWindowed(Serdes.string()) as Serde<unknown>,
  valueSerde: longSerde as Serde<unknown>,
  formatKey: windowedKey,
};

export interface TopologyDefinition {
  build: () => Topology;
  outputs: Record<string, OutputFormat>;
  /**
   * Whether `describe()` should equal Kafka Streams' text. `false` with the reason only
   * where the package README documents a deliberate difference.
   */
  describe: true | { differs: string };
}

// The same helpers as Reference.java.
export const words = (text: string) => text.split(' ').filter((w) => w !== '');
export const lowerWords = (text: string) => text.toLowerCase().split(/[^a-z]+/).filter((w) => w !== '');
export const region = (row: string): string | null => {
  if (row.startsWith('-')) return null;
  const colon = row.indexOf(':');
  return colon < 0 ? row : row.substring(0, colon);
};
export const amount = (row: string) => {
  const colon = row.indexOf(':');
  return colon < 0 ? 0 : Number.parseInt(row.substring(colon + 1), 10);
};
export const joined = (left: string | null, right: string | null) => `${left}+${right}`;

// Keys and values may be null at run time (tombstones, null keys); join inputs are typed
// `string` values so the joiners' types infer, and handle nulls all the same.
export type Key = string | null;
export type Value = string | null;

export const tableSourceDiffers = {
  differs:
    "README 'Source tables are always materialized': Tributary gives builder.table() and toTable() a store even when nothing needs it, where Kafka Streams prints stores: [] (names and counters still match)",
};
