// SIGKILL chaos (issue 8): three instances of the counting topology, two of them joining
// while the first catches up on a backlog; then, while the rest of the input flows, a working
// instance is killed with SIGKILL every 5 s and a new one started at once.
// At-least-once: no input record lost, no count below the truth. Exactly-once
// (read_committed readers): none lost, none duplicated, every count exact and every count
// update written once, and no instance ends in ERROR.
import { describe, expect, it } from 'vitest';
import { CountingPipeline, type Guarantee } from './CountingPipeline';
import { expectNoProblems } from './expectNoProblems';
import type { Fleet } from './Fleet';
import { seededRandom, type Random } from './random';
import { chaosSize, seed } from './sizes';
import { countingFigures, describeStalls, printSummary } from './summary';
import { Timeline } from './Timeline';
import { useCluster } from './useCluster';
import { countingProblems } from './verifyCounting';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Every `everyMs` for `forMs`: SIGKILL an instance that owns tasks, and start another in its place. */
async function killWorkingInstances(fleet: Fleet, size: number, random: Random, timeline: Timeline, { everyMs, forMs }: { everyMs: number; forMs: number }): Promise<number> {
  let kills = 0;
  const end = Date.now() + forMs;
  for (let next = Date.now() + everyMs; next <= end; next += everyMs) {
    await sleep(next - Date.now());
    const alive = fleet.alive();
    const working = alive.filter((m) => m.tasks.length > 0);
    if (alive.length > 0) {
      const victim = random.pick(working.length > 0 ? working : alive);
      const tasks = victim.tasks.join(',');
      await victim.stop('SIGKILL');
      kills++;
      timeline.mark(`SIGKILL ${victim.name} (${victim.state}, tasks ${tasks || 'none'}, ${victim.processed} processed)`);
    }
    keepSize(fleet, size, timeline);
  }
  return kills;
}

/** Starts instances until `size` are alive (in place of killed ones, or of ones that failed). */
function keepSize(fleet: Fleet, size: number, timeline: Timeline): void {
  while (fleet.alive().length < size) timeline.mark(`started ${fleet.start().name}`);
}

describe('SIGKILL chaos', () => {
  const clusterOfFile = useCluster({ nodes: chaosSize.nodes });

  it.each<Guarantee>(['at_least_once', 'exactly_once'])('%s: a working instance killed every 5 s and restarted', async (guarantee) => {
    const cluster = clusterOfFile();
    const { records, backlogShare, partitions, keys, instances, killEveryMs, killForMs, settleTimeoutMs } = chaosSize;
    const exactlyOnce = guarantee === 'exactly_once';
    const timeline = new Timeline();
    const pipeline = await CountingPipeline.create(cluster, { name: exactlyOnce ? 'chaos-eos' : 'chaos-alos', partitions, keys, guarantee });
    await using fleet = pipeline.fleet();

    // A backlog first; the rest flows for as long as the kills go on.
    const backlog = Math.round(records * backlogShare);
    const load = pipeline.startLoad({ total: records, backlog, holdAfterBacklog: true, ratePerSec: (records - backlog) / (killForMs / 1_000) });
    await load.until(backlog);
    timeline.mark(`${load.produced} records of backlog`);
    // One instance takes everything; the others join while it catches up (the rebalance of issue 8, item 1).
    const first = fleet.start();
    timeline.mark(`started ${first.name}`);
    await fleet.waitUntil(() => first.processed > 0, { timeoutMs: 60_000, description: () => `${first.name} processing (${first.state})` });
    keepSize(fleet, instances, timeline);
    await fleet.waitUntilBalanced(pipeline.taskCount);
    timeline.mark(`${instances} instances share ${pipeline.taskCount} tasks`);
    load.release();

    const kills = await killWorkingInstances(fleet, instances, seededRandom(seed), timeline, { everyMs: killEveryMs, forMs: killForMs });
    await load.done;
    timeline.mark(`kills over; ${load.produced} records produced`);
    const problems: string[] = [];
    try {
      await pipeline.waitUntilProcessed(fleet, settleTimeoutMs);
      timeline.mark('every input offset committed');
    } catch (error) {
      problems.push(`processing did not finish, so the figures below count unprocessed records as lost: ${(error as Error).message}`);
    }
    await fleet.stopAll('SIGTERM');
    timeline.mark('instances closed');

    const verdict = await pipeline.verify();
    printSummary(exactlyOnce ? 'sigkill-chaos-exactly-once' : 'sigkill-chaos-at-least-once', {
      guarantee,
      ...countingFigures(verdict, fleet, timeline),
      kills,
      resends: load.resends,
    });
    console.info(`timeline:\n${timeline}\nlongest output stalls: ${describeStalls(verdict, timeline)}\noutput records by instance: ${JSON.stringify(verdict.output.byInstance)}`);

    expect(load.produced, `load errors: ${load.errors.join('; ')}`).toBe(records);
    expect(kills).toBeGreaterThan(0);
    problems.push(...countingProblems(verdict, { exactlyOnce, produced: load.produced, timeline }), ...fleet.problems((t) => timeline.offset(t)));
    expectNoProblems(problems, `timeline:\n${timeline}`);
  });
});
