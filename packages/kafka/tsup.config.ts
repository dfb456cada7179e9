import { defineConfig } from 'tsup';
import { packageBuild } from '../../scripts/package-build';

export default defineConfig(
  packageBuild({
    // The stream thread program: a file of its own, which `StreamThreads` starts in each worker thread.
    entry: { index: 'src/index.ts', 'stream-thread': 'src/threads/threadProgram.ts' },
    programs: ['stream-thread'],
    external: ['@tributary/core', '@tributary/lmdb', 'kafkajs', 'rxjs'],
  }),
);
