import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { acceptInvitation, confirmInviteRequest, declineInvitation, inviteToLicense, nameOf, type DomainSettings, type InviteResult } from '../../src/domain/index.js';
import {
  aSeat,
  aLicense, anAdmin, anEmailOnlyPerson, aPerson, DAY_MS, domainDeps, domainErrorOf, invited, latestLink, T0,
  type Someone, type TestDeps,
} from '../support/test-store.js';

const world = (settings: Partial<DomainSettings> = {}) => {
  const deps = domainDeps({ settings });
  const ada = anAdmin(deps.store, { displayName: 'Ada Admin' });
  const alice = aPerson(deps.store, { displayName: 'Alice', email: 'alice.smith@uni.example' });
  const bob = aPerson(deps.store, { displayName: 'Bob' });
  return { deps, ada, alice, bob };
};

const invite = (deps: TestDeps, by: Someone, invitees: (Someone | { who: Someone; email: string })[], licenseName?: string): Promise<InviteResult> =>
  inviteToLicense({
    deps,
    actor: by.actor,
    input: {
      licenseName: licenseName ?? null,
      invitees: invitees.map((i) => ('who' in i ? { personId: i.who.person.id, email: i.email } : { personId: i.person.id })),
    },
  });

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe('inviteToLicense: which pool', () => {
  it('uses the only license when none is named', async () => {
    const { deps, ada, alice } = world();
    const campus = aLicense(deps.store, { name: 'Campus', seats: 5 });
    const res = await invite(deps, ada, [alice]);
    expect(res.license.license).toEqual(campus);
    expect(deps.store.invitations().map((i) => i.licenseId)).toEqual([campus.id]);
  });

  it('asks which one (LICENSE_REQUIRED) when there are several, and writes nothing', async () => {
    const { deps, ada, alice } = world();
    aLicense(deps.store, { name: 'Lab', seats: 5 });
    aLicense(deps.store, { name: 'Campus', seats: 5 });
    const before = deps.store.dump();
    const err = await domainErrorOf(invite(deps, ada, [alice]));
    expect(err.code).toBe('LICENSE_REQUIRED');
    expect(err.details).toEqual({ licenses: ['Campus', 'Lab'] });
    expect(deps.store.dump()).toEqual(before);
  });

  it('finds a named license without letter case', async () => {
    const { deps, ada, alice } = world();
    aLicense(deps.store, { name: 'Campus', seats: 5 });
    const lab = aLicense(deps.store, { name: 'Lab', seats: 5 });
    const res = await invite(deps, ada, [alice], '  lAB ');
    expect(res.license.license.id).toBe(lab.id);
  });

  it('refuses an unknown name with NOT_FOUND, listing the real names', async () => {
    const { deps, ada, alice } = world();
    aLicense(deps.store, { name: 'Lab', seats: 5 });
    aLicense(deps.store, { name: 'Campus', seats: 5 });
    const before = deps.store.dump();
    const err = await domainErrorOf(invite(deps, ada, [alice], 'Labs'));
    expect(err.code).toBe('NOT_FOUND');
    expect(err.userMessage).toContain('"Labs"');
    expect(err.userMessage).toContain('"Campus"');
    expect(err.userMessage).toContain('"Lab"');
    expect(err.details).toEqual({ licenses: ['Campus', 'Lab'] });
    expect(deps.store.dump()).toEqual(before);
  });

  it('says NO_LICENSE when no pool exists', async () => {
    const { deps, ada, alice } = world();
    expect((await domainErrorOf(invite(deps, ada, [alice]))).code).toBe('NO_LICENSE');
  });

  it('needs at least one invitee', async () => {
    const { deps, ada } = world();
    aLicense(deps.store);
    expect((await domainErrorOf(invite(deps, ada, []))).code).toBe('INVALID_INPUT');
  });
});

describe('inviteToLicense: the invitation', () => {
  it('stores a pending invitation bound to the invitee, expiring after the TTL', async () => {
    const { deps, ada, alice } = world();
    const campus = aLicense(deps.store, { name: 'Campus', seats: 5 });
    deps.clock.advance(3 * 60_000);
    const now = deps.clock.now();
    const res = await invite(deps, ada, [alice]);
    expect(res.outcomes).toEqual([{ status: 'invited', invitee: alice.person, invitationId: 1, reachable: true }]);
    expect(res.license).toMatchObject({ occupied: 0, reserved: 1 });
    const inv = deps.store.invitation(1);
    expect(inv).toMatchObject({
      kind: 'license', licenseId: campus.id, inviteeId: alice.person.id, inviteeEmail: 'alice.smith@uni.example', inviterId: ada.person.id,
      status: 'pending', platform: 'slack', createdAt: now, sentAt: now, expiresAt: now + 14 * DAY_MS,
      remindersSent: 0, decidedAt: null, decidedBy: null, confirmRequestedAt: null,
    });
  });

  it('follows the configured TTL', async () => {
    const { deps, ada, alice } = world({ inviteTtlMs: 3 * DAY_MS });
    aLicense(deps.store);
    const { invitationId } = await invited(deps, ada, alice);
    expect(deps.store.invitation(invitationId).expiresAt).toBe(T0 + 3 * DAY_MS);
  });

  it('DMs the invitee a personal link whose token is stored only as its sha256 hash', async () => {
    const { deps, ada, alice } = world();
    aLicense(deps.store, { name: 'Campus', seats: 5 });
    await invite(deps, ada, [alice]);
    const dms = deps.store.messagesTo(alice.person.id);
    expect(dms).toHaveLength(1);
    const dm = dms[0]!;
    expect(dm.at).toBe(T0);
    if (dm.message.type !== 'license_invitation') throw new Error(`expected a license_invitation, got ${dm.message.type}`);
    expect(dm.message.resent).toBe(false);
    expect(dm.message.invitation).toMatchObject({ invitationId: 1, status: 'pending', licenseName: 'Campus', inviterName: 'Ada Admin', inviteeName: 'Alice', seats: 5, occupied: 0, reserved: 1 });
    const m = /^https:\/\/bot\.example\.edu\/invite\/([A-Za-z0-9_-]+)$/.exec(dm.message.link);
    expect(m).not.toBeNull();
    const token = m![1]!;
    expect(token).toHaveLength(43);
    const inv = deps.store.invitation(1);
    expect(inv.tokenHash).toBe(sha256(token));
    expect(JSON.stringify(inv)).not.toContain(token);
    expect(JSON.stringify(deps.store.auditLog())).not.toContain(token);
    // the admins' notice carries no link either
    expect(JSON.stringify(deps.store.messagesToAdminChannel())).not.toContain(token);
  });

  it('records the account email as chat reports it when the typed one differs only in letter case; another email is kept as typed', async () => {
    const { deps, ada, alice, bob } = world();
    aLicense(deps.store);
    // chat found Alice by email whatever its case: her seat is for the email her account has
    await invite(deps, ada, [{ who: alice, email: 'ALICE.SMITH@UNI.EXAMPLE' }]);
    expect(deps.store.invitation(1).inviteeEmail).toBe('alice.smith@uni.example');
    // a different address altogether is the admin's choice, exactly as typed
    await invite(deps, ada, [{ who: bob, email: 'Bob.Other@Lab.Example' }]);
    expect(deps.store.invitation(2).inviteeEmail).toBe('Bob.Other@Lab.Example');
  });

  it('returns no_email and writes nothing when there is no account email at all', async () => {
    const { deps, ada } = world();
    aLicense(deps.store);
    const nomail = aPerson(deps.store, { email: null });
    const before = deps.store.dump();
    const res = await invite(deps, ada, [nomail]);
    expect(res.outcomes.map((o) => o.status)).toEqual(['no_email']);
    expect(deps.store.dump()).toEqual(before);
  });

  it('refuses an unknown person id with NOT_FOUND', async () => {
    const { deps, ada } = world();
    aLicense(deps.store);
    const err = await domainErrorOf(inviteToLicense({ deps, actor: ada.actor, input: { invitees: [{ personId: 999 }] } }));
    expect(err.code).toBe('NOT_FOUND');
    expect(deps.store.invitations()).toEqual([]);
  });

  it('an email-only invitee is not reachable: the inviter gets the link to forward, the invitee nothing', async () => {
    const { deps, ada } = world();
    aLicense(deps.store);
    const erin = anEmailOnlyPerson(deps.store, 'Erin@Partner.example');
    const res = await invite(deps, ada, [erin]);
    expect(res.outcomes[0]).toMatchObject({ status: 'invited', reachable: false });
    expect(deps.store.messagesTo(erin.person.id)).toEqual([]);
    const toAda = deps.store.messagesTo(ada.person.id);
    expect(toAda.map((e) => e.message.type)).toEqual(['forward_link']);
    const { token } = latestLink(deps.store, 1);
    expect(deps.store.invitation(1).tokenHash).toBe(sha256(token));
    expect(deps.store.invitation(1).inviteeEmail).toBe('Erin@Partner.example');
  });

  it('tells the admin channel when there is one', async () => {
    const { deps, ada, alice } = world({ hasAdminChannel: true });
    aLicense(deps.store);
    await invite(deps, ada, [alice]);
    const notices = deps.store.messages('admin_invitation_event');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.to).toEqual({ type: 'admin_channel' });
    expect(notices[0]!.message).toMatchObject({ event: 'created', actorName: 'Ada Admin', invitation: { invitationId: 1, inviteeName: 'Alice' } });
  });

  it('tells the inviter directly when there is no admin channel', async () => {
    const { deps, ada, alice } = world({ hasAdminChannel: false });
    aLicense(deps.store);
    await invite(deps, ada, [alice]);
    expect(deps.store.messagesToAdminChannel()).toEqual([]);
    const notices = deps.store.messages('admin_invitation_event');
    expect(notices.map((n) => n.to)).toEqual([{ type: 'person', personId: ada.person.id }]);
  });
});

describe('inviteToLicense: one invitation per person and pool', () => {
  it('a second invitation is already_pending, with the first id and its sentAt; no second row, no second DM', async () => {
    const { deps, ada, alice } = world();
    aLicense(deps.store);
    await invite(deps, ada, [alice]);
    deps.clock.advance(60 * 60_000);
    const ada2 = anAdmin(deps.store);
    const before = deps.store.dump();
    const res = await invite(deps, ada2, [alice]);
    expect(res.outcomes).toEqual([{ status: 'already_pending', invitee: alice.person, invitationId: 1, since: T0 }]);
    expect(deps.store.dump()).toEqual(before);
    expect(deps.store.messages('license_invitation')).toHaveLength(1);
  });

  it('a person who accepted is already_holds_seat', async () => {
    const { deps, ada, alice } = world();
    aLicense(deps.store);
    const { invitationId } = await invited(deps, ada, alice);
    await acceptInvitation({ deps, actor: alice.actor, input: { invitationId } });
    const before = deps.store.dump();
    const res = await invite(deps, ada, [alice]);
    expect(res.outcomes).toEqual([{ status: 'already_holds_seat', invitee: alice.person }]);
    expect(deps.store.dump()).toEqual(before);
  });

  it('the same person named twice in one call is invited once', async () => {
    const { deps, ada, alice } = world();
    aLicense(deps.store);
    const res = await invite(deps, ada, [alice, { who: alice, email: 'other@uni.example' }, alice]);
    expect(res.outcomes.map((o) => o.status)).toEqual(['invited']);
    expect(deps.store.invitations()).toHaveLength(1);
    expect(deps.store.messagesTo(alice.person.id)).toHaveLength(1);
  });

  it('pending invitations in another pool do not count', async () => {
    const { deps, ada, alice } = world();
    aLicense(deps.store, { name: 'Campus' });
    aLicense(deps.store, { name: 'Lab' });
    await invite(deps, ada, [alice], 'Campus');
    const res = await invite(deps, ada, [alice], 'Lab');
    expect(res.outcomes[0]?.status).toBe('invited');
    expect(deps.store.invitations()).toHaveLength(2);
  });
});

describe('inviteToLicense: a full pool', () => {
  it('pending invitations reserve seats; the next invitee gets no_free_seat and a notice', async () => {
    const { deps, ada, alice, bob } = world();
    aLicense(deps.store, { name: 'Campus', seats: 1 });
    await invite(deps, ada, [alice]);
    const res = await invite(deps, ada, [bob]);
    expect(res.outcomes).toEqual([{ status: 'no_free_seat', invitee: bob.person }]);
    expect(res.license).toMatchObject({ occupied: 0, reserved: 1 });
    expect(deps.store.invitations().map((i) => i.inviteeId)).toEqual([alice.person.id]);
    const toBob = deps.store.messagesTo(bob.person.id);
    expect(toBob.map((e) => e.message)).toEqual([{ type: 'license_full_notice', licenseName: 'Campus', inviterName: 'Ada Admin', seats: 1, seatModel: 'assigned', memberCap: null }]);
    expect(deps.store.auditLog().filter((e) => e.action === 'invitation.refused_no_seat').map((e) => e.details)).toEqual([{ inviteeId: bob.person.id }]);
  });

  it('an unreachable invitee of a full pool is not messaged (nor is anyone on their behalf)', async () => {
    const { deps, ada, alice } = world();
    aLicense(deps.store, { seats: 1 });
    await invite(deps, ada, [alice]);
    const erin = anEmailOnlyPerson(deps.store, 'erin@partner.example');
    const outboxBefore = deps.store.outbox();
    const res = await invite(deps, ada, [erin]);
    expect(res.outcomes[0]?.status).toBe('no_free_seat');
    expect(deps.store.outbox()).toEqual(outboxBefore);
  });

  it('more newcomers than free seats: nothing is sent until the admin confirms the part that fits, in the order given', async () => {
    const { deps, ada, alice, bob } = world();
    aLicense(deps.store, { seats: 2 });
    const carol = aPerson(deps.store);
    const before = deps.store.outbox().length;
    const res = await invite(deps, ada, [alice, bob, carol]);
    expect(res.outcomes).toEqual([]);
    expect(res.confirmation).toEqual({ requestId: 1, newcomers: 3, free: 2, invite: ['Alice', 'Bob'], cut: [nameOf(carol.person)], reordered: false });
    expect(deps.store.invitations()).toHaveLength(0);
    expect(deps.store.outbox()).toHaveLength(before);

    const confirmed = await confirmInviteRequest({ deps, actor: ada.actor, input: { requestId: 1, confirm: true } });
    if (!('outcomes' in confirmed)) throw new Error('expected outcomes');
    expect(confirmed.outcomes.map((o) => o.status)).toEqual(['invited', 'invited', 'no_free_seat']);
    expect(confirmed.license).toMatchObject({ occupied: 0, reserved: 2 });
    // the one left out is told why, and whom to ask
    expect(deps.store.messages('license_full_notice').map((e) => [e.to, e.message.cut])).toEqual([[{ type: 'person', personId: carol.person.id }, true]]);
    // a request is answered once
    expect((await domainErrorOf(confirmInviteRequest({ deps, actor: ada.actor, input: { requestId: 1, confirm: false } }))).code).toBe('NOT_PENDING');
  });

  it('"invite the first N" puts people with no seat in any pool first, and says so', async () => {
    const { deps, ada, alice, bob } = world();
    const other = aLicense(deps.store, { name: 'Other', seats: 5 });
    aLicense(deps.store, { name: 'Campus', seats: 2 });
    aSeat(deps.store, { license: other, person: alice });
    const carol = aPerson(deps.store, { displayName: 'Carol' });
    const res = await invite(deps, ada, [alice, bob, carol], 'Campus');
    expect(res.confirmation).toMatchObject({ newcomers: 3, free: 2, invite: ['Bob', 'Carol'], cut: ['Alice'], reordered: true });
    const confirmed = await confirmInviteRequest({ deps, actor: ada.actor, input: { requestId: res.confirmation!.requestId, confirm: true } });
    if (!('outcomes' in confirmed)) throw new Error('expected outcomes');
    expect(confirmed.outcomes.map((o) => [nameOf(o.invitee), o.status])).toEqual([
      ['Bob', 'invited'],
      ['Carol', 'invited'],
      ['Alice', 'no_free_seat'],
    ]);
    expect(deps.store.messages('license_full_notice').map((e) => e.to)).toEqual([{ type: 'person', personId: alice.person.id }]);
  });

  it('a cancelled request sends nothing, and only admins answer requests', async () => {
    const { deps, ada, alice, bob } = world();
    aLicense(deps.store, { seats: 1 });
    const res = await invite(deps, ada, [alice, bob]);
    const mallory = aPerson(deps.store);
    expect((await domainErrorOf(confirmInviteRequest({ deps, actor: mallory.actor, input: { requestId: res.confirmation!.requestId, confirm: true } }))).code).toBe('FORBIDDEN');
    expect(await confirmInviteRequest({ deps, actor: ada.actor, input: { requestId: res.confirmation!.requestId, confirm: false } })).toEqual({ cancelled: true });
    expect(deps.store.invitations()).toHaveLength(0);
  });

  it('occupied seats count too', async () => {
    const { deps, ada, alice, bob } = world();
    aLicense(deps.store, { seats: 1 });
    const a = await invited(deps, ada, alice);
    await acceptInvitation({ deps, actor: alice.actor, input: { invitationId: a.invitationId } });
    const res = await invite(deps, ada, [bob]);
    expect(res.outcomes[0]?.status).toBe('no_free_seat');
    expect(res.license).toMatchObject({ occupied: 1, reserved: 0 });
  });

  it('a declined invitation gives its seat back to the pool', async () => {
    const { deps, ada, alice, bob } = world();
    aLicense(deps.store, { seats: 1 });
    const first = await invited(deps, ada, alice);
    expect((await invite(deps, ada, [bob])).outcomes[0]?.status).toBe('no_free_seat');
    await declineInvitation({ deps, actor: alice.actor, input: { invitationId: first.invitationId } });
    expect((await invite(deps, ada, [bob])).outcomes[0]?.status).toBe('invited');
  });
});
