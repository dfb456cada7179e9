// One throughput run of `pnpm bench:compare`: an engine reads the whole input into a fresh
// output topic under a fresh application id; measured from its `starting` line until the
// output holds every expected record (or, with a record cache or in transactions, the whole
// input is committed; for `crm`, with three output topics and repartition hops, the application
// has drained its input).
import type { BenchAdmin } from './broker';
import { countCommittedRecords } from './committedOutput';
import { CRM_TOPIC_CONFIG, crmOutputTopics } from './crmVariant';
import type { Engine, EngineId } from './engines';
import { isTransactional, type Variant, type VariantTopics } from './topologies';

/** One measured run. */
export interface ThroughputRun {
  variant: Variant;
  engine: EngineId | 'perf-test';
  /** The engine as the table names it. */
  label: string;
  seconds: number;
  recordsPerSecond: number;
  /** Process CPU (user + system, all threads) per million input records. */
  cpuSecondsPerMillion: number;
  peakRssMiB: number;
  /** Output records at the end (for the record cache's effect; in transactions, the records a read_committed reader gets; `crm`: of its three topics). */
  outputRecords: number;
  /** `crm`: the output records of each of its topics (the faithfulness check between the engines). */
  outputsByTopic?: { segments: number; recommendations: number; fraudAlerts: number };
  /** The 1-minute load average when the run started. */
  load: number;
}

export interface RunContext {
  admin: BenchAdmin;
  brokers: string;
  /** The interactions topic and the customers table. */
  input: string;
  table: string;
  records: number;
  /** Outputs when every update is emitted. */
  expected: number;
  partitions: number;
  commitIntervalMs: number;
  /** Unique per benchmark and run: names the output topic and the application id. */
  name: string;
}

export async function runThroughput(engine: Engine, variant: Variant, context: RunContext, load: number): Promise<ThroughputRun> {
  const { admin } = context;
  const group = `${context.name}-app`;
  const topics: VariantTopics = { input: context.input, table: context.table, output: `${context.name}-out` };
  const crmOutputs = variant === 'crm' ? crmOutputTopics(topics.output) : undefined;
  const outputTopics = crmOutputs ? Object.values(crmOutputs) : [topics.output];
  for (const topic of outputTopics) await admin.createTopic(topic, context.partitions, crmOutputs ? CRM_TOPIC_CONFIG : {});
  const engineProcess = engine.start(variant, topics, group, context.brokers, context.commitIntervalMs);
  try {
    const failed = engineProcess.failed();
    await Promise.race([failed, engineProcess.until(() => engineProcess.startedAt !== undefined, 'its starting line')]);
    const completion = engine.completion(variant);
    const done =
      completion === 'output'
        ? admin.waitUntil(() => admin.endOffsetSum(topics.output), context.expected, `${engineProcess.label}: ${topics.output} records`)
        : completion === 'drained'
          ? admin.waitUntilDrained(group, context.input, context.records, `${engineProcess.label}: ${group} draining ${context.input}`)
          : admin.waitUntil(() => admin.committedSum(group, context.input), context.records, `${engineProcess.label}: offsets committed on ${context.input}`);
    const end = await Promise.race([failed, done]);
    const { cpuSeconds, peakRssMiB } = engineProcess.measure();
    const seconds = (end - engineProcess.startedAt!) / 1_000;
    await engineProcess.stop();
    const outputsByTopic = crmOutputs
      ? {
          segments: await admin.endOffsetSum(crmOutputs.segments),
          recommendations: await admin.endOffsetSum(crmOutputs.recommendations),
          fraudAlerts: await admin.endOffsetSum(crmOutputs.fraudAlerts),
        }
      : undefined;
    const outputRecords = isTransactional(variant)
      ? await countCommittedRecords(admin.kafka, topics.output, `${context.name}-reader`, context.expected)
      : outputsByTopic
        ? outputsByTopic.segments + outputsByTopic.recommendations + outputsByTopic.fraudAlerts
        : await admin.endOffsetSum(topics.output);
    return {
      variant,
      engine: engine.id,
      label: engine.label,
      seconds,
      recordsPerSecond: context.records / seconds,
      cpuSecondsPerMillion: (cpuSeconds * 1_000_000) / context.records,
      peakRssMiB,
      outputRecords,
      ...(outputsByTopic ? { outputsByTopic } : {}),
      load,
    };
  } finally {
    await engineProcess.stop();
    await admin.deleteTopics(outputTopics, group);
    if (isTransactional(variant)) await admin.deleteTopics(undefined, `${context.name}-reader`);
  }
}
