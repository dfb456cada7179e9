/**
 * The little the benchmarks share: timing several runs, taking medians, forcing GC and
 * sampling the heap. A benchmark is never a timed test: run it with `pnpm bench`.
 */
import { cpus } from 'node:os';

/** One figure of one benchmark, as the summary table prints it. */
export interface BenchResult {
  readonly benchmark: string;
  readonly variant: string;
  /** The median of the runs. */
  readonly value: number;
  readonly unit: string;
  /** Every run, in order. */
  readonly runs: readonly number[];
  /** For rates: the same runs measured by the wall clock (the figures above use CPU time). */
  readonly wallRuns?: readonly number[];
  /** Higher is better (records/s) or lower is better (bytes). */
  readonly better: 'higher' | 'lower';
  readonly target?: number;
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** Collects garbage when node runs with --expose-gc (the `pnpm bench` script does). */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

export const hasGc = (): boolean => typeof (globalThis as { gc?: unknown }).gc === 'function';

/**
 * Runs `run` (which processes `records` records and returns when done) `runs` times after
 * `warmups` unmeasured runs, and returns the records per second of each measured run: per
 * second of CPU time used by the process (user + system, GC threads included), which is what
 * one core sustains and what other load on a shared machine disturbs least, and per second of
 * wall-clock time.
 */
export async function recordsPerSecond(
  records: number,
  run: () => void | Promise<void>,
  options: { runs: number; warmups: number },
): Promise<{ cpu: number[]; wall: number[] }> {
  for (let i = 0; i < options.warmups; i++) {
    await run();
    collectGarbage();
  }
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    collectGarbage();
    const startCpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    await run();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const used = process.cpuUsage(startCpu);
    cpu.push(records / ((used.user + used.system) / 1e6));
    wall.push(records / seconds);
  }
  return { cpu, wall };
}

/** Tracks the largest `heapUsed` seen; call `sample()` from inside the work. */
export class HeapPeak {
  private readonly baseline: number;
  private peak = 0;

  constructor() {
    collectGarbage();
    this.baseline = process.memoryUsage().heapUsed;
    this.peak = this.baseline;
  }

  sample(): void {
    const used = process.memoryUsage().heapUsed;
    if (used > this.peak) this.peak = used;
  }

  /** Peak heap above the baseline taken at construction, in bytes. */
  get growth(): number {
    this.sample();
    return this.peak - this.baseline;
  }

  /** Heap still used after a full GC, above the baseline: what the work retains. */
  retained(): number {
    collectGarbage();
    return process.memoryUsage().heapUsed - this.baseline;
  }
}

export function machineNote(): string {
  const cpu = cpus();
  return `${cpu[0]?.model ?? 'unknown CPU'} (${cpu.length} logical cores visible), Node ${process.version}, ${process.platform}/${process.arch}`;
}

const formatNumber = (value: number, unit: string) => {
  if (unit === 'bytes') return `${(value / 1024 / 1024).toFixed(1)} MiB`;
  if (unit === 'bytes/key') return `${value.toFixed(0)} B/key`;
  return `${Math.round(value).toLocaleString('en-US')} ${unit}`;
};

/** The summary: one row per figure, medians with every run beside them. */
export function table(results: readonly BenchResult[]): string {
  const rows = results.map((r) => [
    r.benchmark,
    r.variant,
    formatNumber(r.value, r.unit),
    r.wallRuns ? formatNumber(median(r.wallRuns), r.unit) : '',
    r.target === undefined ? '' : `${r.better === 'higher' ? '>=' : '<='} ${formatNumber(r.target, r.unit)} ${(r.better === 'higher' ? r.value >= r.target : r.value <= r.target) ? 'met' : 'MISSED'}`,
    r.runs.map((v) => formatNumber(v, r.unit).split(' ')[0]).join(', '),
  ]);
  const header = ['benchmark', 'variant', 'median (CPU time)', 'median (wall clock)', 'target', 'runs (CPU time)'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
