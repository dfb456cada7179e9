import type { Headers } from '../KeyValue';

/** A record ready for a topic: key and value already serialized. */
export interface OutgoingRecord {
  readonly topic: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
  readonly headers: Headers;
  /** Chosen by a partitioner; otherwise the collector applies Kafka's default (murmur2 of the key). */
  readonly partition: number | undefined;
}

/**
 * Where a task's sinks, changelogs and dead letters go: the test driver's in-memory topics,
 * or the Kafka producer. A returned promise settles when the broker has acknowledged the
 * record; the task keeps the input record open until then.
 */
export interface RecordCollector {
  send(record: OutgoingRecord): void | PromiseLike<void>;
  /** How many partitions `topic` has, when a partitioner needs to know. */
  partitionsFor(topic: string): number;
}
