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

/** One side-table statement waiting for its batch. */
interface Queued {
  text: string;
  params: unknown[];
  read: boolean;
  resolve(rows: unknown[]): void;
  reject(e: Error): void;
}

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

function sqliteEngine(database: Database$, o: { secrets?: SecretBox } = {}): Engine {
  const sqlite = database.sqlite;
  const statement = (text: string, params: unknown[]): unknown[] => {
    const stmt = sqlite.prepare(text);
    if (stmt.reader) return stmt.all(...params);
    stmt.run(...params);
    return [];
  };
  // transaction control, compiled once (the statement cache keeps them)
  const control = (text: string) => void sqlite.prepare(text).run();
  // the side tables' writes (the Slack inbox marks every request three times) are committed
  // together: every statement issued outside a transaction within one turn of the event loop is
  // queued, and the batch runs in one BEGIN IMMEDIATE … COMMIT, instead of one commit (and its
  // WAL frames, and sooner a checkpoint) each. A statement that fails is undone alone (SQLite
  // undoes a failed statement's changes and keeps the transaction) and rejected with its own
  // error; its neighbours still commit.
  // Every promise is settled only once the batch's COMMIT went through (or failed), with its
  // statement's own rows. Statements run in the order they were issued, so a statement sees what
  // the ones before it wrote.
  // Never inside another's open transaction: the batch takes its turn on the connection
  // (Database$.serialized) like any transaction of the store.
  let queue: Queued[] = [];
  let scheduled = false;
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      database.serialized(flush).catch(() => undefined);
    });
  };
  const flush = () => {
    scheduled = false;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    // a transaction opened outside the turns (none should be): the batch waits for its end
    if (sqlite.inTransaction) {
      queue = [...batch, ...queue];
      schedule();
      return;
    }
    // reads alone need no transaction, nor does one statement alone (it commits by itself)
    const writes = batch.some((q) => !q.read);
    if (!writes || batch.length === 1) {
      for (const q of batch) {
        try {
          if (writes) database.check();
          q.resolve(statement(q.text, q.params));
        } catch (e) {
          database.lockMet(e);
          q.reject(asError(e));
        }
      }
      return;
    }
    try {
      // a write to a file that is no longer the one on disk would be reported as made, and lost:
      // looked at once for the whole batch
      database.check();
      // another process's lock: waited for (busy_timeout) and then failed, for every statement
      // alike, as each would have failed alone
      control('BEGIN IMMEDIATE');
    } catch (e) {
      // not tried again here: the Slack inbox records each request in such a batch before its
      // ack, and a request declined at once can be sent again (a transaction of the store tries
      // again, for a while: sqliteStore)
      database.lockMet(e);
      for (const q of batch) q.reject(asError(e));
      return;
    }
    const ran: { q: Queued; rows?: unknown[]; error?: Error }[] = [];
    for (let i = 0; i < batch.length; i++) {
      const q = batch[i]!;
      try {
        ran.push({ q, rows: statement(q.text, q.params) });
      } catch (e) {
        // a statement that fails (a constraint, say) is undone alone by SQLite itself, its
        // neighbours' changes kept (the default ON CONFLICT ABORT): no savepoint each is needed.
        // (A failure after SQLite's step went through, in better-sqlite3 turning a RETURNING row
        // into values, would leave its changes: the side tables return plain whole numbers and
        // text, which cannot fail so.)
        if (sqlite.inTransaction) {
          ran.push({ q, error: asError(e) });
          continue;
        }
        // SQLite rolled the whole transaction back (a full disk, an I/O error): this statement
        // fails with its error, the ones that failed before it with theirs, and every other one
        // runs again in a batch of its own (nothing it did is left)
        q.reject(asError(e));
        for (const r of ran) if (r.error) r.q.reject(r.error);
        queue = [...ran.filter((r) => !r.error).map((r) => r.q), ...batch.slice(i + 1), ...queue];
        if (queue.length) schedule();
        return;
      }
    }
    try {
      control('COMMIT');
    } catch (e) {
      try {
        if (sqlite.inTransaction) control('ROLLBACK');
      } catch {
        // already gone
      }
      for (const r of ran) r.q.reject(r.error ?? asError(e));
      return;
    }
    for (const r of ran) {
      if (r.error) r.q.reject(r.error);
      else r.q.resolve(r.rows!);
    }
  };
  const run: SqlRunner = {
    rows: <T extends Record<string, unknown>>(q: SQL) => {
      let text: string;
      let params: unknown[];
      try {
        ({ sql: text, params } = dialect.sqlToQuery(q));
      } catch (e) {
        return Promise.reject(asError(e));
      }
      const read = /^\s*select\b/i.test(text);
      // a read with nothing queued before it and no transaction open needs no batch: it is over
      // before anything else can run
      if (read && queue.length === 0 && !sqlite.inTransaction) {
        try {
          return Promise.resolve(statement(text, params) as T[]);
        } catch (e) {
          return Promise.reject(asError(e));
        }
      }
      return new Promise<T[]>((resolve, reject) => {
        queue.push({ text, params, read, resolve: resolve as (rows: unknown[]) => void, reject });
        schedule();
      });
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
    close: () => {
      // what is queued still goes in, when it can
      if (queue.length && !sqlite.inTransaction) flush();
      database.close();
      return Promise.resolve();
    },
    sqlite: database,
  };
}
