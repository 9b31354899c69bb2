import Database from 'better-sqlite3';
import { AsyncLocalStorage } from 'node:async_hooks';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { accessSync, chmodSync, closeSync, constants as fsConstants, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schema from './schema/index.js';

/** drizzle over the connection, and the connection itself (`$client`: statements drizzle would build slowly) */
export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export interface Database$ {
  sqlite: Database.Database;
  db: Db;
  close(): void;
  /**
   * Throws DatabaseUnavailable when what is open is no longer the file on disk (its folder was
   * deleted or the file replaced): a write then would be reported as made and lost.
   */
  check(): void;
  /**
   * Whether a write can be made (the health check): `ok`, `busy` (another process holds the lock
   * for now: nothing is wrong here), or `unwritable` (the file is gone or replaced, read-only, full).
   */
  health(o?: { fresh?: boolean }): 'ok' | 'busy' | 'unwritable';
  /**
   * Runs `work` when every earlier piece of work on this connection is done: a transaction that
   * awaits between its statements, and every other user of the connection (the outbox queue, the
   * Slack inbox, the job leases), take turns, so no statement lands inside someone else's
   * transaction. `work` must not wait for a turn of its own (a store transaction, the outbox
   * queue, a side-table statement): that turn comes after this one, which would wait for ever.
   * Nothing does: a transaction of the domain works only with the repositories it is given, and a
   * verb never calls a verb inside its transaction (the domain's tests open the database with
   * `refuseNestedTurns`, which rejects such a turn at once).
   * (No AsyncLocalStorage tells work inside a turn from work beside it: on Node 20 one in use
   * hooks every promise the process makes, a quarter of a bare ack's CPU; issue #19.)
   */
  serialized<T>(work: () => Promise<T> | T): Promise<T>;
  /**
   * Told of an error a write met (work that catches its own errors tells it here; what `serialized`
   * work throws is looked at there): true when it is another process's lock (SQLITE_BUSY), whether
   * the try waited for it or not. After one that waited, writes try the lock without waiting for a
   * while (see LOCK_BREAK_MS).
   */
  lockMet(e: unknown): boolean;
}

/** The database cannot take what is asked of it: a write is never reported as made. */
export class DatabaseUnavailable extends Error {
  override name = 'DatabaseUnavailable';
}

/** How long a write waits for another process's lock, at most: the whole process waits with it. */
const BUSY_TIMEOUT_MS = 200;
/**
 * Once a write waited BUSY_TIMEOUT_MS for a lock and did not get it, the writes for this long after
 * that failure try the lock once and fail at once if it is still held. A lock held that long is
 * held for a while (a backup, a long job elsewhere); each write waiting out the busy timeout in turn
 * would stop this process for 200 ms each, and fifty of them for ten seconds: every ack late, every
 * timer too. A transaction of the store tries again, sleeping between its tries, which stops
 * nothing; the side tables' batch does not. Only a failure that waited opens the window again: while
 * it is open, the quick failures of tries that did not wait do not keep it open.
 */
const LOCK_BREAK_MS = 1000;

/** another process's lock, held past the busy timeout (SQLITE_LOCKED is a conflict inside this connection: not one) */
const isLockHeld = (e: unknown): boolean => String((e as { code?: unknown } | null)?.code).startsWith('SQLITE_BUSY');

export const MIGRATIONS_FOLDER = resolve(dirname(fileURLToPath(import.meta.url)), '../../migrations');

/** `file:./data/bot.sqlite` → `./data/bot.sqlite`; `file::memory:` → `:memory:`. */
export function sqlitePathOf(databaseUrl: string): string {
  // a server's URL (postgres://…) is no file name: never a folder made of it
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(databaseUrl)) throw new Error('DATABASE_URL is not a SQLite file: URL');
  const path = databaseUrl.replace(/^file:/, '');
  if (!path) throw new Error('DATABASE_URL names no file');
  return path;
}

/**
 * Opens the SQLite file (creating its folder), sets WAL and a busy timeout so a second process
 * waits for a lock instead of failing, and applies the migrations.
 */
export function openDatabase(databaseUrl: string, o: { refuseNestedTurns?: boolean } = {}): Database$ {
  const path = sqlitePathOf(databaseUrl);
  const onDisk = path !== ':memory:';
  if (onDisk) {
    // a folder the bot makes is its own (0700); the database files are readable by the bot's user only (0600)
    const dir = dirname(resolve(path));
    if (mkdirSync(dir, { recursive: true, mode: 0o700 }) !== undefined) chmodSync(dir, 0o700);
    for (const suffix of ['', '-wal', '-shm']) {
      const file = `${path}${suffix}`;
      if (existsSync(file)) chmodSync(file, 0o600);
      else if (suffix === '') closeSync(openSync(file, 'a', 0o600));
    }
  }
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  // a lock held elsewhere stops this whole process while it waits: the wait is kept short, and a
  // write that cannot get the lock is answered "try again" (see sqliteStore)
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  // deleted or overwritten bytes (a delivered link scrubbed from the outbox) are zeroed on disk
  sqlite.pragma('secure_delete = ON');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  cacheStatements(sqlite);
  // the file that was opened, to notice when the one on disk is no longer it
  const opened = onDisk ? statSync(path) : undefined;
  let lastHealth: { at: number; said: 'ok' | 'busy' | 'unwritable' } | undefined;
  const check = () => {
    if (!opened) return;
    let now;
    try {
      now = statSync(path);
    } catch {
      lastHealth = undefined;
      throw new DatabaseUnavailable(`the database file ${path} is gone`);
    }
    if (now.ino !== opened.ino || now.dev !== opened.dev) {
      lastHealth = undefined;
      throw new DatabaseUnavailable(`the database file ${path} was replaced`);
    }
  };
  // the breaker: while `waitsUntil` is ahead, the busy timeout is 0 (a write tries the lock once)
  let waitsUntil = 0;
  const lockMet = (e: unknown): boolean => {
    if (!isLockHeld(e)) return false;
    // a try that did not wait says nothing new: the window is not pushed on by it
    if (waitsUntil !== 0) return true;
    sqlite.pragma('busy_timeout = 0');
    waitsUntil = Date.now() + LOCK_BREAK_MS;
    return true;
  };
  // a write about to be made: past the break, it may wait for the lock again
  const mayWait = () => {
    if (waitsUntil === 0 || Date.now() < waitsUntil) return;
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    waitsUntil = 0;
  };
  // a real write, rolled back: a deleted or replaced file, a full disk or a read-only file says so here
  const probe = (): 'ok' | 'busy' | 'unwritable' => {
    // a transaction of this process is open (between two of its steps): the file took a write a moment ago
    if (sqlite.inTransaction) return lastHealth?.said ?? 'ok';
    try {
      check();
      if (onDisk) accessSync(path, fsConstants.W_OK);
      mayWait();
      sqlite.exec('BEGIN IMMEDIATE');
      try {
        sqlite.exec('INSERT OR REPLACE INTO health_probe (id) VALUES (1)');
      } finally {
        sqlite.exec('ROLLBACK');
      }
      return 'ok';
    } catch (e) {
      return lockMet(e) ? 'busy' : 'unwritable';
    }
  };
  let tail: Promise<unknown> = Promise.resolve();
  // the domain's tests (refuseNestedTurns) tell a turn asked for from inside a turn, which would
  // wait for ever, and refuse it: only they pay for an AsyncLocalStorage
  const nested = o.refuseNestedTurns ? new AsyncLocalStorage<true>() : undefined;
  return {
    sqlite,
    db,
    serialized: <T>(work: () => Promise<T> | T): Promise<T> => {
      if (nested?.getStore()) return Promise.reject(new Error('a turn of the database connection was asked for from inside another (a transaction begun inside a transaction): it would wait for ever'));
      const run = tail.then(() => {
        mayWait();
        return nested ? nested.run(true, work) : work();
      });
      tail = run.catch((e: unknown) => void lockMet(e));
      return run;
    },
    lockMet,
    close: () => sqlite.close(),
    check,
    health: (o = {}) => {
      if (o.fresh) return probe();
      // asked often (a load balancer every few seconds): the answer is kept for a second
      const at = Date.now();
      if (lastHealth && at - lastHealth.at < 1000) return lastHealth.said;
      lastHealth = { at, said: probe() };
      return lastHealth.said;
    },
  };
}

/**
 * drizzle hands better-sqlite3 the SQL of every query to compile again each time it runs; compiling
 * was a fifth of a bulk invitation's time and of every request's. The same text gets the statement
 * compiled the first time (the most recently used few hundred are kept). A statement is reset to
 * return rows as objects, since drizzle asks for arrays (`raw()`) only when it wants them.
 */
function cacheStatements(sqlite: Database.Database, max = 500): void {
  const compile = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, Database.Statement>();
  sqlite.prepare = ((source: string) => {
    let stmt = cache.get(source);
    if (stmt) cache.delete(source); // re-inserted below: the map's order is the least recently used first
    else stmt = compile(source);
    cache.set(source, stmt);
    if (cache.size > max) cache.delete(cache.keys().next().value!);
    if (stmt.reader) stmt.raw(false);
    return stmt;
  }) as typeof sqlite.prepare;
}
