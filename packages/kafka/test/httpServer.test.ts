import { StreamsBuilder, TimeWindows } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { StoreClient, StoreQueryError, type KafkaStreams } from '../src';
import { encodeAssignment } from '../src/assignment/AssignmentInfo';
import { FORWARDED_HEADER, SERVED_BY_HEADER } from '../src/http/forwardToOwner';
import { FakeKafka } from './fakes/FakeKafka';
import { app, until } from './fakes/fakeApp';

const local = { port: 0, host: '127.0.0.1' };

/** Counts per key, per minute window, and per amount (a number-keyed store). */
function counting(b: StreamsBuilder): void {
  const orders = b.stream<string, { amount: number; boom?: boolean }>('orders').mapValues((v) => {
    if (v.boom) throw new Error('boom');
    return v;
  });
  orders.groupByKey().count({ name: 'counts' });
  orders.groupByKey().windowedBy(TimeWindows.ofSizeAndGrace(60_000, 600_000)).count({ name: 'per-minute' });
  orders.groupBy((_k, v) => v.amount).count({ name: 'per-amount' });
}

async function get(streams: KafkaStreams, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${streams.httpAddress()!.url}${path}`, { headers });
  const text = await response.text();
  return { status: response.status, body: response.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as Record<string, unknown>) : { text }, headers: response.headers };
}

async function started(kafka: FakeKafka, options: Parameters<typeof app>[2] = {}): Promise<KafkaStreams> {
  const streams = app(kafka, counting, { http: local, ...options });
  await streams.start();
  return streams;
}

function orders(kafka: FakeKafka, partitions = 2): void {
  kafka.createTopic('orders', partitions);
  const at = Date.UTC(2030, 0, 1, 12, 0, 30);
  for (const [key, amount, minute] of [['alice', 10, 0], ['bob', 20, 0], ['alice', 30, 1], ['carol', 10, 1], ['alice', 10, 2]] as const) {
    kafka.append('orders', key, { amount }, { timestamp: at + minute * 60_000 });
  }
}

describe('the HTTP server', () => {
  it('starts with start() on the port asked for (0: any), advertises its address, and stops with close()', async () => {
    const kafka = new FakeKafka();
    orders(kafka);
    const streams = app(kafka, counting, { http: local });
    expect(streams.httpAddress()).toBeUndefined();
    await streams.start();
    const address = streams.httpAddress()!;
    expect(address.port).toBeGreaterThan(0);
    expect(address.url).toBe(`http://127.0.0.1:${address.port}`);
    expect((await get(streams, '/health')).status).toBe(200);
    await until(() => streams.allMetadata().length === 1, 'the assignment map');
    expect(streams.allMetadata()[0]!.hostInfo).toEqual({ host: '127.0.0.1', port: address.port });
    expect((await get(streams, '/nothing')).body).toMatchObject({ error: 'NOT_FOUND', routes: expect.arrayContaining(['GET /metrics - Prometheus metrics']) });
    const post = await fetch(`${address.url}/metrics`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
    await streams.close();
    expect(streams.httpAddress()).toBeUndefined();
    await expect(fetch(address.url + '/health')).rejects.toThrow();
  });

  it('rejects start() naming the address when the port is taken', async () => {
    const kafka = new FakeKafka();
    orders(kafka);
    await using first = await started(kafka);
    const second = app(new FakeKafka(), counting, { http: { port: first.httpAddress()!.port, host: '127.0.0.1' } });
    await expect(second.start()).rejects.toThrow(`the HTTP server cannot listen on 127.0.0.1:${first.httpAddress()!.port}: the port is in use`);
    await second.close();
  });

  it('reports health and readiness: not ready while a store restores, not live after a failure', async () => {
    const kafka = new FakeKafka();
    orders(kafka, 1);
    kafka.createTopic('app-counts-changelog', 1, { 'cleanup.policy': 'compact' });
    for (let i = 0; i < 5; i++) kafka.append('app-counts-changelog', JSON.stringify(`k${i}`), i, { partition: 0 });
    let release!: () => void;
    kafka.restoreGate = new Promise((resolve) => (release = resolve));
    await using streams = await started(kafka);

    const restoring = await get(streams, '/ready');
    expect(restoring.status).toBe(503);
    expect(restoring.body).toMatchObject({ ready: false, state: 'REBALANCING', reason: 'the application is REBALANCING, not RUNNING', tasks: { restoring: ['0_0', '1_0'] } });
    expect((await get(streams, '/health')).body).toEqual({ status: 'UP', live: true, state: streams.state });

    release();
    await until(() => streams.state === 'RUNNING', 'RUNNING');
    expect(await get(streams, '/ready')).toMatchObject({ status: 200, body: { ready: true, state: 'RUNNING', tasks: { restoring: [] } } });

    kafka.append('orders', 'dave', { amount: 1, boom: true });
    await until(() => streams.state === 'ERROR', 'ERROR');
    const health = await get(streams, '/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'DOWN', live: false, state: 'ERROR', error: expect.stringContaining('boom') });
    expect((await get(streams, '/ready')).status).toBe(503);
  });

  it('serves the metrics in Prometheus text format', async () => {
    const kafka = new FakeKafka();
    orders(kafka);
    await using streams = await started(kafka, { clientId: 'c-1' });
    await until(() => streams.metrics().processed >= 10, 'the records processed');
    const { status, body, headers } = await get(streams, '/metrics');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const processed = streams.metrics().processed;
    expect(body.text).toContain(`kafka_streams_process_total{thread_id="c-1-StreamThread-1",application_id="app",client_id="c-1"} ${processed}`);
    expect(body.text).toContain('kafka_consumer_records_lag{topic="orders",partition="0",application_id="app",client_id="c-1"} 0');
  });
});

describe('interactive queries over HTTP on one instance', () => {
  it('answers key, range, all and window queries from the local stores', async () => {
    const kafka = new FakeKafka();
    orders(kafka);
    await using streams = await started(kafka);
    await until(() => streams.metrics().processed === 10 && streams.allMetadata().length === 1, 'the records processed');
    const self = `127.0.0.1:${streams.httpAddress()!.port}`;

    const alice = await get(streams, '/stores/counts/keys/alice');
    expect(alice).toMatchObject({ status: 200, body: { store: 'counts', key: 'alice', value: 3 } });
    expect(alice.headers.get(SERVED_BY_HEADER)).toBe(self);
    expect(await get(streams, '/stores/counts/keys/zoe')).toMatchObject({ status: 404, body: { error: 'KEY_NOT_FOUND' } });
    expect(await get(streams, '/stores/per-amount/keys/10?keyFormat=json')).toMatchObject({ status: 200, body: { key: 10, value: 3 } });

    expect((await get(streams, '/stores/counts/all')).body).toEqual({
      store: 'counts',
      entries: [
        { key: 'alice', value: 3 },
        { key: 'bob', value: 1 },
        { key: 'carol', value: 1 },
      ],
      truncated: false,
    });
    expect((await get(streams, '/stores/counts/all?limit=2')).body).toMatchObject({ entries: [{ key: 'alice' }, { key: 'bob' }], truncated: true });
    expect((await get(streams, '/stores/counts/range?from=b&to=c')).body).toMatchObject({ entries: [{ key: 'bob', value: 1 }], truncated: false });

    const minute = (n: number) => Date.UTC(2030, 0, 1, 12, n);
    const windows = await get(streams, `/stores/per-minute/windows/alice?from=${new Date(minute(1)).toISOString()}&to=${minute(2)}`);
    expect(windows.body).toEqual({
      store: 'per-minute',
      key: 'alice',
      windows: [
        { start: minute(1), end: minute(2), value: 1 },
        { start: minute(2), end: minute(3), value: 1 },
      ],
    });
    expect((await get(streams, '/stores/per-minute/all')).body).toMatchObject({ entries: expect.arrayContaining([{ key: 'bob', window: { start: minute(0), end: minute(1) }, value: 1 }]) });
    expect((await get(streams, '/stores/counts/keys/alice/metadata')).body).toMatchObject({ metadata: { activeHost: { host: '127.0.0.1' }, taskId: expect.stringMatching(/^0_/) } });
  });

  it('explains bad requests: an unknown store lists the known ones, a wrong kind names the right route', async () => {
    const kafka = new FakeKafka();
    orders(kafka);
    await using streams = await started(kafka);
    await until(() => streams.allMetadata().length === 1, 'the assignment map');
    expect(await get(streams, '/stores/count/keys/alice')).toMatchObject({
      status: 404,
      body: { error: 'UNKNOWN_STORE', message: "no store named 'count'; the topology's queryable stores: counts, per-amount, per-minute", stores: ['counts', 'per-amount', 'per-minute'] },
    });
    expect(await get(streams, '/stores/per-minute/keys/alice')).toMatchObject({ status: 400, body: { error: 'WRONG_STORE_KIND', message: expect.stringContaining('/stores/<name>/windows/<key>') } });
    expect(await get(streams, '/stores/per-amount/keys/%7Bnope?keyFormat=json')).toMatchObject({ status: 400, body: { error: 'BAD_KEY' } });
    expect(await get(streams, '/stores/counts/keys/10?keyFormat=json')).toMatchObject({ status: 400, body: { message: expect.stringContaining("the key 10 cannot be serialized with the string serde of topic 'orders'") } });
    expect(await get(streams, '/stores/counts/range?from=a')).toMatchObject({ status: 400, body: { message: expect.stringContaining("'to' is required") } });
    expect(await get(streams, '/stores/counts/all?limit=0')).toMatchObject({ status: 400, body: { message: expect.stringContaining('limit must be a whole number from 1 to 10000') } });
    expect(await get(streams, '/stores/per-minute/windows/alice?from=yesterday')).toMatchObject({ status: 400, body: { message: expect.stringContaining('ISO 8601') } });
    expect((await get(streams, '/stores')).body).toEqual({
      stores: [
        { name: 'counts', kind: 'keyValue', global: false },
        { name: 'per-minute', kind: 'window', global: false },
        { name: 'per-amount', kind: 'keyValue', global: false },
      ],
    });
  });

  it('answers through the typed StoreClient', async () => {
    const kafka = new FakeKafka();
    orders(kafka);
    await using streams = await started(kafka);
    await until(() => streams.metrics().processed === 10 && streams.allMetadata().length === 1, 'the records processed');
    const client = new StoreClient(streams.httpAddress()!.url);
    expect(await client.get<number>('counts', 'alice')).toBe(3);
    expect(await client.get<number>('counts', 'zoe')).toBeUndefined();
    expect(await client.get<number, number>('per-amount', 20)).toBe(1);
    expect(await client.range<number>('counts', 'a', 'bz')).toEqual({ entries: [{ key: 'alice', value: 3 }, { key: 'bob', value: 1 }], truncated: false });
    expect((await client.all<number>('counts', { limit: 1 })).truncated).toBe(true);
    expect(await client.windows<number>('per-minute', 'alice', { from: new Date(Date.UTC(2030, 0, 1, 12, 2)) })).toEqual([
      { start: Date.UTC(2030, 0, 1, 12, 2), end: Date.UTC(2030, 0, 1, 12, 3), value: 1 },
    ]);
    const error = await client.get('count', 'alice').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreQueryError);
    expect(error).toMatchObject({ status: 404, code: 'UNKNOWN_STORE', retriable: false, details: { stores: ['counts', 'per-amount', 'per-minute'] } });
  });
});

describe('interactive queries across instances', () => {
  /** Places each task at an endpoint, as a leader's assignment does. */
  const placing = (hosts: Record<string, string[]>) => () => encodeAssignment([], new Map(Object.entries(hosts)));

  it("advertises 'host:0' as that host with the port it bound", async () => {
    const kafka = new FakeKafka();
    orders(kafka);
    await using streams = await started(kafka, { applicationServer: 'orders-1.internal:0' });
    const port = streams.httpAddress()!.port;
    await until(() => streams.allMetadata().length === 1, 'the assignment map');
    expect(streams.allMetadata()[0]!.hostInfo).toEqual({ host: 'orders-1.internal', port });
  });

  it('forwards a key another instance owns to it, once', async () => {
    // Instance b holds partition 1 of the orders; a's assignment says b runs task 0_1.
    const kb = new FakeKafka();
    orders(kb);
    await using b = await started(kb);
    await until(() => b.metrics().processed === 10 && b.allMetadata().length === 1, 'b running');
    const bEndpoint = `127.0.0.1:${b.httpAddress()!.port}`;
    const ka = new FakeKafka();
    orders(ka);
    ka.assignmentUserData = placing({ 'a.example:1': ['0_0', '1_0', '1_1'], [bEndpoint]: ['0_1'] });
    await using a = await started(ka, { applicationServer: 'a.example:1' });
    await until(() => a.allMetadata().length === 2, "a's assignment map");

    const keyAtB = ['alice', 'bob', 'carol'].find((k) => a.metadataForKey('counts', k)!.taskId === '0_1')!;
    expect(a.metadataForKey('counts', keyAtB)!.activeHost).toEqual(b.httpAddress() && { host: '127.0.0.1', port: b.httpAddress()!.port });
    const forwarded = await get(a, `/stores/counts/keys/${keyAtB}`);
    expect(forwarded.status).toBe(200);
    expect(forwarded.headers.get(SERVED_BY_HEADER)).toBe(bEndpoint);
    // A request that was forwarded already is answered where it arrives or refused, never sent on.
    const loop = await get(a, `/stores/counts/keys/${keyAtB}`, { [FORWARDED_HEADER]: 'c.example:3' });
    expect(loop).toMatchObject({ status: 503, body: { error: 'NOT_AVAILABLE', message: expect.stringContaining(`c.example:3 forwarded this query here, but this instance's assignment puts task 0_1 at ${bEndpoint}`) } });
  });

  it('answers 503 while the owner is unknown or unreachable, saying why', async () => {
    const kafka = new FakeKafka();
    orders(kafka);
    kafka.assignmentUserData = placing({ 'a.example:1': ['0_0'], '127.0.0.1:9': ['0_1', '1_0', '1_1'] });
    await using a = await started(kafka, { applicationServer: 'a.example:1' });
    await until(() => a.allMetadata().length === 2, 'the assignment map');
    const keyAt9 = ['alice', 'bob', 'carol'].find((k) => a.metadataForKey('counts', k)!.taskId === '0_1')!;
    expect(await get(a, `/stores/counts/keys/${keyAt9}`)).toMatchObject({ status: 503, body: { error: 'OWNER_UNREACHABLE', owner: '127.0.0.1:9' } });
    expect(await get(a, '/stores/counts/all')).toMatchObject({ status: 503, body: { error: 'OWNER_UNREACHABLE' } });

    // A leader of the older version sends no map: nobody's endpoint is known.
    kafka.assignmentUserData = () => Buffer.from(JSON.stringify({ version: 1, tasks: ['0_0'] }));
    await kafka.consumer!.rebalance(kafka.consumer!.assignment);
    const unknown = await get(a, '/stores/counts/keys/alice');
    expect(unknown).toMatchObject({ status: 503, body: { error: 'NOT_AVAILABLE', message: expect.stringContaining('an instance of an older version leads the group') } });
    expect(a.metadataForKey('counts', 'alice')).toBeUndefined();
    expect(a.allMetadata()).toEqual([]);
  });
});
