import { defineConfig } from 'vitest/config';

// Browser tests against the built console served by server mode: run `npm run build` first.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: one browser and one desk process at a time.
    fileParallelism: false,
  },
});
