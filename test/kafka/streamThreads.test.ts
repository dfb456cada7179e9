// StreamThreads: one process, several stream threads (worker threads), each a member of the
// group with its own tasks, behind one HTTP server. The application runs in a child process
// (test/kafka/fixtures/threadedApp.ts), as a user's would; an independent consumer reads its output.
import { describe, expect, it } from 'vitest';
import { createTopic, produce, uniqueName, waitFor } from '../harness';
import { spawnChildApp, type ChildApp } from './childApp';
import { committedOffsets, readJson } from './support';

const PARTITIONS = 4;
const RECORDS = 4_000;

interface ThreadLine {
  readonly threadName: string;
  readonly threadState: string;
  readonly activeTasks: readonly string[];
}

async function get(url: string): Promise<{ status: number; text: string; servedBy: string | null }> {
  const response = await fetch(url);
  return { status: response.status, text: await response.text(), servedBy: response.headers.get('x-tributary-served-by') };
}

async function topics(): Promise<{ input: string; output: string; applicationId: string }> {
  const input = uniqueName('threads-in');
  const output = uniqueName('threads-out');
  await createTopic(input, PARTITIONS);
  await createTopic(output, PARTITIONS);
  return { input, output, applicationId: uniqueName('threads-app') };
}

async function stop(child: ChildApp): Promise<void> {
  if (child.process.exitCode === null) child.process.kill('SIGTERM');
  await child.exited;
}

describe('StreamThreads', () => {
  it('runs two stream threads in one process, each with its own tasks, behind one HTTP server', async () => {
    const { input, output, applicationId } = await topics();
    const child = spawnChildApp({ APP_ID: applicationId, INPUT: input, OUTPUT: output, INSTANCE: 'threads', NUM_THREADS: '2' }, 'threadedApp');
    try {
      await waitFor(() => child.last('started') ?? child.last('startFailed'), { timeoutMs: 60_000, description: 'the threads to start' });
      expect(child.last('startFailed')).toBeUndefined();
      const http = child.last('started')!.http as string;
      // Both threads joined the group and split the four tasks between them.
      await waitFor(
        async () => {
          const ready = await get(`${http}/ready`);
          return ready.status === 200 && (JSON.parse(ready.text) as { tasks: { running: number } }).tasks.running === PARTITIONS;
        },
        { timeoutMs: 60_000, description: 'both threads running all four tasks' },
      );
      const threads = (await waitFor(
        async () => {
          const metadata = (await get(`${http}/metadata`)).text;
          const instances = (JSON.parse(metadata) as { instances: { hostInfo: { port: number }; taskIds: string[] }[] }).instances;
          return instances.length === 2 && instances.every((i) => i.taskIds.length === PARTITIONS / 2) ? instances : undefined;
        },
        { timeoutMs: 30_000, description: 'each thread advertising two tasks' },
      ))!;

      const records = Array.from({ length: RECORDS }, (_, id) => ({ key: `c${id % 200}`, value: JSON.stringify({ id }) }));
      await produce(input, records);
      const out = await readJson<{ id: number; by: string }>(output, RECORDS);
      expect(new Set(out.map((m) => m.json.id)).size).toBe(RECORDS);
      // Each partition's records were tagged by the one thread that owns its task, and both threads worked.
      const byPartition = new Map<number, Set<string>>();
      for (const m of out) byPartition.set(m.partition, (byPartition.get(m.partition) ?? new Set()).add(m.json.by));
      for (const names of byPartition.values()) expect(names.size).toBe(1);
      const names = new Set(out.map((m) => m.json.by));
      expect([...names].sort()).toEqual([expect.stringMatching(/-StreamThread-1$/), expect.stringMatching(/-StreamThread-2$/)]);

      // The process's metrics() merge the threads' snapshots.
      await waitFor(() => (child.last('progress')?.processed as number) >= RECORDS, { timeoutMs: 30_000, description: () => `metrics() to count every record (${JSON.stringify(child.last('progress'))})` });
      expect(child.last('progress')!.tasks).toEqual(['0_0', '0_1', '0_2', '0_3']);

      // One scrape reports both threads under their thread_id.
      const metrics = await waitFor(
        async () => {
          const text = (await get(`${http}/metrics`)).text;
          const processed = [...text.matchAll(/^kafka_streams_process_total\{thread_id="([^"]+)".*\} (\d+)$/gm)];
          return processed.length === 2 && processed.reduce((n, m) => n + Number(m[2]), 0) >= RECORDS ? text : undefined;
        },
        { timeoutMs: 30_000, description: 'both threads in /metrics' },
      );
      expect(metrics).toMatch(/^kafka_streams_alive_stream_threads\{[^}]*\} 2$/m);
      for (const name of names) expect(metrics).toContain(`thread_id="${name}"`);

      // A store query at the process's server is answered by the thread that owns the key.
      const servedBy = new Set<string>();
      for (let c = 0; c < 20; c++) {
        const answer = await get(`${http}/stores/counts/keys/c${c}`);
        expect(answer.status).toBe(200);
        expect(JSON.parse(answer.text)).toEqual({ store: 'counts', key: `c${c}`, value: RECORDS / 200 });
        servedBy.add(answer.servedBy!);
      }
      expect([...servedBy].sort()).toEqual(threads.map((t) => `127.0.0.1:${t.hostInfo.port}`).sort());
      const all = JSON.parse((await get(`${http}/stores/counts/all?limit=10000`)).text) as { entries: unknown[] };
      expect(all.entries).toHaveLength(200);

      // SIGTERM closes every thread (each commits what it processed and leaves the group), then
      // ends the process as the signal would have.
      child.process.kill('SIGTERM');
      expect((await child.exited).signal).toBe('SIGTERM');
      expect(child.last('closed')).toBeDefined();
      const committed = await committedOffsets(applicationId, input);
      expect([...committed.values()].reduce((n, o) => n + o, 0)).toBe(RECORDS);
    } finally {
      await stop(child);
    }
  });

  it('fails start() naming the thread whose topology module threw', async () => {
    const { input, output, applicationId } = await topics();
    const child = spawnChildApp({ APP_ID: applicationId, INPUT: input, OUTPUT: output, INSTANCE: 'threads', NUM_THREADS: '2', FAIL_IN_THREAD: '2' }, 'threadedApp');
    try {
      const { code } = await child.exited;
      expect(code).toBe(3);
      expect(child.last('startFailed')?.message).toMatch(/-StreamThread-2 was told to fail$/);
      expect(child.last('started')).toBeUndefined();
    } finally {
      await stop(child);
    }
  });

  it('stops every thread and reports ERROR when one thread fails at run time', async () => {
    const { input, output, applicationId } = await topics();
    const child = spawnChildApp({ APP_ID: applicationId, INPUT: input, OUTPUT: output, INSTANCE: 'threads', NUM_THREADS: '2', FAIL_ON_ID: '7' }, 'threadedApp');
    try {
      await waitFor(() => child.last('started') ?? child.last('startFailed'), { timeoutMs: 60_000, description: 'the threads to start' });
      const http = child.last('started')!.http as string;
      await produce(input, Array.from({ length: 20 }, (_, id) => ({ key: `c${id}`, value: JSON.stringify({ id }) })));
      await waitFor(() => child.lines.some((l) => l.event === 'state' && l.to === 'ERROR'), { timeoutMs: 60_000, description: 'the process to reach ERROR' });
      const errors = child.lines.filter((l) => l.event === 'error').map((l) => l.message as string);
      expect(errors).toContainEqual(expect.stringMatching(/order 7 cannot be tagged$/));
      expect(errors).toContainEqual(expect.stringMatching(/-StreamThread-\d stopped in ERROR$/));
      const health = await get(`${http}/health`);
      expect(health.status).toBe(503);
      expect(JSON.parse(health.text)).toMatchObject({ status: 'DOWN', state: 'ERROR' });
      // The other thread was closed too: no thread is left alive.
      await waitFor(async () => /^kafka_streams_alive_stream_threads\{[^}]*\} 0$/m.test((await get(`${http}/metrics`)).text), {
        timeoutMs: 30_000,
        description: 'no stream thread alive',
      });
      child.process.kill('SIGTERM');
      expect((await child.exited).signal).toBe('SIGTERM');
    } finally {
      await stop(child);
    }
  });
});
