import type { PartitionMetrics, StreamsMetrics } from '../runtime/StreamsApplication';
import type { Task } from '../runtime/Task';
import type { PartitionReader } from './PartitionReader';

/**
 * The embedded engine's counters and timers, and the {@link StreamsMetrics} snapshot made
 * from them and from the tasks: consumption rate = records consumed / elapsed seconds,
 * lag per partition = log-end offset - committed offset (design section 8).
 */
export class EngineMetrics {
  private startedAt = 0;
  private commits = 0;
  private commitTimeMs = 0;
  private processTimeMs = 0;
  private maxRecordLatencyMs = 0;
  private latencySum = 0;
  private latencyCount = 0;
  private latencyMax = 0;

  started(now: number): void {
    this.startedAt = now;
  }

  /** A batch of `count` records took `ms` to process. */
  batch(count: number, ms: number): void {
    this.processTimeMs += ms;
    if (ms / count > this.maxRecordLatencyMs) this.maxRecordLatencyMs = ms / count;
  }

  /** End-to-end latency of one record: processing time (wall clock) - record timestamp. */
  record(wallClock: number, timestamp: number): void {
    const latency = wallClock - timestamp;
    this.latencySum += latency;
    this.latencyCount++;
    if (latency > this.latencyMax) this.latencyMax = latency;
  }

  commit(ms: number): void {
    this.commits++;
    this.commitTimeMs += ms;
  }

  snapshot(tasks: readonly Task[], readers: readonly PartitionReader[], now: number): StreamsMetrics {
    const elapsedMs = this.startedAt === 0 ? 0 : now - this.startedAt;
    const seconds = elapsedMs / 1000;
    let consumed = 0;
    let processed = 0;
    let droppedRecords = 0;
    const droppedByReason: Record<string, number> = {};
    for (const task of tasks) {
      consumed += task.metrics.consumed;
      processed += task.metrics.processed;
      droppedRecords += task.metrics.droppedRecords;
      for (const [reason, n] of task.metrics.droppedByReason) droppedByReason[reason] = (droppedByReason[reason] ?? 0) + n;
    }
    const partitions: PartitionMetrics[] = readers.map((r) => {
      const logEndOffset = r.logEndOffset();
      return {
        topic: r.topic,
        partition: r.partition,
        committedOffset: r.committed,
        logEndOffset,
        lag: logEndOffset - (r.committed ?? 0),
        consumed: r.consumed,
      };
    });
    return {
      elapsedMs,
      consumed,
      consumptionRate: seconds > 0 ? consumed / seconds : 0,
      processed,
      processRate: seconds > 0 ? processed / seconds : 0,
      lag: partitions.reduce((sum, p) => sum + p.lag, 0),
      partitions,
      droppedRecords,
      droppedByReason,
      commits: this.commits,
      endToEndLatencyMs: { avg: this.latencyCount > 0 ? this.latencySum / this.latencyCount : 0, max: this.latencyMax },
      processLatencyMs: { avg: processed > 0 ? this.processTimeMs / processed : 0, max: this.maxRecordLatencyMs },
      commitLatencyMs: this.commits > 0 ? this.commitTimeMs / this.commits : 0,
      restore: [],
    };
  }
}
