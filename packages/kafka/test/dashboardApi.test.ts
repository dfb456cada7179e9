import { ErrorHandlers, Serdes, silentLogger, StreamsBuilder, type Topology } from '@tributary/core';
import { EmbeddedStreams } from '@tributary/core/embedded';
import { TopologyTestDriver } from '@tributary/core/testing';
import { describe, expect, it } from 'vitest';
import { dashboardInstances } from '../src/dashboard/dashboardInstances';
import type { DashboardLive } from '../src/dashboard/dashboardRoutes';
import { DeadLetterLog } from '../src/dashboard/DeadLetterLog';
import { localStoreRoutes } from '../src/dashboard/localStoreRoutes';
import { HttpError } from '../src/http/HttpError';
import { Router, type RouteResponse } from '../src/http/Router';
import { serveDashboard } from '../src/index';
import type { TopologyDiagram } from '../src/dashboard/topologyDiagram';

/** Page views counted per page, in store `views`. */
function viewsTopology(): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream<string, { page: string }>('page-views')
    .groupBy((_k, v) => v.page)
    .count({ name: 'views' })
    .toStream()
    .to('view-counts');
  return builder.build();
}

describe('DeadLetterLog', () => {
  it('notes each record a handler skipped or dead-lettered, with where it was read and why, leaving the decision to the handler', () => {
    const log = new DeadLetterLog();
    const driver = new TopologyTestDriver(viewsTopology(), {
      logger: silentLogger,
      deserializationErrorHandler: log.observe(ErrorHandlers.deadLetter('views-dlq')),
      processingErrorHandler: log.observe(ErrorHandlers.logAndContinue()),
    });
    const input = driver.createInputTopic('page-views');
    input.pipeInput('u1', { page: 'home' });
    driver.pipe('page-views', Buffer.from('u2'), Buffer.from('{not json'), 1_000);
    driver.createInputTopic('page-views').pipeInput('u3', { page: 'home' });
    const [entry] = log.recent();
    expect(log.recent()).toHaveLength(1);
    expect(entry).toMatchObject({ outcome: 'dead-letter', reason: 'dead-letter', kind: 'deserialization', topic: 'page-views', partition: 0, offset: 1, deadLetterTopic: 'views-dlq' });
    expect(entry!.error).toMatch(/^DeserializationError: /);
    // The handler's decision stands: the record went to the dead-letter topic and counting went on.
    expect(driver.createOutputTopic('views-dlq', { valueSerde: Serdes.string() }).readValuesToList()).toEqual(['{not json']);
    expect(driver.getKeyValueStore('views').get('home')).toBe(2);
    expect(driver.metrics().droppedByReason).toEqual({ 'dead-letter': 1 });
    driver.close();
  });

  it('keeps the newest entries, newest first', () => {
    const log = new DeadLetterLog(2);
    const skip = log.observe(ErrorHandlers.logAndContinue());
    for (const offset of [1, 2, 3]) skip(new Error(`bad ${offset}`), { kind: 'processing', topic: 't', partition: 0, offset, processor: 'KSTREAM-MAPVALUES-0000000001' });
    expect(log.recent().map((e) => [e.offset, e.reason, e.error])).toEqual([
      [3, 'processing-error', 'Error: bad 3'],
      [2, 'processing-error', 'Error: bad 2'],
    ]);
  });
});

describe('localStoreRoutes', () => {
  it('answers /stores queries of a one-process application as a KafkaStreams server does', async () => {
    const topology = viewsTopology();
    const driver = new TopologyTestDriver(topology, { logger: silentLogger });
    const input = driver.createInputTopic('page-views');
    for (const page of ['home', 'home', 'about', 'pricing']) input.pipeInput('u', { page });
    const router = new Router().add(...localStoreRoutes({ store: (name) => driver.getKeyValueStore(name) }, topology));
    const get = async (path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
      const url = new URL(path, 'http://localhost');
      const found = router.match('GET', url.pathname);
      if (found.kind !== 'found') throw new Error(`no route for ${path}`);
      try {
        const response: RouteResponse = await found.route.handler({ method: 'GET', url, params: found.params, headers: {} });
        return { status: response.status, body: JSON.parse(response.body.toString()) as Record<string, unknown> };
      } catch (error) {
        if (error instanceof HttpError) return { status: error.status, body: { error: error.code, message: error.message } };
        throw error;
      }
    };
    expect(await get('/stores')).toEqual({ status: 200, body: { stores: [{ name: 'views', kind: 'keyValue', global: false }] } });
    expect(await get('/stores/views/keys/home')).toEqual({ status: 200, body: { store: 'views', key: 'home', value: 2 } });
    expect(await get('/stores/views/range?from=a&to=m')).toEqual({ status: 200, body: { store: 'views', entries: [{ key: 'about', value: 1 }, { key: 'home', value: 2 }], truncated: false } });
    expect(await get('/stores/views/all?limit=1')).toEqual({ status: 200, body: { store: 'views', entries: [{ key: 'about', value: 1 }], truncated: true } });
    expect(await get('/stores/views/keys/contact')).toMatchObject({ status: 404, body: { error: 'KEY_NOT_FOUND' } });
    expect(await get('/stores/visits/keys/home')).toEqual({ status: 404, body: { error: 'UNKNOWN_STORE', message: "no key-value store named 'visits' (stores: views)" } });
    expect(await get('/stores/views/range?from=a')).toMatchObject({ status: 400, body: { message: "the query parameter 'to' is required: give both ends of the range, e.g. '?from=a&to=m'" } });
    driver.close();
  });
});

describe('dashboardInstances', () => {
  const metadata = [
    { hostInfo: { host: 'b.internal', port: 8080 }, taskIds: ['1_0', '0_1'], topicPartitions: [{ topic: 'in', partition: 1 }], stateStoreNames: ['views'] },
    { hostInfo: { host: 'a.internal', port: 8080 }, taskIds: ['0_0'], topicPartitions: [{ topic: 'in', partition: 0 }], stateStoreNames: [] },
  ];

  it('lists every instance of the assignment by endpoint, this one marked', () => {
    expect(dashboardInstances(metadata, 'b.internal:8080', { tasks: [], partitions: [] })).toEqual([
      { endpoint: 'a.internal:8080', self: false, tasks: ['0_0'], partitions: ['in-0'], stores: [] },
      { endpoint: 'b.internal:8080', self: true, tasks: ['0_1', '1_0'], partitions: ['in-1'], stores: ['views'] },
    ]);
  });

  it('shows this instance’s own tasks while the assignment’s map is not known', () => {
    expect(dashboardInstances([], 'b.internal:8080', { tasks: ['0_1'], partitions: [{ topic: 'in', partition: 1 }] })).toEqual([
      { endpoint: 'b.internal:8080', self: true, tasks: ['0_1'], partitions: ['in-1'], stores: [] },
    ]);
    expect(dashboardInstances([], undefined, { tasks: [], partitions: [] })).toEqual([]);
  });
});

describe('serveDashboard', () => {
  it('serves the page, the laid-out topology, live figures and the store routes for the embedded engine', async () => {
    const topology = viewsTopology();
    const deadLetters = new DeadLetterLog();
    const app = new EmbeddedStreams(topology, {
      applicationId: 'views-app',
      logger: silentLogger,
      partitions: 2,
      deserializationErrorHandler: deadLetters.observe(ErrorHandlers.logAndContinue()),
    });
    await app.start();
    try {
      app.produce('page-views', ['home', 'home', 'about'].map((page, i) => ({ key: `u${i}`, value: { page } })));
      app.produce('page-views', [{ key: 'u9', value: '{broken' }], { valueSerde: Serdes.string() });
      await app.whenCaughtUp();
      await using dashboard = await serveDashboard(app, topology, { port: 0, applicationId: 'views-app', deadLetters, history: { intervalMs: 20, windowMs: 1_000 } });
      expect(dashboard.url).toBe(`${dashboard.address.url}/dashboard`);
      expect(dashboard.address.host).toBe('127.0.0.1');

      const page = await fetch(dashboard.url);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const html = await page.text();
      expect(html).toContain('<title>views-app · Tributary dashboard</title>');
      // Self-contained: no script, style or image from elsewhere.
      expect(html).not.toMatch(/\b(src|href)="(?!data:)/);

      const diagram = (await (await fetch(`${dashboard.address.url}/dashboard/api/topology`)).json()) as TopologyDiagram;
      expect(diagram.topics.map((t) => t.name).sort()).toEqual(['page-views', 'view-counts', 'views-app-views-changelog', 'views-app-views-repartition']);
      expect(diagram.stores).toEqual([{ name: 'views', kind: 'keyValue' }]);

      await new Promise((resolve) => setTimeout(resolve, 100));
      const live = (await (await fetch(`${dashboard.address.url}/dashboard/api/live`)).json()) as DashboardLive;
      expect(live).toMatchObject({ applicationId: 'views-app', state: 'RUNNING', totals: { dropped: 1 } });
      expect(live.totals.consumed).toBeGreaterThanOrEqual(4);
      expect(live.history.totals.length).toBeGreaterThan(1);
      expect(live.history.partitions.map((p) => `${p.topic}-${p.partition}`)).toEqual(expect.arrayContaining(['page-views-0', 'page-views-1', 'views-app-views-repartition-0']));
      expect(live.deadLetters.byReason).toEqual({ 'deserialization-error': 1 });
      expect(live.deadLetters.recent).toMatchObject([{ outcome: 'continue', topic: 'page-views', kind: 'deserialization' }]);
      expect(live.instances).toMatchObject([{ endpoint: 'this process', self: true, stores: ['views'] }]);

      const home = await fetch(`${dashboard.address.url}/stores/views/keys/home`);
      expect(await home.json()).toEqual({ store: 'views', key: 'home', value: 2 });
      await dashboard.close();
      await expect(fetch(dashboard.url)).rejects.toThrow();
    } finally {
      await app.close();
    }
  });
});
