// The ESM fixture project's program: the topology test on the installed packages.
import { checkTopology } from './topology.js';

checkTopology();
console.log('ESM project: topology test passed');
