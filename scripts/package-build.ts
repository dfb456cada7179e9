// The tsup build shared by the published packages: ONE implementation, in ESM.
//
// For each entry `<name>` a package ships:
//   dist/<name>.js     the ES module (bundled by tsup, shared code in chunks)
//   dist/<name>.cjs    `module.exports = require('./<name>.js')`: Node >= 20.19 and >= 22.12 load
//                      ES modules with require(), so `require` and `import` share one module
//                      instance and one StreamsBuilder class (no dual package hazard)
//   dist/<name>.d.cts  the declarations, in CommonJS form, so that a CommonJS TypeScript project
//                      (`module: node16`) can type `require`: a .d.cts may not re-export an ES
//                      module's declarations there (TS1479)
//   dist/<name>.d.ts   `export * from './<name>.cjs'`: the declarations for `import`, the same
//                      ones, so a value has one type whichever way it was loaded
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Options } from 'tsup';

export interface PackageBuild {
  /** Entry name (path under dist/, no extension) to source file, as tsup's `entry`. */
  entry: Record<string, string>;
  /** Entries that are programs, not import paths: no require file and no declarations. Defaults to none. */
  programs?: string[];
  /** Packages left to the user's node_modules (dependencies and peers). */
  external: string[];
}

export function packageBuild({ entry, programs = [], external }: PackageBuild): Options[] {
  // tsup runs the two builds below concurrently, so neither may clean dist/: it is cleaned here,
  // once, before both start.
  rmSync('dist', { recursive: true, force: true });
  const modules = Object.fromEntries(Object.entries(entry).filter(([name]) => !programs.includes(name)));
  return [
    {
      entry,
      format: ['esm'],
      sourcemap: true,
      target: 'node20',
      external,
      onSuccess: async () => {
        for (const name of Object.keys(modules)) writeRequireEntry(name);
      },
    },
    {
      entry: modules,
      format: ['cjs'],
      dts: { only: true },
      target: 'node20',
      external,
    },
  ];
}

function writeRequireEntry(name: string): void {
  const base = name.split('/').at(-1) as string;
  const file = (extension: string) => join('dist', `${name}${extension}`);
  mkdirSync(dirname(file('.cjs')), { recursive: true });
  writeFileSync(file('.cjs'), `'use strict';\n// The ES module, loaded with require(): one implementation for require and import.\nmodule.exports = require('./${base}.js');\n`);
  writeFileSync(file('.d.ts'), `export * from './${base}.cjs';\n`);
}
