// The table `pnpm bench:compare` prints: one row per variant and engine, medians of the rounds,
// then each Tributary client against Kafka Streams and the two clients against each other; for
// `crm`, also the output records per topic of each engine (the faithfulness check of the twin).
import type { LatencyRun } from './latencyRun';
import type { ThroughputRun } from './throughputRun';
import type { Variant } from './topologies';

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-');
const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

/** `crm`'s outputs per topic: `segments 16,191, recommendations 383,500, fraud alerts 545`. */
const crmOutputs = (o: NonNullable<ThroughputRun['outputsByTopic']>) => `segments ${int(o.segments)}, recommendations ${int(o.recommendations)}, fraud alerts ${int(o.fraudAlerts)}`;

/** One line per run, as it finishes. */
export function formatRun(run: ThroughputRun): string {
  const perTopic = run.outputsByTopic ? ` (${crmOutputs(run.outputsByTopic)})` : '';
  return `  ${run.variant.padEnd(12)} ${run.label.padEnd(37)} ${fixed(run.seconds, 2).padStart(7)} s ${int(run.recordsPerSecond).padStart(9)} rec/s ${fixed(run.cpuSecondsPerMillion).padStart(6)} CPU-s/M ${int(run.peakRssMiB).padStart(5)} MiB  ${int(run.outputRecords).padStart(9)} out${perTopic}  (load ${run.load.toFixed(2)})`;
}

/** The markdown table of medians, with ratios between engines (records/s and records per CPU-second). */
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
        `| ${variant} | ${mine[0]!.label} | ${int(median(mine.map((r) => r.recordsPerSecond)))} | ${mine.map((r) => int(r.recordsPerSecond)).join(', ')} | ${fixed(cpu)} | ${int(1_000_000 / cpu)} | ${int(median(mine.map((r) => r.peakRssMiB)))} MiB | ${engine === 'perf-test' ? '-' : int(median(mine.map((r) => r.outputRecords)))} | ${latency ? `${int(latency.p50Ms)} / ${int(latency.p99Ms)} ms` : '-'} |`,
      );
    }
  }
  const ratios: string[] = [];
  for (const variant of variants) {
    const of = (engine: ThroughputRun['engine']) => runs.filter((r) => r.variant === variant && r.engine === engine);
    const ratio = (mine: ThroughputRun['engine'], peer: ThroughputRun['engine']) => {
      const [a, b] = [of(mine), of(peer)];
      if (a.length === 0 || b.length === 0) return;
      const rate = median(a.map((r) => r.recordsPerSecond)) / median(b.map((r) => r.recordsPerSecond));
      const perCpu = median(b.map((r) => r.cpuSecondsPerMillion)) / median(a.map((r) => r.cpuSecondsPerMillion));
      ratios.push(`- ${variant}: ${a[0]!.label} / ${b[0]!.label}: ${rate.toFixed(2)}x records/s, ${perCpu.toFixed(2)}x records per CPU-second`);
    };
    ratio('tributary-kafkajs', 'kafka-streams');
    ratio('tributary-platformatic', 'kafka-streams');
    // crm: the cached twin folds changelog writes as Tributary's store caches do (engines.ts).
    if (variant === 'crm') {
      ratio('tributary-kafkajs', 'kafka-streams-cached');
      ratio('tributary-platformatic', 'kafka-streams-cached');
    }
    ratio('tributary-platformatic', 'tributary-kafkajs');
    ratio('plain-platformatic', 'plain-kafkajs');
    // Two stream threads: against Kafka Streams with two, and against one thread (the scale-up).
    for (const client of ['kafkajs', 'platformatic'] as const) {
      ratio(`tributary-${client}-2t`, 'kafka-streams-2t');
      ratio(`tributary-${client}-2t`, `tributary-${client}`);
    }
    ratio('kafka-streams-2t', 'kafka-streams');
  }
  // crm: each engine's outputs per topic, every run (they may differ by run: see crmVariant.ts).
  const faithfulness = runs
    .filter((r) => r.outputsByTopic)
    .map((r) => `- crm outputs, ${r.label}: ${crmOutputs(r.outputsByTopic!)}`);
  return [...lines, '', ...ratios, ...(faithfulness.length > 0 ? ['', ...faithfulness] : [])].join('\n');
}
