import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database$ } from '../../src/db/connection.js';
import { outboxQueue } from '../../src/db/outbox-queue.js';
import { dueForReminderQuery, sqliteStore } from '../../src/db/repositories.js';

let dir: string;
let database: Database$;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-db-'));
  database = openDatabase(`file:${join(dir, 'nested', 'bot.sqlite')}`);
});
afterEach(() => {
  database.close();
  rmSync(dir, { recursive: true, force: true });
});

const person = (email: string | null, slackUserId: string | null) => ({ email, slackTeamId: slackUserId ? 'T1' : null, slackUserId, slackDmChannel: null, displayName: null, tz: null });

describe('the SQLite database', () => {
  it('is created with its folder (0700) and files (0600), in WAL mode with a short busy timeout, and fully migrated', () => {
    expect(database.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    // a lock held elsewhere stops the whole process while it waits: the wait is short
    expect(database.sqlite.pragma('busy_timeout', { simple: true })).toBe(200);
    expect(statSync(join(dir, 'nested')).mode & 0o777).toBe(0o700);
    for (const f of ['bot.sqlite', 'bot.sqlite-wal', 'bot.sqlite-shm']) expect(statSync(join(dir, 'nested', f)).mode & 0o777, f).toBe(0o600);
    const tables = (database.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['people', 'admins', 'licenses', 'invitations', 'seats', 'audit_log', 'outbox', '__drizzle_migrations']));
  });

  it("answers the reminder sweep's list from its covering index alone, oldest first, only what is due", async () => {
    const { sql } = dueForReminderQuery(database.db).toSQL();
    const plan = (database.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('pending', 0, 3, 10) as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan).toMatch(/USING COVERING INDEX invitations_reminder_due_covering/);
    expect(plan).not.toMatch(/TEMP B-TREE/); // no sort: the index is already in reminder order

    const store = sqliteStore(database);
    const ids = await store.transaction(async (r) => {
      const admin = await r.people.insert(person('ada@uni.edu', 'UADMIN'), 1);
      const license = await r.licenses.insert({ name: 'L', seats: 10, seatModel: 'assigned', memberCap: null, createdBy: admin.id, createdAt: 0 });
      const mk = async (n: number, sentAt: number, patch: Record<string, unknown> = {}) => {
        const p = await r.people.insert(person(`p${n}@x.edu`, `U${n}`), 1);
        const inv = await r.invitations.insert({ kind: 'license', licenseId: license.id, inviteeId: p.id, inviteeEmail: p.email, inviterId: admin.id, status: 'pending', tokenHash: `h${n}`, platform: 'slack', createdAt: sentAt, sentAt, expiresAt: sentAt + 1000 });
        if (Object.keys(patch).length) await r.invitations.update(inv.id, patch);
        return inv.id;
      };
      return { late: await mk(1, 300), early: await mk(2, 100), remindedRecently: await mk(3, 50, { lastRemindedAt: 900 }), maxedOut: await mk(4, 60, { remindersSent: 3 }), answered: await mk(5, 70, { status: 'accepted' }) };
    });
    const due = await store.transaction((r) => r.invitations.dueForReminder(500, 3, 10));
    expect(due.map((d) => d.id)).toEqual([ids.early, ids.late]);
    expect(Object.keys(due[0]!).sort()).toEqual(['expiresAt', 'id', 'inviteeId', 'remindersSent']);
  });

  it('opening it again applies nothing twice', () => {
    database.close();
    database = openDatabase(`file:${join(dir, 'nested', 'bot.sqlite')}`);
    const n = (database.sqlite.prepare('SELECT COUNT(*) AS n FROM __drizzle_migrations').get() as { n: number }).n;
    expect(n).toBeGreaterThan(0);
    database.close();
    database = openDatabase(`file:${join(dir, 'nested', 'bot.sqlite')}`);
    expect((database.sqlite.prepare('SELECT COUNT(*) AS n FROM __drizzle_migrations').get() as { n: number }).n).toBe(n);
  });
});

describe('repositories', () => {
  it('people: emails match exactly (account emails are case sensitive)', async () => {
    const store = sqliteStore(database);
    await store.transaction((r) => r.people.insert(person('Alice.Smith@uni.edu', null), 1));
    expect(await store.transaction((r) => r.people.byEmail('Alice.Smith@uni.edu'))).toHaveLength(1);
    expect(await store.transaction((r) => r.people.byEmail('alice.smith@uni.edu'))).toHaveLength(0);
  });

  it('licenses: names are unique without regard to letter case, and found the same way', async () => {
    const store = sqliteStore(database);
    const admin = await store.transaction((r) => r.people.insert(person('ada@uni.edu', 'UADMIN'), 1));
    await store.transaction((r) => r.licenses.insert({ name: 'Campus 2026', seats: 5, seatModel: 'assigned', memberCap: null, createdBy: admin.id, createdAt: 1 }));
    expect((await store.transaction((r) => r.licenses.byName('campus 2026')))?.name).toBe('Campus 2026');
    await expect(store.transaction((r) => r.licenses.insert({ name: 'CAMPUS 2026', seats: 5, seatModel: 'assigned', memberCap: null, createdBy: admin.id, createdAt: 1 }))).rejects.toThrow(/UNIQUE/);
  });

  it('invitations: the database itself refuses a second pending invitation for the same person and pool', async () => {
    const store = sqliteStore(database);
    const admin = await store.transaction((r) => r.people.insert(person('ada@uni.edu', 'UADMIN'), 1));
    const { lic, p } = await store.transaction(async (r) => ({
      lic: await r.licenses.insert({ name: 'L', seats: 5, seatModel: 'assigned', memberCap: null, createdBy: admin.id, createdAt: 1 }),
      p: await r.people.insert(person('a@uni.edu', 'UA'), 1),
    }));
    const base = { kind: 'license' as const, licenseId: lic.id, inviteeId: p.id, inviteeEmail: 'a@uni.edu', inviterId: admin.id, status: 'pending' as const, platform: 'slack' as const, createdAt: 1, sentAt: 1, expiresAt: 100 };
    const first = await store.transaction((r) => r.invitations.insert({ ...base, tokenHash: 'h1' }));
    await expect(store.transaction((r) => r.invitations.insert({ ...base, tokenHash: 'h2' }))).rejects.toThrow(/UNIQUE/);
    // once it is answered, a new one may be made
    expect(await store.transaction((r) => r.invitations.transition(first.id, 'pending', { status: 'declined' }))).toBe(true);
    expect(await store.transaction((r) => r.invitations.transition(first.id, 'pending', { status: 'accepted' }))).toBe(false);
    expect((await store.transaction((r) => r.invitations.insert({ ...base, tokenHash: 'h3' }))).id).toBeGreaterThan(first.id);
    expect(await store.transaction((r) => r.licenses.usage(lic.id))).toEqual({ occupied: 0, reserved: 1 });
  });

  it('many rows at once (multi-row inserts of 100): each comes back as a single insert returns it, in the order given, whatever its shape', async () => {
    const store = sqliteStore(database);
    const ref = { serviceUrl: 'https://smba.example/emea/', conversationId: 'a:1', tenantId: 't1', botId: '28:b' };
    // 250 people in runs of different shapes: with and without an email, a Teams conversation (a JSON column), a display name
    const given = Array.from({ length: 250 }, (_, i) => ({
      ...person(i % 7 === 0 ? null : `p${i}@uni.edu`, `UM${i}`),
      ...(i % 3 === 0 ? { teamsAadId: `aad-${i}`, teamsConversation: { ...ref, conversationId: `a:${i}` } } : {}),
      displayName: i % 5 === 0 ? null : `Person ${i}`,
    }));
    const many = await store.transaction((r) => r.people.insertMany(given, 7));
    expect(many.map((p) => p.slackUserId)).toEqual(given.map((g) => g.slackUserId));
    expect(new Set(many.map((p) => p.id)).size).toBe(250);
    const single = await store.transaction((r) => r.people.insert({ ...given[3]!, slackUserId: 'USINGLE', email: 'single@uni.edu' }, 7));
    expect(Object.keys(many[3]!).sort()).toEqual(Object.keys(single).sort());
    expect(many[3]!.teamsConversation).toEqual({ ...ref, conversationId: 'a:3' });
    expect(many[4]!.teamsConversation ?? null).toBeNull();
    expect(many[7]!.email).toBeNull();
    // and read back as written
    const read = await store.transaction((r) => r.people.byIds(many.map((p) => p.id)));
    expect(read.find((p) => p.id === many[3]!.id)).toEqual(many[3]);
    expect(read.find((p) => p.id === many[10]!.id)).toEqual(many[10]);

    const admin = many[1]!;
    const lic = await store.transaction((r) => r.licenses.insert({ name: 'Many', seats: 500, seatModel: 'assigned', memberCap: null, createdBy: admin.id, createdAt: 1 }));
    const invitations = many.map((p, i) => ({ kind: 'license' as const, licenseId: lic.id, inviteeId: p.id, inviteeEmail: p.email, inviterId: admin.id, status: 'pending' as const, tokenHash: `hm${i}`, platform: 'slack' as const, createdAt: 1, sentAt: 1, expiresAt: 100, ...(i % 2 ? { runId: 9 } : {}) }));
    const made = await store.transaction((r) => r.invitations.insertMany(invitations));
    expect(made.map((m) => m.inviteeId)).toEqual(many.map((p) => p.id));
    expect(made[5]).toMatchObject({ tokenHash: 'hm5', remindersSent: 0, runId: 9, status: 'pending' });
    expect(made[6]?.runId ?? null).toBeNull();
    expect(await store.transaction((r) => r.invitations.byId(made[200]!.id))).toEqual(made[200]);
    // one shape throughout: 250 rows go in as 100 + 100 + 32 + 16 + 2 rows a statement, still in the order given
    const plain = Array.from({ length: 250 }, (_, i) => person(`q${i}@uni.edu`, `UQ${i}`));
    const same = await store.transaction((r) => r.people.insertMany(plain, 8));
    expect(same.map((p) => p.email)).toEqual(plain.map((p) => p.email));
    expect(same.map((p) => p.id)).toEqual(same.map((p) => p.id).sort((a, b) => a - b));
    const sameInvitations = same.map((p, i) => ({ ...invitations[0]!, inviteeId: p.id, inviteeEmail: p.email, tokenHash: `hq${i}` }));
    const madeSame = await store.transaction((r) => r.invitations.insertMany(sameInvitations));
    expect(madeSame.map((m) => m.tokenHash)).toEqual(sameInvitations.map((i) => i.tokenHash));
    expect(await store.transaction((r) => r.licenses.usage(lic.id))).toEqual({ occupied: 0, reserved: 500 });
    // a statement refused (its second row, of the same shape as the first, is a second pending
    // invitation for the same pool) is undone whole, the rest of its transaction kept
    await store.transaction(async (r) => {
      await r.people.insert(person('kept@uni.edu', null), 9);
      await expect(r.invitations.insertMany([{ ...invitations[0]!, inviteeId: single.id, runId: null, tokenHash: 'x1' }, { ...invitations[1]!, runId: null, tokenHash: 'x2' }])).rejects.toThrow(/UNIQUE/);
    });
    expect(await store.transaction((r) => r.people.byEmail('kept@uni.edu'))).toHaveLength(1);
    expect(await store.transaction((r) => r.invitations.pendingFor(lic.id, single.id))).toBeUndefined();
    expect(await store.transaction((r) => r.licenses.usage(lic.id))).toEqual({ occupied: 0, reserved: 500 });
  });

  it('the outbox takes many messages at once (multi-row): each row and its subjects as enqueue writes them, in the order given', async () => {
    const store = sqliteStore(database);
    const p = await store.transaction((r) => r.people.insert(person('o@uni.edu', 'UO'), 1));
    const items = Array.from({ length: 130 }, (_, i) =>
      i % 2 ? { to: { type: 'person' as const, personId: p.id }, message: { type: 'notice' as const, text: `notice ${i}` }, at: 100 + i } : { to: { type: 'updates' as const }, message: { type: 'refresh' as const, subject: `invitation:${i}` }, at: 100 + i, priority: 1 as const },
    );
    const ids = await store.transaction((r) => r.outbox.enqueueMany(items));
    const one = await store.transaction((r) => r.outbox.enqueue(items[0]!.to, items[0]!.message, 100, 1));
    expect(ids).toEqual(ids.slice().sort((a, b) => a - b));
    const rows = database.sqlite.prepare('SELECT id, recipient_type, recipient_id, payload, priority, status, next_attempt_at FROM outbox ORDER BY id').all() as Record<string, unknown>[];
    expect(rows.map((r) => r.id)).toEqual([...ids, one]);
    expect(rows.map((r) => JSON.parse(String(r.payload)))).toEqual([...items.map((i) => i.message), items[0]!.message]);
    expect(rows[1]).toMatchObject({ recipient_type: 'person', recipient_id: p.id, priority: 0, status: 'pending', next_attempt_at: 0 });
    // enqueue writes the row one of enqueueMany would
    const { id: _a, ...many0 } = rows[0]!;
    const { id: _b, ...single } = rows.at(-1)!;
    expect(many0).toEqual(single);
    const subjects = database.sqlite.prepare('SELECT outbox_id, subject FROM outbox_subjects ORDER BY outbox_id').all() as { outbox_id: number; subject: string }[];
    expect(subjects).toEqual([...items.flatMap((item, i) => (item.message.type === 'refresh' ? [{ outbox_id: ids[i], subject: item.message.subject }] : [])), { outbox_id: one, subject: 'invitation:0' }]);
  });

  it("a transaction begun inside another is refused at once where the database is opened to refuse it (the domain's tests): on SQLite it would wait for its own end", async () => {
    const strict = openDatabase(`file:${join(dir, 'strict.sqlite')}`, { refuseNestedTurns: true });
    const store = sqliteStore(strict);
    await expect(
      store.transaction(async (r) => {
        await r.people.insert(person('outer@uni.edu', null), 1);
        return store.transaction((inner) => inner.people.insert(person('inner@uni.edu', null), 1));
      }),
    ).rejects.toThrow(/from inside another .*wait for ever/);
    // the outer one was undone with it, and the connection takes the next transaction
    expect(await store.transaction((r) => r.people.byEmail('outer@uni.edu'))).toEqual([]);
    expect((await store.transaction((r) => r.people.insert(person('after@uni.edu', null), 1))).email).toBe('after@uni.edu');
    strict.close();
  });

  it('a throw inside a transaction rolls back everything it wrote', async () => {
    const store = sqliteStore(database);
    const admin = await store.transaction((r) => r.people.insert(person('ada@uni.edu', 'UADMIN'), 1));
    await expect(
      store.transaction(async (r) => {
        await r.licenses.insert({ name: 'Ghost', seats: 5, seatModel: 'assigned', memberCap: null, createdBy: admin.id, createdAt: 1 });
        await r.outbox.enqueue({ type: 'admin_channel' }, { type: 'notice', text: 'hi' }, 1);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.transaction((r) => r.licenses.list())).toEqual([]);
    expect(await outboxQueue(database).counts()).toEqual({});
  });
});

describe('the outbox queue', () => {
  it('claims due rows under a lease: a second deliverer gets nothing until the lease runs out', async () => {
    const store = sqliteStore(database);
    const queue = outboxQueue(database);
    await store.transaction(async (r) => {
      await r.outbox.enqueue({ type: 'admin_channel' }, { type: 'notice', text: 'one' }, 1000);
      await r.outbox.enqueue({ type: 'person', personId: 7 }, { type: 'notice', text: 'two' }, 1000);
    });
    const a = await queue.claim('a', 1000, 30_000, 10);
    expect(a.map((r) => r.id)).toEqual([1, 2]);
    expect(await queue.claim('b', 2000, 30_000, 10)).toEqual([]);
    // owner "a" crashed without marking anything: after its lease, "b" picks the rows up again
    const b = await queue.claim('b', 1000 + 30_001, 30_000, 10);
    expect(b.map((r) => [r.id, r.attempts])).toEqual([
      [1, 2],
      [2, 2],
    ]);
    await queue.markSent('b', 1, 40_000);
    await queue.retryLater('b', 2, 100_000, 'HTTP 500');
    expect(await queue.claim('c', 50_000, 30_000, 10)).toEqual([]);
    expect((await queue.claim('c', 100_000, 30_000, 10)).map((r) => r.id)).toEqual([2]);
    expect(await queue.counts()).toEqual({ sent: 1, pending: 1 });
  });

  it("keeps one recipient's messages in order: a later one waits while an earlier one is retried", async () => {
    const store = sqliteStore(database);
    const queue = outboxQueue(database);
    await store.transaction(async (r) => {
      await r.outbox.enqueue({ type: 'person', personId: 7 }, { type: 'notice', text: 'first' }, 0);
      await r.outbox.enqueue({ type: 'person', personId: 7 }, { type: 'notice', text: 'second' }, 0);
      await r.outbox.enqueue({ type: 'person', personId: 8 }, { type: 'notice', text: 'other' }, 0);
    });
    expect((await queue.claim('a', 0, 1000, 10)).map((r) => r.id)).toEqual([1, 3]);
    await queue.retryLater('a', 1, 5000, 'rate limited');
    await queue.markSent('a', 3, 10);
    expect(await queue.claim('a', 100, 1000, 10)).toEqual([]);
    expect((await queue.claim('a', 5000, 1000, 10)).map((r) => r.id)).toEqual([1]);
    await queue.markSent('a', 1, 5001);
    expect((await queue.claim('a', 5002, 1000, 10)).map((r) => r.id)).toEqual([2]);
  });

  it('serves what someone is waiting for before a bulk run', async () => {
    const store = sqliteStore(database);
    const queue = outboxQueue(database);
    await store.transaction(async (r) => {
      for (let p = 1; p <= 5; p++) await r.outbox.enqueue({ type: 'person', personId: p }, { type: 'notice', text: `bulk ${p}` }, 0, 1);
      await r.outbox.enqueue({ type: 'person', personId: 99 }, { type: 'notice', text: 'single' }, 0, 0);
    });
    expect((await queue.claim('a', 0, 1000, 3)).map((r) => r.id)).toEqual([6, 1, 2]);
  });
});

describe('the deliverer', () => {
  it('runs one round at a time, even when a send commits and nudges it during the round', async () => {
    const { OutboxDeliverer } = await import('../../src/bot/outbox/deliverer.js');
    const store = sqliteStore(database);
    const queue = outboxQueue(database);
    await store.transaction(async (r) => {
      for (let p = 1; p <= 30; p++) await r.outbox.enqueue({ type: 'person', personId: p }, { type: 'notice', text: `n${p}` }, 0);
    });
    let inFlight = 0;
    let most = 0;
    const sends: number[] = [];
    const deliverer: InstanceType<typeof OutboxDeliverer> = new OutboxDeliverer({
      queue,
      clock: { now: Date.now },
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      pollMs: 10_000,
      batchSize: 5,
      sender: {
        send: async (row) => {
          inFlight++;
          most = Math.max(most, inFlight);
          deliverer.nudge(); // what a commit during the send does
          sends.push(row.id);
          await new Promise((r) => setTimeout(r, 5));
          inFlight--;
          return { kind: 'sent' };
        },
      },
    });
    deliverer.start();
    for (let i = 0; i < 200 && (await queue.counts()).sent !== 30; i++) await new Promise((r) => setTimeout(r, 10));
    await deliverer.stop();
    expect(await queue.counts()).toEqual({ sent: 30 });
    expect(new Set(sends).size).toBe(30);
    expect(sends).toHaveLength(30);
    expect(most).toBeLessThanOrEqual(5);
  });
});

describe('compiled statements are reused', () => {
  it('the same SQL gets the same statement, and one left returning arrays returns objects again', () => {
    const a = database.sqlite.prepare('SELECT 1 AS x');
    expect(database.sqlite.prepare('SELECT 1 AS x')).toBe(a);
    a.raw(true);
    expect(a.get()).toEqual([1]);
    expect(database.sqlite.prepare('SELECT 1 AS x').get()).toEqual({ x: 1 });
  });
});

describe('after a commit', () => {
  it('the deliverer is woken by a commit that queued a message, not by one that only read or wrote something else', async () => {
    const store = sqliteStore(database);
    let woken = 0;
    store.afterCommit(() => woken++);
    const ada = await store.transaction((r) => r.people.insert(person('ada@uni.edu', 'UADA'), 1));
    await store.transaction((r) => r.people.byId(ada.id));
    expect(woken).toBe(0);
    await store.transaction(async (r) => {
      await r.outbox.enqueue({ type: 'person', personId: ada.id }, { type: 'notice', text: 'hello' }, 2);
      await r.outbox.enqueue({ type: 'admin_channel' }, { type: 'notice', text: 'hello admins' }, 2);
    });
    expect(woken).toBe(1);
    await expect(store.transaction(async (r) => {
      await r.outbox.enqueue({ type: 'person', personId: ada.id }, { type: 'notice', text: 'rolled back' }, 3);
      throw new Error('changed my mind');
    })).rejects.toThrow('changed my mind');
    await store.transaction((r) => r.people.byId(ada.id));
    expect(woken).toBe(1);
  });
});
