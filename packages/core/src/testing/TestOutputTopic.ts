import { Observable } from 'rxjs';
import type { Headers, KeyValue } from '../KeyValue';
import { StreamsError } from '../errors';
import type { InMemoryTopics, StoredRecord } from '../runtime/InMemoryTopics';
import type { Serde } from '../serdes/Serde';

export interface TestOutputTopicOptions<K, V> {
  /** Defaults to the key serde the topology's sink declared for the topic, else the driver's default key serde. */
  keySerde?: Serde<K>;
  /** Defaults to the value serde the topology's sink declared for the topic, else the driver's default value serde. */
  valueSerde?: Serde<V>;
}

/** A record read from an output topic, deserialized. */
export interface TestOutputRecord<K, V> {
  key: K;
  value: V;
  timestamp: number;
  headers: Headers;
  partition: number;
  offset: number;
}

/**
 * Reads what the topology wrote to a topic of a {@link TopologyTestDriver}, in write order
 * across partitions. Reading consumes: each record is read once.
 */
export class TestOutputTopic<K, V> {
  private position = 0;

  /** @internal */
  constructor(
    private readonly topics: InMemoryTopics,
    readonly topic: string,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
  ) {}

  /** The next record; throws when there is none. */
  readRecord(): TestOutputRecord<K, V> {
    const written = this.topics.written(this.topic);
    const stored = written[this.position];
    if (!stored) throw new StreamsError(`no more records in topic '${this.topic}' (read ${this.position})`);
    this.position++;
    return this.deserialize(stored);
  }

  /** The next record's `[key, value]`. */
  readKeyValue(): KeyValue<K, V> {
    const record = this.readRecord();
    return [record.key, record.value];
  }

  /** The next record's value. */
  readValue(): V {
    return this.readRecord().value;
  }

  /** All unread records' `[key, value]`s. */
  readKeyValuesToList(): KeyValue<K, V>[] {
    return this.readRecordsToList().map((r) => [r.key, r.value] as const);
  }

  /** All unread records' values. */
  readValuesToList(): V[] {
    return this.readRecordsToList().map((r) => r.value);
  }

  /** The latest value per key among the unread records; a `null` value deletes the key. */
  readKeyValuesToMap(): Map<K, V> {
    const map = new Map<K, V>();
    for (const { key, value } of this.readRecordsToList()) {
      if (value === null) map.delete(key);
      else map.set(key, value);
    }
    return map;
  }

  /** All unread records. */
  readRecordsToList(): TestOutputRecord<K, V>[] {
    const written = this.topics.written(this.topic);
    const records = written.slice(this.position).map((r) => this.deserialize(r));
    this.position = written.length;
    return records;
  }

  /** Whether every record written so far has been read. */
  isEmpty(): boolean {
    return this.getQueueSize() === 0;
  }

  /** How many records are written and not yet read. */
  getQueueSize(): number {
    return this.topics.written(this.topic).length - this.position;
  }

  /**
   * Every record written to the topic, from the first, then each new one as it is written.
   * Reading through the observable does not consume.
   */
  asObservable(): Observable<TestOutputRecord<K, V>> {
    return new Observable((subscriber) => {
      for (const record of [...this.topics.written(this.topic)]) subscriber.next(this.deserialize(record));
      return this.topics.onAppend((record) => {
        if (record.topic === this.topic) subscriber.next(this.deserialize(record));
      });
    });
  }

  private deserialize(record: StoredRecord): TestOutputRecord<K, V> {
    return {
      key: this.keySerde.deserialize(this.topic, record.key, record.headers),
      value: this.valueSerde.deserialize(this.topic, record.value, record.headers),
      timestamp: record.timestamp,
      headers: record.headers,
      partition: record.partition,
      offset: record.offset,
    };
  }
}
