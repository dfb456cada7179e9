// The one-line JSON summary each scenario prints (and appends to
// .tributary/system-summary.jsonl), for the figures in the kafka README.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../harness';
import type { Fleet } from './Fleet';
import { scale, seed } from './sizes';
import type { Timeline } from './Timeline';
import type { CountingVerdict } from './verifyCounting';

export function printSummary(scenario: string, fields: Record<string, unknown>): void {
  // The client the instances ran on (fixtures/app.ts reads TRIBUTARY_CLIENT), so runs on either compare side by side.
  const client = process.env.TRIBUTARY_CLIENT ?? 'kafkajs';
  // KafkaJS rebalances eagerly whatever the option says (fixtures/app.ts reads REBALANCE_PROTOCOL
  // and GROUP_PROTOCOL); under KIP-848 the broker moves partitions one by one.
  const rebalances = client === 'kafkajs' ? 'eager' : process.env.GROUP_PROTOCOL === 'consumer' ? 'kip-848' : (process.env.REBALANCE_PROTOCOL ?? 'cooperative');
  const line = JSON.stringify({ scenario, scale, seed, client, rebalances, ...fields });
  console.log(line);
  const dir = join(repoRoot, '.tributary');
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, 'system-summary.jsonl'), `${line}\n`);
}

/** The figures of a counting run: records, lost, duplicates, count errors, stall, instances. */
export function countingFigures(verdict: CountingVerdict, fleet: Fleet, timeline: Timeline): Record<string, unknown> {
  return {
    records: verdict.input.records,
    lost: verdict.output.lost,
    duplicates: verdict.output.duplicates,
    emittedNotWritten: verdict.output.emittedMissing,
    countsBelow: verdict.counts.below.length,
    countsAbove: verdict.counts.above.length,
    countBreaks: verdict.counts.breakCount,
    maxStallMs: verdict.output.stalls[0]?.ms ?? 0,
    longestPartitionStallMs: verdict.output.partitionStalls.longestMs,
    stalledPartitionSeconds: verdict.output.partitionStalls.stalledSeconds,
    stoppedPartitionSecondsOver250ms: verdict.output.partitionStalls.briefStopSeconds,
    partitionStalls: verdict.output.partitionStalls.count,
    instances: fleet.members.length,
    instancesInError: fleet.members.filter((m) => m.endedInError).length,
    exitedOnTheirOwn: fleet.members.filter((m) => m.exitedOnItsOwn).length,
    peakRssMb: Math.round(fleet.peakRssBytes() / 1024 / 1024),
    inputLostByProducer: verdict.input.missingAcked,
    durationS: Math.round((Date.now() - timeline.startedAt) / 1_000),
  };
}

/** The stalls of a counting run, on the timeline: "12,300 ms from +41.2s". */
export function describeStalls(verdict: CountingVerdict, timeline: Timeline): string {
  const all = verdict.output.stalls.map((g) => `${g.ms.toLocaleString('en-US')} ms from ${timeline.offset(g.from)}`).join(', ');
  const single = verdict.output.partitionStalls.longest.map((g) => `partition ${g.partition} ${Math.round(g.ms).toLocaleString('en-US')} ms from ${timeline.offset(g.from)}`).join(', ');
  return `${all}\nlongest single-partition stalls: ${single || 'none over 1 s'}`;
}
