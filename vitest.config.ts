import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // the whole suite must finish well inside CI's budget on a 2-core machine
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
