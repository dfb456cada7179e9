import type { StreamsState } from '@tributary/core';
import type { KafkaStreamsMetrics } from './StreamsMetricsRecorder';

/** What one scrape reads: the application's state and a metrics snapshot of each of its stream threads. */
export interface MetricsScrape {
  readonly state: StreamsState;
  readonly threads: readonly ThreadScrape[];
}

/** One stream thread's part of a scrape. */
export interface ThreadScrape {
  /**
   * Kafka Streams' `thread-id` label, `<clientId>-StreamThread-<n>`. A `KafkaStreams`
   * processes on one loop, which it reports as its only stream thread, `-StreamThread-1`;
   * `StreamThreads` runs one per worker thread.
   */
  readonly threadId: string;
  readonly state: StreamsState;
  readonly metrics: KafkaStreamsMetrics;
}

export interface MetricSample {
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
}

/**
 * One Prometheus metric and how a scrape computes it. Every metric also carries the labels
 * `application_id` and `client_id`.
 */
export interface PrometheusMetric {
  readonly name: string;
  readonly type: 'gauge' | 'counter';
  readonly help: string;
  readonly labels: readonly string[];
  /** The Kafka metric it carries (`group` `name`); `undefined` for Tributary's own. */
  readonly kafka: string | undefined;
  samples(scrape: MetricsScrape): readonly MetricSample[];
}

const STATES: readonly StreamsState[] = ['CREATED', 'REBALANCING', 'RUNNING', 'PENDING_SHUTDOWN', 'NOT_RUNNING', 'ERROR'];

type Define = Omit<PrometheusMetric, 'kafka' | 'labels'> & { kafka?: string; labels?: readonly string[] };

const define = (metric: Define): PrometheusMetric => ({ kafka: undefined, labels: [], ...metric });
/** A metric of the instance's stream thread (Kafka's `stream-thread-metrics`). */
const thread = (name: string, type: PrometheusMetric['type'], help: string, kafka: string, value: (m: KafkaStreamsMetrics) => number): PrometheusMetric =>
  define({ name, type, help, kafka: `stream-thread-metrics ${kafka}`, labels: ['thread_id'], samples: (s) => s.threads.map((t) => ({ labels: { thread_id: t.threadId }, value: value(t.metrics) })) });
/** A metric per task (Kafka's `stream-task-metrics`). */
const task = (name: string, type: PrometheusMetric['type'], help: string, kafka: string, value: (t: KafkaStreamsMetrics['tasks'][number], m: KafkaStreamsMetrics) => number): PrometheusMetric =>
  define({
    name,
    type,
    help,
    kafka: `stream-task-metrics ${kafka}`,
    labels: ['thread_id', 'task_id'],
    samples: (s) => s.threads.flatMap(({ threadId, metrics }) => metrics.tasks.map((t) => ({ labels: { thread_id: threadId, task_id: t.id }, value: value(t, metrics) }))),
  });
/** A metric per input partition. */
const partition = (name: string, help: string, kafka: string | undefined, value: (p: KafkaStreamsMetrics['partitions'][number]) => number | null): PrometheusMetric =>
  define({
    name,
    type: 'gauge',
    help,
    ...(kafka ? { kafka } : {}),
    labels: ['topic', 'partition'],
    samples: (s) =>
      s.threads.flatMap((t) => t.metrics.partitions).flatMap((p) => {
        const v = value(p);
        return v === null ? [] : [{ labels: { topic: p.topic, partition: p.partition }, value: v }];
      }),
  });

/** A client-level figure: the sum over the stream threads. */
const sum = (s: MetricsScrape, value: (m: KafkaStreamsMetrics) => number): number => s.threads.reduce((n, t) => n + value(t.metrics), 0);

const restoredOf = (m: KafkaStreamsMetrics, taskId: string) => m.restore.filter((r) => r.taskId === taskId);

/**
 * The metrics `GET /metrics` exports: Kafka Streams' metric names and levels, mapped to
 * Prometheus names (`kafka_streams_` + the Kafka name with `_` for `-`; task-level metrics
 * that have a thread-level namesake get `task_`; the consumer's fetch metrics
 * `kafka_consumer_`), plus Tributary's own (`tributary_`): the seed's consumption rate and
 * lag per partition. Rates are per second since the start (Kafka's are windowed): for a
 * recent rate, use `rate()` over the matching `_total` counter.
 */
export const PROMETHEUS_METRICS: readonly PrometheusMetric[] = [
  // Client level.
  define({
    name: 'kafka_streams_state',
    type: 'gauge',
    help: 'The application state: 1 for the current state, 0 for the others.',
    kafka: 'stream-metrics state',
    labels: ['state'],
    samples: (s) => STATES.map((state) => ({ labels: { state }, value: state === s.state ? 1 : 0 })),
  }),
  define({
    name: 'kafka_streams_alive_stream_threads',
    type: 'gauge',
    help: 'Stream threads REBALANCING or RUNNING (a KafkaStreams has one; StreamThreads numStreamThreads).',
    kafka: 'stream-metrics alive-stream-threads',
    samples: (s) => [{ labels: {}, value: s.threads.filter((t) => t.state === 'RUNNING' || t.state === 'REBALANCING').length }],
  }),

  // Thread level.
  thread('kafka_streams_process_total', 'counter', 'Records processed.', 'process-total', (m) => m.processed),
  thread('kafka_streams_process_rate', 'gauge', 'Records processed per second since the start.', 'process-rate', (m) => m.processRate),
  thread('kafka_streams_process_latency_avg', 'gauge', 'Average time to process one record synchronously, ms.', 'process-latency-avg', (m) => m.processLatencyMs.avg),
  thread('kafka_streams_process_latency_max', 'gauge', 'Longest time to process one record synchronously, ms.', 'process-latency-max', (m) => m.processLatencyMs.max),
  thread('kafka_streams_commit_total', 'counter', 'Commits completed.', 'commit-total', (m) => m.commits),
  thread('kafka_streams_commit_rate', 'gauge', 'Commits per second since the start.', 'commit-rate', (m) => m.commitRate),
  thread('kafka_streams_commit_latency_avg', 'gauge', 'Average commit duration (flush, then offset commit), ms.', 'commit-latency-avg', (m) => m.commitLatencyMs),
  thread('kafka_streams_commit_latency_max', 'gauge', 'Longest commit duration, ms.', 'commit-latency-max', (m) => m.commitLatencyMaxMs),
  thread('kafka_streams_punctuate_total', 'counter', 'Punctuator calls.', 'punctuate-total', (m) => m.punctuations),
  thread('kafka_streams_task_created_total', 'counter', 'Tasks created (a revived task counts again).', 'task-created-total', (m) => m.tasksCreated),
  thread('kafka_streams_task_closed_total', 'counter', 'Tasks closed.', 'task-closed-total', (m) => m.tasksClosed),
  thread('kafka_streams_thread_start_time', 'gauge', 'When processing began, ms since the epoch.', 'thread-start-time', (m) => m.startedAt),
  thread('kafka_streams_record_e2e_latency_avg', 'gauge', 'Average of processing time minus record timestamp, ms (Kafka Streams reports it per source and terminal node).', 'record-e2e-latency-avg', (m) => m.endToEndLatencyMs.avg),
  thread('kafka_streams_record_e2e_latency_max', 'gauge', 'Largest processing time minus record timestamp, ms.', 'record-e2e-latency-max', (m) => m.endToEndLatencyMs.max),
  define({
    name: 'kafka_streams_dropped_records_total',
    type: 'counter',
    help: 'Records dropped on purpose or skipped by an error handler, by reason (late, null-key, deserialization-error, ...); Kafka Streams counts them per task, without a reason.',
    kafka: 'stream-task-metrics dropped-records-total',
    labels: ['thread_id', 'reason'],
    samples: (s) => s.threads.flatMap((t) => Object.entries(t.metrics.droppedByReason).map(([reason, value]) => ({ labels: { thread_id: t.threadId, reason }, value }))),
  }),
  define({
    name: 'kafka_streams_active_restoring_tasks',
    type: 'gauge',
    help: 'Tasks restoring their stores from changelogs.',
    kafka: 'stream-state-updater-metrics active-restoring-tasks (KIP-869)',
    labels: ['thread_id'],
    samples: (s) => s.threads.map((t) => ({ labels: { thread_id: t.threadId }, value: t.metrics.tasks.filter((task) => task.state === 'restoring').length })),
  }),

  // Task level.
  task('kafka_streams_task_process_total', 'counter', 'Records processed by the task.', 'process-total', (t) => t.processed),
  task('kafka_streams_task_process_rate', 'gauge', 'Records processed per second since the task was created.', 'process-rate', (t) => t.processRate),
  task('kafka_streams_task_dropped_records_total', 'counter', 'Records the task dropped.', 'dropped-records-total', (t) => t.droppedRecords),
  task('kafka_streams_task_active_buffer_count', 'gauge', 'Fetched records waiting to be processed.', 'active-buffer-count', (t) => t.buffered),
  task('kafka_streams_restore_total', 'counter', 'Changelog records restored into the task\'s stores (counted in offsets).', 'restore-total (KIP-869)', (t, m) =>
    restoredOf(m, t.id).reduce((n, r) => n + r.restored, 0),
  ),
  task('kafka_streams_restore_remaining_records_total', 'gauge', 'Changelog records still to restore into the task\'s stores.', 'restore-remaining-records-total (KIP-869)', (t, m) =>
    restoredOf(m, t.id).reduce((n, r) => n + (r.total - r.restored), 0),
  ),
  task('kafka_streams_restore_rate', 'gauge', 'Changelog records restored per second into the task\'s stores still restoring.', 'restore-rate (KIP-869)', (t, m) =>
    restoredOf(m, t.id).reduce((n, r) => n + (r.done ? 0 : r.ratePerSecond), 0),
  ),
  task('kafka_streams_restore_remaining_seconds', 'gauge', 'Estimated seconds until the task\'s stores are restored, at the rate so far (0 when done or not known yet).', 'none (Tributary)', (t, m) =>
    restoredOf(m, t.id).reduce((n, r) => Math.max(n, (r.remainingMs ?? 0) / 1000), 0),
  ),

  // The consumer's fetch metrics.
  partition('kafka_consumer_records_lag', 'Log-end offset minus the next offset to fetch.', 'consumer-fetch-manager-metrics records-lag', (p) => p.recordsLag),
  define({
    name: 'kafka_consumer_records_lag_max',
    type: 'gauge',
    help: 'The largest records lag over the partitions this instance reads now.',
    kafka: 'consumer-fetch-manager-metrics records-lag-max',
    samples: (s) => [{ labels: {}, value: s.threads.flatMap((t) => t.metrics.partitions).reduce((max, p) => Math.max(max, p.recordsLag ?? 0), 0) }],
  }),
  define({
    name: 'kafka_consumer_records_consumed_total',
    type: 'counter',
    help: 'Records fetched from the input partitions.',
    kafka: 'consumer-fetch-manager-metrics records-consumed-total',
    samples: (s) => [{ labels: {}, value: sum(s, (m) => m.consumed) }],
  }),

  // Tributary's own.
  define({
    name: 'tributary_consumption_rate',
    type: 'gauge',
    help: 'Records consumed per second since the start (the seed\'s consumption rate).',
    samples: (s) => [{ labels: {}, value: sum(s, (m) => m.consumptionRate) }],
  }),
  partition('tributary_consumer_lag', 'Log-end offset minus the committed offset, as kafka-consumer-groups --describe shows it (the seed\'s lag).', undefined, (p) => p.lag),
  partition('tributary_consumer_committed_offset', 'The offset the group committed last (-1 before the first commit).', undefined, (p) => p.committedOffset ?? -1),
  partition('tributary_consumer_log_end_offset', 'The partition\'s log-end offset as of the last fetch or offset lookup.', undefined, (p) => p.logEndOffset),
  define({
    name: 'tributary_tasks',
    type: 'gauge',
    help: 'Tasks this instance runs, by state (restoring or running).',
    labels: ['state'],
    samples: (s) => (['running', 'restoring'] as const).map((state) => ({ labels: { state }, value: sum(s, (m) => m.tasks.filter((t) => t.state === state).length) })),
  }),
  define({
    name: 'tributary_standby_tasks',
    type: 'gauge',
    help: 'Standby copies of other instances\' tasks this instance keeps (numStandbyReplicas).',
    samples: (s) => [{ labels: {}, value: sum(s, (m) => m.standbyTasks.length) }],
  }),
  define({
    name: 'tributary_commit_failures_total',
    type: 'counter',
    help: 'Commits that failed (retried at the next one).',
    samples: (s) => [{ labels: {}, value: sum(s, (m) => m.failedCommits) }],
  }),
];
