import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // each file owns its app, ports and database; files run in parallel workers
    pool: 'forks',
  },
});
