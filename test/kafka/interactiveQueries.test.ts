// Interactive queries across three instances of one application on a real broker: each
// instance advertises its HTTP endpoint in the group assignment, answers the keys it owns
// and forwards the others to their owner, so any instance answers any key.
import { StreamsBuilder, TimeWindows } from '@tributary/core';
import { KafkaStreams, StoreClient } from '@tributary/kafka';
import { describe, expect, it } from 'vitest';
import { createTopic, produce, uniqueName, waitFor, waitForMessages } from '../harness';
import { testOptions } from './support';

const PARTITIONS = 6;
const KEYS = 40;
const RECORDS = 900;
const MINUTE = 60_000;

function counting(input: string): StreamsBuilder {
  const builder = new StreamsBuilder();
  const clicks = builder.stream<string, { page: string }>(input);
  clicks.groupByKey().count({ name: 'clicks-per-user' });
  clicks.groupByKey().windowedBy(TimeWindows.ofSizeAndGrace(MINUTE, 24 * 60 * MINUTE)).count({ name: 'clicks-per-minute' });
  return builder;
}

async function get(app: KafkaStreams, path: string): Promise<{ status: number; body: { value?: number; error?: string; message?: string; stores?: string[] }; servedBy: string | null }> {
  const response = await fetch(`${app.httpAddress()!.url}${path}`);
  return { status: response.status, body: (await response.json()) as { value?: number }, servedBy: response.headers.get('x-tributary-served-by') };
}

const endpointOf = (app: KafkaStreams) => `127.0.0.1:${app.httpAddress()!.port}`;

describe('interactive queries across instances', () => {
  it('answer every key on every instance, the owner answering or forwarding, as an independent count of the input says', async () => {
    const input = uniqueName('iq-clicks');
    await createTopic(input, PARTITIONS);
    const applicationId = uniqueName('iq-app');
    const start = async () => {
      const app = new KafkaStreams(counting(input).build(), testOptions({ applicationId, http: { port: 0, host: '127.0.0.1' } }));
      await app.start();
      return app;
    };
    await using a = await start();
    await using b = await start();
    await using c = await start();
    const apps = [a, b, c];
    // A settled group: each instance runs two tasks and knows where all three serve queries.
    await waitFor(() => apps.every((app) => app.state === 'RUNNING' && app.assignedTasks().length === PARTITIONS / 3 && app.allMetadata().length === 3), {
      timeoutMs: 90_000,
      description: () => apps.map((app) => `${app.state} [${app.assignedTasks()}] knows ${app.allMetadata().length}`).join('; '),
    });

    const base = Math.floor(Date.now() / MINUTE) * MINUTE - 10 * MINUTE;
    const records = Array.from({ length: RECORDS }, (_, i) => ({ key: `user-${(i * 7) % KEYS}`, value: JSON.stringify({ page: `p${i % 5}` }), timestamp: String(base + (i % 3) * MINUTE) }));
    await produce(input, records);

    // The independent count: the input topic as a plain consumer reads it, and where each key landed.
    const consumed = await waitForMessages(input, { count: RECORDS, timeoutMs: 60_000 });
    const expected = new Map<string, number>();
    const partitionOf = new Map<string, number>();
    for (const m of consumed) {
      const key = m.key!.toString();
      expected.set(key, (expected.get(key) ?? 0) + 1);
      partitionOf.set(key, m.partition);
    }
    expect(expected.size).toBe(KEYS);

    // Every instance answers every key with the count (the owner from its store, the others by forwarding).
    const mismatches = async () => {
      const wrong: string[] = [];
      for (const [key, count] of expected) {
        for (const app of apps) {
          const { status, body } = await get(app, `/stores/clicks-per-user/keys/${key}`);
          if (status !== 200 || body.value !== count) wrong.push(`${endpointOf(app)} ${key}: ${status} ${body.value ?? body.message}`);
        }
      }
      return wrong;
    };
    let wrong: string[] = [];
    await waitFor(async () => (wrong = await mismatches()).length === 0, { timeoutMs: 60_000, intervalMs: 500, description: () => `every count on every instance; wrong: ${wrong.slice(0, 5).join('; ')}` });

    // Where each key lives: all instances agree; the owner reads the key's partition; the owner answered.
    const byEndpoint = new Map(apps.map((app) => [endpointOf(app), app]));
    let forwarded = 0;
    for (const [key, partition] of partitionOf) {
      const metas = apps.map((app) => app.metadataForKey('clicks-per-user', key)!);
      for (const meta of metas) expect(meta).toEqual(metas[0]);
      const owner = byEndpoint.get(`${metas[0]!.activeHost.host}:${metas[0]!.activeHost.port}`)!;
      expect(owner, `the owner of ${key}`).toBeDefined();
      expect(metas[0]!.partition).toBe(partition);
      expect(owner.assignedPartitions()).toContainEqual({ topic: input, partition });
      expect(owner.assignedTasks()).toContain(metas[0]!.taskId);
      for (const app of apps) {
        const { servedBy } = await get(app, `/stores/clicks-per-user/keys/${key}`);
        expect(servedBy).toBe(endpointOf(owner));
        if (app !== owner) forwarded++;
      }
    }
    expect(forwarded).toBe(KEYS * 2);
    // Each instance owns some keys, and lists the partitions it reads.
    for (const app of apps) {
      const [own] = a.allMetadata().filter((m) => m.hostInfo.port === app.httpAddress()!.port);
      expect(own!.taskIds).toEqual(app.assignedTasks());
      expect([...own!.topicPartitions].sort((x, y) => x.partition - y.partition)).toEqual(app.assignedPartitions().sort((x, y) => x.partition - y.partition));
    }
    expect(a.allMetadataForStore('clicks-per-user')).toHaveLength(3);

    // The typed client, on each instance: single keys, the whole store gathered from all three, a range, windows.
    const sorted = [...expected].sort(([x], [y]) => (x < y ? -1 : 1));
    for (const app of apps) {
      const client = new StoreClient(app.httpAddress()!.url);
      for (const [key, count] of sorted.slice(0, 8)) expect(await client.get<number>('clicks-per-user', key)).toBe(count);
      expect(await client.get<number>('clicks-per-user', 'nobody')).toBeUndefined();
      const all = await client.all<number>('clicks-per-user');
      expect(all).toEqual({ entries: sorted.map(([key, value]) => ({ key, value })), truncated: false });
      const firstTen = await client.all<number>('clicks-per-user', { limit: 10 });
      expect(firstTen).toEqual({ entries: sorted.slice(0, 10).map(([key, value]) => ({ key, value })), truncated: true });
      const range = await client.range<number>('clicks-per-user', 'user-1', 'user-2');
      expect(range.entries).toEqual(sorted.filter(([k]) => k >= 'user-1' && k <= 'user-2').map(([key, value]) => ({ key, value })));
    }
    const user = 'user-3';
    const perMinute = new Map<number, number>();
    for (const m of consumed) if (m.key!.toString() === user) perMinute.set(Number(m.timestamp), (perMinute.get(Number(m.timestamp)) ?? 0) + 1);
    for (const app of apps) {
      const windows = await new StoreClient(app.httpAddress()!.url).windows<number>('clicks-per-minute', user, { from: new Date(base), to: base + 2 * MINUTE });
      expect(windows).toEqual([...perMinute].sort(([x], [y]) => x - y).map(([start, value]) => ({ start, end: start + MINUTE, value })));
    }

    // An unknown store: a 404 naming the known ones.
    expect(await get(b, '/stores/clicks/keys/user-1')).toMatchObject({ status: 404, body: { error: 'UNKNOWN_STORE', stores: ['clicks-per-minute', 'clicks-per-user'] } });
  });
});
