// The dashboard in a real browser: Debian's chromium (headless, driven by puppeteer-core over
// the DevTools protocol) opens /dashboard of a KafkaStreams application on a real broker while
// records flow, and checks what a person would look at: the graph, rate and lag moving, dead
// letters, the store browser. Screenshots go to .tributary/artifacts/dashboard/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorHandlers, StreamsBuilder } from '@tributary/core';
import { KafkaStreams } from '@tributary/kafka';
import { Partitioners } from 'kafkajs';
import puppeteer, { type Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { createKafka, createTopic, produce, repoRoot, uniqueName, waitFor } from '../harness';
import { readJson, testOptions, waitForProcessed, waitForState } from './support';

const artifacts = join(repoRoot, '.tributary', 'artifacts', 'dashboard');

/** CHROMIUM_PATH (scripts/ensure-chromium.sh exports it), else `chromium` on the PATH; a clear failure when neither is there. */
function chromiumPath(): string {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (!existsSync(configured)) throw new Error(`CHROMIUM_PATH is ${configured}, which does not exist: run 'bash scripts/ensure-chromium.sh' (installs Debian's chromium)`);
    return configured;
  }
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error("the dashboard test needs Chromium: no CHROMIUM_PATH and no 'chromium' on the PATH; run 'bash scripts/ensure-chromium.sh' (apt-get install chromium) or set CHROMIUM_PATH");
  }
}

/** The rate and lag cells of every partition row, as the page shows them. */
function partitionFigures(page: Page): Promise<Record<string, { rate: string; lag: string; consumed: string }>> {
  return page.$$eval('tr[data-partition]', (rows) =>
    Object.fromEntries(
      rows.map((row) => {
        const cell = (metric: string) => row.querySelector(`[data-metric="${metric}"]`)?.textContent ?? '';
        return [row.getAttribute('data-partition')!, { rate: cell('rate'), lag: cell('lag'), consumed: cell('consumed') }];
      }),
    ),
  );
}

const number = (text: string) => Number(text.replace(/,/g, ''));

describe('the dashboard in a headless Chromium', () => {
  it('draws the topology, follows rate and lag while records flow, lists dead letters, and reads a store', async () => {
    const executablePath = chromiumPath();
    const input = uniqueName('dash-in');
    const output = uniqueName('dash-out');
    await createTopic(input, 3);
    await createTopic(output, 3);
    const builder = new StreamsBuilder();
    builder.stream<string, { n: number }>(input).groupByKey().count({ name: 'dash-counts' }).toStream().to(output);
    const options = testOptions({ http: { port: 0, host: '127.0.0.1' }, deserializationErrorHandler: ErrorHandlers.logAndContinue() });
    await using app = new KafkaStreams(builder.build(), options);
    await app.start();
    await waitForState(app, 'RUNNING');

    // A key written three times and never again: its count is known. One record is not JSON.
    await produce(input, [
      ...[1, 2, 3].map((n) => ({ key: 'steady-key', value: JSON.stringify({ n }) })),
      { key: 'broken', value: '{not json' },
    ]);
    await waitForProcessed(app, 3);
    // Then a steady flow, 40 records every 200 ms, until the test ends.
    const producer = createKafka({ clientId: 'dashboard-test-producer' }).producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    let flowing = true;
    let sent = 0;
    const flow = (async () => {
      while (flowing) {
        await producer.send({ topic: input, messages: Array.from({ length: 40 }, () => ({ key: `k${sent++ % 97}`, value: JSON.stringify({ n: sent }) })) });
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();

    mkdirSync(artifacts, { recursive: true });
    const browser = await puppeteer.launch({ executablePath, headless: true, args: ['--no-sandbox', '--headless=new'] });
    try {
      const page = await browser.newPage();
      await page.setViewport({ width: 1400, height: 1000 });
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`page error: ${(error as Error).message}`));
      page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`));
      const response = await page.goto(`${app.httpAddress()!.url}/dashboard`, { waitUntil: 'load' });
      expect(response?.status()).toBe(200);
      expect(await page.title()).toBe(`${options.applicationId} · Tributary dashboard`);

      // The graph: an SVG node for each topic and store of the topology.
      await page.waitForSelector('body[data-topology="drawn"]', { timeout: 10_000 });
      const changelog = `${options.applicationId}-dash-counts-changelog`;
      for (const id of [`topic:${input}`, `topic:${output}`, `topic:${changelog}`, 'store:dash-counts']) {
        expect(await page.$$eval(`#topology-svg g.node[data-node="${id}"]`, (nodes) => nodes.length), id).toBeGreaterThan(0);
      }
      expect(await page.$$eval('#topology-svg g.node.processor, #topology-svg g.node.source, #topology-svg g.node.sink', (n) => n.length)).toBeGreaterThanOrEqual(4);
      expect(await page.$$eval('#topology-svg path.edge', (n) => n.length)).toBeGreaterThanOrEqual(5);

      // Rate and lag per partition, read twice while records flow: they move.
      await page.waitForFunction(`document.querySelectorAll('tr[data-partition^="${input}-"]').length === 3`, { timeout: 20_000 });
      await waitFor(async () => Object.values(await partitionFigures(page)).some((p) => number(p.rate) > 0), { timeoutMs: 20_000, intervalMs: 250, description: 'a partition with a rate above 0' });
      const first = await partitionFigures(page);
      const firstConsumed = number(await page.$eval('#total-consumed', (e) => e.textContent ?? ''));
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      const second = await partitionFigures(page);
      const secondConsumed = number(await page.$eval('#total-consumed', (e) => e.textContent ?? ''));
      expect(second).not.toEqual(first);
      expect(Object.keys(second).filter((p) => first[p]!.rate !== second[p]!.rate || first[p]!.lag !== second[p]!.lag).length).toBeGreaterThan(0);
      expect(secondConsumed).toBeGreaterThan(firstConsumed);
      // The curves have points, and the header says the state.
      expect(await page.$$eval('#chart-rate polyline.rate', (n) => n.length)).toBe(1);
      expect(await page.$$eval('tr[data-partition] polyline.lag', (n) => n.length)).toBe(3);
      expect(await page.$eval('#state', (e) => e.textContent)).toBe('RUNNING');

      // Tasks per instance: this instance, with its three tasks.
      expect(await page.$$eval('.instance.self .tag', (tags) => tags.map((t) => t.textContent))).toEqual(expect.arrayContaining(['0_0', '0_1', '0_2']));
      // The record that was not JSON, counted by reason and listed with where it was read.
      expect(await page.$eval('#dead-letters [data-reason="deserialization-error"] b', (e) => e.textContent)).toBe('1');
      expect(await page.$eval('#dead-letters table', (e) => e.textContent)).toContain(input);

      await page.screenshot({ path: join(artifacts, 'dashboard.png'), fullPage: true });

      // The store browser: the count of the key written three times, through /stores.
      await page.waitForFunction("document.querySelector('#store-select')?.options.length === 1", { timeout: 10_000 });
      await page.select('#store-select', 'dash-counts');
      await page.type('#store-key', 'steady-key');
      await page.click('#store-get');
      await page.waitForSelector('#store-result[data-status]', { timeout: 10_000 });
      expect(await page.$eval('#store-result', (e) => e.getAttribute('data-status'))).toBe('200');
      expect(JSON.parse(await page.$eval('#store-result', (e) => e.textContent ?? ''))).toEqual({ store: 'dash-counts', key: 'steady-key', value: 3 });
      const browserSection = await page.$('section.browser');
      await browserSection!.screenshot({ path: join(artifacts, 'store-browser.png') });
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
      flowing = false;
      await flow.catch(() => undefined);
      await producer.disconnect();
    }
    // An independent consumer agrees with the store: the output topic's count for the key is 3.
    const counts = await readJson<number>(output, 1);
    expect(counts.filter((m) => m.text === 'steady-key').map((m) => m.json).at(-1)).toBe(3);
  });
});
