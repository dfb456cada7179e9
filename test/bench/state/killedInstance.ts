import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { repoRoot, waitFor, withAdmin } from '../../harness';
import { OutputWatch } from './outputWatch';

const script = fileURLToPath(new URL('./profilesApp.ts', import.meta.url));

/**
 * Runs the profiles application (`profilesApp.ts`) in a child process on `stateDir` until
 * `records` new records are on its output topic (so its changelog has their updates too: both
 * go out in the same requests), kills it with SIGKILL before it commits them or writes a
 * checkpoint (its commit interval is 30 s), then waits until the group has dropped the dead
 * member (its session timed out), so that a restart measured next waits for nothing but itself.
 */
export async function killAfterOutput(env: { applicationId: string; input: string; output: string; stateDir: string }, records: number): Promise<void> {
  const outputs = await OutputWatch.open(env.output);
  const child = spawn(process.execPath, ['--conditions=tributary-source', '--import', 'tsx', script], {
    cwd: repoRoot,
    env: { ...process.env, APP_ID: env.applicationId, INPUT: env.input, OUTPUT: env.output, STATE_DIR: env.stateDir },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  try {
    await Promise.race([outputs.records(records, 300_000), exited.then(() => Promise.reject(new Error(`the child application exited (${child.exitCode}):\n${stderr}`)))]);
  } finally {
    child.kill('SIGKILL');
    await exited;
    await outputs.close();
  }
  await withAdmin(async (admin) => {
    await waitFor(async () => (await admin.describeGroups([env.applicationId])).groups[0]?.members.length === 0, {
      timeoutMs: 60_000,
      intervalMs: 200,
      description: 'the group to drop the killed member',
    });
  });
}
