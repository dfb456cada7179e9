/**
 * One input record on its way through a sub-topology. `pending` counts the work it still
 * has open: the synchronous pass of the task, each asynchronous stage it is waiting in, and
 * each output record not yet acknowledged by the broker.
 */
export interface InFlightRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  pending: number;
  /** What the runtime read (kept for dead-letter output while the record is open). */
  readonly input: unknown;
  /** @internal the partition whose safe offset this record holds back */
  readonly progress: PartitionProgress;
}

/** A piece of open work on one record; `release()` it exactly once when the work is done. */
export interface RecordHold {
  readonly record: InFlightRecord;
  release(): void;
}

class PartitionProgress {
  /** Records begun and not yet passed by the safe offset, in offset order. */
  private readonly queue: InFlightRecord[] = [];
  private head = 0;
  /** The next offset to commit: every record before it is complete. -1 before the first record. */
  safeOffset = -1;
  /** Set when the partition is revoked: its records no longer move anything. */
  forgotten = false;

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  begin(record: InFlightRecord): void {
    const last = this.queue.length > this.head ? this.queue[this.queue.length - 1]!.offset : this.safeOffset - 1;
    if (record.offset <= last) {
      throw new Error(`offset ${record.offset} of ${this.topic}-${this.partition} arrived after offset ${last}`);
    }
    this.queue.push(record);
  }

  /** Records of this partition begun and not complete yet. */
  openCount(): number {
    let n = 0;
    for (let i = this.head; i < this.queue.length; i++) if (this.queue[i]!.pending > 0) n++;
    return n;
  }

  /** Called when one of this partition's records completes: moves the safe offset past every complete record at the head. */
  advance(): void {
    const queue = this.queue;
    let head = this.head;
    while (head < queue.length && queue[head]!.pending === 0) head++;
    if (head === this.head) return;
    this.safeOffset = queue[head - 1]!.offset + 1;
    if (head === queue.length) {
      queue.length = 0;
      head = 0;
    } else if (head > 1024 && head * 2 > queue.length) {
      queue.splice(0, head);
      head = 0;
    }
    this.head = head;
  }
}

/**
 * Tells, per input partition, the highest offset that is safe to commit (design section 5):
 * offset `o` is committable once every record at or before `o` has completed its
 * sub-topology. A record completes when its synchronous pass has returned, every
 * asynchronous stage has released it, and every output it caused has been acknowledged.
 * Records a filter drops complete when their pass returns; records that fan out stay open
 * until the last output is acknowledged.
 */
export class CommitTracker {
  private readonly partitions = new Map<string, PartitionProgress>();
  private open = 0;
  private last: PartitionProgress | undefined;
  private readonly idleWaiters: (() => void)[] = [];

  /**
   * Starts tracking a record and holds it for its synchronous pass; the caller releases
   * that hold when the pass returns.
   */
  begin(topic: string, partition: number, offset: number, input?: unknown): RecordHold {
    const progress = this.progress(topic, partition);
    const record: InFlightRecord = { topic, partition, offset, pending: 1, input, progress };
    progress.begin(record);
    this.open++;
    return this.makeHold(record);
  }

  /** Another piece of open work on a record that is still in flight. */
  hold(record: InFlightRecord): RecordHold {
    if (record.pending <= 0) throw new Error(`record ${record.topic}-${record.partition}@${record.offset} is already complete`);
    record.pending++;
    return this.makeHold(record);
  }

  /** Offsets to commit, keyed by topic then partition: the next offset to read, Kafka's convention. */
  committable(): Map<string, Map<number, number>> {
    const result = new Map<string, Map<number, number>>();
    for (const [key, progress] of this.partitions) {
      if (progress.safeOffset < 0) continue;
      const cut = key.lastIndexOf('\u0000');
      const topic = key.slice(0, cut);
      const partition = Number(key.slice(cut + 1));
      let byPartition = result.get(topic);
      if (!byPartition) result.set(topic, (byPartition = new Map()));
      byPartition.set(partition, progress.safeOffset);
    }
    return result;
  }

  /** The next offset to commit for one partition, or `undefined` before its first complete record. */
  committableOffset(topic: string, partition: number): number | undefined {
    const safe = this.partitions.get(`${topic}\u0000${partition}`)?.safeOffset ?? -1;
    return safe < 0 ? undefined : safe;
  }

  /** Records begun and not yet complete. */
  get openRecords(): number {
    return this.open;
  }

  /** Resolves when no record is in flight. */
  whenIdle(): Promise<void> {
    if (this.open === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Forgets a partition (revoked, or its task closed after a failure): its in-flight records
   * no longer count, neither for the safe offset nor as open records (a failed record that is
   * held for good no longer keeps {@link whenIdle} waiting).
   */
  forget(topic: string, partition: number): void {
    const key = `${topic}\u0000${partition}`;
    const progress = this.partitions.get(key);
    if (!progress) return;
    this.open -= progress.openCount();
    progress.forgotten = true;
    this.partitions.delete(key);
    if (this.last === progress) this.last = undefined;
    if (this.open === 0) this.wakeIdleWaiters();
  }

  private makeHold(record: InFlightRecord): RecordHold {
    // A class instance, not a closure: one is made per record on the hot path.
    return new TrackerHold(this, record);
  }

  /** @internal called by a hold's first release */
  complete(record: InFlightRecord): void {
    if (record.progress.forgotten) return; // no longer counted as open
    record.progress.advance();
    if (--this.open === 0) this.wakeIdleWaiters();
  }

  private wakeIdleWaiters(): void {
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private progress(topic: string, partition: number): PartitionProgress {
    const last = this.last;
    if (last && last.partition === partition && last.topic === topic) return last;
    const key = `${topic}\u0000${partition}`;
    let progress = this.partitions.get(key);
    if (!progress) this.partitions.set(key, (progress = new PartitionProgress(topic, partition)));
    this.last = progress;
    return progress;
  }
}

class TrackerHold implements RecordHold {
  private released = false;

  constructor(
    private readonly tracker: CommitTracker,
    readonly record: InFlightRecord,
  ) {}

  release(): void {
    if (this.released) return;
    this.released = true;
    if (--this.record.pending === 0) this.tracker.complete(this.record);
  }
}
