import type { Headers } from '../KeyValue';

/**
 * Turns values into the bytes a topic carries and back. `null` stays `null` in both
 * directions (a tombstone), as in Kafka.
 */
export interface Serde<T> {
  /** A short name for error messages, e.g. `json` or `string`. */
  readonly name: string;
  serialize(topic: string, value: T, headers?: Headers): Buffer | null;
  deserialize(topic: string, data: Buffer | null, headers?: Headers): T;
}

/** The type a serde reads and writes. */
export type SerdeType<S> = S extends Serde<infer T> ? T : never;
