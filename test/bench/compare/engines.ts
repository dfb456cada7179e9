// The engines `pnpm bench:compare` puts side by side, and how each one is started for a run.
import { join } from 'node:path';
import { repoRoot } from './broker';
import { EngineProcess } from './engineProcess';
import type { Variant, VariantTopics } from './topologies';

/** The ids of the engines the table compares (the read ceiling, kafka-consumer-perf-test, is `perfTest.ts`). */
export type EngineId = 'tributary' | 'kafka-streams' | 'kafka-streams-cached' | 'plain-kafkajs';

export interface Engine {
  id: EngineId;
  label: string;
  /** The variants it runs. */
  variants: readonly Variant[];
  /**
   * How the harness knows a run of `variant` is complete: `output`, the output topic holds every expected
   * record (every update is emitted); `committed`, the application committed the whole input
   * (a record cache deduplicates updates, so the output count is not known beforehand; commits
   * follow the cache flush, so this includes up to one commit interval).
   */
  completion(variant: Variant): 'output' | 'committed';
  start(variant: Variant, topics: VariantTopics, group: string, brokers: string, commitIntervalMs: number): EngineProcess;
}

// BENCH_CPU_PROF=<dir>: the Node engines write a V8 CPU profile there when they stop (see profileSummary.ts).
const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
const nodeScript = (file: string, withSource: boolean) => [...profile, ...(withSource ? ['--conditions=tributary-source'] : []), '--import', 'tsx', join(import.meta.dirname, file)];
const ksRun = join(repoRoot, 'tools', 'kafka-streams-bench', 'run.sh');

function kafkaStreams(caching: 'off' | 'on'): Engine['start'] {
  return (variant, topics, group, brokers, commitIntervalMs) =>
    new EngineProcess(`Kafka Streams (caching ${caching})`, 'bash', [
      ksRun,
      ...['--variant', variant, '--brokers', brokers, '--input', topics.input, '--output', topics.output, '--table', topics.table],
      ...['--application-id', group, '--caching', caching, '--commit-interval-ms', String(commitIntervalMs)],
      ...(process.env.BENCH_KS_STORE ? ['--store', process.env.BENCH_KS_STORE] : []),
    ], repoRoot);
}

export const ENGINES: readonly Engine[] = [
  {
    id: 'tributary',
    label: 'Tributary',
    variants: ['stateless', 'windowed', 'join'],
    completion: () => 'output',
    start: (variant, topics, group, brokers, commitIntervalMs) =>
      new EngineProcess('Tributary', process.execPath, [
        ...nodeScript('tributaryApp.ts', true),
        ...['--variant', variant, '--brokers', brokers, '--input', topics.input, '--output', topics.output, '--table', topics.table],
        ...['--application-id', group, '--commit-interval-ms', String(commitIntervalMs)],
      ], repoRoot),
  },
  { id: 'kafka-streams', label: 'Kafka Streams, caching off', variants: ['stateless', 'windowed', 'join'], completion: () => 'output', start: kafkaStreams('off') },
  // Stateless has no store, so a record cache changes nothing there; the join's stream side is
  // not cached (only the table's store is), so its output count stays known.
  {
    id: 'kafka-streams-cached',
    label: 'Kafka Streams, caching on (10 MiB)',
    variants: ['windowed', 'join'],
    completion: (variant) => (variant === 'windowed' ? 'committed' : 'output'),
    start: kafkaStreams('on'),
  },
  {
    id: 'plain-kafkajs',
    label: 'plain KafkaJS loop',
    variants: ['stateless'],
    completion: () => 'output',
    start: (_variant, topics, group, brokers, commitIntervalMs) =>
      new EngineProcess('plain KafkaJS loop', process.execPath, [
        ...nodeScript('plainLoopApp.ts', false),
        ...['--brokers', brokers, '--input', topics.input, '--output', topics.output, '--group', group, '--commit-interval-ms', String(commitIntervalMs)],
      ], repoRoot),
  },
];
