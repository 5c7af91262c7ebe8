// vitest configuration of pack:check's last step: only the packed-main test, against the extracted package.
// The package leaves out the .map files its compiled modules still point to (sourceMappingURL comments), and vite
// warns once per module it cannot find a map for: its log level is therefore 'error' here (test output is not vite's).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  logLevel: 'error',
  test: {
    include: ['test/build/packed-main.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 180_000,
  },
});
