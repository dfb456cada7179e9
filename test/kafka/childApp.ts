// Runs test/kafka/fixtures/app.ts (or another fixture program) in a child process and follows what it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { brokers, repoRoot } from '../harness';

export interface ChildApp {
  readonly process: ChildProcess;
  /** Every JSON line the child printed, in order. */
  readonly lines: Record<string, unknown>[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last line with `event === name`. */
  last(name: string): Record<string, unknown> | undefined;
}

const fixtures = {
  app: fileURLToPath(new URL('./fixtures/app.ts', import.meta.url)),
  persistentApp: fileURLToPath(new URL('./fixtures/persistentApp.ts', import.meta.url)),
  threadedApp: fileURLToPath(new URL('./fixtures/threadedApp.ts', import.meta.url)),
};

export function spawnChildApp(
  env: {
    APP_ID: string;
    INPUT: string;
    OUTPUT?: string;
    INSTANCE: string;
    GUARANTEE?: string;
    COUNTS?: string;
    OPTIONS?: string;
    FAIL_ON_ID?: string;
    STATE_DIR?: string;
    STANDBYS?: string;
    PROGRESS_MS?: string;
    NUM_THREADS?: string;
    FAIL_IN_THREAD?: string;
  },
  script: keyof typeof fixtures = 'app',
): ChildApp {
  const child = spawn(process.execPath, ['--conditions=tributary-source', '--import', 'tsx', fixtures[script]], {
    cwd: repoRoot,
    env: { ...process.env, ...env, KAFKA_BROKERS: brokers().join(',') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // not one of ours
    }
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      if (code !== 0 && signal === null && stderr) console.error(`child app ${env.INSTANCE} failed:\n${stderr}`);
      resolve({ code, signal });
    }),
  );
  return {
    process: child,
    lines,
    exited,
    last: (name) => [...lines].reverse().find((l) => l.event === name),
  };
}
