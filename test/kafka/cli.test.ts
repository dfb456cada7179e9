// The tributary CLI on a real broker, run as a child process as a user runs it: `run <module>
// --brokers` (its output read back by an independent consumer, closed by SIGINT), `lag` on the
// running application (a rate measured between commits), and `reset` (refused while a member is
// active, --dry-run changing nothing, then offsets, internal topics and local state), each result
// checked with an independent admin client.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { brokers, createKafka, createTopic, produce, repoRoot, uniqueName, waitFor, waitForMessages, withAdmin } from '../harness';

const bin = join(repoRoot, 'packages/cli/bin/tributary.mjs');
const module = join(repoRoot, 'test/kafka/fixtures/cliModule.ts');
const input = uniqueName('cli-orders');
const output = uniqueName('cli-country-counts');
const applicationId = uniqueName('cli-app');
const env = { ...process.env, CLI_TEST_INPUT: input, CLI_TEST_OUTPUT: output, CLI_TEST_APPLICATION_ID: applicationId };
const COUNTRIES = ['UK', 'FR', 'DE'];

interface Finished {
  code: number | null;
  out: string;
  err: string;
}

/** Starts the bin from another directory; `done` resolves when it exits. */
function start(args: string[]): { child: ChildProcess; output: () => Finished; done: Promise<Finished> } {
  const child = spawn(process.execPath, [bin, ...args], { cwd: tmpdir(), env });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk) => (out += String(chunk)));
  child.stderr!.on('data', (chunk) => (err += String(chunk)));
  const done = new Promise<Finished>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
  return { child, output: () => ({ code: child.exitCode, out, err }), done };
}

const tributary = (args: string[]) => start(args).done;

/** Orders as JSON lines, `count` of them, spread over the countries. */
// Recent timestamps: with the broker's default retention (7 days) records of an older time
// are deleted as soon as its retention check runs, and `reset --to-earliest` would find a
// later first offset.
const ordersBase = Date.now();

function ordersFile(count: number, from = 0): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tributary-cli-')), 'orders.jsonl');
  const lines = Array.from({ length: count }, (_, i) => JSON.stringify({ key: `customer-${from + i}`, value: { country: COUNTRIES[(from + i) % 3], amount: 1 }, timestamp: ordersBase + from + i }));
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function committed(groupId: string, topic: string): Promise<Map<number, number>> {
  const [offsets] = await withAdmin((admin) => admin.fetchOffsets({ groupId, topics: [topic] }));
  return new Map(offsets!.partitions.map((p) => [p.partition, Number(p.offset)]));
}

/** The latest count per country in the output topic, read by an independent consumer. */
async function latestCounts(records: number): Promise<Record<string, number>> {
  const messages = await waitForMessages(output, { count: records });
  const latest: Record<string, number> = {};
  for (const m of messages) latest[m.key!.toString()] = JSON.parse(m.value!.toString()) as number;
  return latest;
}

const runs: ChildProcess[] = [];
afterAll(async () => {
  for (const child of runs) if (child.exitCode === null) child.kill('SIGKILL');
  await withAdmin(async (admin) => {
    const topics = (await admin.listTopics()).filter((t) => t === input || t === output || t.startsWith(`${applicationId}-`));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  });
});

describe('tributary run <module> --brokers, lag and reset on a real broker', () => {
  it('runs the module as a KafkaStreams application until SIGINT, which closes it cleanly', async () => {
    await createTopic(input, 2);
    await createTopic(output, 2);
    const run = start(['run', module, '--brokers', brokers().join(','), '--input', `${input}=${ordersFile(30)}`]);
    runs.push(run.child);
    // 30 orders, 10 per country: the last count of each country is 10.
    await waitFor(async () => Object.values(await latestCounts(3)).length === 3, { timeoutMs: 90_000, description: 'the first counts' });
    await waitFor(async () => {
      const counts = await latestCounts(3);
      return COUNTRIES.every((c) => counts[c] === 10);
    }, { timeoutMs: 60_000, intervalMs: 1000, description: () => `counts of 10 per country (stderr: ${run.output().err})` });
    await waitFor(() => run.output().err.includes('[progress]'), { timeoutMs: 10_000, description: 'a progress line' });

    run.child.kill('SIGINT');
    const { code, out, err } = await run.done;
    expect(err).toContain(`Produced 30 records to '${input}'.`);
    expect(err).toContain('SIGINT: closing the application');
    expect(code, err).toBe(0);
    expect(out).toMatch(new RegExp(`^Application ${applicationId} closed after [\\d.ms]+: 30 input records consumed \\(60 with repartition topics\\)`));
    // Closed cleanly: everything committed, and the member left the group.
    const offsets = await committed(applicationId, input);
    expect([...offsets.values()].reduce((n, o) => n + o, 0)).toBe(30);
    const [group] = (await withAdmin((admin) => admin.describeGroups([applicationId]))).groups;
    expect(group!.members).toHaveLength(0);
  }, 180_000);

  it('lag measures the consumption rate between commits while the application runs, and says a stopped one is idle', async () => {
    const run = start(['run', module, '--brokers', brokers().join(',')]);
    runs.push(run.child);
    await waitFor(() => run.output().err.includes('[progress]'), { timeoutMs: 60_000, description: 'the application running' });
    // Records keep arriving while lag watches: 20 every 200 ms, about 100 a second.
    let producing = true;
    let produced = 0;
    const producer = (async () => {
      while (producing) {
        await produce(input, Array.from({ length: 20 }, (_, i) => ({ key: `c${produced + i}`, value: JSON.stringify({ country: COUNTRIES[i % 3], amount: 1 }) })));
        produced += 20;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    const lag = await tributary(['lag', '--application-id', applicationId, '--brokers', brokers().join(','), '--interval', '500ms', '--duration', '30s']);
    producing = false;
    await producer;
    expect(lag.code, lag.err).toBe(0);
    expect(lag.out).toMatch(new RegExp(`^Consumer group ${applicationId} on .*: Stable, 1 member`));
    const rows = lag.out.split('\n').filter((line) => line.startsWith(`${input} `));
    expect(rows).toHaveLength(2);
    const rates = rows.map((row) => row.trim().split(/\s+/).at(-1)!);
    for (const rate of rates) expect(rate).toMatch(/^\d+\.\d$/);
    const total = rates.reduce((n, r) => n + Number(r), 0);
    expect(total).toBeGreaterThan(20);
    expect(total).toBeLessThan(500);

    run.child.kill('SIGINT');
    expect((await run.done).code).toBe(0);
    // Stopped and caught up: every partition sits at its log-end, so the rate is 0 at once.
    const idle = await tributary(['lag', '--application-id', applicationId, '--brokers', brokers().join(','), '--interval', '300ms']);
    expect(idle.code, idle.err).toBe(0);
    expect(idle.out).toMatch(/Empty, 0 members/);
    for (const row of idle.out.split('\n').filter((line) => line.startsWith(`${input} `))) expect(row).toMatch(/ 0 +0\.0$/);
  }, 180_000);

  it('reset refuses while a member is active, changes nothing with --dry-run, then resets offsets, internal topics and local state', async () => {
    const internal = [`${applicationId}-orders-per-country-changelog`, `${applicationId}-orders-per-country-repartition`];
    const topicsBefore = await withAdmin((admin) => admin.listTopics());
    for (const topic of internal) expect(topicsBefore).toContain(topic);
    const offsetsBefore = await committed(applicationId, input);
    expect([...offsetsBefore.values()].every((o) => o > 0)).toBe(true);
    const stateDir = mkdtempSync(join(tmpdir(), 'tributary-state-'));
    mkdirSync(join(stateDir, applicationId, '0_0'), { recursive: true });
    mkdirSync(join(stateDir, 'another-app'));
    const resetArgs = ['reset', '--application-id', applicationId, '--input-topics', input, '--brokers', brokers().join(','), '--state-dir', stateDir];

    // An active member: refused, nothing changed.
    const member = createKafka({ clientId: 'cli-test-member' }).consumer({ groupId: applicationId });
    await member.connect();
    await member.subscribe({ topics: [input] });
    await member.run({ autoCommit: false, eachMessage: async () => {} });
    await waitFor(async () => ((await withAdmin((admin) => admin.describeGroups([applicationId]))).groups[0]?.members.length ?? 0) > 0, { timeoutMs: 30_000, description: 'the member in the group' });
    const refused = await tributary(resetArgs);
    await member.disconnect();
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(new RegExp(`^tributary reset: consumer group '${applicationId}' has 1 active member \\(state \\w+: cli-test-member`));

    const dryRun = await tributary([...resetArgs, '--dry-run']);
    expect(dryRun.code, dryRun.err).toBe(0);
    expect(dryRun.out).toContain(`Dry run: would reset application ${applicationId} (nothing is changed)`);
    for (const topic of internal) expect(dryRun.out).toContain(`  ${topic}\n`);
    expect(dryRun.out).toContain(`Local state: ${join(stateDir, applicationId)} (to remove)`);
    expect(await committed(applicationId, input)).toEqual(offsetsBefore);
    expect(await withAdmin((admin) => admin.listTopics())).toEqual(expect.arrayContaining(internal));
    expect(existsSync(join(stateDir, applicationId))).toBe(true);

    const reset = await tributary(resetArgs);
    expect(reset.code, reset.err).toBe(0);
    expect(reset.out).toContain(`Done: application ${applicationId} reset.`);
    const offsetsAfter = await committed(applicationId, input);
    expect([...offsetsAfter.keys()].sort()).toEqual([0, 1]);
    expect([...offsetsAfter.values()]).toEqual([0, 0]);
    await waitFor(async () => {
      const topics = await withAdmin((admin) => admin.listTopics());
      return internal.every((t) => !topics.includes(t));
    }, { timeoutMs: 30_000, description: 'the internal topics deleted' });
    const topicsAfter = await withAdmin((admin) => admin.listTopics());
    expect(topicsAfter).toContain(input);
    expect(topicsAfter).toContain(output);
    expect(existsSync(join(stateDir, applicationId))).toBe(false);
    expect(existsSync(join(stateDir, 'another-app'))).toBe(true);
  }, 180_000);

  it('reset --to-datetime moves each partition to the first record at or after the time', async () => {
    const topic = uniqueName('cli-timed');
    const group = uniqueName('cli-timed-app');
    await createTopic(topic, 2);
    const base = Math.floor(Date.now() / 1000) * 1000 - 60_000; // recent: kept by the default retention
    // Record i on partition i % 2 with time base + i s: from base + 10 s, partition 0 starts at offset 5 (i = 10), partition 1 at 5 (i = 11).
    await produce(topic, Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: String(i), partition: i % 2, timestamp: String(base + i * 1000) })));
    await waitForMessages(topic, { count: 20, groupId: group, commit: true });
    expect(await committed(group, topic)).toEqual(new Map([[0, 10], [1, 10]]));
    const at = new Date(base + 10_000).toISOString();
    const reset = await tributary(['reset', '--application-id', group, '--input-topics', topic, '--to-datetime', at, '--brokers', brokers().join(',')]);
    expect(reset.code, reset.err).toBe(0);
    expect(reset.out).toContain(`to the first offsets at or after ${at}`);
    expect(await committed(group, topic)).toEqual(new Map([[0, 5], [1, 5]]));
    await withAdmin((admin) => admin.deleteTopics({ topics: [topic] }));
  }, 120_000);
});
