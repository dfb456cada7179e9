import type { Observable, Subscription } from 'rxjs';
import type { Headers } from '../KeyValue';
import type { Serde } from '../serdes/Serde';
import type { TopologyTestDriver } from './TopologyTestDriver';

export interface TestInputTopicOptions<K, V> {
  /** Defaults to the key serde the topology declared for the topic, else the driver's default key serde. */
  keySerde?: Serde<K>;
  /** Defaults to the value serde the topology declared for the topic, else the driver's default value serde. */
  valueSerde?: Serde<V>;
  /** Timestamp of the first record piped without one. Defaults to the driver's wall clock. */
  startTimestamp?: number;
  /** How far the timestamp moves after each record piped without one. Defaults to `0`. */
  autoAdvance?: number;
}

/** A record to pipe: key and value as the topology reads them, not serialized. */
export interface TestRecord<K, V> {
  key: K | null;
  value: V | null;
  timestamp?: number;
  headers?: Headers;
}

/** Pipes records into a topic of a {@link TopologyTestDriver}, serialized with the topic's serdes. */
export class TestInputTopic<K, V> {
  private nextTimestamp: number;

  /** @internal */
  constructor(
    private readonly driver: TopologyTestDriver,
    readonly topic: string,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
    startTimestamp: number,
    private readonly autoAdvance: number,
  ) {
    this.nextTimestamp = startTimestamp;
  }

  /** Pipes one record and processes everything it causes before returning. */
  pipeInput(key: K | null, value: V | null, timestamp?: number, headers: Headers = {}): void {
    this.pipeRecord({ key, value, ...(timestamp === undefined ? {} : { timestamp }), headers });
  }

  /** Pipes one value with a `null` key. */
  pipeValue(value: V | null, timestamp?: number): void {
    this.pipeInput(null, value, timestamp);
  }

  /** Pipes records in order. */
  pipeRecords(records: Iterable<TestRecord<K, V>>): void {
    for (const record of records) this.pipeRecord(record);
  }

  /** Pipes raw bytes, as a producer that ignores the topic's serdes would (malformed input). */
  pipeRaw(key: Buffer | null, value: Buffer | null, timestamp?: number, headers: Headers = {}): void {
    this.driver.pipe(this.topic, key, value, this.timestampFor(timestamp), headers);
  }

  /**
   * Pipes every record `source` emits, as it emits it (an RxJS `TestScheduler` marble
   * observable, a `from([...])`, a live feed). Errors of the source are rethrown by the subscription.
   */
  pipeObservable(source: Observable<TestRecord<K, V>>): Subscription {
    return source.subscribe({
      next: (record) => this.pipeRecord(record),
      error: (error: unknown) => {
        throw error;
      },
    });
  }

  private pipeRecord(record: TestRecord<K, V>): void {
    const headers = record.headers ?? {};
    const key = record.key === null ? null : this.keySerde.serialize(this.topic, record.key, headers);
    const value = record.value === null ? null : this.valueSerde.serialize(this.topic, record.value, headers);
    this.driver.pipe(this.topic, key, value, this.timestampFor(record.timestamp), headers);
  }

  private timestampFor(timestamp: number | undefined): number {
    if (timestamp !== undefined) return timestamp;
    const next = this.nextTimestamp;
    this.nextTimestamp += this.autoAdvance;
    return next;
  }
}
