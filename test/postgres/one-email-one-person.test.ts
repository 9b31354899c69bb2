/**
 * Two instances meeting the same unknown account email at the same moment (two admins inviting it,
 * a CSV and a link page) record one person for it, not two: the transaction deciding who has the
 * email holds it.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../src/db/engine.js';
import { createSecretBox } from '../../src/bot/secret-box.js';
import { identifyEmail, type DomainDeps } from '../../src/domain/index.js';
import { domainDeps } from '../support/test-store.js';
import { dropPgDatabase, freshPgDatabase, TEST_SECRET_KEY } from '../support/postgres.js';

let url: string;
const engines: Engine[] = [];

beforeAll(async () => {
  url = await freshPgDatabase();
  const secrets = createSecretBox(Buffer.from(TEST_SECRET_KEY, 'hex'));
  // one migrates, then the second opens the same database: two instances, each with its own pool
  engines.push(await openEngine(url, { secrets }));
  engines.push(await openEngine(url, { secrets }));
}, 30_000);

afterAll(async () => {
  for (const e of engines) await e.close();
  if (url) await dropPgDatabase(url);
});

it('the same new email identified on two instances at once, 20 times: one person each time, the same to both', async () => {
  const deps = engines.map((e): DomainDeps => ({ ...domainDeps(), store: e.store }));
  for (let i = 0; i < 20; i++) {
    const email = `race${i}@uni.edu`;
    const [a, b] = await Promise.all(deps.map((d) => identifyEmail(d, email)));
    expect(a!.id).toBe(b!.id);
    const rows = await engines[0]!.sql.rows<{ n: number }>(sql`SELECT COUNT(*) AS n FROM people WHERE email = ${email}`);
    expect(Number(rows[0]?.n)).toBe(1);
  }
  // a near match is someone else (account emails are case sensitive): a second person, as before
  const [lower, upper] = await Promise.all([identifyEmail(deps[0]!, 'Case@uni.edu'), identifyEmail(deps[1]!, 'case@uni.edu')]);
  expect(lower.id).not.toBe(upper.id);
});
