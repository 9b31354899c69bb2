import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schema from './schema/index.js';

export type Db = BetterSQLite3Database<typeof schema>;

export interface Database$ {
  sqlite: Database.Database;
  db: Db;
  close(): void;
}

export const MIGRATIONS_FOLDER = resolve(dirname(fileURLToPath(import.meta.url)), '../../migrations');

/** `file:./data/bot.sqlite` → `./data/bot.sqlite`; `file::memory:` → `:memory:`. */
export function sqlitePathOf(databaseUrl: string): string {
  const path = databaseUrl.replace(/^file:/, '');
  if (!path) throw new Error('DATABASE_URL names no file');
  return path;
}

/**
 * Opens the SQLite file (creating its folder), sets WAL and a busy timeout so a second process
 * waits for a lock instead of failing, and applies the migrations.
 */
export function openDatabase(databaseUrl: string): Database$ {
  const path = sqlitePathOf(databaseUrl);
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  // deleted or overwritten bytes (a delivered link scrubbed from the outbox) are zeroed on disk
  sqlite.pragma('secure_delete = ON');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  cacheStatements(sqlite);
  return { sqlite, db, close: () => sqlite.close() };
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
