import { configDefaults, defineConfig } from 'vitest/config';

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
      { resolve, ssr, test: { name: 'cli', root: 'packages/cli', include: ['test/**/*.test.ts'] } },
      { resolve, ssr, test: { name: 'examples', root: 'packages/examples', include: ['test/**/*.test.ts'] } },
      { resolve, ssr, test: { name: 'schema-registry', root: 'packages/schema-registry', include: ['test/**/*.test.ts'] } },
      { resolve, ssr, test: { name: 'lmdb', root: 'packages/lmdb', include: ['test/**/*.test.ts'] } },
      {
        resolve,
        ssr,
        test: {
          name: 'integration',
          root: 'test',
          include: ['**/*.test.ts'],
          // The system tests start clusters of their own: `pnpm test:system`.
          exclude: [...configDefaults.exclude, 'system/**'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      // System tests (test/system): each file starts its own Kafka cluster with tools/kafka and
      // runs application instances as child processes. One file at a time: they load the machine.
      {
        resolve,
        ssr,
        test: {
          name: 'system',
          root: 'test',
          include: ['system/**/*.test.ts'],
          testTimeout: 30 * 60_000,
          hookTimeout: 5 * 60_000,
          fileParallelism: false,
        },
      },
      // The short chaos and bad-input scenarios, for the README test command (CI).
      {
        resolve,
        ssr,
        test: {
          name: 'system-short',
          root: 'test',
          include: ['system/chaos.test.ts', 'system/badInput.test.ts'],
          env: { SYSTEM_SCALE: 'short' },
          testTimeout: 10 * 60_000,
          hookTimeout: 5 * 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
