// For stream threads (StreamThreads' `threadImports`) of our test and benchmark programs: a worker
// thread does not get the main thread's `--import tsx` hooks, so each registers tsx itself.
import { register } from 'tsx/esm/api';

register();
