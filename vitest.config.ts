import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/fixtures/build-fixtures.ts'],
    setupFiles: ['tests/helpers/cleanup.ts'],
    // Limits on a whole test or hook only bound how long a hung one takes to be reported. Browser and
    // host tests took 40-50 s with both cores busy, so 60 s would make load itself a failure.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // Two cores: component tests start real hosts, so run at most two files at once.
    maxWorkers: 2,
  },
});
