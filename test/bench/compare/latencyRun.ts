// One latency run of `pnpm bench:compare`: interactions at a fixed rate into a fresh topic
// while the engine runs, each stamped with the wall clock when it was made; an independent
// consumer of the output takes (time consumed - record timestamp) for every output record
// (windowed counts carry the timestamp of the update's record; in transactions, the consumer
// reads committed records only). The first seconds (group join, JIT, first fetches) are left out.
import { keptCount } from './workload';
import type { BenchAdmin } from './broker';
import type { Engine, EngineId } from './engines';
import { produceAtRate } from './inputProducer';
import { expectedOutputs, isTransactional, type Variant } from './topologies';

export interface LatencyRun {
  variant: Variant;
  engine: EngineId;
  label: string;
  p50Ms: number;
  p99Ms: number;
  /** Output records measured. */
  samples: number;
  load: number;
}

export interface LatencyOptions {
  admin: BenchAdmin;
  brokers: string;
  partitions: number;
  commitIntervalMs: number;
  name: string;
  ratePerSecond: number;
  /** Measured seconds, after `warmupSeconds`. */
  seconds: number;
  warmupSeconds: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

export async function runLatency(engine: Engine, variant: Variant, options: LatencyOptions, load: number): Promise<LatencyRun> {
  const { admin } = options;
  const input = `${options.name}-in`;
  const output = `${options.name}-out`;
  const group = `${options.name}-app`;
  await admin.createTopic(input, options.partitions);
  await admin.createTopic(output, options.partitions);
  const engineProcess = engine.start(variant, { input, output, table: '' }, group, options.brokers, options.commitIntervalMs);
  const reader = admin.kafka.consumer({ groupId: `${options.name}-reader`, maxWaitTimeInMs: 50 });
  const latencies: number[] = [];
  let outputs = 0;
  try {
    const failed = engineProcess.failed();
    await Promise.race([failed, engineProcess.until(() => engineProcess.state === 'RUNNING', 'state RUNNING')]);
    const measureFrom = Date.now() + options.warmupSeconds * 1_000;
    await reader.connect();
    await reader.subscribe({ topic: output, fromBeginning: true });
    const joined = new Promise<void>((resolve) => reader.on(reader.events.GROUP_JOIN, () => resolve()));
    await reader.run({
      eachBatch: async ({ batch }) => {
        const now = Date.now();
        for (const message of batch.messages) {
          outputs++;
          const timestamp = Number(message.timestamp);
          if (timestamp >= measureFrom) latencies.push(now - timestamp);
        }
      },
    });
    await joined;
    const sent = await Promise.race([failed, produceAtRate(admin.kafka, input, options.ratePerSecond, options.warmupSeconds + options.seconds)]);
    // Every update is emitted (caching off; in transactions too): wait for all of them; with a cache, for the last commit.
    const outputsKnown = engine.completion(variant) === 'output' || isTransactional(variant);
    const expected = outputsKnown ? expectedOutputs(variant, sent, keptCount(sent)) : Number.POSITIVE_INFINITY;
    const deadline = Date.now() + Math.max(10_000, 3 * options.commitIntervalMs);
    while (outputs < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (Number.isFinite(expected) && outputs < expected) throw new Error(`${engineProcess.label}: ${outputs} of ${expected} outputs in the latency run`);
    latencies.sort((a, b) => a - b);
    return { variant, engine: engine.id, label: engine.label, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), samples: latencies.length, load };
  } finally {
    await reader.disconnect();
    await engineProcess.stop();
    await admin.deleteTopics(input, group);
    await admin.deleteTopics(output, `${options.name}-reader`);
  }
}
