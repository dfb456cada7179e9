import type { StreamsMetrics } from '@tributary/core';
import { formatCount, formatDuration } from './format';

/** What the progress line shows, taken from an application's metrics. */
export interface ProgressSnapshot {
  /** Input records consumed so far. */
  consumed: number;
  /** Input records to consume in all. */
  total: number;
  /** Lag of the input topic, summed over its partitions (log-end - committed). */
  inputLag: number;
  /** Lag of every partition the application reads, repartition topics included. */
  totalLag: number;
  /** Records consumed per second over the last interval. */
  rate: number;
  elapsedMs: number;
}

/**
 * A progress bar for a run: on a terminal, one line redrawn in place; otherwise (a log,
 * a pipe, CI) a plain line every `plainEveryMs`, so the output stays readable.
 */
export class ProgressDisplay {
  private lastPlainAt = Number.NEGATIVE_INFINITY;
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly plainEveryMs = 2000,
    private readonly tty = Boolean(stream.isTTY),
  ) {}

  update(snapshot: ProgressSnapshot): void {
    if (this.tty) {
      this.stream.write(`\r${this.line(snapshot, barWidth(this.stream))}\x1b[K`);
      this.drawn = true;
    } else if (snapshot.elapsedMs - this.lastPlainAt >= this.plainEveryMs) {
      this.lastPlainAt = snapshot.elapsedMs;
      this.stream.write(`${this.line(snapshot, 0)}\n`);
    }
  }

  /** Draws the final state and ends the line. */
  finish(snapshot: ProgressSnapshot): void {
    if (this.tty) {
      this.stream.write(`\r${this.line(snapshot, barWidth(this.stream))}\x1b[K\n`);
    } else {
      this.stream.write(`${this.line(snapshot, 0)}\n`);
    }
    this.drawn = false;
  }

  /** A message on its own line, above the bar when one is drawn. */
  log(message: string): void {
    if (this.tty && this.drawn) this.stream.write('\r\x1b[K');
    this.stream.write(`${message}\n`);
    this.drawn = false;
  }

  private line(s: ProgressSnapshot, width: number): string {
    const fraction = s.total > 0 ? Math.min(1, s.consumed / s.total) : 1;
    const percent = `${(fraction * 100).toFixed(0).padStart(3)}%`;
    const counts = `${formatCount(s.consumed)}/${formatCount(s.total)} records`;
    const rate = `${formatCount(Math.round(s.rate))} rec/s`;
    const lag = `lag ${formatCount(s.inputLag)}${s.totalLag !== s.inputLag ? ` (all topics ${formatCount(s.totalLag)})` : ''}`;
    const text = `${percent} ${counts} | ${rate} | ${lag} | ${formatDuration(s.elapsedMs)}`;
    if (width <= 0) return `[progress] ${text}`;
    const filled = Math.round(fraction * width);
    return `[${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? (fraction >= 1 ? '=' : '>') : ''}${' '.repeat(width - filled)}] ${text}`;
  }
}

function barWidth(stream: NodeJS.WriteStream): number {
  const columns = stream.columns ?? 100;
  return Math.max(10, Math.min(30, columns - 90));
}

/**
 * Turns successive metrics of an application into progress snapshots: the input topics'
 * consumed records and lag, and the consumption rate (the seed's formula, records
 * consumed / elapsed time) over the last `windowMs`, so it follows the run as it goes.
 * `total` gives the records to consume in all; when it is not known beforehand (an
 * application on a live topic), pass `consumedPlusLag` for what has arrived so far.
 */
export class ProgressTracker {
  private readonly samples: { at: number; consumed: number }[] = [];
  private readonly inputTopics: ReadonlySet<string>;

  constructor(
    inputTopics: string | readonly string[],
    private readonly total: ((consumed: number, inputLag: number) => number) | 'consumedPlusLag',
    private readonly windowMs = 2000,
  ) {
    this.inputTopics = new Set(typeof inputTopics === 'string' ? [inputTopics] : inputTopics);
  }

  /** `final`: the rate over the whole run rather than the last window. */
  snapshot(metrics: StreamsMetrics, final = false): ProgressSnapshot {
    let consumed = 0;
    let inputLag = 0;
    for (const p of metrics.partitions) {
      if (!this.inputTopics.has(p.topic)) continue;
      consumed += p.consumed;
      inputLag += p.lag;
    }
    const at = metrics.elapsedMs;
    const samples = this.samples;
    samples.push({ at, consumed });
    while (samples.length > 2 && at - samples[1]!.at >= this.windowMs) samples.shift();
    const first = final || samples.length === 1 ? { at: 0, consumed: 0 } : samples[0]!;
    const span = at - first.at;
    const rate = span > 0 ? ((consumed - first.consumed) / span) * 1000 : 0;
    const total = this.total === 'consumedPlusLag' ? consumed + inputLag : this.total(consumed, inputLag);
    return { consumed, total, inputLag, totalLag: metrics.lag, rate, elapsedMs: at };
  }
}
