import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/fixtures/build-fixtures.ts'],
    setupFiles: ['tests/helpers/cleanup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: component tests start real hosts, so run at most two files at once.
    maxWorkers: 2,
  },
});
