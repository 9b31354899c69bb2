/** A database file as an older version left it: the migrations up to (not including) one of them. */
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS_FOLDER } from '../../src/db/connection.js';

/** Opens `dir/bot.sqlite` migrated up to just before `tag` (the same files, with the journal cut there). */
export function databaseBefore(dir: string, tag: string): { file: string; old: Database.Database } {
  const before = join(dir, 'migrations');
  cpSync(MIGRATIONS_FOLDER, before, { recursive: true });
  const journalPath = join(before, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const cut = journal.entries.findIndex((e) => e.tag === tag);
  if (cut <= 0) throw new Error(`no migration ${tag}`);
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, cut) }));
  const file = join(dir, 'bot.sqlite');
  const old = new Database(file);
  migrate(drizzle(old), { migrationsFolder: before });
  return { file, old };
}
