import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // better-sqlite3 and the wasm parquet reader are happiest in forked processes.
    pool: 'forks',
  },
});
