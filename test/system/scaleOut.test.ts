// Exactly-once scale-out (issue 8): one instance, then a second and a third joining while
// the input flows, then the third and the second closing (SIGTERM), no fault at all; several
// trials. In even trials each change waits for the group to settle; in odd ones the next
// change comes 1 s after the previous, in the middle of its rebalance (tasks revoked while
// being prepared). No instance may end in ERROR (a revoked task's discarded sends are no
// failure), and read_committed readers see every input record once and every count exact.
import { describe, it } from 'vitest';
import { CountingPipeline } from './CountingPipeline';
import { expectNoProblems } from './expectNoProblems';
import type { KafkaCluster } from './KafkaCluster';
import { scaleOutSize } from './sizes';
import { countingFigures, printSummary } from './summary';
import { Timeline } from './Timeline';
import { useCluster } from './useCluster';
import { countingProblems } from './verifyCounting';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface TrialResult {
  trial: number;
  figures: Record<string, unknown>;
  problems: string[];
  timeline: Timeline;
}

async function scaleOutAndBack(cluster: KafkaCluster, trial: number): Promise<TrialResult> {
  const { partitions, keys, ratePerSec, holdMs, overlapMs, settleTimeoutMs } = scaleOutSize;
  const overlapping = trial % 2 === 1;
  const timeline = new Timeline();
  const problems: string[] = [];
  const pipeline = await CountingPipeline.create(cluster, { name: `scale-out-${trial}`, partitions, keys, guarantee: 'exactly_once' });
  await using fleet = pipeline.fleet();
  const load = pipeline.startLoad({ ratePerSec });
  const balanced = async (what: string) => {
    await fleet.waitUntilBalanced(pipeline.taskCount);
    timeline.mark(`${what}: ${fleet.status()}`);
    await sleep(holdMs);
  };
  // Overlapping: the next change does not wait for the group to settle.
  const next = async (what: string) => {
    if (!overlapping) return balanced(what);
    timeline.mark(what);
    await sleep(overlapMs);
  };
  try {
    fleet.start();
    await balanced('1 instance');
    fleet.start();
    await next('2 instances');
    const third = fleet.start();
    await balanced('3 instances');
    const closing = third.stop('SIGTERM');
    if (overlapping) await next(`${third.name} closing`);
    else await closing.then(() => balanced(`${third.name} closed`));
    const second = fleet.members[1]!;
    await Promise.all([closing, second.stop('SIGTERM')]);
    await balanced(`${second.name} closed`);
  } catch (error) {
    const failed = fleet.failed().length > 0;
    problems.push(`scaling stopped: ${failed ? 'an instance failed (below)' : (error as Error).message}`);
    timeline.mark('scaling stopped');
    // One instance finishes the input, so the figures are complete.
    if (fleet.alive().length === 0) timeline.mark(`started ${fleet.start().name} to finish the input`);
  }
  await load.stop();
  try {
    await pipeline.waitUntilProcessed(fleet, settleTimeoutMs);
  } catch (error) {
    problems.push(`processing did not finish, so unprocessed records count as lost: ${(error as Error).message}`);
  }
  await fleet.stopAll('SIGTERM');
  const verdict = await pipeline.verify();
  problems.push(...countingProblems(verdict, { exactlyOnce: true, produced: load.produced, timeline }), ...fleet.problems((t) => timeline.offset(t)));
  return { trial, figures: countingFigures(verdict, fleet, timeline), problems, timeline };
}

describe('exactly-once scale-out', () => {
  const clusterOfFile = useCluster({ nodes: 1 });

  it(`1 -> 3 instances and back, ${scaleOutSize.trials} trials: no instance in ERROR, nothing lost or duplicated, exact counts`, async () => {
    const cluster = clusterOfFile();
    const started = Date.now();
    const results: TrialResult[] = [];
    for (let trial = 1; trial <= scaleOutSize.trials; trial++) {
      const result = await scaleOutAndBack(cluster, trial);
      results.push(result);
      console.info(`trial ${trial}: ${JSON.stringify(result.figures)}\n${result.timeline}`);
    }
    const sum = (field: string) => results.reduce((n, r) => n + Number(r.figures[field] ?? 0), 0);
    printSummary('exactly-once-scale-out', {
      trials: results.length,
      failedTrials: results.filter((r) => r.problems.length > 0).length,
      records: sum('records'),
      lost: sum('lost'),
      duplicates: sum('duplicates'),
      countErrors: sum('countsBelow') + sum('countsAbove') + sum('countBreaks'),
      instancesInError: sum('instancesInError'),
      maxStallMs: Math.max(...results.map((r) => Number(r.figures.maxStallMs ?? 0))),
      peakRssMb: Math.max(...results.map((r) => Number(r.figures.peakRssMb ?? 0))),
      durationS: Math.round((Date.now() - started) / 1_000),
    });
    expectNoProblems(results.flatMap((r) => r.problems.map((p) => `trial ${r.trial}: ${p}`)));
  });
});
