// Standby replicas on a real broker (issue 12, item 3): an instance keeps warm copies of the
// other instance's tasks; when that instance is killed with SIGKILL, the survivor takes its
// tasks over from the copies, restoring only what they had not read, and the counts equal an
// independent count of the input. In memory under at-least-once, on LMDB under exactly-once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StreamsEvent } from '@tributary/core';
import { KafkaStreams } from '@tributary/kafka';
import { createTopic, uniqueName, waitFor } from '../harness';
import { spawnChildApp } from './childApp';
import { persistentCountTopology } from './fixtures/topologies';
import { committedOffsets, produceCounted, testOptions } from './support';

const PARTITIONS = 4;
const KEYS = 40;
const stateRoot = mkdtempSync(join(tmpdir(), 'tributary-standby-'));
afterAll(() => rmSync(stateRoot, { recursive: true, force: true }));

type Restore = Extract<StreamsEvent, { type: 'restore' }>;


const cases = [
  { guarantee: 'at_least_once', stores: 'in memory' },
  { guarantee: 'exactly_once', stores: 'LMDB' },
] as const;

describe.each(cases)('standby replicas ($guarantee, stores $stores)', ({ guarantee, stores }) => {
  it("a killed instance's tasks move to the instance with their standbys, which restores only the tail, and the counts stay exact", async () => {
    const input = uniqueName('standby-in');
    await createTopic(input, PARTITIONS);
    const applicationId = uniqueName('standby-app');
    const stateDir = stores === 'LMDB' ? join(stateRoot, guarantee) : undefined;
    const counts = new Map<string, number>();
    await produceCounted(input, 0, 4_000, KEYS, counts);

    const child = spawnChildApp({ APP_ID: applicationId, INPUT: input, INSTANCE: 'doomed', GUARANTEE: guarantee, STANDBYS: '1', ...(stateDir ? { STATE_DIR: join(stateDir, 'doomed') } : {}) }, 'persistentApp');
    const survivor = new KafkaStreams(
      persistentCountTopology(input),
      testOptions({ applicationId, processingGuarantee: guarantee, numStandbyReplicas: 1, sessionTimeoutMs: 6_000, ...(stateDir ? { stateDir: join(stateDir, 'survivor') } : {}) }),
    );
    const restores: Restore[] = [];
    survivor.events.subscribe((event) => event.type === 'restore' && restores.push(event));
    try {
      await waitFor(() => (child.last('progress')?.tasks as string[] | undefined)?.length === PARTITIONS, { timeoutMs: 60_000, description: () => `the first instance to run every task (${JSON.stringify(child.last('progress') ?? child.last('error'))})` });
      await survivor.start();
      // Two instances: two tasks each, and a standby of each of the other's.
      await waitFor(() => survivor.assignedTasks().length === 2 && survivor.standbyTasks().length === 2, {
        timeoutMs: 60_000,
        description: () => `two tasks and two standbys on the survivor (tasks ${survivor.assignedTasks()}, standbys ${survivor.standbyTasks()})`,
      });
      const doomedTasks = survivor.standbyTasks();
      expect(new Set([...doomedTasks, ...survivor.assignedTasks()]).size).toBe(PARTITIONS);
      await produceCounted(input, 4_000, 2_000, KEYS, counts);
      // At-least-once would count what came after the last commit twice after a crash: kill once all is committed.
      await waitFor(async () => [...(await committedOffsets(applicationId, input)).values()].reduce((a, b) => a + b, 0) === 6_000, { timeoutMs: 60_000, description: 'every input record committed' });
      // The standbys have read their changelogs to the end: what the survivor's copy of each key says.
      await waitFor(() => survivor.store<string, number>('counts', { staleReads: true }).all().length === KEYS, { timeoutMs: 30_000, description: 'the standby copies to hold every key' });

      child.process.kill('SIGKILL');
      expect((await child.exited).signal).toBe('SIGKILL');
      await produceCounted(input, 6_000, 1_000, KEYS, counts);

      await waitFor(() => survivor.assignedTasks().length === PARTITIONS, { timeoutMs: 60_000, description: () => `the survivor to take every task (${survivor.assignedTasks()})` });
      const expected = [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
      await waitFor(() => JSON.stringify(survivor.store<string, number>('counts').all()) === JSON.stringify(expected), {
        timeoutMs: 60_000,
        description: () => `the counts to equal the input's (${JSON.stringify(survivor.store<string, number>('counts').all().slice(0, 4))}...)`,
      });
      // The moved tasks started from their standbys' positions: a handful of records, not the ~1,500 of their changelogs.
      const moved = restores.filter((r) => doomedTasks.includes(`0_${r.partition}`) && r.restored === r.total && r.remainingMs === 0);
      expect(new Set(moved.map((r) => r.partition)).size).toBe(2);
      for (const r of moved) {
        expect(r.fromCheckpoint).toBe(true);
        expect(r.startOffset).toBeGreaterThan(0);
        expect(r.total).toBeLessThan(KEYS);
      }
      expect(survivor.standbyTasks()).toEqual([]); // one instance left: no other member to keep copies
    } finally {
      child.process.kill('SIGKILL');
      await survivor.close();
    }
  });
});
