// `pnpm bench:kafka`: end-to-end records/s of Tributary on Kafka beside a plain KafkaJS loop.
// This file only makes sure the workspace packages resolve to their sources (the
// `tributary-source` export condition), then runs ./kafkaBench.ts.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const condition = '--conditions=tributary-source';
const active = process.execArgv.includes(condition) || (process.env.NODE_OPTIONS ?? '').includes(condition);
if (active) {
  await import('./kafkaBench');
} else {
  const self = fileURLToPath(import.meta.url);
  const { status, signal } = spawnSync(process.execPath, [condition, '--import', 'tsx', self, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exitCode = status ?? (signal ? 1 : 0);
}
