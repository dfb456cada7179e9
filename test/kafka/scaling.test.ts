// Scaling out: instances of one application share the partitions (by task), and one that
// joins takes some over; nothing is lost on the way.
import { StreamsBuilder, type Topology } from '@tributary/core';
import type { KafkaStreams } from '@tributary/kafka';
import { describe, expect, it } from 'vitest';
import { createTopic, produce, uniqueName, waitFor } from '../harness';
import { readJson, startApp, waitForState } from './support';

interface Order {
  id: number;
}

/** Tags each record with the instance that processed it. */
function tagging(input: string, output: string, instance: string): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream<string, Order>(input)
    .mapValues((order) => ({ ...order, by: instance }))
    .to(output);
  return builder.build();
}

const PARTITIONS = 6;
const allTasks = Array.from({ length: PARTITIONS }, (_, p) => `0_${p}`);

function expectPartitioned(apps: KafkaStreams[]): void {
  const owned = apps.map((a) => a.assignedTasks());
  expect(owned.flat().sort()).toEqual([...allTasks].sort());
  for (const tasks of owned) expect(tasks.length).toBe(PARTITIONS / apps.length);
}

describe('several instances of one application', () => {
  it('share the partitions, and a third one joining takes some, with every record processed', async () => {
    const input = uniqueName('orders');
    const output = uniqueName('tagged');
    await createTopic(input, PARTITIONS);
    await createTopic(output, PARTITIONS);
    const applicationId = uniqueName('scaling-app');
    const orders = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ key: `o${from + i}`, value: JSON.stringify({ id: from + i }) }));

    await produce(input, orders(0, 600));
    await using a = await startApp(tagging(input, output, 'a'), { applicationId });
    await using b = await startApp(tagging(input, output, 'b'), { applicationId });
    await waitFor(() => a.assignedTasks().length + b.assignedTasks().length === PARTITIONS && a.state === 'RUNNING' && b.state === 'RUNNING', {
      timeoutMs: 60_000,
      description: () => `a=${a.assignedTasks()} b=${b.assignedTasks()}`,
    });
    expectPartitioned([a, b]);
    const before = { a: a.assignedTasks(), b: b.assignedTasks() };
    await readJson(output, 600);

    // A third instance joins while records flow.
    const joining = startApp(tagging(input, output, 'c'), { applicationId });
    await produce(input, orders(600, 600));
    await using c = await joining;
    await waitFor(() => [a, b, c].every((x) => x.state === 'RUNNING' && x.assignedTasks().length === 2), {
      timeoutMs: 60_000,
      description: () => `a=${a.assignedTasks()} b=${b.assignedTasks()} c=${c.assignedTasks()}`,
    });
    expectPartitioned([a, b, c]);
    // Sticky: the old members kept tasks they had.
    expect(a.assignedTasks().every((t) => before.a.includes(t))).toBe(true);
    expect(b.assignedTasks().every((t) => before.b.includes(t))).toBe(true);

    await produce(input, orders(1200, 600));
    const expected = 1800;
    const out = await readJson<Order & { by: string }>(output, expected);
    const ids = new Set(out.map((m) => m.json.id));
    expect(ids.size).toBe(expected);
    // The newcomer processed part of the last batch.
    expect(out.some((m) => m.json.by === 'c' && m.json.id >= 1200)).toBe(true);
    await waitForState(c, 'RUNNING');
  });

  it('started at the same moment, both create what the topology needs and run, whoever created a topic first', async () => {
    const input = uniqueName('orders');
    const output = uniqueName('tagged');
    await createTopic(input, PARTITIONS);
    await createTopic(output, PARTITIONS);
    const applicationId = uniqueName('together-app');
    // A changelogged count: internal topics both instances try to create.
    const counting = () => {
      const builder = new StreamsBuilder();
      builder.stream<string, Order>(input).groupByKey().count({ name: 'per-order' }).toStream().to(output);
      return builder.build();
    };
    const [a, b] = await Promise.all([startApp(counting(), { applicationId }), startApp(counting(), { applicationId })]);
    await using _a = a;
    await using _b = b;
    await waitFor(() => a.state === 'RUNNING' && b.state === 'RUNNING' && a.assignedTasks().length + b.assignedTasks().length === PARTITIONS, {
      timeoutMs: 60_000,
      description: () => `a=${a.state} ${a.assignedTasks()} b=${b.state} ${b.assignedTasks()}`,
    });
  });
});
