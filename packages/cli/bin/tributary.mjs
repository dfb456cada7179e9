#!/usr/bin/env node
// The `tributary` command: dist/program.js when installed, the sources through tsx in a clone (see launch.cjs).
import { launch } from './launch.cjs';

await launch({ command: 'tributary', packageDir: new URL('..', import.meta.url), program: 'program' });
