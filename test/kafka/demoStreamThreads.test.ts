// The CRM demo on a real broker with two stream threads (`tributary-demo --brokers --stream-threads 2`),
// run as a child process as a user runs it: the same segment changes and fraud alerts as the
// embedded engine over the same rows.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brokers, repoRoot } from '../harness';

const demo = join(repoRoot, 'packages/examples/bin/tributary-demo.mjs');
const ROWS = '20000';

function runDemo(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [demo, ...args], { cwd: repoRoot, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err = (err + chunk.toString()).slice(-8_000)));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

/** The counts the summary's headings give: segment changes, recommendations and alerts. */
function counts(summary: string): { segments: number; recommendations: number; alerts: number } {
  const number = (pattern: RegExp) => Number(pattern.exec(summary)?.[1]?.replaceAll(',', '') ?? Number.NaN);
  return {
    segments: number(/customer_segments: ([\d,]+) segment changes/),
    recommendations: number(/recommendations: ([\d,]+) records/),
    alerts: number(/fraud_alerts: ([\d,]+) alerts/),
  };
}

describe('the CRM demo on stream threads', () => {
  it('runs the three pipelines on two stream threads through Kafka with the embedded run\'s segments and alerts', async () => {
    const embedded = await runDemo(['--limit', ROWS]);
    expect(embedded.code, embedded.err).toBe(0);
    const threaded = await runDemo(['--limit', ROWS, '--brokers', brokers().join(','), '--stream-threads', '2']);
    expect(threaded.code, threaded.err).toBe(0);
    expect(threaded.out).toMatch(/^== crm: summary \(Kafka at .* on (KafkaJS|@platformatic\/kafka), 2 stream threads, application id crm_consumer_group\) ==$/m);
    expect(threaded.out).toMatch(/Written to Kafka: [\d,]+ records, [\d.]+ per input record/);
    const onKafka = counts(threaded.out);
    const inMemory = counts(embedded.out);
    expect(onKafka.segments).toBe(inMemory.segments);
    expect(onKafka.alerts).toBe(inMemory.alerts);
    // Recommendations depend on the order purchases of different customers meet the co-purchase
    // counts, which differs on Kafka (examples README): within 5% here.
    expect(Math.abs(onKafka.recommendations - inMemory.recommendations) / inMemory.recommendations).toBeLessThan(0.05);
  }, 180_000);
});
