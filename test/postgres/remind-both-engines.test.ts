/**
 * The reminder sweep reads and writes a batch of due invitations at once (their invitees, pools,
 * projects and seats in one go each; one conditional UPDATE … RETURNING per count read; their audit
 * rows and messages in a few multi-row statements). This runs the same awkward set of invitations
 * through four sweeps on both engines, and checks that every rule of the one-by-one sweep still
 * holds: each due invitation is reminded once per sweep, up to REMINDER_MAX, with its own number,
 * message and audit row; nobody outside the window, unreachable, expired, answered, recently sent or
 * already at the maximum is reminded. Then two instances sweep one PostgreSQL database at the same
 * moment, four times over: each reminder still goes out exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../src/db/engine.js';
import { createSecretBox } from '../../src/bot/secret-box.js';
import { parseReminderWindow, remindDue, type DomainDeps, type Repositories } from '../../src/domain/index.js';
import { dropPgDatabase, freshPgDatabase } from '../support/postgres.js';

/** Monday 10:00 UTC: inside the window in UTC and Berlin, outside it in Tokyo (19:00) */
const NOW = Date.parse('2026-03-02T10:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** a reminder a day after the last one: the four sweeps run Monday to Thursday, all inside the window */
const AFTER = DAY;
const MAX = 3;
const secrets = createSecretBox(Buffer.alloc(32, 9));

const depsOn = (engine: Engine): DomainDeps => ({
  store: engine.store,
  clock: { now: () => NOW },
  settings: {
    inviteTtlMs: 14 * DAY,
    publicBaseUrl: 'https://bot.example.edu',
    configuredAdmins: ['UADMIN'],
    hasAdminChannel: true,
    hasSupportChannel: true,
    linkAllowedHosts: ['atlasti.com'],
    reminders: { afterMs: AFTER, max: MAX, window: parseReminderWindow('Mon-Fri 09:00-18:00') },
  },
});

/**
 * p0…p1099 and their invitations:
 * - p0…p899: a license invitation due (every third reminded once already), Campus or Lab, in UTC, Berlin or no zone
 * - p900…p949: due, in Tokyo: outside the window at every sweep
 * - p950…p969: due, known by email only (the bot cannot message them)
 * - p970…p989: due but past its expiry (the expiry sweep's business)
 * - p990…p1009: sent an hour before the first sweep: due from the second on
 * - p1010…p1029: reminded REMINDER_MAX times already; p1030…p1049: accepted
 * - p1050…p1099: a project invitation due; p1050…p1059 hold a seat under the invited email,
 *   p1060…p1064 one under the same email in another letter case
 */
const PEOPLE = 1100;
const tzOf = (i: number) => (i >= 900 && i < 950 ? 'Asia/Tokyo' : [null, 'UTC', 'Europe/Berlin'][i % 3]!);
const emailOf = (i: number) => `p${i}@uni.edu`;

async function seed(r: Repositories): Promise<void> {
  const ada = await r.people.insert({ email: 'ada@uni.edu', slackTeamId: 'T1', slackUserId: 'UADMIN', slackDmChannel: null, displayName: 'Ada', tz: 'UTC' }, 0);
  const olive = await r.people.insert({ email: 'olive@uni.edu', slackTeamId: 'T1', slackUserId: 'UOLIVE', slackDmChannel: null, displayName: 'Olive', tz: 'UTC' }, 0);
  const campus = await r.licenses.insert({ name: 'Campus', seats: 5000, seatModel: 'assigned', memberCap: null, createdBy: ada.id, createdAt: 0 });
  const lab = await r.licenses.insert({ name: 'Lab', seats: 5000, seatModel: 'concurrent', memberCap: null, createdBy: ada.id, createdAt: 0 });
  const panel = await r.projects.insert({ name: 'Panel', ownerId: olive.id, edition: 'web', createdAt: 0 });
  const people = await r.people.insertMany(
    Array.from({ length: PEOPLE }, (_, i) => {
      const chat = !(i >= 950 && i < 970);
      return { email: emailOf(i), slackTeamId: chat ? 'T1' : null, slackUserId: chat ? `UP${i}` : null, slackDmChannel: null, displayName: `P${i}`, tz: tzOf(i) };
    }),
    0,
  );
  const sent = NOW - 2 * DAY;
  const invitations = await r.invitations.insertMany(
    people.map((p, i) => ({
      kind: i >= 1050 ? ('project' as const) : ('license' as const),
      ...(i >= 1050 ? { projectId: panel.id, message: 'Please join' } : { licenseId: i % 2 ? lab.id : campus.id }),
      inviteeId: p.id,
      inviteeEmail: p.email,
      inviterId: i >= 1050 ? olive.id : ada.id,
      status: i >= 1030 && i < 1050 ? ('accepted' as const) : ('pending' as const),
      tokenHash: `hash-${i}`,
      platform: 'slack' as const,
      createdAt: sent,
      sentAt: i >= 990 && i < 1010 ? NOW - HOUR : sent,
      expiresAt: i >= 970 && i < 990 ? NOW - 1 : NOW + 14 * DAY,
    })),
  );
  for (const [i, inv] of invitations.entries()) {
    if (i < 900 && i % 3 === 0) await r.invitations.update(inv.id, { remindersSent: 1, lastRemindedAt: sent });
    if (i >= 1010 && i < 1030) await r.invitations.update(inv.id, { remindersSent: MAX, lastRemindedAt: sent });
  }
  // the project invitees' seats (each from an accepted invitation of its own)
  for (let i = 1050; i < 1065; i++) {
    const person = people[i]!;
    const accepted = await r.invitations.insert({ kind: 'license', licenseId: campus.id, inviteeId: person.id, inviteeEmail: person.email, inviterId: ada.id, status: 'accepted', tokenHash: `seat-${i}`, platform: 'slack', createdAt: 0, sentAt: 0, expiresAt: 0 });
    await r.seats.occupy({ licenseId: campus.id, personId: person.id, email: i < 1060 ? person.email : person.email!.toUpperCase(), invitationId: accepted.id, at: 0 });
  }
}

const SWEEPS = [0, 1, 2, 3].map((k) => NOW + k * AFTER);

/** What the sweeps left, in terms of who (p0…) rather than of row ids: the same on both engines. */
async function picture(engine: Engine) {
  const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as Record<string, unknown>;
  const people = await engine.sql.rows<{ id: number; display_name: string }>(sql`SELECT id, display_name FROM people`);
  const who = new Map(people.map((p) => [Number(p.id), p.display_name]));
  const invitations = await engine.sql.rows<{ id: number; invitee_id: number; reminders_sent: number; last_reminded_at: number | null; status: string }>(
    sql`SELECT id, invitee_id, reminders_sent, last_reminded_at, status FROM invitations WHERE token_hash LIKE 'hash-%' ORDER BY id`,
  );
  const invitee = new Map(invitations.map((i) => [Number(i.id), who.get(Number(i.invitee_id))!]));
  const audit = await engine.sql.rows<{ at: number; platform: string; actor_user_id: string | null; actor_person_id: number | null; action: string; subject_type: string; subject_id: number; details: unknown }>(
    sql`SELECT at, platform, actor_user_id, actor_person_id, action, subject_type, subject_id, details FROM audit_log ORDER BY id`,
  );
  const outbox = await engine.sql.rows<{ id: number; recipient_type: string; recipient_id: number | null; created_at: number; payload: unknown; priority: number }>(
    sql`SELECT id, recipient_type, recipient_id, created_at, payload, priority FROM outbox ORDER BY id`,
  );
  const subjects = await engine.sql.rows<{ outbox_id: number; subject: string }>(sql`SELECT outbox_id, subject FROM outbox_subjects ORDER BY outbox_id, subject`);
  const subjectsOf = new Map<number, string[]>();
  for (const s of subjects) subjectsOf.set(Number(s.outbox_id), [...(subjectsOf.get(Number(s.outbox_id)) ?? []), s.subject]);
  return {
    invitations: invitations.map((i) => [invitee.get(Number(i.id)), i.status, Number(i.reminders_sent), i.last_reminded_at === null ? null : Number(i.last_reminded_at)]),
    audit: audit.map((a) => [Number(a.at), a.platform, a.actor_user_id, a.actor_person_id, a.action, a.subject_type, invitee.get(Number(a.subject_id)), json(a.details)]),
    outbox: outbox.map((m) => {
      const payload = json(m.payload);
      const invitation = payload.invitation as { invitationId: number };
      // each message is about the invitation it reminds of (and is updated with it)
      const about = subjectsOf.get(Number(m.id))?.map((s) => (s === `invitation:${invitation.invitationId}` ? 'its invitation' : s));
      return [m.recipient_type, who.get(Number(m.recipient_id)), Number(m.created_at), Number(m.priority), { ...payload, invitation: { ...invitation, invitationId: invitee.get(invitation.invitationId) } }, about];
    }),
  };
}

type Picture = Awaited<ReturnType<typeof picture>>;

/** The statements `verb` sends to PostgreSQL (counted at node-postgres' client, which the engine's pool uses). */
async function counted<T>(verb: () => Promise<T>): Promise<{ value: T; statements: number }> {
  let statements = 0;
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    statements++;
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  try {
    return { value: await verb(), statements };
  } finally {
    pg.Client.prototype.query = query;
  }
}

/** The reminders person `i` gets from the four sweeps: [when, its number] */
function remindersOf(i: number): [number, number][] {
  const from = (sweep: number, before: number) => Array.from({ length: MAX - before }, (_, k): [number, number] => [SWEEPS[sweep + k]!, before + k + 1]);
  if (i < 900) return from(0, i % 3 === 0 ? 1 : 0);
  if (i >= 1050) return from(0, 0);
  if (i >= 990 && i < 1010) return from(1, 0);
  return [];
}

/** A row as text whatever the order of its objects' keys (PostgreSQL's jsonb keeps its own). */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));
const sorted = (rows: unknown[][]) => rows.map(canonical).sort();

/** Every rule of the sweep, checked on what the four sweeps (Monday to Thursday) left. */
function checkRules(p: Picture) {
  const index = (name: unknown) => Number(String(name).slice(1));
  // reminded once a sweep until REMINDER_MAX; untouched otherwise (those at the maximum already stay there)
  for (const [name, ...state] of p.invitations) {
    const i = index(name);
    const reminders = remindersOf(i);
    if (reminders.length > 0) expect([name, ...state]).toEqual([name, 'pending', MAX, reminders.at(-1)![0]]);
    else if (i >= 1010 && i < 1030) expect(state).toEqual(['pending', MAX, NOW - 2 * DAY]);
    else expect(state).toEqual([i >= 1030 && i < 1050 ? 'accepted' : 'pending', 0, null]);
  }
  expect(p.invitations).toHaveLength(PEOPLE);

  // one audit row per reminder, by the system, with its number, in the order sent
  const expected = new Map(Array.from({ length: PEOPLE }, (_, i) => [`P${i}`, remindersOf(i)]));
  const by = (rows: unknown[][], name: (r: unknown[]) => unknown, reminder: (r: unknown[]) => [number, number]) => {
    const all = new Map<unknown, [number, number][]>();
    for (const r of rows) all.set(name(r), [...(all.get(name(r)) ?? []), reminder(r)]);
    return all;
  };
  expect(p.audit.every((a) => a[1] === 'system' && a[2] === 'system' && a[3] === null && a[4] === 'invitation.reminded' && a[5] === 'invitation')).toBe(true);
  const audited = by(p.audit, (a) => a[6], (a) => [a[0] as number, (a[7] as { number: number }).number]);
  for (const [name, reminders] of expected) expect([name, audited.get(name) ?? []]).toEqual([name, reminders]);

  // one message per reminder, to the invitee, written for its case, about its invitation
  const told = by(p.outbox, (m) => m[1], (m) => [m[2] as number, (m[4] as { number: number }).number]);
  for (const [name, reminders] of expected) expect([name, told.get(name) ?? []]).toEqual([name, reminders]);
  for (const [type, to, , priority, message, about] of p.outbox) {
    expect([type, priority, about]).toEqual(['person', 0, ['its invitation']]);
    const i = index(to);
    const m = message as Record<string, unknown>;
    expect(m).toMatchObject({ type: 'reminder', max: MAX, holdsSeat: i < 1050 ? null : i < 1060 });
    if (i < 1050) {
      expect(m.invitation).toEqual({
        kind: 'license',
        invitationId: to,
        status: 'pending',
        licenseName: i % 2 ? 'Lab' : 'Campus',
        inviterName: 'Ada',
        inviteeName: to,
        inviteeEmail: emailOf(i),
        expiresAt: NOW + 14 * DAY,
        occupied: 0,
        reserved: 0,
        seats: 5000,
        seatModel: i % 2 ? 'concurrent' : 'assigned',
        memberCap: null,
        uncounted: true,
      });
    } else {
      expect(m.invitation).toEqual({
        kind: 'project',
        invitationId: to,
        status: 'pending',
        projectId: expect.any(Number),
        projectName: 'Panel',
        edition: 'web',
        ownerName: 'Olive',
        inviterName: 'Olive',
        inviteeName: to,
        inviteeEmail: emailOf(i),
        message: 'Please join',
        expiresAt: NOW + 14 * DAY,
        desktopLink: null,
      });
    }
  }
}

/** how many each sweep reminds: 950 due at first (900 licenses, 50 projects), then those sent late too, less those at the maximum */
const REMINDED = [950, 970, 670, 20];

let dir: string;
const databases: string[] = [];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-remind-both-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  for (const url of databases) await dropPgDatabase(url);
});

const pgDatabase = async () => {
  const url = await freshPgDatabase();
  databases.push(url);
  return url;
};

describe('the batched reminder sweep', () => {
  const pictures: Picture[] = [];

  it('on SQLite and on PostgreSQL: each due invitation reminded once a sweep, with its message and audit row; the same rows on both; a few statements a batch on PostgreSQL', async () => {
    for (const url of [`file:${join(dir, 'bot.sqlite')}`, await pgDatabase()]) {
      const engine = await openEngine(url, { secrets });
      try {
        await engine.store.transaction(seed);
        const deps = depsOn(engine);
        const results = [];
        let statements = 0;
        for (const at of SWEEPS) {
          const run = await counted(() => remindDue(deps, at));
          results.push(run.value);
          statements = Math.max(statements, run.statements);
        }
        expect(results).toEqual(REMINDED.map((reminded) => ({ reminded, outsideWindow: 50 })));
        // one by one, each reminder took about ten statements (9,500 for the first sweep); a batch of 500 takes about fifteen
        if (engine.kind === 'postgres') expect(statements).toBeLessThan(100);
        pictures.push(await picture(engine));
      } finally {
        await engine.close();
      }
    }
    const [sqlite, postgres] = pictures;
    expect(postgres).toEqual(sqlite);
    checkRules(sqlite!);
  }, 120_000);

  it('on two instances sweeping one PostgreSQL database at the same moment, four times: each reminder goes out exactly once', async () => {
    const url = await pgDatabase();
    const engines = [await openEngine(url, { secrets }), await openEngine(url, { secrets })];
    try {
      await engines[0]!.store.transaction(seed);
      const deps = engines.map(depsOn);
      for (const [k, at] of SWEEPS.entries()) {
        const results = await Promise.all(deps.map((d) => remindDue(d, at)));
        // between them, every due invitation once; each saw the ones outside the window
        expect(results[0]!.reminded + results[1]!.reminded).toBe(REMINDED[k]);
        for (const r of results) expect(r.outsideWindow).toBe(50);
      }
      const p = await picture(engines[0]!);
      checkRules(p);
      // the same reminders as one instance alone writes, whichever instance wrote each
      const alone = pictures[0];
      if (alone) {
        expect(p.invitations).toEqual(alone.invitations);
        expect(sorted(p.audit)).toEqual(sorted(alone.audit));
        expect(sorted(p.outbox)).toEqual(sorted(alone.outbox));
      }
    } finally {
      for (const e of engines) await e.close();
    }
  }, 120_000);

  it('claimReminders counts a reminder only from the count read, only while pending and due, and only once (both engines)', async () => {
    for (const url of [`file:${join(dir, 'claims.sqlite')}`, await pgDatabase()]) {
      const engine = await openEngine(url, { secrets });
      try {
        await engine.store.transaction(seed);
        const ids = await engine.sql.rows<{ id: number; token_hash: string }>(sql`SELECT id, token_hash FROM invitations WHERE token_hash IN ('hash-1', 'hash-3', 'hash-990', 'hash-1030') ORDER BY id`);
        const id = (hash: string) => Number(ids.find((r) => r.token_hash === hash)!.id);
        const cutoff = NOW - AFTER;
        const claim = (claims: { id: number; sentSoFar: number }[]) =>
          engine.store.transaction(async (r) => (await r.invitations.claimReminders(claims, cutoff, NOW)).map((i) => [i.tokenHash, i.remindersSent, i.lastRemindedAt]).sort());
        // p1 has none so far, p3 one: both counted, each from its own count
        expect(await claim([{ id: id('hash-1'), sentSoFar: 0 }, { id: id('hash-3'), sentSoFar: 1 }])).toEqual([['hash-1', 1, NOW], ['hash-3', 2, NOW]]);
        // again from the same counts (a second sweep that read them before the first wrote): nothing
        expect(await claim([{ id: id('hash-1'), sentSoFar: 0 }, { id: id('hash-3'), sentSoFar: 1 }])).toEqual([]);
        // from the new counts, but no longer due (reminded just now): nothing
        expect(await claim([{ id: id('hash-1'), sentSoFar: 1 }, { id: id('hash-3'), sentSoFar: 2 }])).toEqual([]);
        // sent an hour ago (not due), accepted (not pending): nothing; none asked: nothing
        expect(await claim([{ id: id('hash-990'), sentSoFar: 0 }, { id: id('hash-1030'), sentSoFar: 0 }])).toEqual([]);
        expect(await claim([])).toEqual([]);
      } finally {
        await engine.close();
      }
    }
  }, 60_000);
});
