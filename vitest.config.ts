import { defineConfig } from 'vitest/config';

/**
 * The suite runs twice where the engine matters: every file on SQLite, and the end-to-end and
 * PostgreSQL-only files (test/postgres: several instances, locks) again on a real PostgreSQL server
 * the run starts itself (test/support/postgres.ts).
 */
const onlySqlite = [
  // about SQLite's own file: its lock held by another process, the file deleted or replaced, its permissions, its WAL
  'test/e2e/sqlite-file.test.ts',
  // on SQLite no AsyncLocalStorage is in use (PostgreSQL's store keeps two)
  'test/e2e/sqlite-async-context.test.ts',
  // the sandbox keeps its own SQLite file (it is wiped at each start)
  'test/e2e/sandbox-*.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // each file owns its app, ports and database; files run in parallel workers
    pool: 'forks',
    // most files wait on sockets, child processes and timers rather than the CPU: on a 2-core machine
    // three workers finish in ~40 s where the default (one per core less one) takes ~75 s
    maxWorkers: 3,
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['test/**/*.test.ts'], exclude: ['test/postgres/**'] } },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['test/e2e/**/*.test.ts', 'test/postgres/**/*.test.ts'],
          exclude: onlySqlite,
          globalSetup: ['test/support/global-setup.ts'],
          env: { ATLAS_TEST_ENGINE: 'postgres' },
        },
      },
    ],
  },
});
