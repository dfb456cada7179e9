#!/usr/bin/env node
// The `tributary` command. In a clone (after `pnpm install`) it runs the TypeScript
// sources through tsx, with the `tributary-source` export condition so the workspace
// packages resolve to their src/ and no build step is needed; installed from a registry
// (no tsx) it runs the build, dist/cli/main.js. Works from any working directory.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(packageDir, 'dist', 'cli', 'main.js');
const source = join(packageDir, 'src', 'cli', 'main.ts');
const args = process.argv.slice(2);

let tsx;
try {
  // tsx is a dev dependency of the workspace root: found from this package's place in a clone.
  tsx = pathToFileURL(createRequire(join(packageDir, 'package.json')).resolve('tsx')).href;
} catch {
  tsx = undefined;
}

// A larger young generation: the pipelines allocate many short-lived records, and with the
// default 16 MB semi-spaces the demo spends about twice as long in scavenges.
const nodeFlags = ['--max-semi-space-size=128'];

if (tsx && existsSync(source)) {
  const child = spawn(process.execPath, [...nodeFlags, '--conditions=tributary-source', '--import', tsx, source, ...args], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
} else if (existsSync(built)) {
  const { main } = await import(pathToFileURL(built).href);
  process.exitCode = await main(args);
} else {
  console.error("tributary: neither tsx (to run the sources) nor a build (dist/cli/main.js) was found. Run 'pnpm install' at the repository root.");
  process.exit(1);
}
