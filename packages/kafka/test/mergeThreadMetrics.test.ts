import { describe, expect, it } from 'vitest';
import type { KafkaStreamsMetrics } from '../src/metrics/StreamsMetricsRecorder';
import { mergeThreadMetrics } from '../src/threads/mergeThreadMetrics';

/** One thread's snapshot: one task on partition `p` of 'orders'. */
function thread(p: number, figures: Partial<KafkaStreamsMetrics>): KafkaStreamsMetrics {
  return {
    startedAt: 1_700_000_000_000 + p,
    elapsedMs: 10_000 - p,
    consumed: 0,
    consumptionRate: 0,
    processed: 0,
    processRate: 0,
    lag: 0,
    partitions: [{ topic: 'orders', partition: p, committedOffset: 10, logEndOffset: 15, lag: 5, consumed: 15, position: 15, recordsLag: 0 }],
    droppedRecords: 0,
    droppedByReason: {},
    commits: 0,
    commitRate: 0,
    failedCommits: 0,
    commitLatencyMs: 0,
    commitLatencyMaxMs: 0,
    endToEndLatencyMs: { avg: 0, max: 0 },
    processLatencyMs: { avg: 0, max: 0 },
    punctuations: 0,
    tasksCreated: 1,
    tasksClosed: 0,
    standbyTasks: [],
    restore: [],
    tasks: [{ id: `0_${p}`, state: 'running', partitions: [`orders-${p}`], consumed: 15, consumptionRate: 1.5, processed: 15, processRate: 1.5, droppedRecords: 0, pendingSends: 0, buffered: 0 }],
    ...figures,
  };
}

describe('the metrics of a process of stream threads', () => {
  it('sum counts and rates, put tasks and partitions side by side, and weigh averages by what they average', () => {
    const one = thread(1, { processed: 300, processRate: 30, lag: 5, commits: 1, commitLatencyMs: 40, processLatencyMs: { avg: 1, max: 4 }, droppedByReason: { late: 2 }, droppedRecords: 2 });
    const zero = thread(0, { processed: 100, processRate: 10, lag: 5, commits: 3, commitLatencyMs: 20, processLatencyMs: { avg: 3, max: 9 }, droppedByReason: { late: 1, 'null-key': 4 }, droppedRecords: 5 });
    const merged = mergeThreadMetrics([one, zero]);
    expect(merged).toMatchObject({ processed: 400, processRate: 40, lag: 10, commits: 4, droppedRecords: 7, droppedByReason: { late: 3, 'null-key': 4 }, tasksCreated: 2 });
    expect(merged.commitLatencyMs).toBe((40 * 1 + 20 * 3) / 4);
    expect(merged.processLatencyMs).toEqual({ avg: (1 * 300 + 3 * 100) / 400, max: 9 });
    expect(merged.tasks.map((t) => t.id)).toEqual(['0_0', '0_1']);
    expect(merged.partitions.map((p) => p.partition)).toEqual([0, 1]);
    expect(merged.startedAt).toBe(1_700_000_000_000);
    expect(merged.elapsedMs).toBe(10_000);
  });

  it('report nothing processed while no thread answered', () => {
    expect(mergeThreadMetrics([])).toMatchObject({ processed: 0, tasks: [], partitions: [], commitLatencyMs: 0, processLatencyMs: { avg: 0, max: 0 } });
  });
});
