// The table `pnpm bench:compare` prints: one row per variant and engine, medians of the rounds.
import type { LatencyRun } from './latencyRun';
import type { ThroughputRun } from './throughputRun';
import type { Variant } from './topologies';

const LABELS: Record<ThroughputRun['engine'], string> = {
  tributary: 'Tributary',
  'kafka-streams': 'Kafka Streams, caching off',
  'kafka-streams-cached': 'Kafka Streams, caching on',
  'plain-kafkajs': 'plain KafkaJS loop',
  'perf-test': 'kafka-consumer-perf-test (read only)',
};

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-');
const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

/** One line per run, as it finishes. */
export function formatRun(run: ThroughputRun): string {
  return `  ${run.variant.padEnd(9)} ${LABELS[run.engine].padEnd(37)} ${fixed(run.seconds, 2).padStart(7)} s ${int(run.recordsPerSecond).padStart(9)} rec/s ${fixed(run.cpuSecondsPerMillion).padStart(6)} CPU-s/M ${int(run.peakRssMiB).padStart(5)} MiB  ${int(run.outputRecords).padStart(9)} out  (load ${run.load.toFixed(2)})`;
}

/** The markdown table of medians, with Tributary's ratio to Kafka Streams (caching off). */
export function formatTable(runs: readonly ThroughputRun[], latencies: readonly LatencyRun[], variants: readonly Variant[]): string {
  const lines = [
    '| variant | engine | records/s (median) | runs | CPU-s per 1M records | records per CPU-s | peak RSS | output records | p50 / p99 latency at 5,000 rec/s |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const variant of variants) {
    const engines = [...new Set(runs.filter((r) => r.variant === variant).map((r) => r.engine))];
    for (const engine of engines) {
      const mine = runs.filter((r) => r.variant === variant && r.engine === engine);
      const cpu = median(mine.map((r) => r.cpuSecondsPerMillion));
      const latency = latencies.find((l) => l.variant === variant && l.engine === engine);
      lines.push(
        `| ${variant} | ${LABELS[engine]} | ${int(median(mine.map((r) => r.recordsPerSecond)))} | ${mine.map((r) => int(r.recordsPerSecond)).join(', ')} | ${fixed(cpu)} | ${int(1_000_000 / cpu)} | ${int(median(mine.map((r) => r.peakRssMiB)))} MiB | ${engine === 'perf-test' ? '-' : int(median(mine.map((r) => r.outputRecords)))} | ${latency ? `${int(latency.p50Ms)} / ${int(latency.p99Ms)} ms` : '-'} |`,
      );
    }
  }
  const ratios: string[] = [];
  for (const variant of variants) {
    const of = (engine: ThroughputRun['engine']) => runs.filter((r) => r.variant === variant && r.engine === engine);
    const tributary = of('tributary');
    const peer = of('kafka-streams');
    if (tributary.length === 0 || peer.length === 0) continue;
    const rate = median(tributary.map((r) => r.recordsPerSecond)) / median(peer.map((r) => r.recordsPerSecond));
    const perCpu = median(peer.map((r) => r.cpuSecondsPerMillion)) / median(tributary.map((r) => r.cpuSecondsPerMillion));
    ratios.push(`- ${variant}: Tributary / Kafka Streams (caching off): ${rate.toFixed(2)}x records/s, ${perCpu.toFixed(2)}x records per CPU-second`);
  }
  return [...lines, '', ...ratios].join('\n');
}
