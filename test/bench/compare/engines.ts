// The engines `pnpm bench:compare` puts side by side, and how each one is started for a run.
// Tributary and the plain consume -> produce loop run once per Kafka client (benchClients.ts).
import { join } from 'node:path';
import type { ClientName } from '@tributary/kafka';
import type { BenchClient } from './benchClients';
import { repoRoot } from './broker';
import { EngineProcess } from './engineProcess';
import { isTransactional, type Variant, type VariantTopics } from './topologies';

/** What `--engines` picks: Tributary and the plain loop on every client of `--clients`. */
export type EngineFamily = 'tributary' | 'kafka-streams' | 'kafka-streams-cached' | 'plain-loop';
export const ENGINE_FAMILIES: readonly EngineFamily[] = ['tributary', 'kafka-streams', 'kafka-streams-cached', 'plain-loop'];

/**
 * The ids of the engines the table compares (the read ceiling, kafka-consumer-perf-test, is
 * `perfTest.ts`); with `--stream-threads`, Tributary and Kafka Streams (caching off) also run with
 * more than one stream thread, as `<id>-<n>t`.
 */
export type EngineId = `tributary-${ClientName}` | `tributary-${ClientName}-${number}t` | 'kafka-streams' | `kafka-streams-${number}t` | 'kafka-streams-cached' | `plain-${ClientName}`;

export interface Engine {
  id: EngineId;
  family: EngineFamily;
  label: string;
  /** The variants it runs. */
  variants: readonly Variant[];
  /**
   * How the harness knows a run of `variant` is complete: `output`, the output topic holds every expected
   * record (every update is emitted); `committed`, the application committed the whole input
   * (a record cache deduplicates updates, so the output count is not known beforehand; commits
   * follow the cache flush, so this includes up to one commit interval; in transactions, the
   * output's offsets count markers, and the commit is the moment the output becomes readable);
   * `drained`, the application committed the whole input and everything its repartition topics
   * carry (`crm`: several outputs and repartition hops, counts not known beforehand).
   */
  completion(variant: Variant): 'output' | 'committed' | 'drained';
  start(variant: Variant, topics: VariantTopics, group: string, brokers: string, commitIntervalMs: number): EngineProcess;
}

// BENCH_CPU_PROF=<dir>: the Node engines write a V8 CPU profile there when they stop (see profileSummary.ts).
const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
const nodeScript = (file: string, withSource: boolean) => [...profile, ...(withSource ? ['--conditions=tributary-source'] : []), '--import', 'tsx', join(import.meta.dirname, file)];
const ksRun = join(repoRoot, 'tools', 'kafka-streams-bench', 'run.sh');
const PLAIN_LOOPS: Record<ClientName, { file: string; label: string }> = {
  kafkajs: { file: 'plainLoopApp.ts', label: 'plain KafkaJS loop' },
  platformatic: { file: 'plainPlatformaticLoopApp.ts', label: 'plain @platformatic/kafka loop' },
};
const outputOrCommitted = (variant: Variant) => (variant === 'crm' ? 'drained' : isTransactional(variant) ? 'committed' : 'output');

/** `-<n>t` and `, <n> stream threads` for more than one thread; nothing for one. */
const threadsId = (threads: number) => (threads > 1 ? (`-${threads}t` as const) : ('' as const));
const threadsLabel = (threads: number) => (threads > 1 ? `, ${threads} stream threads` : '');

function tributary(client: BenchClient, threads: number): Engine {
  const label = `Tributary on ${client.label}${threadsLabel(threads)}`;
  return {
    id: `tributary-${client.name}${threadsId(threads)}`,
    family: 'tributary',
    label,
    variants: ['stateless', 'windowed', 'join', 'exactly-once', 'crm'],
    completion: outputOrCommitted,
    start: (variant, topics, group, brokers, commitIntervalMs) =>
      new EngineProcess(label, client.node, [
        ...nodeScript('tributaryApp.ts', true),
        ...['--variant', variant, '--brokers', brokers, '--input', topics.input, '--output', topics.output, '--table', topics.table],
        ...['--application-id', group, '--commit-interval-ms', String(commitIntervalMs), '--client', client.name, '--stream-threads', String(threads)],
      ], repoRoot),
  };
}

function kafkaStreams(caching: 'off' | 'on', threads = 1): Engine['start'] {
  return (variant, topics, group, brokers, commitIntervalMs) =>
    new EngineProcess(`Kafka Streams (caching ${caching}${threadsLabel(threads)})`, 'bash', [
      ksRun,
      ...['--variant', variant, '--brokers', brokers, '--input', topics.input, '--output', topics.output, '--table', topics.table],
      ...['--application-id', group, '--caching', caching, '--commit-interval-ms', String(commitIntervalMs), '--threads', String(threads)],
      ...(process.env.BENCH_KS_STORE ? ['--store', process.env.BENCH_KS_STORE] : []),
    ], repoRoot);
}

function plainLoop(client: BenchClient): Engine {
  const { file, label } = PLAIN_LOOPS[client.name];
  return {
    id: `plain-${client.name}`,
    family: 'plain-loop',
    label,
    variants: ['stateless'],
    completion: () => 'output',
    start: (_variant, topics, group, brokers, commitIntervalMs) =>
      new EngineProcess(label, client.node, [
        ...nodeScript(file, false),
        ...['--brokers', brokers, '--input', topics.input, '--output', topics.output, '--group', group, '--commit-interval-ms', String(commitIntervalMs)],
      ], repoRoot),
  };
}

/** Every engine: Tributary and the plain loop once per client in `clients`; Tributary and Kafka Streams (caching off) once per count in `threads`. */
export function benchEngines(clients: readonly BenchClient[], threads: readonly number[] = [1]): Engine[] {
  return [
    ...threads.flatMap((n) => clients.map((client) => tributary(client, n))),
    ...threads.map(
      (n): Engine => ({
        id: `kafka-streams${threadsId(n)}`,
        family: 'kafka-streams',
        label: `Kafka Streams, caching off${threadsLabel(n)}`,
        variants: ['stateless', 'windowed', 'join', 'exactly-once', 'crm'],
        completion: outputOrCommitted,
        start: kafkaStreams('off', n),
      }),
    ),
    // Stateless has no store, so a record cache changes nothing there; the join's stream side is
    // not cached (only the table's store is), so its output count stays known. In `crm` the cache
    // folds the changelog writes of the processor stores the example caches (`caching: true`, as
    // Tributary folds them), never an output: the twin to compare Tributary with there.
    {
      id: 'kafka-streams-cached',
      family: 'kafka-streams-cached',
      label: 'Kafka Streams, caching on (10 MiB)',
      variants: ['windowed', 'join', 'crm'],
      completion: (variant) => (variant === 'crm' ? 'drained' : variant === 'windowed' ? 'committed' : 'output'),
      start: kafkaStreams('on'),
    },
    ...clients.map(plainLoop),
  ];
}
