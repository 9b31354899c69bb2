/**
 * The database the bot runs on, whichever engine it is: SQLite (a `file:` URL, the default, one
 * process or several on one machine) or PostgreSQL (a `postgres://` URL, any number of instances on
 * any number of machines). Everything above src/db sees only this.
 */
import type { SQL } from 'drizzle-orm';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import type { RunCoordinator } from 'node-cron';
import type { SecretBox, Store } from '../domain/index.js';
import { openDatabase, type Database$ } from './connection.js';
import { outboxQueue, type OutboxQueue } from './outbox-queue.js';
import { sqliteStore } from './repositories.js';
import { inboxTable, runCoordinator, teamsTables, type InboxTable, type TeamsTables } from './side-tables.js';
import type { SqlRunner } from './sql-runner.js';

export type Health = 'ok' | 'busy' | 'unwritable';

/** A store whose commits that queued messages are heard (the deliverer is woken by them). */
export type EngineStore = Store & { afterCommit(listener: () => void): void };

export interface Engine {
  readonly kind: 'sqlite' | 'postgres';
  readonly store: EngineStore;
  /** the outbox as the deliverer works it */
  readonly queue: OutboxQueue;
  readonly inbox: InboxTable;
  readonly teams: TeamsTables;
  /** plain SQL both engines read alike (tests, the sandbox) */
  readonly sql: SqlRunner;
  runCoordinator(owner: string): RunCoordinator;
  /**
   * Whether a write can be made (the health check): `ok`, `busy` (another process holds the lock
   * for now: nothing is wrong here), or `unwritable` (gone, read-only, full, unreachable).
   */
  health(o?: { fresh?: boolean }): Promise<Health>;
  /** throws DatabaseUnavailable when a write now would be reported as made and lost (a SQLite file deleted or replaced) */
  check(): void;
  close(): Promise<void>;
  /** the SQLite connection itself, on SQLite only (the bench, tests of SQLite's own behaviour) */
  readonly sqlite?: Database$;
}

const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//.test(url);

/** `postgres://user:password@host/db` with the password hidden, for logs and errors */
export function redactedUrl(url: string): string {
  if (url.startsWith('file:')) return url;
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    for (const p of ['password', 'sslpassword', 'sslkey']) if (u.searchParams.has(p)) u.searchParams.set(p, '***');
    return u.toString();
  } catch {
    return '(a database URL that could not be read)';
  }
}

/** Opens the database named by `url` and brings its schema up to date (each engine its own migrations). */
export async function openEngine(url: string, o: { secrets: SecretBox }): Promise<Engine> {
  if (isPostgresUrl(url)) return (await import('./pg/engine.js')).openPostgres(url, o);
  return sqliteEngine(openDatabase(url), o);
}

const dialect = new SQLiteSyncDialect();

function sqliteEngine(database: Database$, o: { secrets?: SecretBox } = {}): Engine {
  const statement = <T>(q: SQL): T[] => {
    const { sql: text, params } = dialect.sqlToQuery(q);
    const stmt = database.sqlite.prepare(text);
    if (stmt.reader) return stmt.all(...params) as T[];
    stmt.run(...params);
    return [];
  };
  // never inside another's open transaction: with none open, the statement runs at once (it is
  // over before anything else can run); otherwise it waits for a turn of its own on the connection
  const run: SqlRunner = {
    rows: <T extends Record<string, unknown>>(q: SQL) => {
      if (!database.sqlite.inTransaction) {
        try {
          return Promise.resolve(statement<T>(q));
        } catch (e) {
          return Promise.reject(e instanceof Error ? e : new Error(String(e)));
        }
      }
      return database.serialized(() => statement<T>(q));
    },
  };
  return {
    kind: 'sqlite',
    store: sqliteStore(database, o),
    queue: outboxQueue(database),
    inbox: inboxTable(run),
    teams: teamsTables(run),
    sql: run,
    runCoordinator: (owner) => runCoordinator(run, owner),
    health: (h) => Promise.resolve(database.health(h)),
    check: () => database.check(),
    close: () => Promise.resolve(database.close()),
    sqlite: database,
  };
}
