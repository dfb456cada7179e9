// The `tributary` command: bin/tributary.mjs runs this file (its sources in a clone, dist/program.js installed).
import { main } from './main';

process.exitCode = await main(process.argv.slice(2));
