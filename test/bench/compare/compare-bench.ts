// `pnpm bench:compare`: Tributary side by side with Kafka Streams (see ./compareBench.ts).
// This file only makes sure the workspace packages resolve to their sources (the
// `tributary-source` export condition), then runs ./compareBench.ts.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const condition = '--conditions=tributary-source';
const active = process.execArgv.includes(condition) || (process.env.NODE_OPTIONS ?? '').includes(condition);
if (active) {
  await import('./compareBench');
} else {
  const self = fileURLToPath(import.meta.url);
  const { status, signal } = spawnSync(process.execPath, [condition, '--import', 'tsx', self, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exitCode = status ?? (signal ? 1 : 0);
}
