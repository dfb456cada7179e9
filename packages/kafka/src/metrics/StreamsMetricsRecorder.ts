import type { PartitionMetrics, StreamsMetrics } from '@tributary/core';
import type { LatencyRecorder, StreamTask } from '../processing/StreamTask';
import type { RestoreProgress } from '../state/StoreRestorer';

/** One task's figures in {@link KafkaStreamsMetrics}. */
export interface TaskMetricsSnapshot {
  readonly id: string;
  readonly state: StreamTask['state'];
  readonly partitions: readonly string[];
  /** Records fetched from the task's partitions. */
  readonly consumed: number;
  /** Records consumed / seconds since the task was created. */
  readonly consumptionRate: number;
  readonly processed: number;
  readonly processRate: number;
  readonly droppedRecords: number;
  /** Outputs handed to the producer and not acknowledged yet. */
  readonly pendingSends: number;
  /** Fetched records waiting to be processed. */
  readonly buffered: number;
}

/** One input partition: the seed's lag (from the committed offset) and the consumer's (from the fetch position). */
export interface KafkaPartitionMetrics extends PartitionMetrics {
  /** The next offset to fetch; `null` before the first fetch. */
  readonly position: number | null;
  /** `logEndOffset - position` (Kafka consumer's `records-lag`); `null` before the first fetch. */
  readonly recordsLag: number | null;
}

/** Where the restoration of one store of one task stands, as the restorer reports it (without its start time). */
export type RestoreMetrics = Readonly<Omit<RestoreProgress, 'startedAt'>>;

/** {@link StreamsMetrics} plus what only a Kafka runtime knows. */
export interface KafkaStreamsMetrics extends StreamsMetrics {
  readonly tasks: readonly TaskMetricsSnapshot[];
  readonly partitions: readonly KafkaPartitionMetrics[];
  readonly restore: readonly RestoreMetrics[];
  /** When the processing began (ms since the epoch). */
  readonly startedAt: number;
  /** Commits / elapsed seconds. */
  readonly commitRate: number;
  readonly failedCommits: number;
  /** The longest commit, ms. */
  readonly commitLatencyMaxMs: number;
  /** Punctuator calls, in all. */
  readonly punctuations: number;
  /** Tasks created and closed since the start (a revived task counts in both). */
  readonly tasksCreated: number;
  readonly tasksClosed: number;
  /** The standby copies this instance keeps (`numStandbyReplicas`): task id and the changelog offsets they hold, summed. */
  readonly standbyTasks: readonly { readonly id: string; readonly offsetSum: number }[];
}

/** Count, sum and maximum of a latency, in ms. */
export class LatencyStats {
  count = 0;
  sum = 0;
  max = 0;

  record(ms: number): void {
    this.count++;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
  }

  snapshot(): { avg: number; max: number } {
    return { avg: this.count === 0 ? 0 : this.sum / this.count, max: this.max };
  }
}

/** What the metrics are computed from at snapshot time. */
export interface MetricsSources {
  readonly tasks: Iterable<StreamTask>;
  readonly committedOffset: (topic: string, partition: number) => number | undefined;
  readonly logStartOffset: (topic: string, partition: number) => number | undefined;
  readonly commits: number;
  readonly failedCommits: number;
  readonly commitLatencyMs: number;
  readonly commitLatencyMaxMs: number;
  /** Standby task id -> the sum of the changelog offsets its stores hold. */
  readonly standbyOffsetSums?: ReadonlyMap<string, number>;
}

interface Totals {
  consumed: number;
  processed: number;
  punctuations: number;
  droppedRecords: number;
  readonly droppedByReason: Map<string, number>;
}

/**
 * Collects the application's metrics (design section 8): latencies as records are
 * processed, counters of tasks that were closed, restore progress; `snapshot()` sums the
 * live tasks on top. Lag per partition is `logEndOffset - committedOffset`, with the log-end
 * offset of the last fetch (or offset lookup) and the offset this group last committed.
 */
export class StreamsMetricsRecorder implements LatencyRecorder {
  readonly processLatency = new LatencyStats();
  readonly endToEndLatency = new LatencyStats();
  readonly restores = new Map<string, RestoreProgress>();
  private readonly closed: Totals = { consumed: 0, processed: 0, punctuations: 0, droppedRecords: 0, droppedByReason: new Map() };
  private startedAt = Date.now();
  private tasksCreated = 0;
  private tasksClosed = 0;

  start(now = Date.now()): void {
    this.startedAt = now;
  }

  process(ms: number): void {
    this.processLatency.record(ms);
  }

  endToEnd(ms: number): void {
    this.endToEndLatency.record(ms);
  }

  restoreProgress(progress: RestoreProgress): void {
    this.restores.set(`${progress.store}\u0000${progress.partition}`, progress);
  }

  taskCreated(): void {
    this.tasksCreated++;
  }

  /** Keeps the counters of a closed (revoked) task in the application totals. */
  taskClosed(task: StreamTask): void {
    const m = task.task.metrics;
    this.tasksClosed++;
    this.closed.consumed += task.queues.reduce((n, q) => n + q.consumed, 0);
    this.closed.processed += m.processed;
    this.closed.punctuations += m.punctuations;
    this.closed.droppedRecords += m.droppedRecords;
    for (const [reason, n] of m.droppedByReason) this.closed.droppedByReason.set(reason, (this.closed.droppedByReason.get(reason) ?? 0) + n);
    for (const [key, progress] of this.restores) if (progress.taskId === task.id) this.restores.delete(key);
  }

  snapshot(sources: MetricsSources, now = Date.now()): KafkaStreamsMetrics {
    const elapsedMs = Math.max(1, now - this.startedAt);
    const totals: Totals = { ...this.closed, droppedByReason: new Map(this.closed.droppedByReason) };
    const tasks: TaskMetricsSnapshot[] = [];
    const partitions: KafkaPartitionMetrics[] = [];
    for (const task of sources.tasks) {
      const m = task.task.metrics;
      const consumed = task.queues.reduce((n, q) => n + q.consumed, 0);
      const taskSeconds = Math.max(1, now - task.createdAt) / 1000;
      totals.consumed += consumed;
      totals.processed += m.processed;
      totals.punctuations += m.punctuations;
      totals.droppedRecords += m.droppedRecords;
      for (const [reason, n] of m.droppedByReason) totals.droppedByReason.set(reason, (totals.droppedByReason.get(reason) ?? 0) + n);
      tasks.push({
        id: task.id,
        state: task.state,
        partitions: task.queues.map((q) => `${q.topic}-${q.partition}`),
        consumed,
        consumptionRate: consumed / taskSeconds,
        processed: m.processed,
        processRate: m.processed / taskSeconds,
        droppedRecords: m.droppedRecords,
        pendingSends: m.pendingSends,
        buffered: task.buffered,
      });
      for (const q of task.queues) {
        const committed = sources.committedOffset(q.topic, q.partition) ?? null;
        const logEnd = q.highWatermark ?? 0;
        const from = committed ?? sources.logStartOffset(q.topic, q.partition) ?? 0;
        const position = q.position ?? null;
        const recordsLag = position === null ? null : Math.max(0, logEnd - position);
        partitions.push({ topic: q.topic, partition: q.partition, committedOffset: committed, logEndOffset: logEnd, lag: Math.max(0, logEnd - from), consumed: q.consumed, position, recordsLag });
      }
    }
    partitions.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
    tasks.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const seconds = elapsedMs / 1000;
    return {
      startedAt: this.startedAt,
      elapsedMs,
      consumed: totals.consumed,
      consumptionRate: totals.consumed / seconds,
      processed: totals.processed,
      processRate: totals.processed / seconds,
      lag: partitions.reduce((n, p) => n + p.lag, 0),
      partitions,
      droppedRecords: totals.droppedRecords,
      droppedByReason: Object.fromEntries(totals.droppedByReason),
      commits: sources.commits,
      commitRate: sources.commits / seconds,
      failedCommits: sources.failedCommits,
      commitLatencyMs: sources.commitLatencyMs,
      commitLatencyMaxMs: sources.commitLatencyMaxMs,
      punctuations: totals.punctuations,
      tasksCreated: this.tasksCreated,
      tasksClosed: this.tasksClosed,
      standbyTasks: [...(sources.standbyOffsetSums ?? [])].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, offsetSum]) => ({ id, offsetSum })),
      endToEndLatencyMs: this.endToEndLatency.snapshot(),
      processLatencyMs: this.processLatency.snapshot(),
      restore: [...this.restores.values()].map(({ store, partition, taskId, changelog, startOffset, endOffset, fromCheckpoint, restored, total, done, ratePerSecond, remainingMs }) => ({
        store,
        partition,
        taskId,
        changelog,
        startOffset,
        endOffset,
        fromCheckpoint,
        restored,
        total,
        done,
        ratePerSecond,
        remainingMs,
      })),
      tasks,
    };
  }
}
