/**
 * A bulk invitation is decided a chunk at a time and written with a few multi-row statements per
 * chunk. This runs one awkward run on both engines and checks that every rule of the one-by-one
 * path still holds, and that SQLite and PostgreSQL end in the same state: people holding a seat of
 * the pool or already invited to it are not invited again (a seat or an invitation in another pool
 * does not count), an overdue invitation is expired first and its person invited anew, the pool
 * fills part way through the second chunk and everyone after is refused and told, each invitation
 * has its audit row and one message whose link opens that very invitation, with the seat count as
 * it stood when it was made. On PostgreSQL the run costs a number of statements that does not grow
 * with its people.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../src/db/engine.js';
import { createSecretBox } from '../../src/bot/secret-box.js';
import { SEALED_LINK, hashToken, inviteToLicense, parseReminderWindow, type DomainDeps, type InviteResult } from '../../src/domain/index.js';
import { dropPgDatabase, freshPgDatabase } from '../support/postgres.js';

const NOW = Date.parse('2026-03-02T10:00:00Z');
const DAY = 86_400_000;
const PEOPLE = 1300;
const secrets = createSecretBox(Buffer.alloc(32, 7));
const actor = { platform: 'slack' as const, userId: 'UADMIN', personId: 1 };

let dir: string;
let pgUrl: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-bulk-both-'));
  pgUrl = await freshPgDatabase();
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await dropPgDatabase(pgUrl);
});

/** p0…p1299 as the run names them, with the odd ones among them */
const person = (i: number) => {
  const email = i === 7 ? null : `p${i}@uni.edu`;
  // p5 and p900 are known by email only (their link goes to the admin to forward); p7 has no email
  const slack = i === 5 || i === 900 ? null : `UP${i}`;
  return { email, slackTeamId: slack && 'T1', slackUserId: slack, slackDmChannel: null, displayName: `P${i}`, tz: 'UTC' };
};

async function run(engine: Engine, measured: <T>(verb: () => Promise<T>) => Promise<T>): Promise<{ plan: InviteResult; result: InviteResult; ids: number[] }> {
  const deps: DomainDeps = {
    store: engine.store,
    clock: { now: () => NOW },
    settings: { inviteTtlMs: 14 * DAY, publicBaseUrl: 'https://bot.example.edu', configuredAdmins: ['UADMIN'], hasAdminChannel: true, hasSupportChannel: true, linkAllowedHosts: ['atlasti.com'], reminders: { afterMs: 3 * DAY, max: 3, window: parseReminderWindow('always') } },
  };
  const ids = await engine.store.transaction(async (r) => {
    const admin = await r.people.insert({ email: 'ada@uni.edu', slackTeamId: 'T1', slackUserId: 'UADMIN', slackDmChannel: null, displayName: 'Ada', tz: 'UTC' }, 0);
    const campus = await r.licenses.insert({ name: 'Campus', seats: 805, seatModel: 'assigned', memberCap: null, createdBy: admin.id, createdAt: 0 });
    const lab = await r.licenses.insert({ name: 'Lab', seats: 10, seatModel: 'assigned', memberCap: null, createdBy: admin.id, createdAt: 0 });
    const ids: number[] = [];
    for (let i = 0; i < PEOPLE; i++) ids.push((await r.people.insert(person(i), 0)).id);
    let n = 0;
    const invitation = (licenseId: number, i: number, status: 'pending' | 'accepted', expiresAt = NOW + DAY) =>
      r.invitations.insert({ kind: 'license', licenseId, inviteeId: ids[i]!, inviteeEmail: `p${i}@uni.edu`, inviterId: admin.id, status, tokenHash: `setup-${n++}`, platform: 'slack', createdAt: 0, sentAt: 0, expiresAt });
    const seat = async (licenseId: number, i: number) => r.seats.occupy({ licenseId, personId: ids[i]!, email: `p${i}@uni.edu`, invitationId: (await invitation(licenseId, i, 'accepted')).id, at: 0 });
    // p10 and p600 hold a seat; p20 and p700 are invited; p30's invitation is overdue
    await seat(campus.id, 10);
    await seat(campus.id, 600);
    await invitation(campus.id, 20, 'pending');
    await invitation(campus.id, 700, 'pending');
    await invitation(campus.id, 30, 'pending', NOW - 1);
    // a seat and an invitation in another pool hold nothing in this one
    await seat(lab.id, 15);
    await invitation(lab.id, 40, 'pending');
    return ids;
  });
  // p11 typed in another letter case (the seat is for the email Slack reports), p12 under another
  // email, and p3 named twice
  const invitees = [...ids.map((personId, i) => ({ personId, ...(i === 11 ? { email: 'P11@Uni.EDU' } : i === 12 ? { email: 'other12@uni.edu' } : {}) })), { personId: ids[3]! }];
  const plan = await measured(() => inviteToLicense({ deps, actor, input: { licenseName: 'Campus', invitees } }));
  const result = await measured(() => inviteToLicense({ deps, actor, input: { licenseName: 'Campus', invitees, confirmed: true } }));
  return { plan, result, ids };
}

/** What a run left, in terms of who (p0…) rather than of row ids: the same on both engines. */
async function picture(engine: Engine, { plan, result, ids }: Awaited<ReturnType<typeof run>>) {
  const who = (personId: number | null) => (personId === 1 ? 'admin' : personId === null ? null : `p${ids.indexOf(personId)}`);
  const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as Record<string, unknown> | null;
  const invitations = await engine.sql.rows<{ id: number; license_id: number; invitee_id: number; invitee_email: string | null; status: string; token_hash: string; run_id: number | null; expires_at: number }>(
    sql`SELECT id, license_id, invitee_id, invitee_email, status, token_hash, run_id, expires_at FROM invitations ORDER BY id`,
  );
  const byId = new Map(invitations.map((i) => [Number(i.id), i]));
  const audit = await engine.sql.rows<{ action: string; subject_type: string; subject_id: number | null; details: unknown }>(sql`SELECT action, subject_type, subject_id, details FROM audit_log ORDER BY id`);
  const outbox = await engine.sql.rows<{ id: number; recipient_type: string; recipient_id: number | null; payload: unknown; priority: number }>(sql`SELECT id, recipient_type, recipient_id, payload, priority FROM outbox ORDER BY id`);
  const subjects = await engine.sql.rows<{ outbox_id: number; subject: string }>(sql`SELECT outbox_id, subject FROM outbox_subjects ORDER BY outbox_id, subject`);
  return {
    plan: plan.confirmation,
    outcomes: result.outcomes.map((o) => [o.status, who(o.invitee.id), ...(o.status === 'invited' ? [o.reachable, who(byId.get(o.invitationId)!.invitee_id)] : [])]),
    usage: { occupied: result.license.occupied, reserved: result.license.reserved },
    invitations: invitations.map((i) => [who(Number(i.invitee_id)), Number(i.license_id), i.invitee_email, i.status, i.run_id !== null, Number(i.expires_at)]),
    audit: audit.map((a) => {
      const details = json(a.details);
      const about = a.subject_type === 'invitation' ? who(Number(byId.get(Number(a.subject_id))?.invitee_id)) : a.subject_id;
      return [a.action, a.subject_type, about, details && { ...details, ...(details.inviteeId ? { inviteeId: who(Number(details.inviteeId)) } : {}) }];
    }),
    outbox: outbox.map((m) => {
      const payload = json(m.payload)!;
      const invitation = payload.invitation as { invitationId: number; reserved: number; seats: number } | undefined;
      const link = payload.link as string | undefined;
      // the link is sealed at rest, and it opens the invitation the message is about
      const opens = link?.startsWith(SEALED_LINK) ? byId.get(invitation!.invitationId)!.token_hash === hashToken(secrets.open(link.slice(SEALED_LINK.length)).split('/invite/')[1]!) : link;
      return [m.recipient_type, who(m.recipient_id === null ? null : Number(m.recipient_id)), payload.type, Number(m.priority), invitation && [who(Number(byId.get(invitation.invitationId)!.invitee_id)), invitation.reserved, invitation.seats], opens];
    }),
    subjects: [...subjects.reduce((all, s) => all.set(Number(s.outbox_id), [...(all.get(Number(s.outbox_id)) ?? []), s.subject.replace(/\d+$/, '#')]), new Map<number, string[]>()).values()],
  };
}

it('the same bulk run on SQLite and on PostgreSQL: the same outcomes and rows, every rule kept; a handful of statements per chunk on PostgreSQL', async () => {
  const pictures = [];
  for (const url of [`file:${join(dir, 'bot.sqlite')}`, pgUrl]) {
    const engine = await openEngine(url, { secrets });
    try {
      // the statements of the two verbs (counted at node-postgres' client, which the engine's pool uses)
      let statements = 0;
      const query = pg.Client.prototype.query;
      const measured = async <T>(verb: () => Promise<T>): Promise<T> => {
        pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
          statements++;
          return (query as (...a: unknown[]) => unknown).apply(this, args);
        } as typeof query;
        try {
          return await verb();
        } finally {
          pg.Client.prototype.query = query;
        }
      };
      const runs = await run(engine, measured);
      // one by one, each invitation took about ten statements; now a chunk of 500 takes about fifteen (100 in all here)
      if (engine.kind === 'postgres') expect(statements).toBeLessThan(250);
      pictures.push(await picture(engine, runs));
    } finally {
      await engine.close();
    }
  }
  const [sqlite, postgres] = pictures;
  expect(postgres).toEqual(sqlite);

  const p = sqlite!;
  const by = (status: string) => p.outcomes.filter((o) => o[0] === status).map((o) => o[1]);
  // 805 seats: 2 taken, 2 held (p30's expired first): 801 free for 1,296 newcomers (p7's lack of an
  // email is found as it is invited); who holds a seat elsewhere (p15) comes last
  expect(p.plan).toMatchObject({ newcomers: 1296, free: 801, reordered: true });
  expect(p.plan?.invite.slice(13, 15)).toEqual(['P14', 'P16']);
  expect(p.outcomes).toHaveLength(PEOPLE);
  expect(by('already_holds_seat')).toEqual(['p10', 'p600']);
  expect(by('already_pending')).toEqual(['p20', 'p700']);
  expect(by('no_email')).toEqual(['p7']);
  const invited = by('invited');
  expect(invited).toHaveLength(801);
  expect(invited).toEqual(expect.arrayContaining(['p15', 'p30', 'p40']));
  // in the order given: the last seat went part way through the second chunk, everyone after was refused
  const last = p.outcomes.findIndex((o) => o[1] === invited.at(-1));
  expect(last).toBeGreaterThan(500);
  expect(last).toBeLessThan(1000);
  expect(p.outcomes.slice(last + 1).every((o) => o[0] === 'no_free_seat' || o[1] === 'p600' || o[1] === 'p700')).toBe(true);
  expect(by('no_free_seat')).toHaveLength(PEOPLE - 801 - 5);
  expect(p.usage).toEqual({ occupied: 2, reserved: 803 });
  // each outcome names its own invitation
  expect(p.outcomes.filter((o) => o[0] === 'invited').every((o) => o[1] === o[3])).toBe(true);

  const created = p.invitations.filter((i) => i[4] === true);
  expect(created).toHaveLength(801);
  expect(created.every((i) => i[3] === 'pending' && i[5] === NOW + 14 * DAY)).toBe(true);
  expect(created.find((i) => i[0] === 'p11')?.[2]).toBe('p11@uni.edu');
  expect(created.find((i) => i[0] === 'p12')?.[2]).toBe('other12@uni.edu');
  expect(p.invitations.find((i) => i[0] === 'p30' && i[4] === false)?.[3]).toBe('expired');

  const actions = (action: string) => p.audit.filter((a) => a[0] === action);
  expect(actions('invitation.expired')).toHaveLength(1);
  expect(actions('invitation.created').map((a) => a[2])).toEqual(invited);
  expect(actions('invitation.refused_no_seat').map((a) => (a[3] as { inviteeId: string }).inviteeId)).toEqual(by('no_free_seat'));

  // one DM each (p5's and p900's link to the admin to forward), sealed, opening that invitation,
  // showing the seats held as each was made; everyone refused and reachable is told why
  const dms = p.outbox.filter((m) => m[2] === 'license_invitation' || m[2] === 'forward_link');
  expect(dms.map((m) => (m[4] as unknown[])[0])).toEqual(invited);
  expect(dms.every((m) => m[5] === true && m[3] === 1)).toBe(true);
  expect(dms.filter((m) => m[2] === 'forward_link').map((m) => [m[1], (m[4] as unknown[])[0]])).toEqual([['admin', 'p5']]);
  expect(dms.map((m) => (m[4] as unknown[])[1])).toEqual(invited.map((_, n) => 3 + n));
  expect(p.outbox.filter((m) => m[2] === 'license_full_notice').map((m) => m[1])).toEqual(by('no_free_seat').filter((w) => w !== 'p900'));
  expect(p.outbox.filter((m) => m[2] === 'admin_invitation_event')).toHaveLength(0);
  expect(p.outbox.filter((m) => m[2] === 'bulk_progress').map((m) => m[1])).toEqual(['admin']);
}, 120_000);
