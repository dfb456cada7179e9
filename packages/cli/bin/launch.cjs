// The launcher behind the `tributary` command, and behind the commands of other packages
// built on @tributary/cli (`tributary-demo`): `@tributary/cli/launch`. Plain CommonJS, so
// that it runs before any build and loads from ESM and CommonJS alike.
'use strict';
const { spawn } = require('node:child_process');
const { existsSync } = require('node:fs');
const { createRequire } = require('node:module');
const { join } = require('node:path');
const { fileURLToPath, pathToFileURL } = require('node:url');

// A larger young generation: topologies allocate many short-lived records, and with the
// default 16 MB semi-spaces a run spends about twice as long in scavenges.
const NODE_FLAGS = ['--max-semi-space-size=128'];

/**
 * Runs a package's program with the command line's arguments. In a clone (after `pnpm
 * install`) it runs the TypeScript sources, `src/<program>.ts`, through tsx with the
 * `tributary-source` export condition, so the workspace packages resolve to their src/ and
 * no build step is needed; installed from a registry it runs the build, `dist/<program>.js`.
 * Works from any working directory.
 *
 * ## Example
 * ```js
 * #!/usr/bin/env node
 * import { launch } from '@tributary/cli/launch';
 *
 * await launch({ command: 'tributary-demo', packageDir: new URL('..', import.meta.url), program: 'demo/program' });
 * ```
 *
 * @param {{ command: string, packageDir: URL, program: string }} options `command` names the
 *   command in errors; `packageDir` is the package's directory (holding package.json, src/ and
 *   dist/); `program` the program's path under src/ and dist/, without extension.
 * @return {Promise<void>} settles once the build is loaded; with the sources, the process
 *   exits as the program does.
 */
async function launch({ command, packageDir, program }) {
  const dir = fileURLToPath(packageDir);
  const source = join(dir, 'src', `${program}.ts`);
  const built = join(dir, 'dist', `${program}.js`);
  const tsx = findTsx(dir);
  if (tsx && existsSync(source)) {
    runSources(tsx, source, process.argv.slice(2));
  } else if (existsSync(built)) {
    await import(pathToFileURL(built).href);
  } else {
    console.error(`${command}: neither tsx (to run the sources) nor a build (dist/${program}.js) was found. Run 'pnpm install' at the repository root.`);
    process.exit(1);
  }
}

/** tsx, a dev dependency of the workspace: found from the package's place in a clone. */
function findTsx(dir) {
  try {
    return pathToFileURL(createRequire(join(dir, 'package.json')).resolve('tsx')).href;
  } catch {
    return undefined;
  }
}

function runSources(tsx, source, args) {
  const child = spawn(process.execPath, [...NODE_FLAGS, '--conditions=tributary-source', '--import', tsx, source, ...args], { stdio: 'inherit' });
  // A signal sent to this process alone (kill <pid>) reaches the program through here; Ctrl-C on a
  // terminal reaches both, and the program takes a repeat within a second as the same one.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (!signal) process.exit(code ?? 1);
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  });
}

module.exports = { launch };
