#!/usr/bin/env node
// The `tributary-demo` command (the CRM demo): dist/demo/program.js when installed, the sources
// through tsx in a clone (@tributary/cli's launcher).
import { launch } from '@tributary/cli/launch';

await launch({ command: 'tributary-demo', packageDir: new URL('..', import.meta.url), program: 'demo/program' });
