import type { Headers } from '../KeyValue';

/** A record as read from a topic partition, key and value not yet deserialized. */
export interface InputRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
  readonly headers: Headers;
}
