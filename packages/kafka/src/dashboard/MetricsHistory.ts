import type { PartitionMetrics, StreamsMetrics } from '@tributary/core';
import { RingBuffer } from './RingBuffer';

/** One input partition at one sample. */
export interface PartitionSample {
  readonly topic: string;
  readonly partition: number;
  /** Records consumed per second since the previous sample (the seed's consumption rate, per partition). */
  readonly rate: number;
  /** `logEndOffset - committedOffset` (the seed's lag). */
  readonly lag: number;
  readonly consumed: number;
  readonly committedOffset: number | null;
  readonly logEndOffset: number;
  /** From the fetch position, where the runtime knows it (Kafka's `records-lag`); `null` otherwise. */
  readonly recordsLag: number | null;
}

/** The application at one moment. */
export interface MetricsSample {
  /** Milliseconds since the epoch. */
  readonly t: number;
  /** Records consumed per second since the previous sample, over every partition. */
  readonly rate: number;
  readonly lag: number;
  readonly consumed: number;
  readonly processed: number;
  readonly dropped: number;
  readonly partitions: readonly PartitionSample[];
}

/** A partition's curve: `[t, rate, lag]` points, oldest first, and its latest figures. */
export interface PartitionSeries {
  readonly topic: string;
  readonly partition: number;
  readonly points: readonly (readonly [t: number, rate: number, lag: number])[];
  readonly latest: PartitionSample;
}

export interface HistoryView {
  readonly intervalMs: number;
  readonly windowMs: number;
  /** Every sample's totals: `[t, rate, lag]`. */
  readonly totals: readonly (readonly [t: number, rate: number, lag: number])[];
  /** Partitions seen in the window, by topic then partition (a revoked one stays until its points age out). */
  readonly partitions: readonly PartitionSeries[];
}

export interface MetricsHistoryOptions {
  /** How often a sample is taken. Defaults to `1000`. */
  readonly intervalMs?: number;
  /** How much history is kept. Defaults to `300000` (5 minutes), so a page opened late still draws a curve. */
  readonly windowMs?: number;
}

/**
 * Samples an application's metrics on a timer and keeps the last few minutes in a
 * {@link RingBuffer}: per partition the consumption rate (from the consumed count's growth
 * between samples, so it follows the present rather than the average since the start) and
 * the lag. The dashboard draws its curves from here, so they begin before the page opens.
 */
export class MetricsHistory {
  readonly intervalMs: number;
  readonly windowMs: number;
  private readonly samples: RingBuffer<MetricsSample>;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly metrics: () => StreamsMetrics,
    options: MetricsHistoryOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 1_000;
    this.windowMs = options.windowMs ?? 300_000;
    if (!(this.intervalMs > 0)) throw new RangeError(`intervalMs must be a positive number of milliseconds, got ${String(options.intervalMs)}`);
    if (!(this.windowMs >= this.intervalMs)) throw new RangeError(`windowMs must be at least intervalMs (${this.intervalMs}), got ${String(options.windowMs)}`);
    this.samples = new RingBuffer(Math.ceil(this.windowMs / this.intervalMs));
  }

  /** Takes a sample now and every `intervalMs` until {@link stop}; the timer does not keep the process alive. */
  start(): void {
    if (this.timer) return;
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Reads the metrics and records them; a failing read is skipped (the next one may work). */
  sample(now = Date.now()): MetricsSample | undefined {
    let metrics: StreamsMetrics;
    try {
      metrics = this.metrics();
    } catch {
      return undefined;
    }
    const previous = this.samples.last();
    const seconds = previous ? Math.max(1, now - previous.t) / 1000 : 0;
    const before = new Map(previous?.partitions.map((p) => [key(p), p]));
    const rate = (consumed: number, was: number | undefined) =>
      // A partition new to this instance (or whose task was created again) starts its own count.
      was === undefined || seconds === 0 || consumed < was ? 0 : (consumed - was) / seconds;
    const partitions = metrics.partitions.map((p): PartitionSample => ({
      topic: p.topic,
      partition: p.partition,
      rate: rate(p.consumed, before.get(key(p))?.consumed),
      lag: p.lag,
      consumed: p.consumed,
      committedOffset: p.committedOffset,
      logEndOffset: p.logEndOffset,
      recordsLag: recordsLag(p),
    }));
    const sample: MetricsSample = {
      t: now,
      rate: rate(metrics.consumed, previous?.consumed),
      lag: metrics.lag,
      consumed: metrics.consumed,
      processed: metrics.processed,
      dropped: metrics.droppedRecords,
      partitions,
    };
    this.samples.push(sample);
    return sample;
  }

  /** The newest sample; `undefined` before the first. */
  latest(): MetricsSample | undefined {
    return this.samples.last();
  }

  view(): HistoryView {
    const samples = this.samples.toArray();
    const series = new Map<string, { topic: string; partition: number; points: [number, number, number][]; latest: PartitionSample }>();
    for (const sample of samples) {
      for (const p of sample.partitions) {
        const entry = series.get(key(p)) ?? { topic: p.topic, partition: p.partition, points: [], latest: p };
        entry.points.push([sample.t, round(p.rate), p.lag]);
        entry.latest = p;
        series.set(key(p), entry);
      }
    }
    const partitions = [...series.values()].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
    return {
      intervalMs: this.intervalMs,
      windowMs: this.windowMs,
      totals: samples.map((s) => [s.t, round(s.rate), s.lag] as const),
      partitions,
    };
  }
}

function key(p: { topic: string; partition: number }): string {
  return `${p.topic}\u0000${p.partition}`;
}

function recordsLag(p: PartitionMetrics): number | null {
  const value = (p as PartitionMetrics & { recordsLag?: number | null }).recordsLag;
  return typeof value === 'number' ? value : null;
}

/** Two decimals: enough for a chart, and a smaller answer. */
function round(n: number): number {
  return Math.round(n * 100) / 100;
}
