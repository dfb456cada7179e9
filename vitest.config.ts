import { defineConfig } from 'vitest/config';

// Tests run against source: the `tributary-source` export condition points every
// workspace package at its src/index.ts, so no build step comes before a test.
const resolve = { conditions: ['tributary-source', 'module', 'node', 'development|production'] };
const ssr = { resolve: { conditions: ['tributary-source', 'node', 'development|production'] } };

export default defineConfig({
  resolve,
  ssr,
  test: {
    projects: [
      {
        resolve,
        ssr,
        test: {
          name: 'core',
          root: 'packages/core',
          include: ['test/**/*.test.ts'],
          // Scoped to core, so work in progress in other packages does not fail core's type tests.
          typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.typecheck.json' },
        },
      },
      { resolve, ssr, test: { name: 'kafka', root: 'packages/kafka', include: ['test/**/*.test.ts'] } },
      { resolve, ssr, test: { name: 'examples', root: 'packages/examples', include: ['test/**/*.test.ts'] } },
      {
        resolve,
        ssr,
        test: {
          name: 'integration',
          root: 'test',
          include: ['**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
