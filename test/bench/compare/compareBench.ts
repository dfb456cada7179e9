// `pnpm bench:compare` (issues 10 and 15): Tributary side by side with Kafka Streams on one
// broker, Tributary and a plain consume -> produce loop on each Kafka client. The same input
// (interactions of ~206 B JSON on 8 partitions, produced once) is read by every engine in turn,
// rounds interleaved; then latency at a fixed input rate; then one table. The `crm` variant is
// the CRM application of packages/examples on the Online Retail data set (406,785 interactions on
// 4 partitions, produced once, whole with --quick too), against its Java twin (crmVariant.ts).
//
//   pnpm bench:compare [--quick] [--rounds N] [--only stateless,windowed,join,exactly-once,crm]
//                      [--engines tributary,kafka-streams,kafka-streams-cached,plain-loop,perf-test]
//                      [--clients kafkajs,platformatic] [--stream-threads 1,2]
//                      [--no-latency] [--latency-seconds 30] [--commit-interval-ms 1000]
//
// --clients: the clients Tributary and the plain loop run on; by default both, or KafkaJS alone
// when no Node 22 can be had (@platformatic/kafka needs it: benchClients.ts).
// --stream-threads: Tributary (StreamThreads) and Kafka Streams (caching off) with each of these
// thread counts (default 1).
//
// KAFKA_BROKERS: use that broker (else one is started with tools/kafka and stopped after).
// BENCH_KS_STORE=rocksdb: Kafka Streams with RocksDB stores (default in-memory, like Tributary's).
// BENCH_JSON=path: also write every run as JSON.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchClients } from './benchClients';
import { BenchAdmin, ensureBroker, repoRoot } from './broker';
import { benchEngines, ENGINE_FAMILIES } from './engines';
import { CRM_PARTITIONS, CRM_TOPIC_CONFIG } from './crmVariant';
import { produceCustomers, produceInteractions, produceOnlineRetail } from './inputProducer';
import { runLatency, type LatencyRun } from './latencyRun';
import { runPerfTest } from './perfTest';
import { formatRun, formatTable } from './report';
import { runThroughput, type ThroughputRun } from './throughputRun';
import { expectedOutputs, readsSyntheticInput, VARIANTS, type Variant } from './topologies';
import { keptCount } from './workload';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '3' },
    only: { type: 'string', default: VARIANTS.join(',') },
    engines: { type: 'string', default: [...ENGINE_FAMILIES, 'perf-test'].join(',') },
    clients: { type: 'string' },
    'stream-threads': { type: 'string', default: '1' },
    'no-latency': { type: 'boolean', default: false },
    'latency-seconds': { type: 'string', default: '30' },
    'commit-interval-ms': { type: 'string', default: '1000' },
  },
});
const RECORDS = values.quick ? 100_000 : 1_000_000;
const ROUNDS = Number(values.rounds);
const PARTITIONS = 8;
const COMMIT_INTERVAL_MS = Number(values['commit-interval-ms']);
const LATENCY_RATE = 5_000;
const variants = values.only!.split(',') as Variant[];
for (const v of variants) if (!VARIANTS.includes(v)) throw new Error(`--only: unknown variant '${v}' (${VARIANTS.join(', ')})`);
const families = values.engines!.split(',');
for (const f of families) if (f !== 'perf-test' && !ENGINE_FAMILIES.includes(f as never)) throw new Error(`--engines: unknown engine '${f}' (${[...ENGINE_FAMILIES, 'perf-test'].join(', ')})`);
const { clients, note: clientsNote } = benchClients(values.clients);
if (clientsNote) console.log(`NOTE: ${clientsNote}\n`);
const threadCounts = values['stream-threads']!.split(',').map(Number);
for (const n of threadCounts) if (!Number.isInteger(n) || n < 1 || n > 8) throw new Error(`--stream-threads: thread counts from 1 to 8, comma-separated (got '${values['stream-threads']}')`);
const engines = benchEngines(clients, threadCounts).filter((e) => families.includes(e.family));
const runId = Date.now().toString(36);
let runNumber = 0;
const nextName = (what: string) => `bench-compare-${runId}-${++runNumber}-${what}`;
const load = () => loadavg()[0]!;

console.log('Building the Kafka Streams app (tools/kafka-streams-bench/run.sh --build)...');
execFileSync('bash', [join(repoRoot, 'tools', 'kafka-streams-bench', 'run.sh'), '--build'], { stdio: 'inherit' });
const broker = ensureBroker();
const admin = new BenchAdmin(broker.brokers);
await admin.connect();
const loads: number[] = [load()];
try {
  const input = `bench-compare-${runId}-interactions`;
  const table = `bench-compare-${runId}-customers`;
  if (variants.some(readsSyntheticInput)) {
    await admin.createTopic(input, PARTITIONS);
    const produced = performance.now();
    const averageBytes = await produceInteractions(admin.kafka, input, RECORDS);
    console.log(`Produced ${RECORDS.toLocaleString('en-US')} interactions (${Math.round(averageBytes)} B of JSON on average) in ${((performance.now() - produced) / 1_000).toFixed(1)} s.`);
  }
  // crm: the Online Retail interactions, on topics without time-based retention (2010-2011 event times).
  const crm = { input: `bench-compare-${runId}-online-retail`, records: 0 };
  if (variants.includes('crm')) {
    await admin.createTopic(crm.input, CRM_PARTITIONS, CRM_TOPIC_CONFIG);
    const produced = performance.now();
    const { records, averageBytes } = await produceOnlineRetail(admin.kafka, crm.input);
    crm.records = records;
    console.log(`Produced the ${records.toLocaleString('en-US')} Online Retail interactions (${Math.round(averageBytes)} B of JSON on average) on ${CRM_PARTITIONS} partitions in ${((performance.now() - produced) / 1_000).toFixed(1)} s.`);
  }
  if (variants.includes('join')) {
    await admin.createTopic(table, PARTITIONS);
    await produceCustomers(admin.kafka, table);
  }
  const kept = keptCount(RECORDS);
  const nodes = clients.map((c) => `${c.label} on node ${c.node === process.execPath ? process.version : execFileSync(c.node, ['--version'], { encoding: 'utf8' }).trim()}`).join(', ');
  console.log(`\n${ROUNDS} round(s), ${PARTITIONS} partitions${variants.includes('crm') ? ` (crm ${CRM_PARTITIONS})` : ''}, commit interval ${COMMIT_INTERVAL_MS} ms; ${nodes}; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);

  const runs: ThroughputRun[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    console.log(`Round ${round}`);
    for (const variant of variants) {
      const here = engines.filter((e) => e.variants.includes(variant));
      // Rotate the order each round, so no engine always runs first (or right after a heavy one).
      const order = here.map((_, i) => here[(i + round - 1) % here.length]!);
      for (const engine of order) {
        const name = nextName(`${variant}-${engine.id}`);
        const context =
          variant === 'crm'
            ? { admin, brokers: broker.brokers, input: crm.input, table, records: crm.records, expected: 0, partitions: CRM_PARTITIONS, commitIntervalMs: COMMIT_INTERVAL_MS, name }
            : { admin, brokers: broker.brokers, input, table, records: RECORDS, expected: expectedOutputs(variant, RECORDS, kept), partitions: PARTITIONS, commitIntervalMs: COMMIT_INTERVAL_MS, name };
        loads.push(load());
        const run = await runThroughput(engine, variant, context, load());
        runs.push(run);
        console.log(formatRun(run));
      }
      if (variant === 'stateless' && families.includes('perf-test')) {
        loads.push(load());
        const run = await runPerfTest({ admin, brokers: broker.brokers, input, table, records: RECORDS, expected: RECORDS, partitions: PARTITIONS, commitIntervalMs: COMMIT_INTERVAL_MS, name: nextName('perf') }, load());
        runs.push(run);
        console.log(formatRun(run));
      }
    }
  }

  const latencies: LatencyRun[] = [];
  if (!values['no-latency']) {
    const seconds = values.quick ? 10 : Number(values['latency-seconds']);
    console.log(`\nLatency at ${LATENCY_RATE.toLocaleString('en-US')} records/s for ${seconds} s (after 5 s of warm-up)`);
    for (const variant of variants.filter((v) => v !== 'join' && readsSyntheticInput(v))) {
      for (const engine of engines.filter((e) => e.variants.includes(variant) && e.family !== 'plain-loop')) {
        loads.push(load());
        const options = { admin, brokers: broker.brokers, partitions: PARTITIONS, commitIntervalMs: COMMIT_INTERVAL_MS, name: nextName(`latency-${variant}-${engine.id}`), ratePerSecond: LATENCY_RATE, seconds, warmupSeconds: 5 };
        const run = await runLatency(engine, variant, options, load());
        latencies.push(run);
        console.log(`  ${variant.padEnd(12)} ${engine.label.padEnd(37)} p50 ${run.p50Ms} ms  p99 ${run.p99Ms} ms  (${run.samples} outputs, load ${run.load.toFixed(2)})`);
      }
    }
  }
  loads.push(load());

  const inputs = [...(variants.some(readsSyntheticInput) ? [`${RECORDS.toLocaleString('en-US')} input records`] : []), ...(crm.records > 0 ? [`crm ${crm.records.toLocaleString('en-US')}`] : [])].join(', ');
  console.log(`\nMedians of ${ROUNDS} round(s), ${inputs}; 1-minute load average during the runs ${Math.min(...loads).toFixed(2)} to ${Math.max(...loads).toFixed(2)}.\n`);
  console.log(formatTable(runs, latencies, variants));
  if (clientsNote) console.log(`\nNOTE: ${clientsNote}`);
  if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify({ records: RECORDS, crmRecords: crm.records, rounds: ROUNDS, clients, loads, runs, latencies }, null, 2));
} finally {
  await admin.disconnect();
  broker.stop();
}
