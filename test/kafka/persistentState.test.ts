// Persistent stores on a real broker (issue 12): an application on LMDB stores is killed
// with SIGKILL and restarted on the same stateDir; its counts must equal an independent
// count of the input, under at-least-once and exactly-once. With a checkpoint, a restart
// restores only what the changelog got since; a second instance on the same stateDir fails.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StreamsEvent } from '@tributary/core';
import { KafkaStreams } from '@tributary/kafka';
import { createTopic, uniqueName, waitFor, withAdmin } from '../harness';
import { spawnChildApp } from './childApp';
import { persistentCountTopology } from './fixtures/topologies';
import { committedOffsets, produceCounted, testOptions } from './support';

const PARTITIONS = 2;
const KEYS = 40;
const stateRoot = mkdtempSync(join(tmpdir(), 'tributary-persistent-'));
afterAll(() => rmSync(stateRoot, { recursive: true, force: true }));

type Restore = Extract<StreamsEvent, { type: 'restore' }>;


async function waitForCommittedEnd(applicationId: string, input: string, total: number): Promise<void> {
  await waitFor(async () => [...(await committedOffsets(applicationId, input)).values()].reduce((a, b) => a + b, 0) === total, {
    timeoutMs: 60_000,
    description: `the group to commit all ${total} input records`,
  });
}

async function expectExactCounts(app: KafkaStreams, counts: Map<string, number>): Promise<void> {
  const expected = [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  await waitFor(() => JSON.stringify(app.store<string, number>('counts').all()) === JSON.stringify(expected), {
    timeoutMs: 60_000,
    description: () => `the counts to equal the input's (${JSON.stringify(app.store<string, number>('counts').all().slice(0, 5))}... vs ${JSON.stringify(expected.slice(0, 5))}...)`,
  });
}

function restoresOf(app: KafkaStreams): Restore[] {
  const restores: Restore[] = [];
  app.events.subscribe((event) => {
    if (event.type === 'restore') restores.push(event);
  });
  return restores;
}

describe.each(['at_least_once', 'exactly_once'] as const)('an application on LMDB stores (%s)', (guarantee) => {
  it('killed with SIGKILL and restarted on the same stateDir continues with exact counts; a second instance on it fails', async () => {
    const input = uniqueName('lmdb-in');
    await createTopic(input, PARTITIONS);
    const applicationId = uniqueName('lmdb-app');
    const stateDir = join(stateRoot, guarantee);
    const counts = new Map<string, number>();
    await produceCounted(input, 0, 2_000, KEYS, counts);

    const child = spawnChildApp({ APP_ID: applicationId, INPUT: input, INSTANCE: 'child', GUARANTEE: guarantee, STATE_DIR: stateDir }, 'persistentApp');
    try {
      await waitFor(() => (child.last('progress')?.processed as number) >= 2_000, { timeoutMs: 90_000, description: () => `the child to process the input (${JSON.stringify(child.last('progress') ?? child.last('error'))})` });
      // At-least-once may count a record twice after a crash (it reprocesses what came after the last commit):
      // the kill comes once everything is committed and checkpointed. Exactly-once is exact whenever it dies;
      // it dies with 1,000 more records in flight, once the first 2,000 are committed, so that the committed
      // changelog it leaves is long enough to tell a full restore from a checkpointed one.
      await waitForCommittedEnd(applicationId, input, 2_000);
      if (guarantee === 'at_least_once') {
        await new Promise((resolve) => setTimeout(resolve, 1_000)); // two commit intervals: the checkpoint follows the commit
      } else {
        await produceCounted(input, 2_000, 1_000, KEYS, counts);
      }
      child.process.kill('SIGKILL');
      expect((await child.exited).signal).toBe('SIGKILL');
    } finally {
      child.process.kill('SIGKILL');
    }

    await produceCounted(input, 3_000, 1_000, KEYS, counts);
    // The dead process's lock is stale: the new instance takes the directory over.
    const restarted = new KafkaStreams(persistentCountTopology(input), testOptions({ applicationId, stateDir, processingGuarantee: guarantee, sessionTimeoutMs: 6_000 }));
    const restores = restoresOf(restarted);
    try {
      await restarted.start();
      await expectExactCounts(restarted, counts);
      const finished = restores.filter((r) => r.restored === r.total && r.remainingMs === 0);
      expect(new Set(finished.map((r) => r.partition))).toEqual(new Set([0, 1]));
      if (guarantee === 'at_least_once') {
        // Restored from the checkpoints: nothing or a few records, not the changelog's 2,000-odd.
        for (const r of finished) expect(r.fromCheckpoint).toBe(true);
        expect(finished.reduce((n, r) => n + r.total, 0)).toBeLessThan(KEYS);
      } else {
        // A crash under exactly-once leaves no checkpoint: the stores were wiped and restored in full
        // (up to the changelog's last stable offset: the dead instance's open transaction is not restored).
        for (const r of finished) expect([r.fromCheckpoint, r.startOffset]).toEqual([false, 0]);
        expect(finished.reduce((n, r) => n + r.total, 0)).toBeGreaterThan(1_000);
      }

      const second = new KafkaStreams(persistentCountTopology(input), testOptions({ applicationId, stateDir, processingGuarantee: guarantee }));
      await expect(second.start()).rejects.toThrow(`the state directory ${join(stateDir, applicationId)} is locked by another KafkaStreams instance in this process`);
      await second.close();
      // Everything committed before the close (under exactly-once a transaction still open
      // at close may not make it in time on a loaded machine, and then no checkpoint is due).
      await waitFor(
        async () => {
          const [committed, ends] = await Promise.all([committedOffsets(applicationId, input), topicEnds(input)]);
          return [...ends].every(([partition, end]) => committed.get(partition) === end);
        },
        { timeoutMs: 30_000, description: 'every input record committed' },
      );
    } finally {
      await restarted.close();
    }

    // After a clean close, both guarantees checkpoint: the next start restores nothing.
    await using again = new KafkaStreams(persistentCountTopology(input), testOptions({ applicationId, stateDir, processingGuarantee: guarantee, sessionTimeoutMs: 6_000 }));
    const againRestores = restoresOf(again);
    await again.start();
    await expectExactCounts(again, counts);
    expect(new Set(againRestores.map((r) => r.partition))).toEqual(new Set([0, 1]));
    for (const r of againRestores) expect([r.fromCheckpoint, r.total]).toEqual([true, 0]);
  });
});

/** Each partition's log-end offset. */
async function topicEnds(topic: string): Promise<Map<number, number>> {
  return withAdmin(async (admin) => new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)])));
}
