import type { Headers, StreamRecord } from '../KeyValue';

/**
 * A record whose key a processor cannot change (Kafka Streams' `FixedKeyRecord`): what a
 * `processValues` processor receives, and the only thing its context forwards. New
 * records are made from the one received, with `withValue`, `withTimestamp` and
 * `withHeaders`; none of them touches the key, so the stream keeps its partitioning.
 *
 * ## Example
 * ```ts
 * process(record: FixedKeyRecord<string, Order>) {
 *   this.context.forward(record.withValue(record.value.amount).withTimestamp(record.timestamp + 1));
 * }
 * ```
 */
export class FixedKeyRecord<K, V> implements StreamRecord<K, V> {
  // A private member makes the type nominal: an object literal is not a FixedKeyRecord.
  readonly #fixedKey = true;

  private constructor(
    readonly key: K,
    readonly value: V,
    readonly timestamp: number,
    readonly headers: Headers,
    readonly topic: string,
    readonly partition: number,
    readonly offset: number,
  ) {}

  /** @internal the record a `processValues` processor receives */
  static of<K, V>(record: StreamRecord<K, V>): FixedKeyRecord<K, V> {
    return new FixedKeyRecord(record.key, record.value, record.timestamp, record.headers, record.topic, record.partition, record.offset);
  }

  /** @internal whether `record` was made from a received record (the key cannot have changed) */
  static isFixedKey(record: unknown): record is FixedKeyRecord<unknown, unknown> {
    return typeof record === 'object' && record !== null && #fixedKey in record;
  }

  /** The same record with another value. */
  withValue<VR>(value: VR): FixedKeyRecord<K, VR> {
    return new FixedKeyRecord(this.key, value, this.timestamp, this.headers, this.topic, this.partition, this.offset);
  }

  /** The same record with another timestamp. */
  withTimestamp(timestamp: number): FixedKeyRecord<K, V> {
    return new FixedKeyRecord(this.key, this.value, timestamp, this.headers, this.topic, this.partition, this.offset);
  }

  /** The same record with other headers. */
  withHeaders(headers: Headers): FixedKeyRecord<K, V> {
    return new FixedKeyRecord(this.key, this.value, this.timestamp, headers, this.topic, this.partition, this.offset);
  }
}
