import type { PartitionMetrics, StreamsMetrics } from '@tributary/core';
import { FRAUD_REASONS, REJECTION_REASONS, type CustomerInteraction, type FraudAlert, type FraudReason, type RejectionReason } from '../data';
import type { Example } from '../pipelines/examples';
import type { Recommendation } from '../pipelines/recommendations';
import { SEGMENTS, type Segment, type SegmentChange } from '../pipelines/segments';
import { CUSTOMER_SEGMENTS_TOPIC, FRAUD_ALERTS_TOPIC, RECOMMENDATIONS_TOPIC } from '../pipelines/topics';
import { formatCount, formatDuration, formatPounds, formatTime, table } from '@tributary/cli';
import type { TopicWrites } from './recordsWritten';

/** What was read from the data set. */
export interface DataReport {
  rowsRead: number;
  interactions: number;
  purchases: number;
  cancellations: number;
  rejected: Record<RejectionReason, number>;
  /** Stock code -> description, for readable samples. */
  descriptions: ReadonlyMap<string, string>;
}

/** Everything a run produced, for the summary. */
export interface RunReport {
  example: Example;
  engine:
    | { kind: 'embedded'; partitions: number }
    | { kind: 'kafka'; brokers: readonly string[]; /** The Kafka client the application ran on. */ client: string; /** Stream threads (1: one KafkaStreams). */ streamThreads?: number };
  applicationId: string;
  data: DataReport;
  /** The application's metrics when it had caught up. */
  metrics: StreamsMetrics;
  /** From the first record produced to caught up. */
  processingMs: number;
  /** The whole command, reading the data included. */
  totalMs: number;
  /** Records of each output topic, in the order they were written. */
  outputs: ReadonlyMap<string, readonly unknown[]>;
  inputTopic: string;
  /** On Kafka: the records the application wrote to each output and internal topic. */
  written?: readonly TopicWrites[];
  /** The same example over the same rows on the embedded engine, for comparison (`--compare-embedded`). */
  embeddedRun?: { readonly totalMs: number; readonly processingMs: number };
}

/** Summarizes the data set as read: kept rows and rejections by reason. */
export function dataReport(interactions: readonly CustomerInteraction[], rowsRead: number, rejected: Record<RejectionReason, number>): DataReport {
  const descriptions = new Map<string, string>();
  let purchases = 0;
  for (const i of interactions) {
    if (i.type === 'purchase') purchases++;
    if (!descriptions.has(i.stockCode) && i.description) descriptions.set(i.stockCode, i.description);
  }
  return { rowsRead, interactions: interactions.length, purchases, cancellations: interactions.length - purchases, rejected, descriptions };
}

/** The end-of-run summary as text. */
export function formatSummary(report: RunReport): string {
  const lines: string[] = [];
  const { data, metrics } = report;
  const threads = report.engine.kind === 'kafka' && (report.engine.streamThreads ?? 1) > 1 ? `, ${report.engine.streamThreads} stream threads` : '';
  const engine =
    report.engine.kind === 'embedded'
      ? `embedded engine, ${report.engine.partitions} partitions`
      : `Kafka at ${report.engine.brokers.join(',')} on ${report.engine.client === 'platformatic' ? '@platformatic/kafka' : 'KafkaJS'}${threads}`;
  lines.push('', `== ${report.example.name}: summary (${engine}, application id ${report.applicationId}) ==`, '');

  const rejectedTotal = REJECTION_REASONS.reduce((n, r) => n + data.rejected[r], 0);
  lines.push('Data (Online Retail, UCI, CC BY 4.0)');
  lines.push(
    table([
      ['rows read', formatCount(data.rowsRead)],
      ['interactions', formatCount(data.interactions), `${formatCount(data.purchases)} purchases, ${formatCount(data.cancellations)} cancellations`],
      ['rejected', formatCount(rejectedTotal)],
      ...REJECTION_REASONS.map((reason) => [`  ${reason}`, formatCount(data.rejected[reason])]),
    ]),
  );

  const input = metrics.partitions.filter((p) => p.topic === report.inputTopic);
  // The committed offsets: a partition's `consumed` counts only since its task last moved
  // (stream threads, or instances, hand tasks over), while the run ends with every record committed.
  const inputConsumed = input.reduce((n, p) => n + (p.committedOffset ?? p.consumed), 0);
  const seconds = report.processingMs / 1000;
  lines.push('', `Processing (${report.inputTopic})`);
  lines.push(
    table([
      ['records consumed', formatCount(inputConsumed), `in ${formatDuration(report.processingMs)}`],
      ['consumption rate', `${formatCount(seconds > 0 ? inputConsumed / seconds : 0)}/s`, 'records consumed / elapsed time'],
      ['all partitions', `${formatCount(metrics.consumed)}`, `records consumed incl. repartition topics, ${formatCount(metrics.consumptionRate)}/s`],
      ['commits', formatCount(metrics.commits)],
      ['dropped records', formatCount(metrics.droppedRecords), Object.entries(metrics.droppedByReason).map(([r, n]) => `${r} ${formatCount(n)}`).join(', ')],
    ]),
  );
  lines.push('  lag per partition (log-end offset - committed offset):');
  lines.push(
    table(
      [['topic', 'partition', 'committed', 'log-end', 'lag'], ...byTopic(metrics.partitions, report.inputTopic).map((p) => [p.topic, String(p.partition), p.committedOffset === null ? '-' : formatCount(p.committedOffset), formatCount(p.logEndOffset), formatCount(p.lag)])],
      '    ',
    ),
  );

  if (report.written) lines.push('', ...writtenSummary(report.written, data.interactions));

  const segments = report.outputs.get(CUSTOMER_SEGMENTS_TOPIC) as SegmentChange[] | undefined;
  if (segments) lines.push('', ...segmentSummary(segments));
  const recommendations = report.outputs.get(RECOMMENDATIONS_TOPIC) as Recommendation[] | undefined;
  if (recommendations) lines.push('', ...recommendationSummary(recommendations, data.descriptions));
  const alerts = report.outputs.get(FRAUD_ALERTS_TOPIC) as FraudAlert[] | undefined;
  if (alerts) lines.push('', ...alertSummary(alerts));

  lines.push('', `Done in ${formatDuration(report.totalMs)} (processing ${formatDuration(report.processingMs)}).`);
  if (report.embeddedRun) lines.push(...comparisonSummary(report, report.embeddedRun));
  return lines.join('\n');
}

/**
 * Records the application wrote to Kafka, per topic and per input record: what the run costs
 * the broker and the client, beyond reading the input once.
 */
function writtenSummary(written: readonly TopicWrites[], inputRecords: number): string[] {
  const total = written.reduce((n, w) => n + w.records, 0);
  const perInput = (n: number) => (inputRecords > 0 ? (n / inputRecords).toFixed(2) : '-');
  return [
    `Written to Kafka: ${formatCount(total)} records, ${perInput(total)} per input record (log-end offsets of the output and internal topics)`,
    table([['topic', 'kind', 'records', 'per input'], ...written.map((w) => [w.topic, w.kind, formatCount(w.records), perInput(w.records)])], '    '),
  ];
}

function comparisonSummary(report: RunReport, embedded: { readonly totalMs: number; readonly processingMs: number }): string[] {
  const ratio = (kafka: number, local: number) => (local > 0 ? `${(kafka / local).toFixed(2)}x` : '-');
  return [
    '',
    'Kafka vs the embedded engine (the same rows, run after the Kafka run in the same process)',
    table([
      ['', 'Kafka', 'embedded', 'ratio'],
      ['whole run', formatDuration(report.totalMs), formatDuration(embedded.totalMs), ratio(report.totalMs, embedded.totalMs)],
      ['processing', formatDuration(report.processingMs), formatDuration(embedded.processingMs), ratio(report.processingMs, embedded.processingMs)],
    ]),
  ];
}

/** The input topic's partitions first, then each other topic's, in partition order. */
function byTopic(partitions: readonly PartitionMetrics[], inputTopic: string): PartitionMetrics[] {
  const rank = (p: PartitionMetrics) => (p.topic === inputTopic ? '' : p.topic);
  return [...partitions].sort((a, b) => (rank(a) === rank(b) ? a.partition - b.partition : rank(a) < rank(b) ? -1 : 1));
}

function segmentSummary(changes: readonly SegmentChange[]): string[] {
  const latest = new Map<string, SegmentChange>();
  let asOf = 0;
  for (const change of changes) {
    latest.set(change.customerId, change);
    asOf = Math.max(asOf, change.timestamp);
  }
  const counts = new Map<Segment, { customers: number; spend: number }>(SEGMENTS.map((s) => [s, { customers: 0, spend: 0 }]));
  for (const change of latest.values()) {
    const c = counts.get(change.segment)!;
    c.customers++;
    c.spend += change.monetary;
  }
  return [
    `Segments (${CUSTOMER_SEGMENTS_TOPIC}: ${formatCount(changes.length)} segment changes; customers by latest segment${asOf ? `, as of ${formatTime(asOf)}` : ''})`,
    table([
      ['segment', 'customers', 'net spend'],
      ...SEGMENTS.map((s) => [s, formatCount(counts.get(s)!.customers), formatPounds(counts.get(s)!.spend)]),
      ['total', formatCount(latest.size), ''],
    ]),
  ];
}

function recommendationSummary(recommendations: readonly Recommendation[], descriptions: ReadonlyMap<string, string>): string[] {
  const name = (code: string) => `${descriptions.get(code) ?? code} (${code})`;
  const lines = [`Recommendations (${RECOMMENDATIONS_TOPIC}: ${formatCount(recommendations.length)} records, one per purchase with something to recommend)`];
  // Samples: the latest recommendations with at least three products, of three customers.
  const samples: Recommendation[] = [];
  const seen = new Set<string>();
  const latestFirst = [...recommendations].sort((a, b) => b.timestamp - a.timestamp);
  for (const r of latestFirst) {
    if (samples.length === 3) break;
    if (r.recommendations.length < 3 || seen.has(r.customerId)) continue;
    seen.add(r.customerId);
    samples.push(r);
  }
  for (const last of samples) {
    lines.push(`  customer ${last.customerId} bought ${name(last.stockCode)} on ${formatTime(last.timestamp)}; also bought with it:`);
    for (const rec of last.recommendations) lines.push(`    - ${name(rec.stockCode)}: ${formatCount(rec.coPurchases)} invoices`);
  }
  return lines;
}

function alertSummary(alerts: readonly FraudAlert[]): string[] {
  const byReason = new Map<FraudReason, number>(FRAUD_REASONS.map((r) => [r, 0]));
  const customers = new Set<string>();
  for (const alert of alerts) {
    customers.add(alert.customerId);
    for (const reason of alert.reasons) byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
  }
  const lines = [
    `Fraud alerts (${FRAUD_ALERTS_TOPIC}: ${formatCount(alerts.length)} alerts for ${formatCount(customers.size)} customers)`,
    table([['reason', 'alerts'], ...FRAUD_REASONS.map((r) => [r, formatCount(byReason.get(r)!)])]),
  ];
  const firstOf = FRAUD_REASONS.map((reason) => alerts.find((a) => a.reasons.includes(reason))).filter((a): a is FraudAlert => a !== undefined);
  if (firstOf.length > 0) lines.push('  first alert of each reason:');
  for (const alert of firstOf) {
    lines.push(`    ${formatTime(alert.timestamp)} customer ${alert.customerId} ${alert.reasons.join('+')} ${JSON.stringify(alert.details ?? {})}`);
  }
  return lines;
}
