import { defineConfig } from 'tsup';
import { packageBuild } from '../../scripts/package-build';

export default defineConfig(
  packageBuild({
    // cli/main is the `tributary` program (bin/tributary.mjs imports it), not an import path.
    entry: { index: 'src/index.ts', 'cli/main': 'src/cli/main.ts' },
    programs: ['cli/main'],
    external: ['@tributary/core', '@tributary/kafka', 'kafkajs', 'rxjs'],
  }),
);
