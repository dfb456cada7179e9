import type { InMemoryTopics, StoredRecord } from '../runtime/InMemoryTopics';
import type { Task } from '../runtime/Task';

/**
 * A consumer position on one partition of an in-memory topic, for one task: what the
 * embedded engine reads next, and how much it has read. Records are fetched from the
 * topic in one slice of everything new and handed out from that buffer, so reading a
 * partition of any length costs one copy of it in all.
 */
export class PartitionReader {
  /** The next offset to read. */
  position = 0;
  /** Records read (handed to the task). */
  consumed = 0;
  /** The offset the application last committed; `null` before the first commit. */
  committed: number | null = null;
  private buffer: StoredRecord[] = [];
  private index = 0;

  constructor(
    private readonly topics: InMemoryTopics,
    readonly task: Task,
    readonly topic: string,
    readonly partition: number,
  ) {}

  /** The next record without taking it, or `undefined` at the end of the log. */
  peek(): StoredRecord | undefined {
    if (this.index >= this.buffer.length) this.fetch();
    return this.buffer[this.index];
  }

  /** Takes the record {@link peek} returned. */
  next(): StoredRecord | undefined {
    const record = this.peek();
    if (record === undefined) return undefined;
    this.index++;
    this.position = record.offset + 1;
    this.consumed++;
    return record;
  }

  logEndOffset(): number {
    return this.topics.endOffsets(this.topic)[this.partition] ?? 0;
  }

  /** Records between the read position and the log end. */
  remaining(): number {
    return this.logEndOffset() - this.position;
  }

  private fetch(): void {
    if (this.remaining() <= 0) return;
    this.buffer = this.topics.read(this.topic, this.partition, this.position);
    this.index = 0;
  }
}
