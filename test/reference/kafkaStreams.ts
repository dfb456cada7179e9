// Runs scenarios through the Kafka Streams reference (tools/kafka-streams-reference): one JVM
// for all of them, built on demand by run.sh.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A record as both sides print it: string keys (windowed keys as `key@start/end`), string or number values. */
export interface OutputRecord {
  key: string | null;
  value: string | number | null;
  timestamp: number;
}

export interface InputRecord {
  topic: string;
  key: string | null;
  value: string | null;
  timestamp: number;
}

/** Not a record: moves both drivers' wall clock forward by `advanceWallClockMs`, firing wall-clock punctuators. */
export interface WallClockAdvance {
  advanceWallClockMs: number;
}

export interface Scenario {
  name: string;
  topology: string;
  inputs: (InputRecord | WallClockAdvance)[];
  outputs: string[];
  /** Kafka Streams' DSL store kind: `rocksDB` (its default) or `in_memory`. */
  stores?: 'rocksDB' | 'in_memory';
}

export interface ReferenceResult {
  name: string;
  outputs: Record<string, OutputRecord[]>;
  describe?: string;
  error?: string;
}

export const runScript = fileURLToPath(new URL('../../tools/kafka-streams-reference/run.sh', import.meta.url));

/** Runs `run.sh` with `args`, `stdin` as its input; resolves with its stdout, rejects with its stderr. */
function runReferenceScript(args: string[], stdin: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [runScript, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the Kafka Streams reference (${runScript}) did not finish in ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot start bash for the Kafka Streams reference: ${error.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString('utf8').trim();
      if (code !== 0) {
        reject(
          new Error(
            `the Kafka Streams reference failed (exit ${code}). It needs Java 11+ and, for its first build, Maven ` +
              `and access to Maven Central (see tools/kafka-streams-reference/README.md).\n${stderr}`,
          ),
        );
        return;
      }
      resolve(Buffer.concat(out).toString('utf8'));
    });
    child.stdin.on('error', () => {
      // The script failed before reading its input; 'close' reports why.
    });
    child.stdin.end(stdin);
  });
}

/** Builds the reference if needed (the first build downloads Kafka Streams), within `timeoutMs`. */
export async function buildReference(timeoutMs = 5 * 60_000): Promise<void> {
  await runReferenceScript(['--build'], '', timeoutMs);
}

/** Runs every scenario in one JVM and returns one result per scenario, in order. */
export async function runReference(scenarios: Scenario[], timeoutMs = 5 * 60_000): Promise<ReferenceResult[]> {
  const stdout = await runReferenceScript([], JSON.stringify(scenarios), timeoutMs);
  const results = JSON.parse(stdout) as ReferenceResult[];
  if (!Array.isArray(results) || results.length !== scenarios.length) {
    throw new Error(`the Kafka Streams reference returned ${Array.isArray(results) ? results.length : 'no'} results for ${scenarios.length} scenarios`);
  }
  return results;
}
