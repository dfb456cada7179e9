import { defineConfig } from 'tsup';
import { packageBuild } from '../../scripts/package-build';

export default defineConfig(
  packageBuild({
    entry: {
      index: 'src/index.ts',
      'testing/index': 'src/testing/index.ts',
      'runtime/index': 'src/runtime/index.ts',
      'embedded/index': 'src/embedded/index.ts',
    },
    external: ['@standard-schema/spec', 'rxjs'],
  }),
);
