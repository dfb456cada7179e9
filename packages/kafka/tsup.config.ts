import { defineConfig } from 'tsup';
import { packageBuild } from '../../scripts/package-build';

export default defineConfig(
  packageBuild({
    entry: { index: 'src/index.ts' },
    external: ['@tributary/core', '@tributary/lmdb', 'kafkajs', 'rxjs'],
  }),
);
