/**
 * How the state benchmarks measure and report: a phase's wall-clock and CPU time (user +
 * system of the whole process, GC and LMDB threads included), the machine's load average
 * when it ended, the largest V8 heap seen, and a table of medians with every run and its
 * load beside it. The machine is shared (2 cores): a figure without its load means little.
 */
import { loadavg } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { collectGarbage, median } from '../../../packages/core/bench/harness';

/** What one measured phase took. */
export interface Phase {
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  /** The 1-minute load average when the phase ended. */
  readonly load: number;
}

/** Runs `work` and measures it. */
export async function measure<T>(work: () => T | Promise<T>): Promise<{ result: T; phase: Phase }> {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const result = await work();
  const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  return { result, phase: { wallSeconds, cpuSeconds: (used.user + used.system) / 1e6, load: loadAverage() } };
}

export const loadAverage = (): number => loadavg()[0]!;

/** `phase` without the time spent in `excluded` (a heap watermark's collections, taken during the phase). */
export function without(phase: Phase, excluded: { wallSeconds: number; cpuSeconds: number }): Phase {
  return { ...phase, wallSeconds: phase.wallSeconds - excluded.wallSeconds, cpuSeconds: phase.cpuSeconds - excluded.cpuSeconds };
}

/** Records per second of wall-clock time. */
export const rate = (records: number, phase: Phase): number => records / phase.wallSeconds;

/** CPU seconds the process used per million records. */
export const cpuPerMillion = (records: number, phase: Phase): number => phase.cpuSeconds / (records / 1e6);

/**
 * The largest V8 heap in use seen while a benchmark runs, two ways. {@link sample}, called
 * often (every 1,000 operations here), reads `heapUsed` as it is: live objects plus garbage
 * V8 has not collected yet, which V8 lets grow to a multiple of the live heap before a full
 * collection. {@link sampleLive}, called rarely (every 1,000,000 operations), forces a full
 * collection first (`gc()`, with `--expose-gc`) and reads what is live: what the work needs.
 */
export class HeapWatermark {
  private peak = 0;
  private livePeak = 0;

  sample(): void {
    const used = getHeapStatistics().used_heap_size;
    if (used > this.peak) this.peak = used;
  }

  /** Wall-clock and CPU seconds spent in {@link sampleLive}'s collections, for phases to leave out. */
  readonly spent = { wallSeconds: 0, cpuSeconds: 0 };

  sampleLive(): void {
    this.sample();
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    collectGarbage();
    const used = getHeapStatistics().used_heap_size;
    if (used > this.livePeak) this.livePeak = used;
    this.spent.wallSeconds += Number(process.hrtime.bigint() - start) / 1e9;
    const collected = process.cpuUsage(cpu);
    this.spent.cpuSeconds += (collected.user + collected.system) / 1e6;
  }

  /** The largest `heapUsed` sampled. */
  get peakBytes(): number {
    this.sample();
    return this.peak;
  }

  /** The largest heap left after a full collection. */
  get livePeakBytes(): number {
    this.sampleLive();
    return this.livePeak;
  }
}

/** One row of the summary: a figure's runs, in order, and the load each ended at. */
export interface Figure {
  readonly benchmark: string;
  readonly variant: string;
  readonly unit: 'records/s' | 'CPU-s/M' | 'MiB' | 's' | 'records' | '%';
  readonly runs: readonly number[];
  readonly loads: readonly number[];
  readonly target?: { readonly better: 'higher' | 'lower'; readonly value: number };
}

/** The summary as a Markdown table: median, target, every run, and the load average of every run. */
export function figureTable(figures: readonly Figure[]): string {
  const rows = figures.map((f) => {
    const value = median(f.runs);
    const met = f.target && (f.target.better === 'higher' ? value >= f.target.value : value <= f.target.value);
    return [
      f.benchmark,
      f.variant,
      `${format(value, f.unit)} ${f.unit}`,
      f.target ? `${f.target.better === 'higher' ? '>=' : '<='} ${format(f.target.value, f.unit)}: ${met ? 'met' : 'MISSED'}` : '',
      f.runs.map((v) => format(v, f.unit)).join(', '),
      f.loads.map((l) => l.toFixed(1)).join(', '),
    ];
  });
  const header = ['benchmark', 'variant', 'median', 'target', 'runs', 'load average (1 min) per run'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

function format(value: number, unit: Figure['unit']): string {
  if (unit === 'CPU-s/M' || unit === 's') return value.toFixed(2);
  if (unit === 'MiB' || unit === '%') return value.toFixed(1);
  return Math.round(value).toLocaleString('en-US');
}

export const mebibytes = (bytes: number): number => bytes / 1024 / 1024;
