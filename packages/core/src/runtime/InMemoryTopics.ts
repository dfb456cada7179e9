import type { Headers } from '../KeyValue';
import { StreamsError } from '../errors';
import type { InputRecord } from './InputRecord';
import { defaultPartition } from './murmur2';

/** A record stored in an in-memory topic partition. */
export type StoredRecord = InputRecord;

interface TopicLog {
  readonly partitions: StoredRecord[][];
  /** Every record in the order it was written, across partitions: the partition itself when there is only one. */
  written: StoredRecord[];
}

/**
 * Partitioned topics in memory, for the test driver and the embedded engine: append-only
 * logs with offsets per partition, keyed records placed by Kafka's murmur2 partitioner so
 * a key lands where it would on a broker, unkeyed ones round-robin.
 */
export class InMemoryTopics {
  private readonly topics = new Map<string, TopicLog>();
  private roundRobin = 0;
  private readonly listeners: ((record: StoredRecord) => void)[] = [];

  constructor(private readonly defaultPartitions = 1) {}

  /** Creates `topic` with `partitions` partitions, or checks an existing one has that many. */
  create(topic: string, partitions: number): void {
    if (!Number.isInteger(partitions) || partitions < 1) throw new StreamsError(`topic '${topic}': partitions must be a positive integer, got ${partitions}`);
    const existing = this.topics.get(topic);
    if (existing) {
      if (existing.partitions.length !== partitions) {
        throw new StreamsError(`topic '${topic}' already exists with ${existing.partitions.length} partitions, not ${partitions}`);
      }
      return;
    }
    const logs: StoredRecord[][] = Array.from({ length: partitions }, () => []);
    // One partition is already in write order: share it rather than keep every record twice.
    this.topics.set(topic, { partitions: logs, written: partitions === 1 ? logs[0]! : [] });
  }

  /** Whether `topic` exists. */
  has(topic: string): boolean {
    return this.topics.has(topic);
  }

  /** The partition count of `topic`, or the default count for a topic not created yet. */
  partitionsFor(topic: string): number {
    return this.topics.get(topic)?.partitions.length ?? this.defaultPartitions;
  }

  /** Appends a record; the topic is created with the default partition count if needed. */
  append(topic: string, record: { key: Buffer | null; value: Buffer | null; timestamp: number; headers?: Headers; partition?: number | undefined }): StoredRecord {
    if (!this.topics.has(topic)) this.create(topic, this.defaultPartitions);
    const log = this.topics.get(topic)!;
    const count = log.partitions.length;
    let partition = record.partition;
    if (partition === undefined) {
      if (record.key === null || record.key === undefined) partition = this.roundRobin++ % count;
      else if (count === 1) partition = 0; // what murmur2 modulo 1 gives, without hashing
      else partition = Buffer.isBuffer(record.key) ? defaultPartition(record.key, count) : defaultPartition(Buffer.from(String(record.key)), count);
    }
    if (!Number.isInteger(partition) || partition < 0 || partition >= count) {
      throw new StreamsError(`topic '${topic}' has ${count} partitions; partition ${partition} does not exist`);
    }
    const records = log.partitions[partition]!;
    const stored: StoredRecord = {
      topic,
      partition,
      offset: records.length,
      key: record.key,
      value: record.value,
      timestamp: record.timestamp,
      headers: record.headers ?? {},
    };
    records.push(stored);
    if (log.written !== records) log.written.push(stored);
    for (const listener of this.listeners) listener(stored);
    return stored;
  }

  /** Records of one partition from `offset` on. */
  read(topic: string, partition: number, offset = 0): StoredRecord[] {
    return this.topics.get(topic)?.partitions[partition]?.slice(offset) ?? [];
  }

  /** Every record of `topic` in write order. */
  written(topic: string): readonly StoredRecord[] {
    return this.topics.get(topic)?.written ?? [];
  }

  /** The next offset of each partition (the log-end offset). */
  endOffsets(topic: string): number[] {
    return this.topics.get(topic)?.partitions.map((p) => p.length) ?? [];
  }

  /** Every topic, in creation order. */
  topicNames(): string[] {
    return [...this.topics.keys()];
  }

  /** Calls `listener` for every record appended from now on. */
  onAppend(listener: (record: StoredRecord) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Drops the records of a topic that nobody will read again (internal topics already processed). */
  truncate(topic: string): void {
    const log = this.topics.get(topic);
    if (!log) return;
    if (log.written === log.partitions[0]) log.written = [];
    else log.written.length = 0;
  }
}
