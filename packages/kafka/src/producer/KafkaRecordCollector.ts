import { RecordTooLargeError, StreamsError } from '@tributary/core';
import { defaultPartition, type OutgoingRecord, type RecordCollector } from '@tributary/core/runtime';
import type { ProducedRecord, StreamsProducer } from '../client/StreamsClient';
import { RECORD_BATCH_OVERHEAD_BYTES, recordSize } from './recordSize';
import { DEFAULT_MAX_MESSAGE_BYTES, type TopicLimits } from './TopicLimits';

export interface RecordCollectorOptions {
  /**
   * A batch is sent once it holds this many bytes as Kafka counts them (see {@link recordSize});
   * a record that would take it past this starts the next batch. Defaults to `128 KiB`:
   * KafkaJS groups a request's records by partition in quadratic time, so larger requests
   * cost more CPU per record than they save in round trips (measured with `pnpm bench:kafka`).
   */
  readonly maxBatchBytes?: number;
  /** Or this many records. Defaults to `10000`. */
  readonly maxBatchRecords?: number;
  /**
   * No request is larger (the record batches of all its partitions), so no record is either:
   * a larger one is refused alone with a `RecordTooLargeError` (Kafka's `max.request.size`).
   * Defaults to `1048576`.
   */
  readonly maxRequestSizeBytes?: number;
  /**
   * Each topic's `max.message.bytes`: no partition's record batch is larger, and a record that
   * is larger alone is refused. Defaults to Kafka's default (`1048588`) for every topic.
   */
  readonly topicLimits?: TopicLimits;
  /** Called after each batch settles (acknowledged or failed). */
  readonly onBatchSettled?: () => void;
}

/** A topic's records in one batch: what bounds the size of its partitions' record batches. */
interface TopicShare {
  /** Bytes of the topic's records: no partition's record batch holds more. */
  bytes: number;
  readonly partitions: Set<number>;
  /** Records whose partition the client picks: each may open a record batch of its own. */
  unplaced: number;
  /** Record batches counted in the request for the topic. */
  recordBatches: number;
}

class PendingBatch {
  readonly records: ProducedRecord[] = [];
  /** The request's bytes as Kafka counts them: each partition's record batch, overhead included. */
  bytes = 0;
  private readonly topics = new Map<string, TopicShare>();
  readonly done: Promise<void>;
  resolve!: () => void;
  reject!: (error: unknown) => void;

  constructor(private readonly partitionCount: (topic: string) => number | undefined) {
    this.done = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // Tasks attach their own handlers; this keeps a failed batch from being "unhandled".
    this.done.catch(() => undefined);
  }

  /** The most bytes a record batch of the topic could hold with `size` more bytes of records. */
  recordBatchBytes(topic: string, size: number): number {
    return RECORD_BATCH_OVERHEAD_BYTES + (this.topics.get(topic)?.bytes ?? 0) + size;
  }

  /** Bytes the request grows by with the record: its own, and a record batch's overhead if it may open one. */
  growth(record: ProducedRecord, size: number): number {
    const share = this.topics.get(record.topic);
    return size + (this.recordBatchesWith(share, record) - (share?.recordBatches ?? 0)) * RECORD_BATCH_OVERHEAD_BYTES;
  }

  add(record: ProducedRecord, size: number): void {
    let share = this.topics.get(record.topic);
    if (!share) this.topics.set(record.topic, (share = { bytes: 0, partitions: new Set(), unplaced: 0, recordBatches: 0 }));
    this.bytes += this.growth(record, size);
    share.recordBatches = this.recordBatchesWith(share, record);
    share.bytes += size;
    if (record.partition === undefined) share.unplaced++;
    else share.partitions.add(record.partition);
    this.records.push(record);
  }

  /** Record batches the topic's records may form with `record`: one per partition, at most one per record. */
  private recordBatchesWith(share: TopicShare | undefined, record: ProducedRecord): number {
    const placed = (share?.partitions.size ?? 0) + (record.partition !== undefined && !share?.partitions.has(record.partition) ? 1 : 0);
    const unplaced = (share?.unplaced ?? 0) + (record.partition === undefined ? 1 : 0);
    return Math.min(placed + unplaced, this.partitionCount(record.topic) ?? Number.POSITIVE_INFINITY);
  }
}

/** A record held until its topic's limit is known. */
interface WaitingRecord {
  readonly record: ProducedRecord;
  resolve(): void;
  reject(error: unknown): void;
}

/** The records of a topic whose limit is being looked up, in the order they were sent. */
interface WaitingTopic {
  readonly records: WaitingRecord[];
  /** Settles once they have been handed on to batches (or refused). */
  readonly released: Promise<void>;
}

/**
 * The core `RecordCollector` on a Kafka producer. Sends are collected into batches and
 * written one request at a time (the idempotent producer's order); whatever the tasks send
 * while a request is out goes in the next one, so batches grow with the load. Each `send`
 * returns its batch's promise: it settles when the broker acknowledged the batch.
 *
 * Batches are sized in the bytes Kafka counts (keys, values, headers, record and record-batch
 * overhead): no request exceeds `maxRequestSizeBytes` and no partition's record batch its
 * topic's `max.message.bytes`, so the broker never refuses a batch as too large. A record too
 * large alone is refused by itself with a `RecordTooLargeError` (thrown by `send`, or the
 * rejection of its promise when its topic's limit had to be looked up first); the records
 * around it are sent as usual.
 *
 * Keyed records without a chosen partition get Kafka's default partition (murmur2 of the
 * key bytes), computed here from the known partition counts, as the Java client does.
 */
export class KafkaRecordCollector implements RecordCollector {
  private readonly queue: PendingBatch[] = [];
  private open: PendingBatch | undefined;
  private inFlight: PendingBatch | undefined;
  private last: Promise<void> = Promise.resolve();
  private scheduled = false;
  private closed = false;
  private readonly waiting = new Map<string, WaitingTopic>();
  private readonly maxBatchBytes: number;
  private readonly maxBatchRecords: number;
  private readonly maxRequestSizeBytes: number;
  private readonly partitionCount = (topic: string) => this.partitionCounts.get(topic);
  /** Records in batches, not settled yet. */
  private batched = 0;
  /** Records waiting for their topic's limit. */
  private held = 0;

  constructor(
    private readonly producer: Pick<StreamsProducer, 'send'>,
    private readonly partitionCounts: Map<string, number>,
    private readonly options: RecordCollectorOptions = {},
  ) {
    this.maxRequestSizeBytes = options.maxRequestSizeBytes ?? 1_048_576;
    this.maxBatchBytes = Math.min(options.maxBatchBytes ?? 128 * 1024, this.maxRequestSizeBytes);
    this.maxBatchRecords = options.maxBatchRecords ?? 10_000;
  }

  /** Records handed over and not settled yet. */
  get pending(): number {
    return this.batched + this.held;
  }

  send(record: OutgoingRecord): Promise<void> {
    if (this.closed) throw new StreamsError(`the producer is closed; cannot send to topic '${record.topic}'`);
    if (record.partition === undefined && record.key !== null) {
      const count = this.partitionCounts.get(record.topic);
      // The task hands each record over once and keeps no reference: setting the partition
      // in place saves a copy per record on the hot path.
      if (count !== undefined) (record as { partition: number | undefined }).partition = defaultPartition(record.key, count);
    }
    const waiting = this.waiting.get(record.topic);
    if (waiting || this.topicLimit(record.topic) === undefined) return this.hold(record, waiting);
    return this.add(record);
  }

  partitionsFor(topic: string): number {
    const count = this.partitionCounts.get(topic);
    if (count === undefined) throw new StreamsError(`the partition count of topic '${topic}' is unknown: only source, sink and internal topics of the topology are known`);
    return count;
  }

  /** Sends what is collected now and resolves once everything handed over so far has settled. */
  async flush(): Promise<void> {
    while (this.waiting.size > 0) await Promise.all([...this.waiting.values()].map((topic) => topic.released));
    if (this.open) {
      this.queue.push(this.open);
      this.open = undefined;
    }
    this.dispatch();
    await this.last;
  }

  /** Sends the open batch now (the processing loop calls it after each round). */
  dispatchSoon(): void {
    this.scheduleDispatch();
  }

  close(): void {
    this.closed = true;
  }

  /**
   * Closes the collector and drops what it has not sent yet (each dropped send rejects);
   * resolves once the request already out has settled. For a task whose transaction is
   * about to be aborted: nothing may reach its producer after the abort.
   */
  async discard(): Promise<void> {
    this.closed = true;
    const dropped = this.queue.splice(0);
    if (this.open) dropped.push(this.open);
    this.open = undefined;
    for (const batch of dropped) {
      this.batched -= batch.records.length;
      batch.reject(new StreamsError('the task was closed before its records were sent'));
    }
    for (const topic of this.waiting.values()) {
      this.held -= topic.records.length;
      for (const waiting of topic.records.splice(0)) waiting.reject(new StreamsError('the task was closed before its records were sent'));
    }
    const inFlight = this.inFlight;
    if (inFlight) await inFlight.done.catch(() => undefined);
  }

  /** Puts a record in the open batch, or refuses it when it is too large alone (it must be sendable now). */
  private add(record: ProducedRecord): Promise<void> {
    const size = recordSize(record);
    const topicLimit = this.topicLimit(record.topic)!;
    const limit = Math.min(topicLimit, this.maxRequestSizeBytes);
    if (RECORD_BATCH_OVERHEAD_BYTES + size > limit) {
      const limitName = limit < topicLimit ? 'maxRequestSizeBytes' : `max.message.bytes of topic '${record.topic}'`;
      throw new RecordTooLargeError(record.topic, record.partition, RECORD_BATCH_OVERHEAD_BYTES + size, limit, limitName);
    }
    let batch = this.open;
    if (batch && (batch.bytes + batch.growth(record, size) > this.maxBatchBytes || batch.recordBatchBytes(record.topic, size) > topicLimit)) {
      this.queue.push(batch);
      batch = undefined;
    }
    if (!batch) {
      batch = this.open = new PendingBatch(this.partitionCount);
      // Batches settle in the order they were made: the newest one settles last.
      this.last = batch.done.then(
        () => undefined,
        () => undefined,
      );
    }
    batch.add(record, size);
    this.batched++;
    if (batch.bytes >= this.maxBatchBytes || batch.records.length >= this.maxBatchRecords) {
      this.queue.push(batch);
      this.open = undefined;
    }
    this.scheduleDispatch();
    return batch.done;
  }

  /** `max.message.bytes` of the topic, `undefined` until looked up. */
  private topicLimit(topic: string): number | undefined {
    const limits = this.options.topicLimits;
    return limits ? limits.get(topic) : DEFAULT_MAX_MESSAGE_BYTES;
  }

  /** Holds a record until its topic's limit is known; the topic's records keep their order. */
  private hold(record: ProducedRecord, waiting: WaitingTopic | undefined): Promise<void> {
    if (!waiting) {
      const topic = record.topic;
      const released = this.options.topicLimits!.load([topic]).then(() => this.release(topic));
      this.waiting.set(topic, (waiting = { records: [], released }));
    }
    const records = waiting.records;
    const sent = new Promise<void>((resolve, reject) => records.push({ record, resolve, reject }));
    sent.catch(() => undefined); // the task attaches its own handler
    this.held++;
    return sent;
  }

  private release(topic: string): void {
    const waiting = this.waiting.get(topic);
    if (!waiting) return;
    this.waiting.delete(topic);
    this.held -= waiting.records.length;
    for (const { record, resolve, reject } of waiting.records) {
      if (this.closed) {
        reject(new StreamsError(`the producer is closed; cannot send to topic '${record.topic}'`));
        continue;
      }
      try {
        this.add(record).then(resolve, reject);
      } catch (error) {
        reject(error);
      }
    }
  }

  private scheduleDispatch(): void {
    if (this.scheduled || this.inFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.open && !this.inFlight) {
        this.queue.push(this.open);
        this.open = undefined;
      }
      this.dispatch();
    });
  }

  private dispatch(): void {
    if (this.inFlight || (this.closed && this.queue.length === 0)) return;
    const batch = this.queue.shift();
    if (!batch) return;
    this.inFlight = batch;
    let sent: Promise<void>;
    try {
      sent = this.producer.send(batch.records);
    } catch (error) {
      sent = Promise.reject(error);
    }
    sent.then(
      () => this.settle(batch, undefined),
      (error: unknown) => this.settle(batch, error instanceof Error ? error : new Error(String(error))),
    );
  }

  private settle(batch: PendingBatch, error: Error | undefined): void {
    this.inFlight = undefined;
    this.batched -= batch.records.length;
    if (error) batch.reject(error);
    else batch.resolve();
    this.options.onBatchSettled?.();
    if (this.queue.length > 0) this.dispatch();
    else if (this.open) this.scheduleDispatch();
  }
}
