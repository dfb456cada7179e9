import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'cli/main': 'src/cli/main.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  // import.meta.url in the CommonJS build, for the data set's default path.
  shims: true,
  target: 'node20',
  external: ['@tributary/core', '@tributary/kafka', 'kafkajs', 'rxjs'],
});
