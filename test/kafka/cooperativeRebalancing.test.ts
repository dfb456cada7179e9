// Cooperative rebalancing (issue 15): on a client that can do it (@platformatic/kafka), an
// instance goes on processing the tasks it keeps while the group rebalances, and a task that
// moves is committed by its old owner before its new owner starts it. So members joining and
// leaving while records flow neither stop the tasks that stay nor duplicate a record, even at
// least once. An instance that closes cleanly has its tasks moved to the others while it still
// runs them, so they stop only for their handover. KafkaJS rebalances eagerly: this file runs in the platformatic pass of the
// integration tests (`TRIBUTARY_CLIENT=platformatic`, part of `npm test`).
import { StreamsBuilder, type StreamsState, type Topology } from '@tributary/core';
import type { KafkaStreams, KafkaStreamsOptions } from '@tributary/kafka';
import { describe, expect, it } from 'vitest';
import { createTopic, uniqueName, waitFor } from '../harness';
import { expectEachOnce, steadyInput } from './steadyInput';
import { startApp } from './support';

const PARTITIONS = 8;
const cooperativeClient = process.env.TRIBUTARY_CLIENT === 'platformatic';

interface Processed {
  readonly instance: string;
  readonly task: number;
  readonly state: StreamsState | undefined;
  readonly at: number;
}

/** Tags each record with the instance that processed it, and notes the instance's state then. */
function tagging(input: string, output: string, instance: string, app: () => KafkaStreams | undefined, seen: Processed[]): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream<string, { id: number }>(input)
    .peek((_key, value) => seen.push({ instance, task: value.id % PARTITIONS, state: app()?.state, at: Date.now() }))
    .mapValues((value) => ({ ...value, by: instance }))
    .to(output);
  return builder.build();
}

type Start = (instance: string, overrides: Partial<KafkaStreamsOptions>) => Promise<KafkaStreams>;

/** Topics and an application id named after `prefix`, a steady input, and a way to start instances of the tagging topology. */
async function group(prefix: string) {
  const input = uniqueName(`${prefix}-in`);
  const output = uniqueName(`${prefix}-out`);
  await createTopic(input, PARTITIONS);
  await createTopic(output, PARTITIONS);
  const applicationId = uniqueName(`${prefix}-app`);
  const seen: Processed[] = [];
  const apps = new Map<string, KafkaStreams>();
  const start: Start = async (instance, overrides) => {
    const app = await startApp(tagging(input, output, instance, () => apps.get(instance), seen), { applicationId, commitIntervalMs: 60_000, ...overrides });
    apps.set(instance, app);
    return app;
  };
  return { output, seen, apps, start, load: await steadyInput(input, PARTITIONS) };
}

/**
 * Instances a and b, four tasks each. b hears of a rebalance only at its next heartbeat, up to
 * 4 s later: a rebalance waits that long for it, while a (300 ms) is quick.
 */
async function twoInstances(start: Start) {
  const a = await start('a', { heartbeatIntervalMs: 300 });
  const b = await start('b', { heartbeatIntervalMs: 4_000, sessionTimeoutMs: 20_000 });
  await waitFor(() => a.assignedTasks().length === 4 && b.assignedTasks().length === 4, { timeoutMs: 60_000, description: () => `a=${a.assignedTasks()} b=${b.assignedTasks()}` });
  return { a, b };
}

describe.runIf(cooperativeClient)('cooperative rebalancing', () => {
  it('goes on processing the tasks that stay while the group rebalances, and duplicates nothing as members join and leave', async () => {
    const { seen, apps, start, load, output } = await group('coop');
    try {
      const { a, b } = await twoInstances(start);
      const c = await start('c', { heartbeatIntervalMs: 300 });
      await waitFor(() => a.assignedTasks().length + b.assignedTasks().length + c.assignedTasks().length === 8 && c.assignedTasks().length >= 2, {
        timeoutMs: 60_000,
        description: () => `a=${a.assignedTasks()} b=${b.assignedTasks()} c=${c.assignedTasks()}`,
      });
      // a leaves: its tasks go to b and c.
      await a.close();
      apps.delete('a');
      await waitFor(() => b.assignedTasks().length + c.assignedTasks().length === 8, { timeoutMs: 60_000, description: () => `b=${b.assignedTasks()} c=${c.assignedTasks()}` });
      const settled = load.produced();
      await waitFor(() => load.produced() >= settled + 800, { timeoutMs: 30_000, description: () => 'more records produced after the last rebalance' });
      await load.stop();
      await expectEachOnce(output, load.produced());
      // While c joined, a waited for b to rejoin, and went on with the tasks it kept meanwhile.
      expect(seen.filter((p) => p.instance === 'a' && p.state === 'REBALANCING').length).toBeGreaterThan(0);
      // The rebalance a's leaving started (after its tasks had gone) ends with everyone running.
      await waitFor(() => [...apps.values()].every((app) => app.state === 'RUNNING'), { timeoutMs: 30_000, description: () => [...apps.values()].map((app) => app.state).join(',') });
    } finally {
      await load.stop();
      await Promise.all([...apps.values()].map((app) => app.close()));
    }
  }, 240_000);

  it('hands a closing instance\'s tasks to the others while it still runs them, so they stop only for the handover', async () => {
    const { seen, apps, start, load, output } = await group('coop-close');
    try {
      const { a, b } = await twoInstances(start);
      const tasksOfA = a.assignedTasks().map((t) => Number(t.split('_')[1]));
      await waitFor(() => seen.filter((p) => p.instance === 'b').length > 200, { timeoutMs: 30_000, description: 'b processing' });
      const closing = Date.now();
      await a.close();
      apps.delete('a');
      await waitFor(() => b.assignedTasks().length === 8, { timeoutMs: 60_000, description: () => `b=${b.assignedTasks()}` });
      const settled = load.produced();
      await waitFor(() => load.produced() >= settled + 800, { timeoutMs: 30_000, description: () => 'more records produced after a left' });
      await load.stop();
      await expectEachOnce(output, load.produced());

      // a went on processing its tasks while the group rebalanced for its leaving...
      expect(seen.filter((p) => p.instance === 'a' && p.at >= closing).length).toBeGreaterThan(0);
      // ...and each of them stopped only between a's last record and b's first, well under b's heartbeat interval.
      for (const task of tasksOfA) {
        const lastByA = Math.max(...seen.filter((p) => p.instance === 'a' && p.task === task).map((p) => p.at));
        const firstByB = Math.min(...seen.filter((p) => p.instance === 'b' && p.task === task).map((p) => p.at));
        expect(firstByB - lastByA, `task ${task}: a's last record at ${lastByA}, b's first at ${firstByB}`).toBeLessThan(1_500);
      }
    } finally {
      await load.stop();
      await Promise.all([...apps.values()].map((app) => app.close()));
    }
  }, 240_000);
});
