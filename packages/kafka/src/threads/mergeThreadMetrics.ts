import type { KafkaStreamsMetrics } from '../metrics/StreamsMetricsRecorder';

/**
 * The process's metrics from its stream threads' snapshots, as one `KafkaStreams` would report
 * them: counts and rates summed, tasks, partitions, restores and standbys side by side (a task
 * runs on one thread), averages weighted by what they average over (process and end-to-end
 * latency by records processed, commit latency by commits), maxima the largest, and the
 * start the earliest.
 */
export function mergeThreadMetrics(threads: readonly KafkaStreamsMetrics[]): KafkaStreamsMetrics {
  const sum = (value: (m: KafkaStreamsMetrics) => number) => threads.reduce((n, m) => n + value(m), 0);
  const max = (value: (m: KafkaStreamsMetrics) => number) => threads.reduce((n, m) => Math.max(n, value(m)), 0);
  const weighted = (value: (m: KafkaStreamsMetrics) => number, weight: (m: KafkaStreamsMetrics) => number) => {
    const total = sum(weight);
    return total === 0 ? 0 : sum((m) => value(m) * weight(m)) / total;
  };
  const droppedByReason: Record<string, number> = {};
  for (const m of threads) for (const [reason, n] of Object.entries(m.droppedByReason)) droppedByReason[reason] = (droppedByReason[reason] ?? 0) + n;
  const byName = <T>(items: readonly T[], name: (item: T) => string) => [...items].sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
  return {
    startedAt: threads.length === 0 ? Date.now() : Math.min(...threads.map((m) => m.startedAt)),
    elapsedMs: max((m) => m.elapsedMs),
    consumed: sum((m) => m.consumed),
    consumptionRate: sum((m) => m.consumptionRate),
    processed: sum((m) => m.processed),
    processRate: sum((m) => m.processRate),
    lag: sum((m) => m.lag),
    partitions: byName(
      threads.flatMap((m) => m.partitions),
      (p) => `${p.topic}\u0000${String(p.partition).padStart(10, '0')}`,
    ),
    droppedRecords: sum((m) => m.droppedRecords),
    droppedByReason,
    commits: sum((m) => m.commits),
    commitRate: sum((m) => m.commitRate),
    failedCommits: sum((m) => m.failedCommits),
    commitLatencyMs: weighted((m) => m.commitLatencyMs, (m) => m.commits),
    commitLatencyMaxMs: max((m) => m.commitLatencyMaxMs),
    punctuations: sum((m) => m.punctuations),
    tasksCreated: sum((m) => m.tasksCreated),
    tasksClosed: sum((m) => m.tasksClosed),
    standbyTasks: byName(threads.flatMap((m) => m.standbyTasks), (t) => t.id),
    endToEndLatencyMs: { avg: weighted((m) => m.endToEndLatencyMs.avg, (m) => m.processed), max: max((m) => m.endToEndLatencyMs.max) },
    processLatencyMs: { avg: weighted((m) => m.processLatencyMs.avg, (m) => m.processed), max: max((m) => m.processLatencyMs.max) },
    tasks: byName(threads.flatMap((m) => m.tasks), (t) => t.id),
    restore: threads.flatMap((m) => m.restore),
  };
}
