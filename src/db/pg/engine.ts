/**
 * The bot on PostgreSQL: one pool of connections per process, the migrations applied at start by
 * one instance at a time (an advisory lock), and everything else as on SQLite (see ../engine.ts).
 */
import pg from 'pg';
import type { SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { PgDialect } from 'drizzle-orm/pg-core';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SecretBox } from '../../domain/index.js';
import { DatabaseUnavailable } from '../connection.js';
import { redactedUrl, type Engine, type Health } from '../engine.js';
import { inboxTable, runCoordinator, teamsTables } from '../side-tables.js';
import type { SqlRunner } from '../sql-runner.js';
import { postgresOutboxQueue } from './outbox-queue.js';
import * as schema from './schema.js';
import { pgUnavailable, postgresStore } from './store.js';

export const PG_MIGRATIONS_FOLDER = resolve(dirname(fileURLToPath(import.meta.url)), '../../../migrations-postgres');

/** any number that fits: the one lock every instance takes to migrate */
const MIGRATION_LOCK = 7_341_092;

/** bigint columns (times in milliseconds, counts) arrive as numbers: every one here fits in 2^53 */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

export async function openPostgres(url: string, o: { secrets: SecretBox }): Promise<Engine> {
  const pool = new pg.Pool({
    connectionString: url,
    types,
    max: 10,
    connectionTimeoutMillis: 5000,
    // a server that stops answering (a network that drops packets) is noticed, not waited for
    query_timeout: 25_000,
    keepAlive: true,
    // a lock held elsewhere is waited for a little, never for so long that an answer is late; a
    // transaction left open by a hung instance does not hold its locks for ever
    options: '-c lock_timeout=2000 -c statement_timeout=20000 -c idle_in_transaction_session_timeout=60000',
  });
  // a connection the server ends (a restart, a failover, a timeout), idle or in use, is an error of
  // the query it was running, never an unhandled 'error' event that would end the process
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  try {
    const client = await pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      try {
        await migrate(drizzle(client), { migrationsFolder: PG_MIGRATIONS_FOLDER });
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
      }
    } finally {
      client.release();
    }
  } catch (e) {
    await pool.end();
    throw new DatabaseUnavailable(`the database ${redactedUrl(url)} could not be opened: ${e instanceof Error ? e.message : String(e)}`);
  }
  const db = drizzle(pool, { schema });
  // straight to the pool, with its number types (drizzle's execute reads bigint as text)
  const dialect = new PgDialect();
  const run: SqlRunner = {
    rows: async <T extends Record<string, unknown>>(q: SQL) => {
      const { sql: text, params } = dialect.sqlToQuery(q);
      return (await pool.query<T>(text, params)).rows;
    },
  };
  // a real write, rolled back: a read-only server, a full disk or a server gone says so here
  const probe = async (): Promise<Health> => {
    let client: pg.PoolClient | undefined;
    try {
      client = await pool.connect();
      await client.query('BEGIN');
      await client.query('INSERT INTO health_probe (id) VALUES (1) ON CONFLICT (id) DO UPDATE SET id = 1');
      await client.query('ROLLBACK');
      return 'ok';
    } catch (e) {
      // never back into the pool inside a failed transaction: the connection is dropped instead
      client?.release(e instanceof Error ? e : true);
      client = undefined;
      return pgUnavailable(e)?.details.cause === 'busy' ? 'busy' : 'unwritable';
    } finally {
      client?.release();
    }
  };
  let last: { at: number; said: Promise<Health> } | undefined;
  return {
    kind: 'postgres',
    store: postgresStore(db, o),
    queue: postgresOutboxQueue(db),
    inbox: inboxTable(run),
    teams: teamsTables(run),
    sql: run,
    runCoordinator: (owner) => runCoordinator(run, owner),
    health: (h = {}) => {
      if (h.fresh) return probe();
      // asked often (a load balancer every few seconds): the answer is kept for a second
      const at = Date.now();
      if (!last || at - last.at >= 1000) last = { at, said: probe() };
      return last.said;
    },
    check: () => undefined,
    close: () => pool.end(),
  };
}
