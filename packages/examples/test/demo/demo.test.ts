import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { main as tributary } from '@tributary/cli';
import { runProgram } from '@tributary/cli/testing';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/demo/main';

describe('tributary-demo', () => {
  it('runs one example over the first rows of the data set and prints its summary', async () => {
    const { code, out } = await runProgram(main, 'segmentation', '--limit', '3000', '--partitions', '2');
    expect(code).toBe(0);
    expect(out).toContain('== segmentation: summary (embedded engine, 2 partitions, application id crm_consumer_group) ==');
    expect(out).toMatch(/rows read\s+3,000/);
    expect(out).toMatch(/Segments \(customer_segments: [\d,]+ segment changes/);
    expect(out).not.toContain('Fraud alerts');
    const named = await runProgram(main, '--example', 'fraud', '--limit', '2000');
    expect(named.out).toContain('== fraud: summary');
  }, 60_000);

  it('runs crm by default, and names the known examples when given an unknown one', async () => {
    const { code, err } = await runProgram(main, 'churn');
    expect(code).toBe(2);
    expect(err).toContain("unknown example 'churn'. Known examples: segmentation, recommendations, fraud, crm");
    const help = await runProgram(main, '--help');
    expect(help.out).toMatch(/^Usage: tributary-demo/);
    expect(help.out).toContain('Defaults to crm');
    const missing = await runProgram(main, '--command-config', '/nonexistent/client.properties');
    expect(missing.code).toBe(2);
    expect(missing.err).toBe("tributary-demo: --command-config: no such file '/nonexistent/client.properties'\n");
    const embeddedOnly = await runProgram(main, '--compare-embedded');
    expect(embeddedOnly.code).toBe(2);
    expect(embeddedOnly.err).toContain('--compare-embedded needs --brokers or --command-config');
    const withDashboard = await runProgram(main, '--brokers', '127.0.0.1:1', '--compare-embedded', '--dashboard');
    expect(withDashboard.code).toBe(2);
    expect(withDashboard.err).toContain('--compare-embedded and --dashboard cannot be combined');
  });

  it('refuses --stream-threads without a broker, with the dashboard, and when not a positive count', async () => {
    const embedded = await runProgram(main, '--stream-threads', '2');
    expect(embedded.code).toBe(2);
    expect(embedded.err).toContain('--stream-threads needs --brokers or --command-config');
    const dashboard = await runProgram(main, '--brokers', '127.0.0.1:1', '--stream-threads', '2', '--dashboard');
    expect(dashboard.code).toBe(2);
    expect(dashboard.err).toContain('--stream-threads and --dashboard cannot be combined');
    const zero = await runProgram(main, '--brokers', '127.0.0.1:1', '--stream-threads', '0');
    expect(zero.code).toBe(2);
    expect(zero.err).toContain('--stream-threads');
  });

  it('reports, for a run on Kafka, the records written per topic and per input record, and the time against the embedded engine', async () => {
    const { runExample } = await import('../../src/demo/runExample');
    const { formatSummary } = await import('../../src/demo/summary');
    const { exampleNamed } = await import('../../src/pipelines/examples');
    const report = await runExample(exampleNamed('segmentation')!, { limit: 2000 });
    const inputs = report.metrics.partitions.filter((p) => p.topic === 'customer_interactions').reduce((n, p) => n + p.consumed, 0);
    const summary = formatSummary({
      ...report,
      written: [
        { topic: 'crm_consumer_group-rfm-profiles-changelog', kind: 'changelog', records: inputs },
        { topic: 'customer_segments', kind: 'output', records: inputs * 2 },
      ],
      embeddedRun: { totalMs: report.totalMs / 2, processingMs: report.processingMs / 4 },
    });
    expect(summary).toContain(`Written to Kafka: ${(inputs * 3).toLocaleString('en')} records, 3.00 per input record`);
    expect(summary).toMatch(/crm_consumer_group-rfm-profiles-changelog +changelog +[\d,]+ +1\.00\n/);
    expect(summary).toMatch(/customer_segments +output +[\d,]+ +2\.00\n/);
    expect(summary).toMatch(/whole run +\S+ +\S+ +2\.00x\n/);
    expect(summary).toMatch(/processing +\S+ +\S+ +4\.00x$/);
    expect(formatSummary(report)).not.toContain('Written to Kafka');
  }, 60_000);

  it('runs from any directory as a child process', () => {
    const bin = fileURLToPath(new URL('../../bin/tributary-demo.mjs', import.meta.url));
    const result = spawnSync(process.execPath, [bin, '--help'], { cwd: tmpdir(), encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: tributary-demo/);
  }, 30_000);
});

describe('the examples as topology modules', () => {
  it('are described and run by tributary, reading the data set lazily with --limit', async () => {
    const module = fileURLToPath(new URL('../../src/modules/segmentation.ts', import.meta.url));
    const described = await runProgram(tributary, 'describe', module);
    expect(described.out).toContain('Processor: segment-tracker (stores: [rfm-profiles, customer-segments])');
    const run = await runProgram(tributary, 'run', module, '--limit', '2000');
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain('application id crm_consumer_group');
    expect(run.out).toMatch(/customer_interactions +2,000\n/);
    expect(run.out).toMatch(/customer_segments +[1-9][\d,]*\n/);
  }, 60_000);
});

describe('tributary-demo --dashboard', () => {
  it('serves the dashboard while the example runs and keeps it up, with the final figures, until told to stop', async () => {
    const { runExample } = await import('../../src/demo/runExample');
    const { exampleNamed } = await import('../../src/pipelines/examples');
    let seen: { page: string; live: { state: string; totals: { consumed: number } } } | undefined;
    const report = await runExample(exampleNamed('segmentation')!, {
      limit: 2000,
      progress: undefined,
      dashboard: {
        port: 0,
        keepOpen: async (url) => {
          const page = await (await fetch(url)).text();
          const live = (await (await fetch(url.replace(/\/dashboard$/, '/dashboard/api/live'))).json()) as NonNullable<typeof seen>['live'];
          seen = { page, live };
        },
      },
    });
    expect(seen?.page).toContain('<title>crm_consumer_group · Tributary dashboard</title>');
    expect(seen?.live.state).toBe('RUNNING');
    expect(seen?.live.totals.consumed).toBe(report.metrics.consumed);
  }, 60_000);

  it('refuses --dashboard-port without --dashboard', async () => {
    const { code, err } = await runProgram(main, '--dashboard-port', '9000');
    expect(code).toBe(2);
    expect(err).toContain('--dashboard-port needs --dashboard');
  });
});

describe('tributary-demo --state-dir', () => {
  it('runs the CRM application on LMDB stores with the same outputs as in memory', async () => {
    const { mkdtempSync, readdirSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { runExample } = await import('../../src/demo/runExample');
    const { exampleNamed } = await import('../../src/pipelines/examples');
    const stateDir = mkdtempSync(join(tmpdir(), 'tributary-demo-state-'));
    try {
      const crm = exampleNamed('crm')!;
      const inMemory = await runExample(crm, { limit: 5000 });
      const onDisk = await runExample(crm, { limit: 5000, stateDir });
      expect([...onDisk.outputs.keys()]).toEqual([...inMemory.outputs.keys()]);
      for (const [topic, values] of inMemory.outputs) expect(onDisk.outputs.get(topic), topic).toEqual(values);
      // The stores were on disk: one directory per task under <stateDir>/<applicationId>.
      expect(readdirSync(join(stateDir, 'crm_consumer_group')).length).toBeGreaterThan(0);
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  }, 120_000);
});
