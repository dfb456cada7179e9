import { describe, expect, it } from 'vitest';
import { PrometheusExporter } from '../src/metrics/PrometheusExporter';
import { PROMETHEUS_METRICS, type MetricsScrape } from '../src/metrics/prometheusMetrics';
import type { KafkaStreamsMetrics } from '../src/metrics/StreamsMetricsRecorder';

/** A snapshot as KafkaStreams.metrics() gives it: two tasks, one restoring, three partitions. */
function snapshot(overrides: Partial<KafkaStreamsMetrics> = {}): KafkaStreamsMetrics {
  return {
    startedAt: 1_700_000_000_000,
    elapsedMs: 10_000,
    consumed: 120,
    consumptionRate: 12,
    processed: 100,
    processRate: 10,
    lag: 35,
    partitions: [
      { topic: 'orders', partition: 0, committedOffset: 40, logEndOffset: 60, lag: 20, consumed: 60, position: 55, recordsLag: 5 },
      { topic: 'orders', partition: 1, committedOffset: null, logEndOffset: 15, lag: 15, consumed: 0, position: null, recordsLag: null },
      { topic: 'orders', partition: 2, committedOffset: 60, logEndOffset: 60, lag: 0, consumed: 60, position: 60, recordsLag: 0 },
    ],
    droppedRecords: 3,
    droppedByReason: { late: 2, 'deserialization-error': 1 },
    commits: 4,
    commitRate: 0.4,
    failedCommits: 1,
    commitLatencyMs: 12.5,
    commitLatencyMaxMs: 30,
    endToEndLatencyMs: { avg: 7, max: 90 },
    processLatencyMs: { avg: 0.25, max: 2 },
    punctuations: 6,
    tasksCreated: 3,
    tasksClosed: 1,
    standbyTasks: [{ id: '0_3', offsetSum: 120 }],
    restore: [
      { store: 'totals', partition: 1, taskId: '0_1', changelog: 'app-totals-changelog', startOffset: 0, endOffset: 100, fromCheckpoint: false, restored: 30, total: 100, done: false, ratePerSecond: 15, remainingMs: 4_667 },
      { store: 'totals', partition: 0, taskId: '0_0', changelog: 'app-totals-changelog', startOffset: 92, endOffset: 100, fromCheckpoint: true, restored: 8, total: 8, done: true, ratePerSecond: 800, remainingMs: 0 },
    ],
    tasks: [
      { id: '0_0', state: 'running', partitions: ['orders-0', 'orders-2'], consumed: 120, consumptionRate: 12, processed: 100, processRate: 10, droppedRecords: 3, pendingSends: 0, buffered: 20 },
      { id: '0_1', state: 'restoring', partitions: ['orders-1'], consumed: 0, consumptionRate: 0, processed: 0, processRate: 0, droppedRecords: 0, pendingSends: 0, buffered: 0 },
    ],
    ...overrides,
  };
}

const labels = { application_id: 'orders-app', client_id: 'orders-app-1' };
const scrape = (metrics = snapshot()): MetricsScrape => ({ state: 'RUNNING', threads: [{ threadId: 'orders-app-1-StreamThread-1', state: 'RUNNING', metrics }] });
const base = 'application_id="orders-app",client_id="orders-app-1"';
const thread = `thread_id="orders-app-1-StreamThread-1",${base}`;

/** The sample lines of the text format: `name{labels} value`. */
function samples(text: string): string[] {
  return text.split('\n').filter((line) => line.length > 0 && !line.startsWith('#'));
}

describe('Prometheus metrics', () => {
  it("map a snapshot to Kafka Streams' names and levels, with the seed's consumption rate and lag", async () => {
    const text = await new PrometheusExporter(() => scrape(), labels).metrics();
    const lines = samples(text);
    for (const expected of [
      `kafka_streams_state{state="RUNNING",${base}} 1`,
      `kafka_streams_state{state="REBALANCING",${base}} 0`,
      `kafka_streams_alive_stream_threads{${base}} 1`,
      `kafka_streams_process_total{${thread}} 100`,
      `kafka_streams_process_rate{${thread}} 10`,
      `kafka_streams_process_latency_avg{${thread}} 0.25`,
      `kafka_streams_process_latency_max{${thread}} 2`,
      `kafka_streams_commit_total{${thread}} 4`,
      `kafka_streams_commit_rate{${thread}} 0.4`,
      `kafka_streams_commit_latency_avg{${thread}} 12.5`,
      `kafka_streams_commit_latency_max{${thread}} 30`,
      `kafka_streams_punctuate_total{${thread}} 6`,
      `kafka_streams_task_created_total{${thread}} 3`,
      `kafka_streams_task_closed_total{${thread}} 1`,
      `kafka_streams_thread_start_time{${thread}} 1700000000000`,
      `kafka_streams_record_e2e_latency_avg{${thread}} 7`,
      `kafka_streams_record_e2e_latency_max{${thread}} 90`,
      `kafka_streams_dropped_records_total{thread_id="orders-app-1-StreamThread-1",reason="late",${base}} 2`,
      `kafka_streams_dropped_records_total{thread_id="orders-app-1-StreamThread-1",reason="deserialization-error",${base}} 1`,
      `kafka_streams_active_restoring_tasks{${thread}} 1`,
      `kafka_streams_task_process_total{thread_id="orders-app-1-StreamThread-1",task_id="0_0",${base}} 100`,
      `kafka_streams_task_active_buffer_count{thread_id="orders-app-1-StreamThread-1",task_id="0_0",${base}} 20`,
      `kafka_streams_task_dropped_records_total{thread_id="orders-app-1-StreamThread-1",task_id="0_0",${base}} 3`,
      `kafka_streams_restore_total{thread_id="orders-app-1-StreamThread-1",task_id="0_1",${base}} 30`,
      `kafka_streams_restore_remaining_records_total{thread_id="orders-app-1-StreamThread-1",task_id="0_1",${base}} 70`,
      `kafka_streams_restore_remaining_records_total{thread_id="orders-app-1-StreamThread-1",task_id="0_0",${base}} 0`,
      `kafka_streams_restore_rate{thread_id="orders-app-1-StreamThread-1",task_id="0_1",${base}} 15`,
      `kafka_streams_restore_rate{thread_id="orders-app-1-StreamThread-1",task_id="0_0",${base}} 0`,
      `kafka_streams_restore_remaining_seconds{thread_id="orders-app-1-StreamThread-1",task_id="0_1",${base}} 4.667`,
      `kafka_streams_restore_remaining_seconds{thread_id="orders-app-1-StreamThread-1",task_id="0_0",${base}} 0`,
      `kafka_consumer_records_lag{topic="orders",partition="0",${base}} 5`,
      `kafka_consumer_records_lag{topic="orders",partition="2",${base}} 0`,
      `kafka_consumer_records_lag_max{${base}} 5`,
      `kafka_consumer_records_consumed_total{${base}} 120`,
      `tributary_consumption_rate{${base}} 12`,
      `tributary_consumer_lag{topic="orders",partition="0",${base}} 20`,
      `tributary_consumer_lag{topic="orders",partition="1",${base}} 15`,
      `tributary_consumer_committed_offset{topic="orders",partition="1",${base}} -1`,
      `tributary_consumer_log_end_offset{topic="orders",partition="1",${base}} 15`,
      `tributary_tasks{state="running",${base}} 1`,
      `tributary_tasks{state="restoring",${base}} 1`,
      `tributary_standby_tasks{${base}} 1`,
      `tributary_commit_failures_total{${base}} 1`,
    ]) {
      expect(lines).toContain(expected);
    }
    // A partition not fetched yet has no records lag (Kafka reports none either), only the committed lag.
    expect(lines.filter((l) => l.startsWith('kafka_consumer_records_lag{') && l.includes('partition="1"'))).toEqual([]);
    expect(text).toContain('# TYPE kafka_streams_process_total counter');
    expect(text).toContain('# TYPE kafka_consumer_records_lag gauge');
  });

  it('names every metric once, with counters ending in _total', () => {
    const names = PROMETHEUS_METRICS.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    for (const metric of PROMETHEUS_METRICS.filter((m) => m.type === 'counter')) expect(metric.name).toMatch(/_total$/);
  });

  it('takes one snapshot per scrape, and a fresh one for the next scrape', async () => {
    let calls = 0;
    let processed = 100;
    const exporter = new PrometheusExporter(() => {
      calls++;
      return scrape(snapshot({ processed }));
    }, labels);
    expect(samples(await exporter.metrics())).toContain(`kafka_streams_process_total{${thread}} 100`);
    expect(calls).toBe(1);
    processed = 250;
    await new Promise((resolve) => setImmediate(resolve));
    expect(samples(await exporter.metrics())).toContain(`kafka_streams_process_total{${thread}} 250`);
    expect(calls).toBe(2);
  });

  it('keeps two applications in one process apart: a registry each', async () => {
    const a = new PrometheusExporter(() => scrape(snapshot({ processed: 1 })), { application_id: 'a', client_id: 'a-1' });
    const b = new PrometheusExporter(() => scrape(snapshot({ processed: 2 })), { application_id: 'b', client_id: 'b-1' });
    const textA = await a.metrics();
    const textB = await b.metrics();
    expect(textA).toContain('kafka_streams_process_total{thread_id="orders-app-1-StreamThread-1",application_id="a",client_id="a-1"} 1');
    expect(textA).not.toContain('application_id="b"');
    expect(textB).toContain('kafka_streams_process_total{thread_id="orders-app-1-StreamThread-1",application_id="b",client_id="b-1"} 2');
  });

  it('reports each stream thread under its own thread_id and sums the client-level figures', async () => {
    const one = snapshot({ processed: 10, consumed: 12, failedCommits: 1 });
    const two = snapshot({
      processed: 30,
      consumed: 31,
      failedCommits: 2,
      tasks: [{ id: '0_2', state: 'running', partitions: ['orders-2'], consumed: 31, consumptionRate: 0, processed: 30, processRate: 0, droppedRecords: 0, pendingSends: 0, buffered: 0 }],
      partitions: [],
      restore: [],
    });
    const exporter = new PrometheusExporter(
      () => ({
        state: 'REBALANCING',
        threads: [
          { threadId: 'orders-app-1-StreamThread-1', state: 'RUNNING', metrics: one },
          { threadId: 'orders-app-1-StreamThread-2', state: 'REBALANCING', metrics: two },
        ],
      }),
      labels,
    );
    const lines = samples(await exporter.metrics());
    for (const expected of [
      `kafka_streams_process_total{${thread}} 10`,
      `kafka_streams_process_total{thread_id="orders-app-1-StreamThread-2",${base}} 30`,
      `kafka_streams_task_process_total{thread_id="orders-app-1-StreamThread-2",task_id="0_2",${base}} 30`,
      `kafka_streams_alive_stream_threads{${base}} 2`,
      `kafka_consumer_records_consumed_total{${base}} 43`,
      `tributary_commit_failures_total{${base}} 3`,
      `tributary_tasks{state="running",${base}} 2`,
      `kafka_streams_state{state="REBALANCING",${base}} 1`,
    ]) {
      expect(lines).toContain(expected);
    }
  });

  it('leaves no series of a task that moved away since the last scrape', async () => {
    let metrics = snapshot();
    const exporter = new PrometheusExporter(() => scrape(metrics), labels);
    expect(await exporter.metrics()).toContain('task_id="0_1"');
    metrics = snapshot({ tasks: [], restore: [], partitions: [] });
    await new Promise((resolve) => setImmediate(resolve));
    const text = await exporter.metrics();
    expect(text).not.toContain('task_id=');
    expect(text).not.toContain('topic="orders"');
    expect(samples(text)).toContain(`kafka_consumer_records_lag_max{${base}} 0`);
  });
});
