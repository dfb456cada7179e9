/**
 * The broker of the state benchmarks that need one (`pnpm bench:state -- --brokers`):
 * `--brokers=<host:port,...>`, else `KAFKA_BROKERS`, else a broker of their own, started with
 * tools/kafka in a run directory of its own on a free port (so it disturbs no broker that
 * tests use) and stopped when they end. Sets `KAFKA_BROKERS`, which the test harness reads.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../harness';

export interface BenchBroker {
  readonly brokers: readonly string[];
  /** Stops the broker when this run started it; otherwise does nothing. */
  stop(): void;
}

export function benchBroker(given: string | undefined): BenchBroker {
  const list = given || process.env.KAFKA_BROKERS;
  if (list) {
    process.env.KAFKA_BROKERS = list;
    return { brokers: list.split(','), stop: () => undefined };
  }
  const runDirectory = mkdtempSync(join(tmpdir(), 'tributary-bench-kafka-'));
  const env = { ...process.env, KAFKA_RUN_DIR: runDirectory };
  console.log(`Starting a broker for the benchmarks (tools/kafka/start.sh, run directory ${runDirectory})...`);
  execFileSync('bash', [join(repoRoot, 'tools', 'kafka', 'start.sh'), '--port', 'auto'], { stdio: 'inherit', env });
  const started = readFileSync(join(runDirectory, 'brokers'), 'utf8').trim();
  process.env.KAFKA_BROKERS = started;
  return {
    brokers: started.split(','),
    stop: () => {
      execFileSync('bash', [join(repoRoot, 'tools', 'kafka', 'stop.sh')], { stdio: 'inherit', env });
      rmSync(runDirectory, { recursive: true, force: true });
    },
  };
}
