import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main';
import { runProgram } from '../src/testing/runProgram';
import { ProgressDisplay, ProgressTracker } from '../src/progress';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const bin = fileURLToPath(new URL('../bin/tributary.mjs', import.meta.url));
const COMMANDS = ['describe', 'run', 'topics', 'lag', 'reset'];

/** Runs the CLI in-process and captures what it writes. */
const cli = (...argv: string[]) => runProgram(main, ...argv);

/** Runs the bin as a child process, from another directory. */
function tributary(...argv: string[]) {
  return spawnSync(process.execPath, [bin, ...argv], { cwd: tmpdir(), encoding: 'utf8' });
}

describe('tributary', () => {
  it('prints its help, each command its own with --help and with help <command>, and the module contract', async () => {
    const top = await cli('--help');
    expect(top.code).toBe(0);
    for (const command of [...COMMANDS, 'help']) expect(top.out).toContain(`  ${command}`);
    for (const command of COMMANDS) {
      const flag = await cli(command, '--help');
      expect(flag.code).toBe(0);
      expect(flag.out).toMatch(new RegExp(`^Usage: tributary ${command}`));
      const help = await cli('help', command);
      expect(help.code).toBe(0);
      expect(help.out).toBe(flag.out);
    }
    const module = await cli('help', 'module');
    expect(module.out).toContain('default | topology');
    expect(module.out).toContain('TopologyModule');
  });

  it('prints the version of its package.json', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(await cli('--version')).toEqual({ code: 0, out: `${version}\n`, err: '' });
  });

  it('exits with 2 on an unknown command, option or help topic, and with 2 and the usage without a command', async () => {
    const unknown = await cli('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("unknown command 'frobnicate'");
    const topOption = await cli('--colour');
    expect(topOption.code).toBe(2);
    expect(topOption.err).toContain("unknown option '--colour'");
    const option = await cli('describe', fixture('orderCounts.ts'), '--colour');
    expect(option.code).toBe(2);
    expect(option.err).toMatch(/Unknown option '--colour'[\s\S]*Usage: tributary describe/);
    expect((await cli('help', 'frobnicate')).code).toBe(2);
    const none = await cli();
    expect(none.code).toBe(2);
    expect(none.err).toContain('Usage: tributary <command>');
  });

  it('describes a module as text and as Mermaid', async () => {
    const text = await cli('describe', fixture('orderCounts.ts'));
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^Topologies:\n {3}Sub-topology: 0\n/);
    expect(text.out).toContain('orders-per-customer');
    const mermaid = await cli('describe', fixture('noArguments.mjs'), '--format', 'mermaid');
    expect(mermaid.code).toBe(0);
    expect(mermaid.out).toMatch(/^flowchart/);
    expect(mermaid.out).toContain('even-numbers');
    const bad = await cli('describe', fixture('orderCounts.ts'), '--format', 'svg');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--format must be text or mermaid');
  });

  it('says which module is missing, failed to load, or exports nothing usable, and exits with 1', async () => {
    const missing = await cli('describe', './no-such-topology.ts');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("module './no-such-topology.ts' not found");
    const failing = await cli('describe', fixture('failsToLoad.ts'));
    expect(failing.code).toBe(1);
    expect(failing.err).toMatch(/failsToLoad\.ts' failed to load: the config service is down\n$/);
    const nothing = await cli('run', fixture('exportsNothingUsable.ts'));
    expect(nothing.code).toBe(1);
    expect(nothing.err).toContain("exports no topology: expected a Topology, or a function building one, as 'default' or 'topology'; found 'applicationId' (the string \"forgot-the-topology\"), 'helper' (a function)");
    expect(missing.err + failing.err + nothing.err).not.toContain('    at ');
  });

  it('lists the topics a module reads, writes and creates, with planned partition counts', async () => {
    const { code, out } = await cli('topics', fixture('orderCounts.ts'), '--partitions', '3');
    expect(code).toBe(0);
    expect(out).toContain(`Topics of ${fixture('orderCounts.ts')} (application id order-counts-app):`);
    expect(out).toMatch(/reads +orders +3 partitions\n/);
    expect(out).toMatch(/writes +order-counts\n +country-counts\n/);
    expect(out).toMatch(/creates +order-counts-app-orders-per-customer-changelog +changelog +3 partitions\n/);
    expect(out).toMatch(/order-counts-app-orders-per-country-repartition +repartition +3 partitions\n/);
    expect(out).toContain('assume 3 partitions per source topic');
    // 'list' is the default action; --application-id renames the internal topics.
    const listed = await cli('topics', 'list', fixture('orderCounts.ts'), '--application-id', 'other');
    expect(listed.out).toMatch(/creates +other-orders-per-customer-changelog +changelog +1 partition\n/);
  });

  it('runs a module on the embedded engine over --input files and prints what each topic got', async () => {
    const { code, out, err } = await cli('run', fixture('orderCounts.ts'), '--input', `orders=${fixture('orders.jsonl')}`, '--partitions', '2');
    expect(code).toBe(0);
    expect(out).toContain(`== ${fixture('orderCounts.ts')}: summary (embedded engine, 2 partitions, application id order-counts-app) ==`);
    expect(out).toMatch(/orders +3\n/);
    expect(out).toMatch(/order-counts +3\n/);
    expect(out).toMatch(/country-counts +3\n/);
    expect(err).toMatch(/\[progress\] 100% 3\/3 records/);
  });

  it('prints the output records as JSON lines with --print, through the sinks\' serdes', async () => {
    const { code, out, err } = await cli('run', fixture('builderFunction.ts'), '--print');
    expect(code).toBe(0);
    const records = out.trim().split('\n').map((line) => JSON.parse(line) as { topic: string; key: string; value: string; timestamp: number });
    expect(records.map((r) => [r.topic, r.key, r.value, r.timestamp]).sort()).toEqual([
      ['shouted', 'a', 'HELLO', 1],
      ['shouted', 'b', 'WORLD', 2],
    ]);
    expect(err).toContain('application id builderFunction');
    expect(err).toMatch(/shouted +2\n/);
  });

  it('limits each input with --limit and takes --application-id', async () => {
    const { code, out } = await cli('run', fixture('orderCounts.ts'), '--input', `orders=${fixture('orders.jsonl')}`, '--limit', '2', '--application-id', 'mine');
    expect(code).toBe(0);
    expect(out).toContain('application id mine');
    expect(out).toMatch(/orders +2\n/);
  });

  it('stops at a bad input line, naming the file and line, and rejects inputs the topology does not read', async () => {
    const bad = await cli('run', fixture('orderCounts.ts'), '--input', `orders=${fixture('badOrders.jsonl')}`);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain(`${fixture('badOrders.jsonl')}:2: not JSON`);
    const wrongTopic = await cli('run', fixture('orderCounts.ts'), '--input', `orderz=${fixture('orders.jsonl')}`);
    expect(wrongTopic.code).toBe(2);
    expect(wrongTopic.err).toContain("input for 'orderz', which the topology does not read (it reads: orders)");
    const none = await cli('run', fixture('noArguments.mjs'));
    expect(none.code).toBe(2);
    expect(none.err).toContain('no input records for an embedded run');
    const malformed = await cli('run', fixture('noArguments.mjs'), '--input', 'numbers');
    expect(malformed.code).toBe(2);
    expect(malformed.err).toContain("--input must be topic=FILE");
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
    expect((await cli('run', fixture('orderCounts.ts'), '--limit', 'lots')).err).toContain("--limit must be a positive integer, got 'lots'");
    expect((await cli('run', fixture('orderCounts.ts'), '--brokers', '127.0.0.1:9092', '--print')).err).toContain('--limit, --partitions and --print are for embedded runs');
    expect((await cli('reset', '--application-id', 'x', '--brokers', '127.0.0.1:9092')).err).toContain('--input-topics is required');
    expect((await cli('reset', '--input-topics', 'a', '--brokers', '127.0.0.1:9092')).err).toContain('--application-id is required');
    const both = await cli('reset', '--application-id', 'x', '--input-topics', 'a', '--to-earliest', '--by-duration', 'PT1H');
    expect(both.code).toBe(2);
    expect(both.err).toContain('--to-earliest and --by-duration: give one of them');
    expect((await cli('reset', '--application-id', 'x', '--input-topics', 'a', '--by-duration', '1h')).err).toContain("--by-duration must be an ISO-8601 duration such as PT1H");
    expect((await cli('reset', '--application-id', 'x', '--input-topics', 'a', '--to-datetime', 'yesterday')).err).toContain("--to-datetime must be an ISO-8601 time");
  });
});

describe('the tributary bin', () => {
  it('describes, lists the topics of and runs a module from any directory, as a child process', () => {
    const described = tributary('describe', fixture('noArguments.mjs'), '--format', 'mermaid');
    expect(described.stderr).toBe('');
    expect(described.status).toBe(0);
    expect(described.stdout).toMatch(/^flowchart TD/);

    const topics = tributary('topics', fixture('orderCounts.ts'));
    expect(topics.status).toBe(0);
    expect(topics.stdout).toMatch(/reads +orders +1 partition\n/);

    const run = tributary('run', fixture('orderCounts.ts'), '--input', `orders=${fixture('orders.jsonl')}`);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/order-counts +3\n/);
  }, 60_000);

  it('answers --version and help <command>, and exits with 2 on an unknown command', () => {
    expect(tributary('--version').stdout).toMatch(/^\d+\.\d+\.\d+/);
    const help = tributary('help', 'reset');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: tributary reset/);
    const unknown = tributary('frobnicate');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
  }, 60_000);
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
