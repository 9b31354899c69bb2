/**
 * Each engine's migrations are in step with its schema files: drizzle-kit, run on a copy of the
 * migrations folder, finds nothing to write. A schema change without its migration (or a change to
 * one engine's schema only, without `npm run db:generate`) fails here.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import sqliteConfig from '../../drizzle.config.js';
import postgresConfig from '../../drizzle.postgres.config.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const drizzleKit = join(root, 'node_modules/drizzle-kit', (JSON.parse(readFileSync(join(root, 'node_modules/drizzle-kit/package.json'), 'utf8')) as { bin: Record<string, string> }).bin['drizzle-kit']!);

const filesIn = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

it.each([
  { engine: 'SQLite', config: sqliteConfig },
  { engine: 'PostgreSQL', config: postgresConfig },
])('$engine: the migrations folder is in step with the schema', ({ config }) => {
  const folder = join(root, config.out!);
  dir = mkdtempSync(join(tmpdir(), 'atlas-schema-check-'));
  const out = join(dir, 'migrations');
  cpSync(folder, out, { recursive: true });
  // the project's own config, writing into the copy (drizzle-kit reads a JSON config as it is, and
  // takes `out` relative to where it runs: it prefixes './' even to an absolute path)
  const configFile = join(dir, 'drizzle.config.json');
  writeFileSync(configFile, JSON.stringify({ ...config, out: relative(root, out) }));

  // stdin closed: a question drizzle-kit would ask (a rename?) ends the run instead of waiting
  const run = spawnSync(process.execPath, [drizzleKit, 'generate', '--config', configFile], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000, env: { ...process.env, FORCE_COLOR: '0' } });
  const said = `${run.stdout}${run.stderr}`;

  expect(run.status, said).toBe(0);
  // drizzle-kit exits 0 on most of its errors too: only its own words say all is well
  expect(said).toContain('nothing to migrate');
  // nothing written: no new .sql file, snapshot or journal entry
  expect(filesIn(out)).toEqual(filesIn(folder));
  expect(readFileSync(join(out, 'meta/_journal.json'), 'utf8')).toBe(readFileSync(join(folder, 'meta/_journal.json'), 'utf8'));
}, 30_000);
