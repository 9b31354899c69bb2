/**
 * The reminder sweep, remindDue(deps, now): a job run with a fixed clock. T0 is Monday 2025-03-10
 * 09:00 UTC; unless a test is about the window, the window is `always`.
 */
import { describe, expect, it } from 'vitest';
import {
  acceptInvitation,
  declineInvitation,
  parseReminderWindow,
  remindDue,
  resendInvitation,
  revokeInvitation,
  type DomainSettings,
} from '../../src/domain/index.js';
import {
  aLicense,
  anAdmin,
  anEmailOnlyPerson,
  aPerson,
  aProject,
  aProjectInvitation,
  aSeat,
  audited,
  bulkPending,
  DAY_MS,
  domainDeps,
  invited,
  T0,
  type TestDeps,
} from '../support/test-store.js';

const ALWAYS = parseReminderWindow('always');
const OFFICE = parseReminderWindow('Mon-Fri 09:00-18:00');
const AFTER = 3 * DAY_MS;
const utc = (y: number, mo: number, d: number, h: number, mi = 0) => Date.UTC(y, mo - 1, d, h, mi);

const world = (reminders: Partial<DomainSettings['reminders']> = {}, settings: Partial<DomainSettings> = {}) => {
  const deps = domainDeps({ settings: { inviteTtlMs: 30 * DAY_MS, ...settings, reminders: { afterMs: AFTER, max: 3, window: ALWAYS, ...reminders } } });
  const ada = anAdmin(deps.store, { displayName: 'Ada Admin', email: 'ada@uni.example' });
  const olive = aPerson(deps.store, { displayName: 'Olive Owner', email: 'olive@uni.example' });
  const alice = aPerson(deps.store, { displayName: 'Alice', email: 'Alice.Smith@uni.example' });
  const bob = aPerson(deps.store, { displayName: 'Bob', email: 'bob@uni.example' });
  const license = aLicense(deps.store, { name: 'Campus', seats: 50 });
  return { deps, ada, olive, alice, bob, license };
};

const reminders = (deps: TestDeps) => deps.store.messages('reminder');

describe('remindDue: when a reminder is due', () => {
  it('sends nothing before REMINDER_AFTER since the invitation was sent, and one reminder at it', async () => {
    const { deps, ada, alice } = world();
    const { invitationId } = await invited(deps, ada, alice);

    expect(await remindDue(deps, T0 + AFTER - 1)).toEqual({ reminded: 0, outsideWindow: 0 });
    expect(reminders(deps)).toHaveLength(0);
    expect(deps.store.invitation(invitationId)).toMatchObject({ remindersSent: 0, lastRemindedAt: null });

    expect(await remindDue(deps, T0 + AFTER)).toEqual({ reminded: 1, outsideWindow: 0 });
    expect(reminders(deps)).toHaveLength(1);
    expect(deps.store.invitation(invitationId)).toMatchObject({ status: 'pending', remindersSent: 1, lastRemindedAt: T0 + AFTER });
  });

  it('reminds again only REMINDER_AFTER after the last reminder, not after the sending', async () => {
    const { deps, ada, alice } = world();
    const { invitationId } = await invited(deps, ada, alice);
    const first = T0 + AFTER + DAY_MS; // a day late: the sweep was not running
    expect((await remindDue(deps, first)).reminded).toBe(1);

    // twice REMINDER_AFTER since sending, but not yet REMINDER_AFTER since the reminder
    expect((await remindDue(deps, T0 + 2 * AFTER)).reminded).toBe(0);
    expect((await remindDue(deps, first + AFTER - 1)).reminded).toBe(0);
    expect(reminders(deps)).toHaveLength(1);

    expect((await remindDue(deps, first + AFTER)).reminded).toBe(1);
    expect(reminders(deps).map((e) => e.message.number)).toEqual([1, 2]);
    expect(deps.store.invitation(invitationId)).toMatchObject({ remindersSent: 2, lastRemindedAt: first + AFTER });
  });

  it('sends at most REMINDER_MAX reminders, each saying which one of how many it is', async () => {
    const { deps, ada, alice } = world({ max: 2 });
    const { invitationId } = await invited(deps, ada, alice);
    const results: number[] = [];
    for (const k of [1, 2, 3, 4, 5]) results.push((await remindDue(deps, T0 + k * AFTER)).reminded);

    expect(results).toEqual([1, 1, 0, 0, 0]);
    expect(reminders(deps).map((e) => [e.message.number, e.message.max])).toEqual([
      [1, 2],
      [2, 2],
    ]);
    expect(deps.store.invitation(invitationId)).toMatchObject({ status: 'pending', remindersSent: 2, lastRemindedAt: T0 + 2 * AFTER });
  });

  it('REMINDER_MAX 0 sends none and writes nothing', async () => {
    const { deps, ada, alice } = world({ max: 0 });
    await invited(deps, ada, alice);
    const before = deps.store.dump();

    for (let k = 1; k <= 5; k++) expect(await remindDue(deps, T0 + k * AFTER)).toEqual({ reminded: 0, outsideWindow: 0 });
    expect(deps.store.dump()).toEqual(before);
  });

  it('an invitation already past its expiry gets no reminder (and the reminder sweep does not expire it either)', async () => {
    const { deps, ada, alice, bob } = world({}, { inviteTtlMs: AFTER });
    const late = await invited(deps, ada, alice); // expires exactly when it becomes due
    const fresh = await invited(deps, ada, bob);
    deps.store.sql('UPDATE invitations SET expires_at = ? WHERE id = ?', T0 + 10 * DAY_MS, fresh.invitationId);
    const before = deps.store.outbox().length;

    expect(await remindDue(deps, T0 + AFTER)).toEqual({ reminded: 1, outsideWindow: 0 });
    expect(await remindDue(deps, T0 + 2 * AFTER)).toEqual({ reminded: 1, outsideWindow: 0 });

    const sent = reminders(deps);
    expect(sent.map((e) => e.message.invitation.invitationId)).toEqual([fresh.invitationId, fresh.invitationId]);
    expect(deps.store.invitation(late.invitationId)).toMatchObject({ status: 'pending', remindersSent: 0, lastRemindedAt: null });
    expect(deps.store.outbox().length).toBe(before + 2);
    expect(audited(deps.store, 'invitation.reminded').map((e) => e.subjectId)).toEqual([fresh.invitationId, fresh.invitationId]);
  });

  it('answered, revoked, declined, expired and waiting invitations get none', async () => {
    const { deps, ada, olive, alice, bob, license } = world();
    const carol = aPerson(deps.store, { displayName: 'Carol', email: 'carol@uni.example' });
    const dan = aPerson(deps.store, { displayName: 'Dan', email: 'dan@uni.example' });
    const accepted = await invited(deps, ada, alice);
    await acceptInvitation({ deps, actor: alice.actor, input: { invitationId: accepted.invitationId } });
    const declined = await invited(deps, ada, bob);
    await declineInvitation({ deps, actor: bob.actor, input: { invitationId: declined.invitationId } });
    const revoked = await invited(deps, ada, carol);
    await revokeInvitation({ deps, actor: ada.actor, input: { invitationId: revoked.invitationId } });

    const project = aProject(deps.store, { owner: olive, name: 'Panel' });
    aSeat(deps.store, { license, person: dan });
    for (const status of ['accepted', 'declined', 'revoked', 'expired'] as const) {
      const someone = aPerson(deps.store);
      aProjectInvitation(deps.store, { project, invitee: someone, status });
    }
    aProjectInvitation(deps.store, { project, invitee: dan, status: 'waiting_for_seat' });
    const before = deps.store.dump();

    expect(await remindDue(deps, T0 + AFTER)).toEqual({ reminded: 0, outsideWindow: 0 });
    expect(await remindDue(deps, T0 + 2 * AFTER)).toEqual({ reminded: 0, outsideWindow: 0 });
    expect(deps.store.dump()).toEqual(before);
  });
});

describe('remindDue: only inside REMINDER_WINDOW, in the invitee’s time zone', () => {
  it('outside the window nothing is sent and the invitation stays due for a sweep inside it', async () => {
    const { deps, ada, alice } = world({ window: OFFICE });
    const { invitationId } = await invited(deps, ada, alice); // Monday 09:00; alice is in UTC

    const saturday = utc(2025, 3, 15, 10);
    const sunday = utc(2025, 3, 16, 15);
    const mondayEarly = utc(2025, 3, 17, 8, 59);
    const mondayOpen = utc(2025, 3, 17, 9, 0);
    const before = deps.store.dump();
    expect(await remindDue(deps, saturday)).toEqual({ reminded: 0, outsideWindow: 1 });
    expect(await remindDue(deps, sunday)).toEqual({ reminded: 0, outsideWindow: 1 });
    expect(await remindDue(deps, mondayEarly)).toEqual({ reminded: 0, outsideWindow: 1 });
    expect(deps.store.dump()).toEqual(before);

    expect(await remindDue(deps, mondayOpen)).toEqual({ reminded: 1, outsideWindow: 0 });
    expect(deps.store.invitation(invitationId)).toMatchObject({ remindersSent: 1, lastRemindedAt: mondayOpen });
    expect(reminders(deps)).toHaveLength(1);
    expect(reminders(deps)[0]!.at).toBe(mondayOpen);
  });

  it('uses each invitee’s own time zone', async () => {
    const { deps, ada, license } = world({ window: OFFICE });
    const kenji = aPerson(deps.store, { displayName: 'Kenji', tz: 'Asia/Tokyo' });
    const nora = aPerson(deps.store, { displayName: 'Nora', tz: 'America/New_York' });
    const uma = aPerson(deps.store, { displayName: 'Uma', tz: null });
    const k = await invited(deps, ada, kenji, { licenseName: license.name });
    const n = await invited(deps, ada, nora, { licenseName: license.name });
    const u = await invited(deps, ada, uma, { licenseName: license.name });
    const remindedIds = () => reminders(deps).map((e) => e.message.invitation.invitationId);

    // all due since Thursday 09:00 UTC. Friday 07:00 UTC: 16:00 in Tokyo, 03:00 in New York, 07:00 UTC (no zone)
    expect(await remindDue(deps, utc(2025, 3, 14, 7))).toEqual({ reminded: 1, outsideWindow: 2 });
    expect(remindedIds()).toEqual([k.invitationId]);
    // Friday 10:00 UTC: 19:00 in Tokyo, 06:00 in New York, 10:00 UTC
    expect(await remindDue(deps, utc(2025, 3, 14, 10))).toEqual({ reminded: 1, outsideWindow: 1 });
    expect(remindedIds()).toEqual([k.invitationId, u.invitationId]);
    // Friday 14:00 UTC: 10:00 in New York
    expect(await remindDue(deps, utc(2025, 3, 14, 14))).toEqual({ reminded: 1, outsideWindow: 0 });
    expect(remindedIds()).toEqual([k.invitationId, u.invitationId, n.invitationId]);
  });

  it('an invitee whose zone is unknown is reminded by UTC', async () => {
    const { deps, ada } = world({ window: OFFICE });
    const zed = aPerson(deps.store, { tz: 'Nowhere/Special' });
    await invited(deps, ada, zed);
    // due since Thursday 09:00 UTC
    expect(await remindDue(deps, utc(2025, 3, 13, 18, 0))).toEqual({ reminded: 0, outsideWindow: 1 }); // 18:00 UTC: end exclusive
    expect(await remindDue(deps, utc(2025, 3, 14, 8, 59))).toEqual({ reminded: 0, outsideWindow: 1 }); // Friday, before 09:00 UTC
    expect(await remindDue(deps, utc(2025, 3, 14, 17, 59))).toEqual({ reminded: 1, outsideWindow: 0 });
  });
});

describe('remindDue: never twice', () => {
  it('the same sweep twice at the same moment sends once', async () => {
    const { deps, ada, alice } = world();
    await invited(deps, ada, alice);
    expect((await remindDue(deps, T0 + AFTER)).reminded).toBe(1);
    const after = deps.store.dump();
    expect(await remindDue(deps, T0 + AFTER)).toEqual({ reminded: 0, outsideWindow: 0 });
    expect(deps.store.dump()).toEqual(after);
    expect(reminders(deps)).toHaveLength(1);
    expect(audited(deps.store, 'invitation.reminded')).toHaveLength(1);
  });

  it('reminds every one of more due invitations than one batch holds, each once', async () => {
    const { deps, ada, license } = world();
    const ids = bulkPending(deps.store, 1200, { licenseId: license.id, inviterId: ada.person.id });

    expect(await remindDue(deps, T0 + AFTER)).toEqual({ reminded: 1200, outsideWindow: 0 });
    const sent = reminders(deps);
    expect(sent).toHaveLength(1200);
    expect(new Set(sent.map((e) => e.message.invitation.invitationId))).toEqual(new Set(ids));
    expect(sent.every((e) => e.message.number === 1)).toBe(true);
    expect(deps.store.invitations().filter((i) => ids.includes(i.id) && i.remindersSent !== 1)).toEqual([]);

    expect(await remindDue(deps, T0 + AFTER)).toEqual({ reminded: 0, outsideWindow: 0 });
    expect(reminders(deps)).toHaveLength(1200);
  }, 60_000);

  it('keeps going past a batch of invitations outside the window', async () => {
    const { deps, ada, license } = world({ window: OFFICE });
    // listed first (sent earlier), all outside the window at the sweep: 19:00 in Tokyo
    const tokyo = bulkPending(deps.store, 510, { licenseId: license.id, inviterId: ada.person.id, at: T0 - DAY_MS, tz: 'Asia/Tokyo' });
    const london = bulkPending(deps.store, 20, { licenseId: license.id, inviterId: ada.person.id, at: T0, tz: 'Europe/London' });
    const thursday10 = utc(2025, 3, 13, 10);

    expect(await remindDue(deps, thursday10)).toEqual({ reminded: 20, outsideWindow: 510 });
    expect(new Set(reminders(deps).map((e) => e.message.invitation.invitationId))).toEqual(new Set(london));
    expect(deps.store.invitations().filter((i) => tokyo.includes(i.id) && i.remindersSent !== 0)).toEqual([]);
  }, 60_000);
});

describe('remindDue: the reminder is written for its case', () => {
  it('a license reminder: the pool, which one of how many, no seat question', async () => {
    const { deps, ada, alice } = world();
    const { invitationId } = await invited(deps, ada, alice);
    await remindDue(deps, T0 + AFTER);

    const [entry] = reminders(deps);
    expect(entry!.to).toEqual({ type: 'person', personId: alice.person.id });
    expect(entry!.at).toBe(T0 + AFTER);
    expect(entry!.message).toMatchObject({ type: 'reminder', number: 1, max: 3, holdsSeat: null });
    expect(entry!.message.invitation).toMatchObject({
      kind: 'license',
      invitationId,
      status: 'pending',
      licenseName: 'Campus',
      inviterName: 'Ada Admin',
      inviteeName: 'Alice',
      inviteeEmail: 'Alice.Smith@uni.example',
    });
  });

  it('a Web project reminder says the invitee holds a seat under the invited email', async () => {
    const { deps, olive, alice, license } = world();
    aSeat(deps.store, { license, person: alice });
    const project = aProject(deps.store, { owner: olive, name: 'Panel', edition: 'web' });
    const { invitation } = aProjectInvitation(deps.store, { project, invitee: alice });
    await remindDue(deps, T0 + AFTER);

    const [entry] = reminders(deps);
    expect(entry!.to).toEqual({ type: 'person', personId: alice.person.id });
    expect(entry!.message).toMatchObject({ type: 'reminder', number: 1, max: 3, holdsSeat: true });
    expect(entry!.message.invitation).toMatchObject({
      kind: 'project',
      invitationId: invitation.id,
      projectName: 'Panel',
      edition: 'web',
      ownerName: 'Olive Owner',
      inviteeEmail: 'Alice.Smith@uni.example',
    });
  });

  it('a project reminder says when the invitee holds no seat', async () => {
    const { deps, olive, bob } = world();
    const project = aProject(deps.store, { owner: olive, name: 'Panel' });
    aProjectInvitation(deps.store, { project, invitee: bob });
    await remindDue(deps, T0 + AFTER);
    expect(reminders(deps).map((e) => e.message.holdsSeat)).toEqual([false]);
  });

  it('a seat under the same email in another letter case does not count (account emails are case sensitive)', async () => {
    const { deps, olive, alice, license } = world();
    aSeat(deps.store, { license, person: alice, email: 'alice.smith@uni.example' });
    const project = aProject(deps.store, { owner: olive, name: 'Panel' });
    aProjectInvitation(deps.store, { project, invitee: alice, email: 'Alice.Smith@uni.example' });
    await remindDue(deps, T0 + AFTER);
    expect(reminders(deps).map((e) => e.message.holdsSeat)).toEqual([false]);
  });

  it('a seat released since sharing does not count: the reminder reflects the seat right now', async () => {
    const { deps, olive, alice, license } = world();
    const seat = aSeat(deps.store, { license, person: alice });
    const project = aProject(deps.store, { owner: olive, name: 'Panel' });
    aProjectInvitation(deps.store, { project, invitee: alice });
    await deps.store.transaction((r) => r.seats.release(seat.id, T0 + DAY_MS));
    await remindDue(deps, T0 + AFTER);
    expect(reminders(deps).map((e) => e.message.holdsSeat)).toEqual([false]);
  });

  it('a Desktop project reminder says it is Desktop and does not reveal the owner’s link', async () => {
    const { deps, olive, alice, license } = world();
    aSeat(deps.store, { license, person: alice });
    const project = aProject(deps.store, { owner: olive, name: 'Diaries', edition: 'desktop' });
    aProjectInvitation(deps.store, { project, invitee: alice, desktopLink: 'https://cloud.atlasti.com/share/diaries.atlasti', message: 'Please merge by Friday' });
    await remindDue(deps, T0 + AFTER);

    const [entry] = reminders(deps);
    expect(entry!.message.holdsSeat).toBe(true);
    expect(entry!.message.invitation).toMatchObject({ kind: 'project', edition: 'desktop', projectName: 'Diaries', desktopLink: null, message: 'Please merge by Friday' });
  });

  it('writes an audit row per reminder, by the system, with its number', async () => {
    const { deps, ada, alice } = world();
    const { invitationId } = await invited(deps, ada, alice);
    await remindDue(deps, T0 + AFTER);
    await remindDue(deps, T0 + 2 * AFTER);

    expect(audited(deps.store, 'invitation.reminded')).toEqual([
      { at: T0 + AFTER, platform: 'system', actorUserId: 'system', actorPersonId: null, action: 'invitation.reminded', subjectType: 'invitation', subjectId: invitationId, details: { number: 1 } },
      { at: T0 + 2 * AFTER, platform: 'system', actorUserId: 'system', actorPersonId: null, action: 'invitation.reminded', subjectType: 'invitation', subjectId: invitationId, details: { number: 2 } },
    ]);
  });
});

describe('remindDue: only people the bot can message', () => {
  it('does not remind someone invited by email who is not in chat (their link went to the inviter to forward)', async () => {
    const { deps, ada } = world();
    const erin = anEmailOnlyPerson(deps.store, 'erin@partner.example');
    await invited(deps, ada, erin);
    deps.clock.advance(AFTER + 1);
    expect((await remindDue(deps, deps.clock.now())).reminded).toBe(0);
    expect(reminders(deps)).toEqual([]);
  });

  it('a resend restarts the reminder clock', async () => {
    const { deps, ada, alice } = world();
    const { invitationId } = await invited(deps, ada, alice);
    deps.clock.advance(AFTER + 1);
    expect((await remindDue(deps, deps.clock.now())).reminded).toBe(1);
    deps.clock.advance(AFTER - 1000);
    await resendInvitation({ deps, actor: ada.actor, input: { invitationId } });
    deps.clock.advance(2000); // the first reminder was AFTER ago, but the resend was just now
    expect((await remindDue(deps, deps.clock.now())).reminded).toBe(0);
    deps.clock.advance(AFTER);
    expect((await remindDue(deps, deps.clock.now())).reminded).toBe(1);
  });
});
