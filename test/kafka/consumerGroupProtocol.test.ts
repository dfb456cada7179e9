// KIP-848 consumer groups (issue 15): with `groupProtocol: 'consumer'` on @platformatic/kafka
// the broker assigns (its range assignor keeps partition p of co-partitioned topics together)
// and moves partitions through heartbeats. A member commits what it gives up before the
// heartbeat that lets it go, so the new owner starts there: members joining and leaving while
// records flow repeat nothing, at least once. Runs in the platformatic pass of the integration
// tests (the option's refusals are unit tests: packages/kafka/test/groupProtocolOptions.test.ts).
import { StreamsBuilder, type Topology } from '@tributary/core';
import type { KafkaStreams, KafkaStreamsOptions } from '@tributary/kafka';
import { describe, expect, it } from 'vitest';
import { brokers, createTopic, kafkaTool, uniqueName, waitFor } from '../harness';
import { expectEachOnce, steadyInput } from './steadyInput';
import { startApp } from './support';

const PARTITIONS = 8;
const platformatic = process.env.TRIBUTARY_CLIENT === 'platformatic';

/** Joins each record with the table of the other input (co-partitioned), then tags it with the instance. */
function joined(input: string, lookups: string, output: string, instance: string): Topology {
  const builder = new StreamsBuilder();
  const table = builder.table<string, { note: string }>(lookups);
  builder
    .stream<string, { id: number }>(input)
    .leftJoin(table, (value, lookup) => ({ ...value, note: lookup?.note ?? null, by: instance }))
    .to(output);
  return builder.build();
}

/**
 * Instances a and b of one application, then c joins and a closes, while records flow; returns
 * the output topic and how many records went in.
 */
async function joinAndLeave(prefix: string, options: Partial<KafkaStreamsOptions>): Promise<{ output: string; produced: number }> {
  const input = uniqueName(`${prefix}-in`);
  const lookups = uniqueName(`${prefix}-lookups`);
  const output = uniqueName(`${prefix}-out`);
  await Promise.all([createTopic(input, PARTITIONS), createTopic(lookups, PARTITIONS), createTopic(output, PARTITIONS)]);
  const applicationId = uniqueName(`${prefix}-app`);
  const apps = new Map<string, KafkaStreams>();
  const start = async (instance: string) => {
    const app = await startApp(joined(input, lookups, output, instance), { applicationId, groupProtocol: 'consumer', ...options });
    apps.set(instance, app);
    return app;
  };
  const tasks = () => [...apps.values()].flatMap((app) => app.assignedTasks());
  const load = await steadyInput(input, PARTITIONS);
  try {
    const a = await start('a');
    const b = await start('b');
    await waitFor(() => a.assignedTasks().length === 4 && b.assignedTasks().length === 4, { timeoutMs: 60_000, description: () => `a=${a.assignedTasks()} b=${b.assignedTasks()}` });
    // The group is a KIP-848 one, and each task has both its partitions on one member.
    const groups = await kafkaTool('org.apache.kafka.tools.GroupsCommand', ['--bootstrap-server', brokers().join(','), '--list']);
    expect(groups.stdout.split('\n').find((line) => line.startsWith(`${applicationId} `))).toMatch(/\bConsumer\b/);
    expect(tasks().sort()).toEqual(Array.from({ length: PARTITIONS }, (_, p) => `0_${p}`).sort());

    const c = await start('c');
    await waitFor(() => c.assignedTasks().length >= 2 && new Set(tasks()).size === PARTITIONS && tasks().length === PARTITIONS, {
      timeoutMs: 60_000,
      description: () => `a=${a.assignedTasks()} b=${b.assignedTasks()} c=${c.assignedTasks()}`,
    });
    await a.close();
    apps.delete('a');
    await waitFor(() => b.assignedTasks().length + c.assignedTasks().length === PARTITIONS, { timeoutMs: 60_000, description: () => `b=${b.assignedTasks()} c=${c.assignedTasks()}` });
    const settled = load.produced();
    await waitFor(() => load.produced() >= settled + 800, { timeoutMs: 30_000, description: 'more records produced after a left' });
    await load.stop();
    await waitFor(() => [...apps.values()].every((app) => app.state === 'RUNNING'), { timeoutMs: 30_000, description: () => [...apps.values()].map((app) => app.state).join(',') });
    return { output, produced: load.produced() };
  } finally {
    await load.stop();
    await Promise.all([...apps.values()].map((app) => app.close()));
  }
}

describe.runIf(platformatic)('KIP-848 consumer groups', () => {
  it('the broker assigns whole tasks, and members join and leave while records flow with nothing repeated', async () => {
    const { output, produced } = await joinAndLeave('kip848', { commitIntervalMs: 60_000 });
    await expectEachOnce(output, produced);
  }, 240_000);
});
