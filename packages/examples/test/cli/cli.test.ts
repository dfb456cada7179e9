import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { ProgressDisplay, ProgressTracker } from '../../src/cli/progress';

/** Runs the CLI in-process and captures what it writes. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk));
        done();
      },
    });
  const code = await main(argv, sink((s) => (out += s)), sink((s) => (err += s)));
  return { code, out, err };
}

describe('tributary', () => {
  it('prints its help, and each command its own', async () => {
    const top = await cli('--help');
    expect(top.code).toBe(0);
    for (const command of ['describe', 'run', 'demo', 'lag']) expect(top.out).toContain(command);
    for (const example of ['segmentation', 'recommendations', 'fraud', 'crm']) expect(top.out).toContain(example);
    for (const command of ['describe', 'run', 'demo', 'lag']) {
      const { code, out } = await cli(command, '--help');
      expect(code).toBe(0);
      expect(out).toMatch(new RegExp(`^Usage: tributary ${command}`));
    }
  });

  it('rejects an unknown command or option with the usage', async () => {
    const unknown = await cli('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("unknown command 'frobnicate'");
    const option = await cli('describe', 'fraud', '--colour');
    expect(option.code).toBe(2);
    expect(option.err).toMatch(/Unknown option '--colour'[\s\S]*Usage: tributary describe/);
  });

  it('describes a topology as text and as Mermaid', async () => {
    const text = await cli('describe', 'segmentation');
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^Topologies:\n {3}Sub-topology: 0\n/);
    expect(text.out).toContain('Processor: segment-tracker (stores: [rfm-profiles, customer-segments])');
    const mermaid = await cli('describe', 'fraud', '--format', 'mermaid');
    expect(mermaid.code).toBe(0);
    expect(mermaid.out).toMatch(/^flowchart/);
    expect(mermaid.out).toContain('fraud_alerts');
    const bad = await cli('describe', 'fraud', '--format', 'svg');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--format must be text or mermaid');
  });

  it('names the known examples when given an unknown one', async () => {
    for (const command of ['describe', 'run']) {
      const { code, err } = await cli(command, 'churn');
      expect(code).toBe(1);
      expect(err).toContain("unknown example 'churn'. Known examples: segmentation, recommendations, fraud, crm");
    }
  });

  it('says clearly when no broker answers, and exits with 1', async () => {
    const started = Date.now();
    const { code, err } = await cli('lag', '--application-id', 'x', '--brokers', '127.0.0.1:1', '--interval', '1s');
    expect(code).toBe(1);
    expect(err).toMatch(/^tributary lag: cannot reach Kafka at 127\.0\.0\.1:1: .+\. Is a broker running there\?/);
    expect(err).not.toContain('    at ');
    expect(Date.now() - started).toBeLessThan(8000);
  }, 15_000);

  it('checks its options before connecting', async () => {
    expect((await cli('lag', '--brokers', '127.0.0.1:9092')).err).toContain('--application-id is required');
    expect((await cli('lag', '--application-id', 'x')).err).toContain('--brokers is required');
    expect((await cli('lag', '--application-id', 'x', '--brokers', 'localhost')).err).toContain("'localhost' is not host:port");
    expect((await cli('run', 'fraud', '--limit', 'lots')).err).toContain("--limit must be a positive integer, got 'lots'");
  });

  it('runs an example over the first rows of the data set and prints a summary', async () => {
    const { code, out } = await cli('run', 'segmentation', '--limit', '3000', '--partitions', '2');
    expect(code).toBe(0);
    expect(out).toContain('== segmentation: summary (embedded engine, 2 partitions, application id crm_consumer_group) ==');
    expect(out).toMatch(/rows read\s+3,000/);
    expect(out).toMatch(/Segments \(customer_segments: [\d,]+ segment changes/);
    expect(out).not.toContain('Fraud alerts');
  }, 30_000);
});

describe('the tributary bin', () => {
  it('runs from any directory', () => {
    const bin = fileURLToPath(new URL('../../bin/tributary.mjs', import.meta.url));
    const result = spawnSync(process.execPath, [bin, 'describe', 'fraud', '--format', 'mermaid'], { cwd: tmpdir(), encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^flowchart TD/);
  }, 30_000);
});

describe('the progress display', () => {
  const capture = () => {
    let text = '';
    const stream = new Writable({
      write(chunk, _encoding, done) {
        text += String(chunk);
        done();
      },
    }) as unknown as NodeJS.WriteStream;
    return { stream, text: () => text };
  };
  const snapshot = { consumed: 50, total: 200, inputLag: 30, totalLag: 45, rate: 1234.4, elapsedMs: 2500 };

  it('writes plain lines at most every interval when not on a terminal', () => {
    const { stream, text } = capture();
    const display = new ProgressDisplay(stream, 2000, false);
    display.update(snapshot);
    display.update({ ...snapshot, elapsedMs: 3000 });
    display.update({ ...snapshot, consumed: 200, elapsedMs: 4600 });
    expect(text()).toBe(
      '[progress]  25% 50/200 records | 1,234 rec/s | lag 30 (all topics 45) | 2.5s\n[progress] 100% 200/200 records | 1,234 rec/s | lag 30 (all topics 45) | 4.6s\n',
    );
  });

  it('redraws one line with a bar on a terminal', () => {
    const { stream, text } = capture();
    const display = new ProgressDisplay(stream, 2000, true);
    display.update(snapshot);
    display.finish({ ...snapshot, consumed: 200, inputLag: 0, totalLag: 0 });
    expect(text()).toMatch(/^\r\[=+> +\]  25% .*\x1b\[K\r\[=+\] 100% 200\/200 records .* lag 0 \| 2\.5s\x1b\[K\n$/);
  });

  it('takes the input topic from an application\'s metrics', () => {
    const tracker = new ProgressTracker('in', () => 100);
    const partitions = [
      { topic: 'in', partition: 0, committedOffset: 10, logEndOffset: 30, lag: 20, consumed: 25 },
      { topic: 'in', partition: 1, committedOffset: null, logEndOffset: 5, lag: 5, consumed: 0 },
      { topic: 'app-x-repartition', partition: 0, committedOffset: 0, logEndOffset: 7, lag: 7, consumed: 3 },
    ];
    const s = tracker.snapshot({ elapsedMs: 1000, lag: 32, partitions } as never);
    expect(s).toMatchObject({ consumed: 25, total: 100, inputLag: 25, totalLag: 32, rate: 25 });
  });
});
