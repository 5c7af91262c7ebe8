import { defineConfig } from 'vitest/config';
import { coreAlias } from './vite.config.js';

export default defineConfig({
  // Tests import renderer modules, which import core as @core/….
  resolve: { alias: coreAlias },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // better-sqlite3 and the wasm parquet reader are happiest in forked processes.
    pool: 'forks',
  },
});
