import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/** Test files whose behaviour depends on the database: they run on both providers. */
const databaseTests = [
  'test/db/**/*.test.ts',
  'test/entities/**/*.test.ts',
  'test/sync/**/*.test.ts',
  'test/server/**/*.test.ts',
  'test/trust/**/*.test.ts',
];

export default defineConfig({
  resolve: {
    // One graphql instance: the CommonJS entry Node gives Pothos and Yoga,
    // not the .mjs one Vite would otherwise pick for our own files.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['test/**/*.test.ts'],
          env: { TEST_DATABASE: 'sqlite', LOG_LEVEL: 'silent', NODE_ENV: 'test' },
          globalSetup: ['test/helpers/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: databaseTests,
          exclude: ['test/db/migrations.test.ts', 'test/db/startup.test.ts'],
          env: { TEST_DATABASE: 'postgres', LOG_LEVEL: 'silent', NODE_ENV: 'test' },
          globalSetup: ['test/helpers/global-setup.ts'],
        },
      },
    ],
  },
});
