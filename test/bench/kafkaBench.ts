// The Kafka benchmark (not a test): 1,000,000 JSON customer interactions of ~200 bytes on
// an 8-partition topic, read end to end by
//   1. a plain KafkaJS consume -> transform -> produce loop with manual commits (the ceiling),
//   2. the same transformation as a Tributary topology (filter + mapValues + to),
//   3. a Tributary one-minute windowed count per customer (emitting every update),
// alternated over several rounds; prints each run and the medians.
//
// Env: KAFKA_BROKERS (else a local broker is started with tools/kafka and stopped after),
// BENCH_RECORDS (default 1000000), BENCH_ROUNDS (default 3), BENCH_ONLY (plain|stateless|windowed, comma-separated;
// also `eos`: the stateless topology with exactly-once, and `cached`: the windowed count with
// record caches (cacheMaxRecords 10000), timed until every input offset is committed; not run by default),
// BENCH_INPUT (reuse the input topic of an earlier run).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger, StreamsBuilder, TimeWindows, type Topology } from '@tributary/core';
import { KafkaStreams } from '@tributary/kafka';
import { Kafka, logLevel, Partitioners, type Admin } from 'kafkajs';
import { interaction as workloadInteraction, keep, slim, type Interaction } from './compare/workload';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ONLY = (process.env.BENCH_ONLY ?? 'plain,stateless,windowed').split(',');
const PARTITIONS = 8;
const COMMIT_INTERVAL_MS = 1_000;
/** The last hour: the broker's time-based retention would delete records from long ago. */
const BASE_TIME = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000;
/** Records span an hour of event time: sixty one-minute windows. */
const TIME_STEP_MS = 3_600_000 / RECORDS;

/** The same interactions as `pnpm bench:compare` (./compare/workload.ts), event times over the last hour. */
const interaction = (i: number): Interaction => workloadInteraction(i, BASE_TIME, TIME_STEP_MS);

// --- broker ---------------------------------------------------------------------------
let startedBroker = false;
function ensureBroker(): string {
  if (process.env.KAFKA_BROKERS) return process.env.KAFKA_BROKERS;
  const kafkaDir = join(repoRoot, 'tools', 'kafka');
  try {
    execFileSync('bash', [join(kafkaDir, 'status.sh')], { stdio: 'ignore' });
    console.log('Reusing the broker started by pnpm kafka:start.');
  } catch {
    console.log('Starting a local broker (tools/kafka/start.sh)...');
    execFileSync('bash', [join(kafkaDir, 'start.sh'), '--port', 'auto'], { stdio: 'inherit' });
    startedBroker = true;
  }
  return execFileSync('cat', [join(kafkaDir, 'run', 'brokers')]).toString().trim();
}
function stopBroker(): void {
  if (startedBroker) execFileSync('bash', [join(repoRoot, 'tools', 'kafka', 'stop.sh')], { stdio: 'inherit' });
}

const brokers = ensureBroker().split(',');
const kafka = new Kafka({ clientId: 'tributary-bench', brokers, logLevel: logLevel.NOTHING });
const runId = Date.now().toString(36);
const name = (what: string) => `bench-${what}-${runId}`;

async function withAdmin<T>(fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

async function createTopic(topic: string, partitions = PARTITIONS, config: Record<string, string> = {}): Promise<void> {
  await withAdmin(async (admin) => {
    await admin.createTopics({ waitForLeaders: false, topics: [{ topic, numPartitions: partitions, configEntries: Object.entries(config).map(([n, value]) => ({ name: n, value })) }] });
    for (;;) {
      try {
        if ((await admin.fetchTopicOffsets(topic)).length === partitions) return;
      } catch {
        // not ready yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  });
}

async function endOffsetSum(topic: string, admin: Admin): Promise<number> {
  return (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
}

/** Resolves when `topic` holds `count` records; returns the time it did. */
async function waitForOutput(topic: string, count: number, timeoutMs = 600_000): Promise<number> {
  return withAdmin(async (admin) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const n = await endOffsetSum(topic, admin);
      if (n >= count) return performance.now();
      if (Date.now() > deadline) throw new Error(`${topic}: ${n} of ${count} records after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  });
}

// --- input ----------------------------------------------------------------------------
async function produceInput(topic: string): Promise<{ kept: number; bytes: number }> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  let kept = 0;
  let bytes = 0;
  const batch = 20_000;
  const started = performance.now();
  for (let from = 0; from < RECORDS; from += batch) {
    const messages = [];
    for (let i = from; i < Math.min(RECORDS, from + batch); i++) {
      const value = interaction(i);
      if (keep(value)) kept++;
      const json = JSON.stringify(value);
      bytes += json.length;
      messages.push({ key: value.customerId, value: json, timestamp: String(value.timestamp) });
    }
    // One send at a time: each partition gets its records in timestamp order, so the
    // windowed count (no grace) drops nothing.
    await producer.send({ topic, messages, acks: 1 });
  }
  await producer.disconnect();
  console.log(`Produced ${RECORDS} records (${Math.round(bytes / RECORDS)} bytes of JSON on average) in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  return { kept, bytes };
}

// --- the variants -----------------------------------------------------------------------
interface Run {
  variant: string;
  seconds: number;
  recordsPerSecond: number;
}

/** A plain KafkaJS consumer -> transform -> producer loop, committing every second after the writes were acknowledged. */
async function plainLoop(input: string, expected: number): Promise<Run> {
  const output = name(`plain-out-${Math.random().toString(36).slice(2, 6)}`);
  await createTopic(output);
  const consumer = kafka.consumer({ groupId: name(`plain-${Math.random().toString(36).slice(2, 8)}`), maxWaitTimeInMs: 500, readUncommitted: true });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await Promise.all([consumer.connect(), producer.connect()]);
  await consumer.subscribe({ topics: [input], fromBeginning: true });
  const start = performance.now();
  let lastCommit = Date.now();
  const pending = new Map<number, number>();
  const done = waitForOutput(output, expected);
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch, heartbeat }) => {
      const messages = [];
      for (const message of batch.messages) {
        const value = JSON.parse(message.value!.toString()) as Interaction;
        if (!keep(value)) continue;
        messages.push({ key: message.key, value: JSON.stringify(slim(value)), timestamp: message.timestamp });
      }
      if (messages.length > 0) await producer.send({ topic: output, messages, acks: -1 });
      pending.set(batch.partition, Number(batch.lastOffset()) + 1);
      if (Date.now() - lastCommit >= COMMIT_INTERVAL_MS) {
        lastCommit = Date.now();
        await consumer.commitOffsets([...pending].map(([partition, offset]) => ({ topic: input, partition, offset: String(offset) })));
      }
      await heartbeat();
    },
  });
  const end = await done;
  await consumer.disconnect();
  await producer.disconnect();
  return result('plain KafkaJS loop', start, end);
}

function statelessTopology(input: string, output: string): Topology {
  const builder = new StreamsBuilder();
  builder.stream<string, Interaction>(input).filter((_k, v) => keep(v)).mapValues(slim).to(output);
  return builder.build();
}

function windowedTopology(input: string, output: string): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream<string, Interaction>(input)
    .groupByKey()
    .windowedBy(TimeWindows.ofSizeWithNoGrace('1m'))
    .count({ name: 'interactions-per-minute' })
    .toStream()
    .map((windowed, count) => [`${windowed.key}@${windowed.window.start}`, count] as const)
    .to(output);
  return builder.build();
}

/** Resolves once the group has committed every input offset (`total` over all partitions). */
async function waitForCommitted(groupId: string, topic: string, total: number, timeoutMs = 600_000): Promise<number> {
  return withAdmin(async (admin) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [fetched] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const committed = (fetched?.partitions ?? []).reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
      if (committed >= total) return performance.now();
      if (Date.now() > deadline) throw new Error(`${groupId}: ${committed} of ${total} offsets committed after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  });
}

async function tributary(
  variant: string,
  input: string,
  expected: number,
  build: (input: string, output: string) => Topology,
  processingGuarantee: 'at_least_once' | 'exactly_once' = 'at_least_once',
  cacheMaxRecords = 0,
): Promise<Run> {
  const output = name(`${variant}-out-${Math.random().toString(36).slice(2, 6)}`);
  await createTopic(output);
  const applicationId = name(`${variant}-${Math.random().toString(36).slice(2, 8)}`);
  const app = new KafkaStreams(build(input, output), {
    applicationId,
    cacheMaxRecords,
    brokers,
    logger: silentLogger,
    processingGuarantee,
    // Exactly-once keeps its own default (100 ms): a transaction per task and interval.
    ...(processingGuarantee === 'at_least_once' ? { commitIntervalMs: COMMIT_INTERVAL_MS } : {}),
    metricsIntervalMs: 0,
    handleSignals: false,
  });
  const start = performance.now();
  // With caches, the output has one record per window and commit: done when every offset is committed (so flushed).
  const done = cacheMaxRecords > 0 ? waitForCommitted(applicationId, input, RECORDS) : waitForOutput(output, expected);
  const progress = process.env.BENCH_VERBOSE
    ? setInterval(() => {
        const m = app.metrics();
        console.log(`    ${app.state} consumed ${m.consumed} processed ${m.processed} lag ${m.lag} commits ${m.commits}`);
      }, 2_000)
    : undefined;
  await app.start();
  const end = await done;
  clearInterval(progress);
  const { droppedRecords } = app.metrics();
  await app.close();
  if (droppedRecords > 0) throw new Error(`${variant}: ${droppedRecords} records dropped; the counts are incomplete`);
  const label = { stateless: 'Tributary stateless', windowed: 'Tributary windowed count', eos: 'Tributary stateless, EOS', cached: 'Tributary windowed, cached' }[variant] ?? variant;
  const written = await withAdmin((admin) => endOffsetSum(output, admin));
  const run = result(label, start, end);
  console.log(`  ${''.padEnd(26)} ${written.toLocaleString('en-US')} output records (${(written / RECORDS).toFixed(2)} per input)`);
  return run;
}

function result(variant: string, start: number, end: number): Run {
  const seconds = (end - start) / 1000;
  const run = { variant, seconds, recordsPerSecond: RECORDS / seconds };
  console.log(`  ${variant.padEnd(26)} ${seconds.toFixed(2).padStart(7)} s  ${Math.round(run.recordsPerSecond).toLocaleString('en-US').padStart(9)} records/s`);
  return run;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

try {
  // BENCH_INPUT reuses the input topic of an earlier run (same BENCH_RECORDS), e.g. to profile.
  const input = process.env.BENCH_INPUT ?? name('interactions');
  let kept = 0;
  if (process.env.BENCH_INPUT) {
    for (let i = 0; i < RECORDS; i++) if (keep(interaction(i))) kept++;
  } else {
    await createTopic(input);
    kept = (await produceInput(input)).kept;
  }
  console.log(`\n${ROUNDS} rounds on ${PARTITIONS} partitions; node ${process.version}; KafkaJS 2.2.4; commit interval ${COMMIT_INTERVAL_MS} ms.\n`);
  const runs: Run[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    console.log(`Round ${round}`);
    if (ONLY.includes('plain')) runs.push(await plainLoop(input, kept));
    if (ONLY.includes('stateless')) runs.push(await tributary('stateless', input, kept, statelessTopology));
    if (ONLY.includes('windowed')) runs.push(await tributary('windowed', input, RECORDS, windowedTopology));
    if (ONLY.includes('eos')) runs.push(await tributary('eos', input, kept, statelessTopology, 'exactly_once'));
    if (ONLY.includes('cached')) runs.push(await tributary('cached', input, RECORDS, windowedTopology, 'at_least_once', 10_000));
  }
  console.log('\nMedians');
  const medians = new Map<string, number>();
  for (const variant of [...new Set(runs.map((r) => r.variant))]) {
    const m = median(runs.filter((r) => r.variant === variant).map((r) => r.recordsPerSecond));
    medians.set(variant, m);
    console.log(`  ${variant.padEnd(26)} ${Math.round(m).toLocaleString('en-US').padStart(9)} records/s`);
  }
  const plain = medians.get('plain KafkaJS loop');
  if (plain) {
    for (const [variant, m] of medians) if (variant !== 'plain KafkaJS loop') console.log(`  ${variant} / plain loop: ${((100 * m) / plain).toFixed(0)}%`);
  }
} finally {
  stopBroker();
}
