// Exactly-once (processingGuarantee: 'exactly_once'): an instance killed with SIGKILL while
// records flow leaves no duplicate in what read_committed consumers see, and the counts kept
// in a store (restored by the survivors from its changelog) are exact.
import { describe, expect, it } from 'vitest';
import { brokers, createTopic, kafkaTool, produce, uniqueName, waitFor } from '../harness';
import { spawnChildApp } from './childApp';
import { countingTopology } from './fixtures/topologies';
import { readUntil, startApp } from './support';

const PARTITIONS = 4;
const RECORDS = 40_000;
const CHUNK = 4_000;
const GROUPS = 10;

const chunk = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ key: `o${from + i}`, value: JSON.stringify({ id: from + i }) }));

describe('exactly-once', () => {
  it('killed with SIGKILL mid-stream: no duplicate output, exact counts', async () => {
    const input = uniqueName('eos-in');
    const output = uniqueName('eos-out');
    const counts = uniqueName('eos-counts');
    await createTopic(input, PARTITIONS);
    await createTopic(output, PARTITIONS);
    await createTopic(counts, 2);
    const applicationId = uniqueName('eos-app');
    const options = { applicationId, sessionTimeoutMs: 6_000, processingGuarantee: 'exactly_once' as const };

    await using a = await startApp(countingTopology(input, output, counts, 'a'), options);
    const child = spawnChildApp({ APP_ID: applicationId, INPUT: input, OUTPUT: output, COUNTS: counts, INSTANCE: 'child', GUARANTEE: 'exactly_once' });
    try {
      // Two sub-topologies of four tasks: each instance runs four.
      await waitFor(() => a.assignedTasks().length === PARTITIONS && (child.last('progress')?.tasks as string[] | undefined)?.length === PARTITIONS && a.state === 'RUNNING', {
        timeoutMs: 60_000,
        description: () => `the child to share the tasks (a=${a.assignedTasks()}, child=${JSON.stringify(child.last('progress'))})`,
      });
      let produced = 0;
      while (produced < RECORDS / 2) {
        await produce(input, chunk(produced, CHUNK));
        produced += CHUNK;
      }
      await waitFor(() => (child.last('progress')?.processed as number) > RECORDS / 4 && child.last('commit'), { timeoutMs: 60_000, description: 'the child to process and commit' });
      child.process.kill('SIGKILL');
      expect((await child.exited).signal).toBe('SIGKILL');
      while (produced < RECORDS) {
        await produce(input, chunk(produced, CHUNK));
        produced += CHUNK;
      }
      await waitFor(() => a.assignedTasks().length === 2 * PARTITIONS && a.state === 'RUNNING', {
        timeoutMs: 60_000,
        description: () => `the survivor to own every task (a=${a.assignedTasks()}, ${a.state})`,
      });

      const ids = new Set<number>();
      let scanned = 0;
      const out = await readUntil<{ id: number }>(
        output,
        (messages) => {
          for (; scanned < messages.length; scanned++) ids.add(messages[scanned]!.json.id);
          return ids.size >= RECORDS;
        },
        { description: `all ${RECORDS} ids on the output` },
      );
      expect(ids.size).toBe(RECORDS);
      // read_committed: the dead instance's open transaction was aborted, nothing came twice.
      expect(out).toHaveLength(RECORDS);

      const expected = new Map(Array.from({ length: GROUPS }, (_, g) => [`g${g}`, RECORDS / GROUPS]));
      // Records of one key are on one partition, in offset order: the last one read is the latest.
      const latest = new Map<string, number>();
      let read = 0;
      await readUntil<number>(
        counts,
        (messages) => {
          for (; read < messages.length; read++) latest.set(messages[read]!.text!, messages[read]!.json);
          return latest.size === GROUPS && [...expected].every(([group, n]) => latest.get(group) === n);
        },
        { description: 'the final counts' },
      );
      for (const [group, count] of expected) expect(a.store<string, number>('per-group').get(group)).toBe(count);
    } finally {
      child.process.kill('SIGKILL');
    }
  });

  it('stopped and started again, restores its store from a transactional changelog and counts on exactly', async () => {
    const input = uniqueName('eos-restart-in');
    const output = uniqueName('eos-restart-out');
    const counts = uniqueName('eos-restart-counts');
    await createTopic(input, 2);
    await createTopic(output, 2);
    await createTopic(counts, 2);
    const options = { applicationId: uniqueName('eos-restart'), processingGuarantee: 'exactly_once' as const };
    await produce(input, chunk(0, 3_000));
    {
      await using app = await startApp(countingTopology(input, output, counts, 'first'), options);
      await waitFor(() => app.store<string, number>('per-group').get('g0') === 300, { timeoutMs: 60_000, description: 'the first counts' });
    }
    await produce(input, chunk(3_000, 2_000));
    await using app = await startApp(countingTopology(input, output, counts, 'second'), options);
    await waitFor(() => app.state === 'RUNNING' && app.metrics().processed >= 2 * 2_000, { timeoutMs: 60_000, description: 'the second batch' });
    for (let g = 0; g < GROUPS; g++) expect(app.store<string, number>('per-group').get(`g${g}`)).toBe(500);
    // The restore read the changelog up to its end, transaction markers included.
    expect(app.metrics().restore.every((r) => r.restored === r.total)).toBe(true);
    expect(app.metrics().restore.some((r) => r.total > 0)).toBe(true);
  });

  it('writes through one transactional producer per instance on a client with KIP-447, one per task otherwise', async () => {
    const input = uniqueName('eos-ids-in');
    const output = uniqueName('eos-ids-out');
    const counts = uniqueName('eos-ids-counts');
    await createTopic(input, PARTITIONS);
    await createTopic(output, PARTITIONS);
    await createTopic(counts, 2);
    const applicationId = uniqueName('eos-ids-app');
    await using app = await startApp(countingTopology(input, output, counts, 'a'), { applicationId, processingGuarantee: 'exactly_once' });
    await produce(input, chunk(0, 400));
    await readUntil(output, (records) => records.length >= 400, { timeoutMs: 60_000 });
    const listed = await kafkaTool('org.apache.kafka.tools.TransactionsCommand', ['--bootstrap-server', brokers().join(','), 'list']);
    const ids = listed.stdout
      .split('\n')
      .map((line) => line.trim().split(/\s+/)[0] ?? '')
      .filter((id) => id.startsWith(`${applicationId}-`));
    // Two sub-topologies of four tasks each run here.
    if (process.env.TRIBUTARY_CLIENT === 'platformatic') expect(ids).toEqual([expect.stringMatching(new RegExp(`^${applicationId}-[0-9a-f-]{36}$`))]);
    else expect(ids.sort()).toEqual(app.assignedTasks().map((task) => `${applicationId}-${task}`).sort());
  }, 120_000);
});
