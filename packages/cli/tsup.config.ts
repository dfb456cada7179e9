import { defineConfig } from 'tsup';
import { packageBuild } from '../../scripts/package-build';

export default defineConfig(
  packageBuild({
    // program is the `tributary` command (bin/tributary.mjs runs it), not an import path.
    entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts', program: 'src/program.ts' },
    programs: ['program'],
    external: ['@tributary/core', '@tributary/kafka', 'kafkajs', 'rxjs', 'tsx'],
  }),
);
