/**
 * The side tables' statements on SQLite (src/db/engine.ts): those issued within one turn of the
 * event loop are committed together, each answered with its own result or its own error, never
 * inside another's open transaction, and a replayed Slack request is still taken once.
 */
import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { DatabaseUnavailable } from '../../src/db/connection.js';
import { openEngine, type Engine } from '../../src/db/engine.js';
import { inboxTable } from '../../src/db/side-tables.js';

const secrets = { seal: (s: string) => s, open: (s: string) => s };
let open: { engine: Engine; dir: string }[] = [];
afterEach(async () => {
  for (const { engine, dir } of open) {
    await engine.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
  open = [];
});

async function engineOnFile() {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-batch-'));
  const file = join(dir, 'bot.sqlite');
  const engine = await openEngine(`file:${file}`, { secrets });
  open.push({ engine, dir });
  return { engine, file };
}

const request = (key: string, eventId: string | null = null) => ({
  key,
  eventId,
  receivedAt: Date.now(),
  contentType: 'application/json',
  sealedBody: '{}',
  owner: 'me',
  leaseUntil: Date.now() + 30_000,
});
const count = async (engine: Engine, where = sql`1 = 1`) => (await engine.sql.rows<{ n: number }>(sql`SELECT COUNT(*) AS n FROM slack_inbox WHERE ${where}`))[0]!.n;
const welcomes = async (engine: Engine) => (await engine.sql.rows<{ id: string }>(sql`SELECT conversation_id AS id FROM teams_welcomes ORDER BY conversation_id`)).map((r) => r.id);

it('writes issued together are committed together, each answered with its own result', async () => {
  const { engine, file } = await engineOnFile();
  const sqlite = engine.sqlite!.sqlite;
  sqlite.pragma('wal_autocheckpoint = 0');
  const walNow = () => statSync(`${file}-wal`).size;

  // one at a time: a commit (and its WAL frames) each
  let before = walNow();
  for (let i = 0; i < 50; i++) await engine.inbox.record(request(`one-${i}`));
  const apart = walNow() - before;

  before = walNow();
  const ids = await Promise.all(Array.from({ length: 50 }, (_, i) => engine.inbox.record(request(`together-${i}`))));
  const together = walNow() - before;
  expect(new Set(ids).size).toBe(50);
  expect(ids.every((id) => typeof id === 'number')).toBe(true);
  // each id is its own request's
  const keys = await engine.sql.rows<{ id: number; key: string }>(sql`SELECT id, key FROM slack_inbox WHERE key LIKE 'together-%'`);
  for (const [i, id] of ids.entries()) expect(keys.find((k) => k.id === id)?.key).toBe(`together-${i}`);
  expect(together).toBeLessThan(apart / 5);

  // marks and reads issued at once, in order: a read sees the writes issued before it
  const [, , seen] = await Promise.all([engine.inbox.acked(ids[0]!), engine.inbox.done(ids[1]!, Date.now()), engine.sql.rows<{ status: string }>(sql`SELECT status FROM slack_inbox WHERE id IN (${ids[0]}, ${ids[1]}) ORDER BY id`)]);
  expect(seen.map((r) => r.status)).toEqual(['acked', 'done']);
  expect(sqlite.inTransaction).toBe(false);
});

it('a replayed request is taken once, however many copies arrive at once (by its key or its event id)', async () => {
  const { engine } = await engineOnFile();
  const same = await Promise.all(Array.from({ length: 20 }, () => engine.inbox.record(request('the-same-signature'))));
  expect(same.filter((id) => id !== undefined)).toHaveLength(1);
  // Slack's own retries of an event are signed anew: the event id is the same
  const retried = await Promise.all(Array.from({ length: 20 }, (_, i) => engine.inbox.record(request(`retry-${i}`, 'Ev123'))));
  expect(retried.filter((id) => id !== undefined)).toHaveLength(1);
  // and after the batch, again: still a replay
  expect(await engine.inbox.record(request('the-same-signature'))).toBeUndefined();
  expect(await count(engine)).toBe(2);
});

it('a statement that fails fails alone: its neighbours in the batch are committed, and nothing of it is left', async () => {
  const { engine } = await engineOnFile();
  const results = await Promise.allSettled([
    engine.inbox.record(request('before')),
    // a row without its required columns
    engine.sql.rows(sql`INSERT INTO slack_inbox (key) VALUES ('broken')`),
    engine.teams.claimWelcome('C1', 1),
    // the first row goes in before the third fails: the statement is undone as a whole
    engine.sql.rows(sql`INSERT INTO teams_welcomes (conversation_id, at) VALUES ('half', 1), ('twice', 1), ('twice', 1)`),
    engine.teams.claimWelcome('C2', 1),
    engine.inbox.record(request('after')),
  ]);
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
  expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/NOT NULL/);
  expect(String((results[3] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
  expect((results[2] as PromiseFulfilledResult<boolean>).value).toBe(true);
  expect(typeof (results[5] as PromiseFulfilledResult<number | undefined>).value).toBe('number');
  expect(await count(engine)).toBe(2);
  expect(await welcomes(engine)).toEqual(['C1', 'C2']);
});

it('never inside another transaction: a write issued while a store transaction is open is not part of it', async () => {
  const { engine } = await engineOnFile();
  let opened!: () => void;
  let finish!: () => void;
  const isOpen = new Promise<void>((r) => (opened = r));
  const finished = new Promise<void>((r) => (finish = r));
  const transaction = engine.store.transaction(async (r) => {
    await r.people.byEmail('someone@uni.edu');
    opened();
    // open, awaiting between its statements
    await finished;
    throw new Error('rolled back');
  });
  await isOpen;
  expect(engine.sqlite!.sqlite.inTransaction).toBe(true);
  // from elsewhere (another request), while it is open
  const written = engine.teams.claimWelcome('C1', 1);
  await new Promise((res) => setTimeout(res, 20));
  finish();
  await expect(transaction).rejects.toThrow('rolled back');
  expect(await written).toBe(true);
  expect(await welcomes(engine)).toEqual(['C1']);
});

it('another process holding the lock: every statement of the batch is refused as it would be alone, and taken once it is free', async () => {
  const { engine, file } = await engineOnFile();
  const other = new Database(file);
  other.exec('BEGIN IMMEDIATE');
  try {
    const refused = await Promise.allSettled([engine.inbox.record(request('a')), engine.teams.claimWelcome('C1', 1)]);
    expect(refused.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    for (const r of refused) expect(String((r as PromiseRejectedResult & { reason: { code?: string } }).reason.code)).toMatch(/^SQLITE_BUSY/);
  } finally {
    other.exec('COMMIT');
    other.close();
  }
  const taken = await Promise.all([engine.inbox.record(request('a')), engine.teams.claimWelcome('C1', 1)]);
  expect(typeof taken[0]).toBe('number');
  expect(taken[1]).toBe(true);
});

it('a database file deleted under the bot: no write is reported as made', async () => {
  const { engine, file } = await engineOnFile();
  rmSync(file);
  const refused = await Promise.allSettled([engine.inbox.record(request('a')), engine.inbox.record(request('b'))]);
  for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(DatabaseUnavailable);
  // one alone too
  await expect(engine.inbox.record(request('c'))).rejects.toBeInstanceOf(DatabaseUnavailable);
});

it('what is still queued when the engine closes is written first', async () => {
  const { engine, file } = await engineOnFile();
  const pending = engine.inbox.record(request('last'));
  await engine.close();
  expect(typeof (await pending)).toBe('number');
  const db = new Database(file, { readonly: true });
  expect(db.prepare("SELECT COUNT(*) AS n FROM slack_inbox WHERE key = 'last'").get()).toEqual({ n: 1 });
  db.close();
});

it('a full disk: the statement that does not fit is refused, the others of its batch still go in', async () => {
  const { engine } = await engineOnFile();
  const sqlite = engine.sqlite!.sqlite;
  await engine.inbox.record(request('first'));
  // room for a few pages more, not for a megabyte
  const pages = sqlite.pragma('page_count', { simple: true }) as number;
  sqlite.pragma(`max_page_count = ${pages + 8}`);
  const results = await Promise.allSettled([
    engine.inbox.record(request('small-1')),
    engine.inbox.record({ ...request('huge'), sealedBody: 'x'.repeat(1 << 20) }),
    engine.inbox.record(request('small-2')),
  ]);
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  expect(String(((results[1] as PromiseRejectedResult).reason as { code?: string }).code)).toBe('SQLITE_FULL');
  expect((await engine.sql.rows<{ key: string }>(sql`SELECT key FROM slack_inbox ORDER BY id`)).map((r) => r.key)).toEqual(['first', 'small-1', 'small-2']);
  expect(sqlite.inTransaction).toBe(false);
});

it('the inbox gathers calls made while one is under way into one statement: 60 requests (10 of them copies, 5 events delivered twice under new signatures) in a handful of statements, each with its own answer', async () => {
  const { engine } = await engineOnFile();
  let statements = 0;
  const counting = { rows: <T extends Record<string, unknown>>(q: Parameters<typeof engine.sql.rows>[0]) => (statements++, engine.sql.rows<T>(q)) };
  const inbox = inboxTable(counting);
  const keys = Array.from({ length: 45 }, (_, i) => `sig-${i}`);
  const calls = [
    ...keys.map((k) => inbox.record(request(k))),
    // copies of requests recorded beside them
    ...keys.slice(0, 10).map((k) => inbox.record(request(k))),
    // an event Slack retried under a new signature: its event id was taken
    ...Array.from({ length: 5 }, (_, i) => inbox.record(request(`event-${i}`, `Ev${i}`))),
  ];
  const again = Array.from({ length: 5 }, (_, i) => inbox.record(request(`event-retry-${i}`, `Ev${i}`)));
  const ids = await Promise.all([...calls, ...again]);
  const firsts = [...ids.slice(0, 45), ...ids.slice(55, 60)];
  expect(firsts.every((id) => typeof id === 'number')).toBe(true);
  expect(new Set(firsts).size).toBe(50);
  // every copy is a replay
  expect(ids.slice(45, 55)).toEqual(Array(10).fill(undefined));
  expect(ids.slice(60)).toEqual(Array(5).fill(undefined));
  expect(statements).toBeLessThan(5);
  // the marks are gathered too, and each applies to its own row
  statements = 0;
  await Promise.all(firsts.slice(0, 30).map((id) => inbox.acked(id!)));
  await Promise.all(firsts.slice(0, 20).map((id) => inbox.done(id!, Date.now())));
  expect(statements).toBeLessThan(5);
  const counts = await engine.sql.rows<{ status: string; n: number }>(sql`SELECT status, COUNT(*) AS n FROM slack_inbox GROUP BY status ORDER BY status`);
  expect(counts).toEqual([
    { status: 'acked', n: 10 },
    { status: 'done', n: 20 },
    { status: 'received', n: 20 },
  ]);
});
