/**
 * Slack's posts a minute are per workspace, not per process: every instance takes its posts' slots
 * from the database, so together they post at the allowance. On both engines (SQLite: several
 * processes on one file; PostgreSQL: several machines).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createSecretBox } from '../../src/bot/secret-box.js';
import { openEngine, type Engine } from '../../src/db/engine.js';
import { pacing } from '../../src/db/pacing.js';
import { dropPgDatabase, freshPgDatabase, TEST_SECRET_KEY } from '../support/postgres.js';

const secrets = createSecretBox(Buffer.from(TEST_SECRET_KEY, 'hex'));
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function twoInstances(engine: 'SQLite' | 'PostgreSQL'): Promise<Engine[]> {
  let url: string;
  if (engine === 'SQLite') {
    const dir = mkdtempSync(join(tmpdir(), 'atlas-pacing-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    url = `file:${join(dir, 'bot.sqlite')}`;
  } else {
    url = await freshPgDatabase();
    cleanups.push(() => dropPgDatabase(url));
  }
  const engines = [await openEngine(url, { secrets }), await openEngine(url, { secrets })];
  cleanups.push(async () => {
    for (const e of engines) await e.close();
  });
  return engines;
}

for (const engine of ['SQLite', 'PostgreSQL'] as const) {
  it(`${engine}: two instances taking 200 slots at once get 200 different ones, each at least the spacing apart, none before now`, async () => {
    const [a, b] = (await twoInstances(engine)).map((e) => pacing(e.sql));
    const now = Date.now();
    const spacing = 60_000 / 300;
    const slots = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? a! : b!).slot('slack:posts', spacing, now)));
    const sorted = [...slots].sort((x, y) => x - y);
    expect(sorted[0]).toBe(now);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]! - sorted[i - 1]!).toBe(spacing);
    // later on, a quiet allowance starts again from the present, not from its last slot in the past
    const later = now + 10 * 60_000;
    expect(await a!.slot('slack:posts', spacing, later)).toBe(later);
    // another allowance is its own
    expect(await b!.slot('other', spacing, now)).toBe(now);
  });
}
