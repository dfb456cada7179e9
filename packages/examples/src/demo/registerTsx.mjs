// In a clone, where the demo runs its TypeScript sources through tsx: the demo's stream threads
// (worker threads, which do not get the main thread's `--import tsx`) import this first.
import { register } from 'tsx/esm/api';

register();
