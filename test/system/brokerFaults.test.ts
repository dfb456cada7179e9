// Broker faults (issue 8) on a 3-node cluster (replication factor 3, min ISR 2), while two
// instances process a steady input: the node leading most input partitions is killed with
// SIGKILL and restarted; later two of the three nodes are killed at once (the controller
// quorum and min ISR are lost) and restarted. No input record may be lost; the longest gap
// in the output during each fault (the stall) is reported.
import { describe, it } from 'vitest';
import { CountingPipeline } from './CountingPipeline';
import { expectNoProblems } from './expectNoProblems';
import { longestGapDuring } from './gaps';
import { brokerFaultsSize } from './sizes';
import { countingFigures, describeStalls, printSummary } from './summary';
import { Timeline } from './Timeline';
import { useCluster } from './useCluster';
import { countingProblems } from './verifyCounting';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Nodes by how many partitions of `leaders` they lead, most first (ties: lower id first). */
function byLeadership(leaders: number[], nodes: number): { node: number; leads: number }[] {
  return Array.from({ length: nodes }, (_, i) => ({ node: i + 1, leads: leaders.filter((l) => l === i + 1).length })).sort((a, b) => b.leads - a.leads || a.node - b.node);
}

describe('broker faults on 3 nodes', () => {
  const clusterOfFile = useCluster({ nodes: 3 });

  it('the leader of most input partitions killed and restarted, then the quorum majority lost briefly: nothing lost, stalls reported', async () => {
    const cluster = clusterOfFile();
    const { partitions, keys, instances, ratePerSec, leaderDownMs, majorityDownMs, settleTimeoutMs } = brokerFaultsSize;
    const timeline = new Timeline();
    const pipeline = await CountingPipeline.create(cluster, { name: 'broker-faults', partitions, keys, guarantee: 'at_least_once' });
    const { input, output, counts } = pipeline.topics;
    await using fleet = pipeline.fleet();
    for (let i = 0; i < instances; i++) fleet.start();
    await fleet.waitUntilBalanced(pipeline.taskCount);
    const load = pipeline.startLoad({ ratePerSec });
    await sleep(5_000);
    timeline.mark(`${instances} instances processing: ${fleet.status()}`);

    const problems: string[] = [];
    const faults: { name: string; from: number; to: number }[] = [];
    try {
      // 1. The node leading most input partitions crashes, and comes back.
      const [leader] = byLeadership(await cluster.leaders(input), cluster.nodes);
      const leaderFault = { name: `leader node ${leader!.node} killed`, from: Date.now(), to: 0 };
      timeline.mark(`SIGKILL node ${leader!.node}, leader of ${leader!.leads} of ${partitions} input partitions`);
      await cluster.killNode(leader!.node);
      await sleep(leaderDownMs);
      timeline.mark(`starting node ${leader!.node}`);
      await cluster.startNode(leader!.node);
      timeline.mark(`node ${leader!.node} serves again`);
      await cluster.waitUntilInSync([input, output, counts]);
      leaderFault.to = Date.now();
      faults.push(leaderFault);
      timeline.mark('all replicas in sync');
      await sleep(5_000);

      // 2. Two of three nodes crash at once: no controller quorum, no min ISR; then they come back.
      const [first, second] = byLeadership(await cluster.leaders(input), cluster.nodes);
      const majorityFault = { name: `nodes ${first!.node} and ${second!.node} killed`, from: Date.now(), to: 0 };
      timeline.mark(`SIGKILL nodes ${first!.node} and ${second!.node} (leaders of ${first!.leads + second!.leads} input partitions): quorum lost`);
      await Promise.all([cluster.killNode(first!.node), cluster.killNode(second!.node)]);
      await sleep(majorityDownMs);
      timeline.mark(`starting node ${first!.node}`);
      await cluster.startNode(first!.node);
      timeline.mark(`node ${first!.node} serves again: quorum regained`);
      await cluster.startNode(second!.node);
      timeline.mark(`node ${second!.node} serves again`);
      await cluster.waitUntilInSync([input, output, counts]);
      majorityFault.to = Date.now();
      faults.push(majorityFault);
      timeline.mark('all replicas in sync');
      await sleep(5_000);
    } catch (error) {
      problems.push(`the fault sequence did not complete: ${(error as Error).message}`);
      for (let node = 1; node <= cluster.nodes; node++) await cluster.startNode(node).catch(() => undefined);
    }
    await load.stop();
    timeline.mark(`load stopped: ${load.produced} records produced, ${load.resends} sends repeated`);
    try {
      await pipeline.waitUntilProcessed(fleet, settleTimeoutMs);
      timeline.mark('every input offset committed');
    } catch (error) {
      problems.push(`processing did not finish, so unprocessed records count as lost: ${(error as Error).message}`);
    }
    await fleet.stopAll('SIGTERM');

    const verdict = await pipeline.verify();
    const stalls = faults.map((f) => {
      const out = longestGapDuring(verdict.output.appendTimes, f.from, f.to);
      const into = longestGapDuring(verdict.input.appendTimes, f.from, f.to);
      return { fault: f.name, outputStallMs: out.ms, from: timeline.offset(out.from), inputGapMs: into.ms };
    });
    printSummary('broker-faults', { ...countingFigures(verdict, fleet, timeline), stalls, resends: load.resends });
    console.info(
      `timeline:\n${timeline}\nlongest output stalls: ${describeStalls(verdict, timeline)}\n` +
        `per fault (input gap: the producer's own stall): ${stalls.map((s) => `${s.fault}: output ${s.outputStallMs} ms from ${s.from}, input ${s.inputGapMs} ms`).join('; ')}\n` +
        `producer errors: ${load.errors.slice(0, 5).join(' | ') || 'none'}`,
    );
    if (verdict.input.missingAcked > 0) {
      // Not the application's doing: the test's own KafkaJS producer (issue 8, item 6). Reported, not failed.
      console.warn(`the input topic lacks ${verdict.input.missingAcked} ids the producer had acknowledged (e.g. ${verdict.input.missingAckedIds.slice(0, 10).join(', ')})`);
    }
    problems.push(...countingProblems(verdict, { exactlyOnce: false, produced: load.produced, timeline }), ...fleet.problems((t) => timeline.offset(t)));
    expectNoProblems(problems, `timeline:\n${timeline}`);
  });
});
