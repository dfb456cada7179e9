import type { LatencyRecorder, StreamTask } from './StreamTask';

export interface ProcessingLoopOptions {
  /** Records one task processes before the loop moves to the next task and lets I/O in. */
  readonly sliceRecords: number;
  /** Processed records whose outputs are not acknowledged yet, above which processing waits. */
  readonly maxInFlightRecords: number;
  /** Fetched records waiting to be processed, above which fetching waits. */
  readonly maxBufferedRecords: number;
  /** How long a task with several inputs waits for an empty partition (`max.task.idle.ms`). */
  readonly maxTaskIdleMs: number;
  /** How much longer it waits when the broker is known to hold records for that partition. */
  readonly fetchWaitMs: number;
  /** How often wall-clock punctuators are checked when no record arrives; `0` only checks on records. */
  readonly punctuateEveryMs: number;
}

export interface ProcessingLoopHooks {
  readonly tasks: () => Iterable<StreamTask>;
  /** Records processed and not complete (CommitTracker.openRecords). */
  readonly inFlight: () => number;
  /** After each round: hand the round's output to the producer, resume drained partitions. */
  readonly afterRound: () => void;
  readonly onTaskFailure: (task: StreamTask, error: unknown) => void;
  readonly latency: LatencyRecorder;
}

const RECHECK_MS = 10;

/**
 * Runs the tasks: in rounds scheduled with `setImmediate`, each running task processes a
 * slice of its buffered records, so fetch responses and acknowledgements get in between
 * rounds. Backpressure has two gates: processing pauses while too many records wait for
 * acknowledgements, and the consumer waits in `waitForCapacity()` (so fetching pauses)
 * while too many records are in flight or buffered.
 */
export class ProcessingLoop {
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private waiters: (() => void)[] = [];
  /** Tasks that stopped to wait for another partition in the last round. */
  private readonly waiting = new Set<StreamTask>();

  constructor(
    private readonly hooks: ProcessingLoopHooks,
    private readonly options: ProcessingLoopOptions,
  ) {}

  /** Runs a round soon (once, however often it is called before). */
  schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => this.round());
  }

  /** Something completed (an acknowledgement): processing and fetching may go on. */
  notify(): void {
    if (this.stopped) return;
    this.schedule();
    this.releaseWaiters();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.releaseWaiters(true);
  }

  hasCapacity(): boolean {
    return this.hooks.inFlight() < this.options.maxInFlightRecords && this.backlog() < this.options.maxBufferedRecords;
  }

  /**
   * Resolves once there is room for another fetch, calling `heartbeat` while it waits so the
   * member stays in the group (a rebalance makes the heartbeat, and so this, reject).
   */
  async waitForCapacity(heartbeat: () => Promise<void>, isRunning: () => boolean): Promise<void> {
    while (!this.stopped && isRunning() && !this.hasCapacity()) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1_000);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      await heartbeat();
    }
  }

  private round(): void {
    this.scheduled = false;
    if (this.stopped) return;
    const { sliceRecords, maxInFlightRecords, maxTaskIdleMs, fetchWaitMs } = this.options;
    const now = Date.now();
    let more = false;
    let blocked = false;
    this.waiting.clear();
    for (const task of this.hooks.tasks()) {
      if (task.state !== 'running') continue;
      try {
        task.punctuate(now);
      } catch (error) {
        this.hooks.onTaskFailure(task, error);
        return;
      }
      if (task.buffered === 0 || task.held) continue;
      if (this.hooks.inFlight() >= maxInFlightRecords) {
        blocked = true;
        break;
      }
      let processed: number;
      try {
        processed = task.process(sliceRecords, now, maxTaskIdleMs, fetchWaitMs, this.hooks.latency);
      } catch (error) {
        this.hooks.onTaskFailure(task, error);
        return;
      }
      if (task.buffered > 0) {
        if (processed > 0) more = true;
        else this.waiting.add(task);
      }
    }
    if (this.timer === undefined && this.options.punctuateEveryMs > 0) {
      // Wall-clock punctuators fire even when no record arrives.
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.schedule();
      }, this.options.punctuateEveryMs).unref();
    }
    this.hooks.afterRound();
    this.releaseWaiters();
    if (more) this.schedule();
    else if (blocked || this.waiting.size > 0) {
      // Acknowledgements call notify(); this catches holds released without output and idle waits.
      clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.schedule();
      }, RECHECK_MS).unref();
    }
  }

  /** Buffered records of tasks that can process them now. */
  private backlog(): number {
    let n = 0;
    for (const task of this.hooks.tasks()) if (task.state === 'running' && !this.waiting.has(task)) n += task.buffered;
    return n;
  }

  private releaseWaiters(all = false): void {
    if (this.waiters.length === 0 || (!all && !this.hasCapacity())) return;
    for (const release of this.waiters.splice(0)) release();
  }
}
