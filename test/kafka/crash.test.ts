// Fault tests with real processes: an instance killed with SIGKILL while 100,000 records
// flow (its partitions move to the survivors; nothing is lost; duplicates only after its
// last commit), and an instance stopped with SIGTERM (it closes: commits, leaves the group).
import { describe, expect, it } from 'vitest';
import { createTopic, produce, uniqueName, waitFor, waitForMessages } from '../harness';
import { spawnChildApp } from './childApp';
import { taggingTopology } from './fixtures/topologies';
import { committedOffsets, readJson, readUntil, startApp } from './support';

const PARTITIONS = 4;
const RECORDS = 100_000;
const CHUNK = 5_000;

const chunk = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ key: `o${from + i}`, value: JSON.stringify({ id: from + i }) }));

describe('an instance that dies', () => {
  it('killed with SIGKILL mid-stream: survivors take over, nothing is lost, duplicates only after its last commit', async () => {
    const input = uniqueName('crash-in');
    const output = uniqueName('crash-out');
    await createTopic(input, PARTITIONS);
    await createTopic(output, PARTITIONS);
    const applicationId = uniqueName('crash-app');
    const options = { applicationId, sessionTimeoutMs: 6_000 };

    await using a = await startApp(taggingTopology(input, output, 'a'), options);
    const child = spawnChildApp({ APP_ID: applicationId, INPUT: input, OUTPUT: output, INSTANCE: 'child' });
    try {
      await waitFor(() => a.assignedTasks().length === PARTITIONS / 2 && (child.last('state')?.to === 'RUNNING' || child.last('progress')), {
        timeoutMs: 60_000,
        description: () => `the child to share the partitions (a=${a.assignedTasks()}, child=${JSON.stringify(child.last('progress') ?? child.last('state'))})`,
      });
      await waitFor(() => (child.last('progress')?.tasks as string[] | undefined)?.length === PARTITIONS / 2, { timeoutMs: 30_000, description: 'the child to own two tasks' });
      const childTasks = child.last('progress')!.tasks as string[];

      // Records flow; the child dies half-way, mid-stream.
      let produced = 0;
      while (produced < RECORDS / 2) {
        await produce(input, chunk(produced, CHUNK));
        produced += CHUNK;
      }
      await waitFor(() => (child.last('progress')?.processed as number) > RECORDS / 8 && child.last('commit'), { timeoutMs: 60_000, description: 'the child to process and commit' });
      child.process.kill('SIGKILL');
      expect((await child.exited).signal).toBe('SIGKILL');
      const committedAtKill = await committedOffsets(applicationId, input);

      const survivor = startApp(taggingTopology(input, output, 'b'), options);
      while (produced < RECORDS) {
        await produce(input, chunk(produced, CHUNK));
        produced += CHUNK;
      }
      await using b = await survivor;
      // The survivors own everything once the group has expired the dead member.
      await waitFor(() => a.assignedTasks().length + b.assignedTasks().length === PARTITIONS, {
        timeoutMs: 60_000,
        description: () => `survivors to own all tasks (a=${a.assignedTasks()} b=${b.assignedTasks()})`,
      });

      const ids = new Set<number>();
      let scanned = 0;
      const out = await readUntil<{ id: number; by: string }>(
        output,
        (messages) => {
          for (; scanned < messages.length; scanned++) ids.add(messages[scanned]!.json.id);
          return ids.size >= RECORDS;
        },
        { description: `all ${RECORDS} ids on the output` },
      );
      const seen = new Map<number, number>();
      for (const m of out) seen.set(m.json.id, (seen.get(m.json.id) ?? 0) + 1);
      // None lost.
      expect(seen.size).toBe(RECORDS);
      for (let id = 0; id < RECORDS; id += 997) expect(seen.has(id)).toBe(true);

      // Duplicates only from after the last commit: each duplicated input offset is at or
      // after the offset the group had committed for its partition when the child died.
      const where = new Map<number, { partition: number; offset: number }>();
      for (const m of await waitForMessages(input, { count: RECORDS, timeoutMs: 120_000 })) {
        where.set(JSON.parse(m.value!.toString()).id as number, { partition: m.partition, offset: m.offset });
      }
      const duplicated = [...seen].filter(([, n]) => n > 1).map(([id]) => id);
      for (const id of duplicated) {
        const { partition, offset } = where.get(id)!;
        expect(offset).toBeGreaterThanOrEqual(committedAtKill.get(partition) ?? 0);
        // Only partitions the dead instance owned are read twice.
        expect(childTasks).toContain(`0_${partition}`);
      }
      console.info(`SIGKILL test: ${duplicated.length} duplicates of ${RECORDS} records; committed at kill: ${JSON.stringify([...committedAtKill])}`);
    } finally {
      child.process.kill('SIGKILL');
    }
  });

  it('stopped with SIGTERM: closes, commits what it processed and leaves the group', async () => {
    const input = uniqueName('term-in');
    const output = uniqueName('term-out');
    await createTopic(input, 2);
    await createTopic(output, 2);
    const applicationId = uniqueName('term-app');
    await produce(input, chunk(0, 1_000));
    const child = spawnChildApp({ APP_ID: applicationId, INPUT: input, OUTPUT: output, INSTANCE: 'child' });
    try {
      await waitFor(() => (child.last('progress')?.processed as number | undefined) === 1_000, { timeoutMs: 60_000, description: 'the child to process 1000 records' });
      child.process.kill('SIGTERM');
      const exit = await child.exited;
      // close() ran, then the signal was raised again: the process ends as SIGTERM would end it.
      expect(exit.signal).toBe('SIGTERM');
      expect(child.lines.filter((l) => l.event === 'state').map((l) => l.to)).toEqual(['REBALANCING', 'RUNNING', 'PENDING_SHUTDOWN', 'NOT_RUNNING']);
      const committed = await committedOffsets(applicationId, input);
      expect([...committed.values()].reduce((n, o) => n + o, 0)).toBe(1_000);
      expect(await readJson(output, 1_000)).toHaveLength(1_000);
    } finally {
      child.process.kill('SIGKILL');
    }
  });
});
