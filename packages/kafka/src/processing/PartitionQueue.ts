import type { InputRecord } from '@tributary/core/runtime';
import type { TopicPartition } from '../client/StreamsClient';

/**
 * The fetched and not yet processed records of one input partition (Kafka Streams'
 * `RecordQueue`), with what is known of the partition: the next offset to fetch and the
 * log-end offset of the last fetch.
 */
export class PartitionQueue implements TopicPartition {
  private records: InputRecord[] = [];
  private head = 0;
  /** The offset after the last record fetched: where fetching continues. */
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

  append(fetched: readonly InputRecord[], highWatermark: number): void {
    // A fetch from before a seek may repeat records this queue already has: keep each offset once.
    const position = this.position;
    const records = position !== undefined && fetched.length > 0 && fetched[0]!.offset < position ? fetched.filter((r) => r.offset >= position) : fetched;
    if (records.length > 0) {
      if (this.head === this.records.length) {
        this.records = records as InputRecord[];
        this.head = 0;
      } else {
        for (const record of records) this.records.push(record);
      }
      this.position = records[records.length - 1]!.offset + 1;
      this.consumed += records.length;
    }
    if (this.highWatermark === undefined || highWatermark > this.highWatermark) this.highWatermark = highWatermark;
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
