/** Counters one task keeps; the application sums them and turns them into rates. */
export class TaskMetrics {
  /** Records read from the task's partitions. */
  consumed = 0;
  /** Records whose synchronous pass finished without a failure. */
  processed = 0;
  /** Records dropped on purpose or skipped by an error handler, in all. */
  droppedRecords = 0;
  /** The same, by reason: `late`, `null-key`, `invalid-timestamp`, `deserialization-error`, ... */
  readonly droppedByReason = new Map<string, number>();
  punctuations = 0;
  /** Outputs handed to the producer and not yet acknowledged. */
  pendingSends = 0;

  skipped(reason: string): void {
    this.droppedRecords++;
    this.droppedByReason.set(reason, (this.droppedByReason.get(reason) ?? 0) + 1);
  }
}
