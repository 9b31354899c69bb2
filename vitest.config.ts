import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // each file owns its app, ports and database; files run in parallel workers
    pool: 'forks',
    // most files wait on sockets, child processes and timers rather than the CPU: on a 2-core machine
    // three workers finish in ~40 s where the default (one per core less one) takes ~75 s
    maxWorkers: 3,
  },
});
