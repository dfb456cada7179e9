import type { InputRecord } from '@tributary/core/runtime';
import type { ConsumedBatch, PassedOffsets, TopicPartition } from '../client/StreamsClient';

/** What {@link PartitionQueue.append} did with a batch. */
export type AppendResult =
  /** The batch continues the queue: its new records are queued. */
  | 'taken'
  /** The fetch began after the queue's position: taking it would skip records. Seek back to `position`. */
  | 'gap';

/**
 * The fetched and not yet processed records of one input partition (Kafka Streams'
 * `RecordQueue`), with what is known of the partition: the next offset to fetch and the
 * log-end offset of the last fetch.
 *
 * The queue is the one place that decides where reading continues, and it never skips: a
 * batch is taken only when the fetch that returned it began at or before `position`, so the
 * records the queue hands out are every record of the partition, in order, from where it
 * started. A batch that begins later (a client that moved on without the runtime, a batch
 * from before a seek) is refused, and the caller seeks the consumer back to `position`.
 */
export class PartitionQueue implements TopicPartition {
  private records: InputRecord[] = [];
  private head = 0;
  /** The next offset to fetch: every record before it is queued or was handed out. Undefined before the first fetch. */
  position: number | undefined;
  /** The partition's log-end offset as of the last fetch or offset lookup. */
  highWatermark: number | undefined;
  /** Records fetched from this partition since it was assigned. */
  consumed = 0;
  paused = false;

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  append(batch: Pick<ConsumedBatch, 'fetchedOffset' | 'nextOffset' | 'records' | 'highWatermark'>): AppendResult {
    const position = this.position;
    if (position !== undefined && batch.fetchedOffset > position) return 'gap';
    // A fetch from before the last batch (or a seek) may repeat records this queue already has: keep each offset once.
    const fetched = batch.records;
    const records = position !== undefined && fetched.length > 0 && fetched[0]!.offset < position ? fetched.filter((r) => r.offset >= position) : fetched;
    if (records.length > 0) {
      if (this.head === this.records.length) {
        this.records = records as InputRecord[];
        this.head = 0;
      } else {
        for (const record of records) this.records.push(record);
      }
      this.consumed += records.length;
    }
    if (position === undefined || batch.nextOffset > position) this.position = batch.nextOffset;
    if (this.highWatermark === undefined || batch.highWatermark > this.highWatermark) this.highWatermark = batch.highWatermark;
    return 'taken';
  }

  /**
   * The client moved past offsets without a batch (transaction markers, aborted records).
   * Its fetch began where the client's position was, which is never after this queue's
   * (the client moves only over batches the queue took, over such ranges, and to seeks the
   * runtime made), so the range covers `position` and the queue moves with it.
   */
  pass(passed: Pick<PassedOffsets, 'nextOffset'>): void {
    if (this.position !== undefined && passed.nextOffset > this.position) this.position = passed.nextOffset;
  }

  /** Drops what is queued and starts again at `offset` (a new task sought to the committed offset). */
  resetTo(offset: number): void {
    this.clear();
    this.position = offset;
  }

  get size(): number {
    return this.records.length - this.head;
  }

  peek(): InputRecord | undefined {
    return this.records[this.head];
  }

  shift(): InputRecord {
    const record = this.records[this.head++]!;
    if (this.head === this.records.length) {
      this.records = [];
      this.head = 0;
    }
    return record;
  }

  /** True when the broker is known to hold records this queue has not fetched yet. */
  behind(): boolean {
    return this.position !== undefined && this.highWatermark !== undefined && this.highWatermark > this.position;
  }

  clear(): void {
    this.records = [];
    this.head = 0;
  }
}
