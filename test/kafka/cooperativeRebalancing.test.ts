// Cooperative rebalancing (issue 15): on a client that can do it (@platformatic/kafka), an
// instance goes on processing the tasks it keeps while the group rebalances, and a task that
// moves is committed by its old owner before its new owner starts it. So members joining and
// leaving while records flow neither stop the tasks that stay nor duplicate a record, even at
// least once. KafkaJS rebalances eagerly: this file runs in the platformatic pass of the
// integration tests (`TRIBUTARY_CLIENT=platformatic`, part of `npm test`).
import { StreamsBuilder, type StreamsState, type Topology } from '@tributary/core';
import type { KafkaStreams, KafkaStreamsOptions } from '@tributary/kafka';
import { describe, expect, it } from 'vitest';
import { createKafka, createTopic, uniqueName, waitFor, withAdmin } from '../harness';
import { readJson, startApp } from './support';

const PARTITIONS = 8;
const cooperativeClient = process.env.TRIBUTARY_CLIENT === 'platformatic';

interface Processed {
  readonly instance: string;
  readonly task: number;
  readonly state: StreamsState | undefined;
}

/** Tags each record with the instance that processed it, and notes the instance's state then. */
function tagging(input: string, output: string, instance: string, app: () => KafkaStreams | undefined, seen: Processed[]): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream<string, { id: number }>(input)
    .peek((_key, value) => seen.push({ instance, task: value.id % PARTITIONS, state: app()?.state }))
    .mapValues((value) => ({ ...value, by: instance }))
    .to(output);
  return builder.build();
}

describe.runIf(cooperativeClient)('cooperative rebalancing', () => {
  it('goes on processing the tasks that stay while the group rebalances, and duplicates nothing as members join and leave', async () => {
    const input = uniqueName('coop-in');
    const output = uniqueName('coop-out');
    await createTopic(input, PARTITIONS);
    await createTopic(output, PARTITIONS);
    const applicationId = uniqueName('coop-app');
    const seen: Processed[] = [];
    const apps = new Map<string, KafkaStreams>();
    const start = async (instance: string, overrides: Partial<KafkaStreamsOptions>) => {
      const app = await startApp(tagging(input, output, instance, () => apps.get(instance), seen), { applicationId, commitIntervalMs: 60_000, ...overrides });
      apps.set(instance, app);
      return app;
    };

    // A steady stream, keyed so that record `id` lands on partition `id % 8`.
    const producer = createKafka({ clientId: 'coop-producer' }).producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    let produced = 0;
    let producing = true;
    const stream = (async () => {
      while (producing) {
        const messages = Array.from({ length: 80 }, (_, i) => ({ partition: (produced + i) % PARTITIONS, key: `k${produced + i}`, value: JSON.stringify({ id: produced + i }) }));
        await producer.send({ topic: input, messages, acks: -1 });
        produced += messages.length;
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
    })();
    try {
      const a = await start('a', { heartbeatIntervalMs: 300 });
      // b hears of rebalances late: a rebalance waits for it, so the others stay REBALANCING for seconds.
      const b = await start('b', { heartbeatIntervalMs: 4_000, sessionTimeoutMs: 20_000 });
      await waitFor(() => a.assignedTasks().length === 4 && b.assignedTasks().length === 4, { timeoutMs: 60_000, description: () => `a=${a.assignedTasks()} b=${b.assignedTasks()}` });
      const c = await start('c', { heartbeatIntervalMs: 300 });
      await waitFor(() => a.assignedTasks().length + b.assignedTasks().length + c.assignedTasks().length === 8 && c.assignedTasks().length >= 2, {
        timeoutMs: 60_000,
        description: () => `a=${a.assignedTasks()} b=${b.assignedTasks()} c=${c.assignedTasks()}`,
      });
      // a leaves: its tasks go to b and c.
      await a.close();
      apps.delete('a');
      await waitFor(() => b.assignedTasks().length + c.assignedTasks().length === 8, { timeoutMs: 60_000, description: () => `b=${b.assignedTasks()} c=${c.assignedTasks()}` });
      const settled = produced;
      await waitFor(() => produced >= settled + 800, { timeoutMs: 30_000, description: () => 'more records produced after the last rebalance' });
      producing = false;
      await stream;

      const records = await readJson<{ id: number }>(output, produced, 120_000);
      const counts = new Map<number, number>();
      for (const r of records) counts.set(r.json.id, (counts.get(r.json.id) ?? 0) + 1);
      const missing = Array.from({ length: produced }, (_, id) => id).filter((id) => !counts.has(id));
      const written = await outputRecords(output);
      expect({ missing: missing.length, duplicates: written - produced }).toEqual({ missing: 0, duplicates: 0 });
      // While c joined, a waited for b to rejoin, and went on with the tasks it kept meanwhile.
      expect(seen.filter((p) => p.instance === 'a' && p.state === 'REBALANCING').length).toBeGreaterThan(0);
      for (const app of apps.values()) expect(app.state).toBe('RUNNING');
    } finally {
      producing = false;
      await stream.catch(() => undefined);
      await producer.disconnect();
      await Promise.all([...apps.values()].map((app) => app.close()));
    }
  }, 240_000);
});

/** Records in `topic`: the sum of its partitions' log-end offsets (no transactions write to it). */
async function outputRecords(topic: string): Promise<number> {
  const offsets = await withAdmin((admin) => admin.fetchTopicOffsets(topic));
  return offsets.reduce((sum, o) => sum + Number(o.high), 0);
}
