/**
 * Two instances meeting the same unknown account email at the same moment (two admins inviting it,
 * a CSV and a link page) record one person for it, not two: the transaction deciding who has the
 * email holds it.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../src/db/engine.js';
import { createSecretBox } from '../../src/bot/secret-box.js';
import { identifyEmail, identifyEmails, rememberSlackUsers, type DomainDeps } from '../../src/domain/index.js';
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

it('two class lists overlapping in 200 emails, identified on two instances at once (in opposite orders): one person per email, the same to both', async () => {
  const deps = engines.map((e): DomainDeps => ({ ...domainDeps(), store: e.store }));
  const all = Array.from({ length: 300 }, (_, i) => `list${i}@uni.edu`);
  const first = all.slice(0, 250);
  const second = all.slice(50).reverse();
  const [a, b] = await Promise.all([identifyEmails(deps[0]!, first), identifyEmails(deps[1]!, second)]);
  expect(a.map((p) => p.email)).toEqual(first);
  expect(b.map((p) => p.email)).toEqual(second);
  const idOf = new Map(a.map((p) => [p.email, p.id]));
  for (const p of b) if (idOf.has(p.email)) expect(p.id).toBe(idOf.get(p.email));
  const rows = await engines[0]!.sql.rows<{ n: number; people: number }>(sql`SELECT COUNT(DISTINCT email) AS n, COUNT(*) AS people FROM people WHERE email LIKE 'list%'`);
  expect(Number(rows[0]?.n)).toBe(300);
  expect(Number(rows[0]?.people)).toBe(300);
});

it('Slack users remembered in one go on two instances while their emails are identified alone on the other: each email one person, who joins their chat identity', async () => {
  const deps = engines.map((e): DomainDeps => ({ ...domainDeps(), store: e.store }));
  const users = Array.from({ length: 100 }, (_, i) => ({ teamId: 'T1', userId: `U${i}`, email: `chat${i}@uni.edu`, displayName: `Person ${i}`, tz: null }));
  // the emails alone first on one instance, the chat users on the other, at the same moment
  const [alone, chat] = await Promise.all([identifyEmails(deps[0]!, users.map((u) => u.email)), rememberSlackUsers(deps[1]!, users)]);
  const rows = await engines[0]!.sql.rows<{ email: string; n: number; chat: number }>(
    sql`SELECT email, COUNT(*) AS n, COUNT(slack_user_id) AS chat FROM people WHERE email LIKE 'chat%' GROUP BY email`,
  );
  expect(rows).toHaveLength(100);
  // whichever went first, the email-only person and the chat user are one person
  for (const r of rows) expect([Number(r.n), Number(r.chat)]).toEqual([1, 1]);
  for (const [i, u] of users.entries()) expect(chat.get(u.userId)!.id).toBe(alone[i]!.id);
  // again, with a changed name: the same people, updated, no one new
  const again = await rememberSlackUsers(deps[0]!, users.map((u) => ({ ...u, displayName: `Renamed ${u.userId}` })));
  for (const u of users) expect(again.get(u.userId)).toMatchObject({ id: chat.get(u.userId)!.id, displayName: `Renamed ${u.userId}` });
});
