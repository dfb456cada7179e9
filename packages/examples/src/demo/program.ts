// The `tributary-demo` command: bin/tributary-demo.mjs runs this file (its sources in a clone, dist/demo/program.js installed).
import { main } from './main';

process.exitCode = await main(process.argv.slice(2));
