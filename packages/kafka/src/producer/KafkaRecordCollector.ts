import { StreamsError } from '@tributary/core';
import { defaultPartition, type OutgoingRecord, type RecordCollector } from '@tributary/core/runtime';
import type { ProducedRecord, StreamsProducer } from '../client/StreamsClient';

export interface RecordCollectorOptions {
  /**
   * A batch is sent once it holds this many bytes of keys and values. Defaults to `128 KiB`:
   * KafkaJS groups a request's records by partition in quadratic time, so larger requests
   * cost more CPU per record than they save in round trips (measured with `pnpm bench:kafka`).
   */
  readonly maxBatchBytes?: number;
  /** Or this many records. Defaults to `10000`. */
  readonly maxBatchRecords?: number;
  /** Called after each batch settles (acknowledged or failed). */
  readonly onBatchSettled?: () => void;
}

interface PendingBatch {
  readonly records: ProducedRecord[];
  bytes: number;
  readonly done: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * The core `RecordCollector` on a Kafka producer. Sends are collected into batches and
 * written one request at a time (the idempotent producer's order); whatever the tasks send
 * while a request is out goes in the next one, so batches grow with the load. Each `send`
 * returns its batch's promise: it settles when the broker acknowledged the batch.
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
  private readonly maxBatchBytes: number;
  private readonly maxBatchRecords: number;
  /** Records handed over and not settled yet. */
  pending = 0;

  constructor(
    private readonly producer: Pick<StreamsProducer, 'send'>,
    private readonly partitionCounts: Map<string, number>,
    private readonly options: RecordCollectorOptions = {},
  ) {
    this.maxBatchBytes = options.maxBatchBytes ?? 128 * 1024;
    this.maxBatchRecords = options.maxBatchRecords ?? 10_000;
  }

  send(record: OutgoingRecord): Promise<void> {
    if (this.closed) throw new StreamsError(`the producer is closed; cannot send to topic '${record.topic}'`);
    if (record.partition === undefined && record.key !== null) {
      const count = this.partitionCounts.get(record.topic);
      // The task hands each record over once and keeps no reference: setting the partition
      // in place saves a copy per record on the hot path.
      if (count !== undefined) (record as { partition: number | undefined }).partition = defaultPartition(record.key, count);
    }
    let batch = this.open;
    if (!batch) batch = this.open = this.newBatch();
    batch.records.push(record);
    batch.bytes += (record.key?.length ?? 0) + (record.value?.length ?? 0);
    this.pending++;
    if (batch.bytes >= this.maxBatchBytes || batch.records.length >= this.maxBatchRecords) {
      this.queue.push(batch);
      this.open = undefined;
    }
    this.scheduleDispatch();
    return batch.done;
  }

  partitionsFor(topic: string): number {
    const count = this.partitionCounts.get(topic);
    if (count === undefined) throw new StreamsError(`the partition count of topic '${topic}' is unknown: only source, sink and internal topics of the topology are known`);
    return count;
  }

  /** Sends what is collected now and resolves once everything handed over so far has settled. */
  async flush(): Promise<void> {
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
      this.pending -= batch.records.length;
      batch.reject(new StreamsError('the task was closed before its records were sent'));
    }
    const inFlight = this.inFlight;
    if (inFlight) await inFlight.done.catch(() => undefined);
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
    this.pending -= batch.records.length;
    if (error) batch.reject(error);
    else batch.resolve();
    this.options.onBatchSettled?.();
    if (this.queue.length > 0) this.dispatch();
    else if (this.open) this.scheduleDispatch();
  }

  private newBatch(): PendingBatch {
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const done = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // Tasks attach their own handlers; this keeps a failed batch from being "unhandled".
    done.catch(() => undefined);
    const batch: PendingBatch = { records: [], bytes: 0, done, resolve, reject };
    this.last = done.then(
      () => undefined,
      () => undefined,
    );
    return batch;
  }
}
