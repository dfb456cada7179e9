// The read ceiling of `pnpm bench:compare`: Kafka's own kafka-consumer-perf-test
// (org.apache.kafka.tools.ConsumerPerformance, from tools/kafka/lib) reading the whole input
// with a fresh group, on the same broker. Records/s is the tool's own nMsg.sec (group join
// included); CPU and peak RSS are sampled from /proc every 100 ms, so CPU includes the JVM's
// start-up (about a second here) and misses at most the last 100 ms.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { kafkaToolsLib, repoRoot } from './broker';
import { cpuSeconds, peakRssMiB } from './procStats';
import type { RunContext, ThroughputRun } from './throughputRun';

export async function runPerfTest(context: RunContext, load: number): Promise<ThroughputRun> {
  const lib = kafkaToolsLib();
  const log4j = join(repoRoot, 'tools', 'kafka', 'config', 'tools-log4j2.properties');
  const child = spawn('java', [
    '-Xmx512m', `-Dlog4j2.configurationFile=${log4j}`, '-cp', `${lib}/*`, 'org.apache.kafka.tools.ConsumerPerformance',
    ...['--bootstrap-server', context.brokers, '--topic', context.input, '--num-records', String(context.records), '--group', `${context.name}-perf`, '--timeout', '60000'],
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid!;
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let cpu = 0;
  let rss = 0;
  const sample = () => {
    try {
      cpu = cpuSeconds(pid);
      rss = peakRssMiB(pid);
    } catch {
      // exited between two samples
    }
  };
  const sampler = setInterval(sample, 100);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearInterval(sampler);
  // The last line: start.time, end.time, MB, MB.sec, nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
  const fields = stdout.trim().split('\n').at(-1)?.split(',').map((f) => f.trim()) ?? [];
  const consumed = Number(fields[4]);
  const perSecond = Number(fields[5]);
  if (code !== 0 || !(consumed >= context.records) || !Number.isFinite(perSecond)) {
    throw new Error(`kafka-consumer-perf-test failed (exit ${code}, ${consumed} records):\n${stdout}\n${stderr}`);
  }
  await context.admin.deleteTopics(undefined, `${context.name}-perf`);
  return {
    variant: 'stateless',
    engine: 'perf-test',
    label: 'kafka-consumer-perf-test (read only)',
    seconds: context.records / perSecond,
    recordsPerSecond: perSecond,
    cpuSecondsPerMillion: (cpu * 1_000_000) / context.records,
    peakRssMiB: rss,
    outputRecords: 0,
    load,
  };
}
