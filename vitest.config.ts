import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Each file starts its own real servers (git, registry, DynamoDB Local); two cores, two forks.
    pool: 'forks',
    maxWorkers: 2,
  },
});
