/**
 * What an admin or inviter can do about an invitation that is running out or ran out:
 * extendInvitation (the digest's Extend), reinvite and dropExpired (the expiry notice's buttons).
 */
import { describe, expect, it } from 'vitest';
import {
  acceptInvitation,
  declineInvitation,
  dropExpired,
  expireDue,
  extendInvitation,
  reinvite,
  nameOf,
  removeAdmin,
  revokeInvitation,
} from '../../src/domain/index.js';
import {
  aLicense,
  anAdmin,
  aPerson,
  aProject,
  aProjectInvitation,
  aSeat,
  audited,
  DAY_MS,
  domainDeps,
  domainErrorOf,
  invited,
  latestLink,
  T0,
  type Someone,
  type TestDeps,
} from '../support/test-store.js';

const TTL = 14 * DAY_MS;
const DESKTOP_LINK = 'https://cloud.atlasti.com/share/diaries.atlasti';

const world = () => {
  const deps = domainDeps();
  const ada = anAdmin(deps.store, { displayName: 'Ada Admin', email: 'ada@uni.example' });
  const ash = anAdmin(deps.store, { displayName: 'Ash Admin', email: 'ash@uni.example' });
  const olive = aPerson(deps.store, { displayName: 'Olive Owner', email: 'olive@uni.example' });
  const alice = aPerson(deps.store, { displayName: 'Alice', email: 'alice@uni.example' });
  const bob = aPerson(deps.store, { displayName: 'Bob', email: 'bob@uni.example' });
  const mallory = aPerson(deps.store, { displayName: 'Mallory', email: 'mallory@uni.example' });
  const license = aLicense(deps.store, { name: 'Campus', seats: 5 });
  aSeat(deps.store, { license, person: olive });
  aSeat(deps.store, { license, person: bob });
  const web = aProject(deps.store, { owner: olive, name: 'Panel', edition: 'web' });
  const desktop = aProject(deps.store, { owner: olive, name: 'Diaries', edition: 'desktop' });
  return { deps, ada, ash, olive, alice, bob, mallory, license, web, desktop };
};

const extend = (deps: TestDeps, who: Someone, invitationId: number) => extendInvitation({ deps, actor: who.actor, input: { invitationId } });
const again = (deps: TestDeps, who: Someone, invitationId: number) => reinvite({ deps, actor: who.actor, input: { invitationId } });
const drop = (deps: TestDeps, who: Someone, invitationId: number) => dropExpired({ deps, actor: who.actor, input: { invitationId } });

describe('extendInvitation', () => {
  it('gives a pending invitation INVITE_TTL from now, writes an audit row, and sends nothing', async () => {
    const { deps, ada, alice } = world();
    const { invitationId } = await invited(deps, ada, alice);
    deps.clock.set(T0 + 5 * DAY_MS);
    const outbox = deps.store.outbox().length;

    const res = await extend(deps, ada, invitationId);
    expect(res.expiresAt).toBe(T0 + 5 * DAY_MS + TTL);
    expect(res.invitation).toMatchObject({ kind: 'license', invitationId, status: 'pending', expiresAt: T0 + 5 * DAY_MS + TTL });
    expect(deps.store.invitation(invitationId)).toMatchObject({ status: 'pending', expiresAt: T0 + 5 * DAY_MS + TTL, sentAt: T0 });
    expect(audited(deps.store, 'invitation.extended')).toEqual([
      {
        at: T0 + 5 * DAY_MS,
        platform: 'slack',
        actorUserId: ada.actor.userId,
        actorPersonId: ada.person.id,
        action: 'invitation.extended',
        subjectType: 'invitation',
        subjectId: invitationId,
        details: { from: T0 + TTL, to: T0 + 5 * DAY_MS + TTL },
      },
    ]);
    // nothing new is sent: the messages already about it show the new date
    expect(deps.store.outbox().slice(outbox).map((e) => e.message)).toEqual([{ type: 'refresh', subject: `invitation:${invitationId}` }]);
    expect(deps.store.announced(invitationId)).toMatchObject({ invitation: { status: 'pending', expiresAt: T0 + 5 * DAY_MS + TTL } });
  });

  it('an extended invitation is not expired by the sweep at its old expiry', async () => {
    const { deps, ada, alice } = world();
    const { invitationId } = await invited(deps, ada, alice);
    deps.clock.set(T0 + 10 * DAY_MS);
    await extend(deps, ada, invitationId);
    expect(await expireDue(deps, T0 + TTL)).toEqual({ expired: 0 });
    expect(deps.store.invitation(invitationId).status).toBe('pending');
    expect(await expireDue(deps, T0 + 10 * DAY_MS + TTL)).toEqual({ expired: 1 });
  });

  it('never shortens an invitation', async () => {
    const { deps, ada, alice } = world();
    const { invitationId } = await invited(deps, ada, alice);
    deps.clock.set(T0 + DAY_MS);
    const shortTtl: TestDeps = { ...deps, settings: { ...deps.settings, inviteTtlMs: 2 * DAY_MS } };

    const res = await extend(shortTtl, ada, invitationId);
    expect(res.expiresAt).toBe(T0 + TTL);
    expect(deps.store.invitation(invitationId).expiresAt).toBe(T0 + TTL);
    expect(audited(deps.store, 'invitation.extended').map((e) => e.details)).toEqual([{ from: T0 + TTL, to: T0 + TTL }]);
  });

  it('the inviter may extend even when not an admin; so may any admin', async () => {
    const { deps, ash, olive, alice, web } = world();
    aSeat(deps.store, { license: deps.store.sync((r) => r.licenses.byName('Campus')!), person: alice });
    const { invitation } = aProjectInvitation(deps.store, { project: web, invitee: alice });
    deps.clock.set(T0 + DAY_MS);
    expect((await extend(deps, olive, invitation.id)).expiresAt).toBe(T0 + DAY_MS + TTL);
    deps.clock.set(T0 + 2 * DAY_MS);
    expect((await extend(deps, ash, invitation.id)).expiresAt).toBe(T0 + 2 * DAY_MS + TTL);
    expect(audited(deps.store, 'invitation.extended').map((e) => e.actorPersonId)).toEqual([olive.person.id, ash.person.id]);
  });

  it('refuses anyone else (the invitee included), and changes nothing', async () => {
    const { deps, ada, alice, mallory, olive } = world();
    const { invitationId } = await invited(deps, ada, alice);
    deps.clock.set(T0 + DAY_MS);
    const before = deps.store.dump();
    for (const someone of [mallory, alice, olive]) {
      const err = await domainErrorOf(extend(deps, someone, invitationId));
      expect(err.code).toBe('FORBIDDEN');
    }
    expect(deps.store.dump()).toEqual(before);
  });

  it('an admin who sent it and is no admin any more may still extend it (as its inviter)', async () => {
    const { deps, ada, ash, alice } = world();
    const { invitationId } = await invited(deps, ada, alice);
    await removeAdmin({ deps, actor: ash.actor, input: { personId: ada.person.id } });
    deps.clock.set(T0 + DAY_MS);
    expect((await extend(deps, ada, invitationId)).expiresAt).toBe(T0 + DAY_MS + TTL);
  });

  it('extends open invitations only (pending, or waiting for a seat)', async () => {
    const { deps, ada, alice, bob, olive, web, mallory } = world();
    const accepted = await invited(deps, ada, alice);
    await acceptInvitation({ deps, actor: alice.actor, input: { invitationId: accepted.invitationId } });
    const declined = aProjectInvitation(deps.store, { project: web, invitee: bob, status: 'declined' }).invitation;
    const revoked = await invited(deps, ada, mallory);
    await revokeInvitation({ deps, actor: ada.actor, input: { invitationId: revoked.invitationId } });
    const waiting = aProjectInvitation(deps.store, { project: web, invitee: aPerson(deps.store), status: 'waiting_for_seat' }).invitation;
    const expired = aProjectInvitation(deps.store, { project: web, invitee: aPerson(deps.store), status: 'expired' }).invitation;
    const before = deps.store.dump();

    for (const id of [accepted.invitationId, declined.id, revoked.invitationId, expired.id]) {
      const err = await domainErrorOf(extend(deps, ada, id));
      expect(err.code).toBe('NOT_PENDING');
      expect(err.userMessage).toMatch(/nothing to extend/);
    }
    expect(deps.store.dump()).toEqual(before);
    // one still waiting for a seat waits longer (the digest offers Extend for it)
    deps.clock.advance(DAY_MS);
    const longer = await extend(deps, olive, waiting.id);
    expect(longer.expiresAt).toBeGreaterThan(waiting.expiresAt);
    expect(deps.store.invitation(waiting.id).status).toBe('waiting_for_seat');
    expect((await domainErrorOf(extend(deps, olive, 9999))).code).toBe('NOT_FOUND');
  });

  // A pending invitation past its expiry is expired whether or not the sweep has marked it yet
  // (src/domain/invitation-guards.ts: isExpired); resend, revoke, decline and accept all act on
  // that, so a click between the expiry and the next sweep must not bring it back to life.
  it('does not revive an invitation past its expiry that no sweep has marked yet', async () => {
    const { deps, ada, alice } = world();
    const { invitationId } = await invited(deps, ada, alice);
    deps.clock.set(T0 + TTL + 60_000);

    const err = await domainErrorOf(extend(deps, ada, invitationId));
    expect(['NOT_PENDING', 'EXPIRED']).toContain(err.code);
    expect(deps.store.invitation(invitationId)).toMatchObject({ status: 'expired', expiresAt: T0 + TTL });
  });
});

describe('reinvite', () => {
  it('after an expiry: a new pending invitation to the same pool for the same person and the same exact email', async () => {
    const { deps, ada, alice, license } = world();
    const first = await invited(deps, ada, alice, { email: 'Alice.Work@Uni.Example' });
    await expireDue(deps, T0 + TTL);
    deps.clock.set(T0 + TTL + DAY_MS);

    const { outcome } = await again(deps, ada, first.invitationId);
    expect(outcome.status).toBe('invited');
    if (outcome.status !== 'invited') throw new Error('unreachable');
    expect(outcome.invitationId).not.toBe(first.invitationId);
    expect(deps.store.invitation(outcome.invitationId)).toMatchObject({
      kind: 'license',
      status: 'pending',
      licenseId: license.id,
      inviteeId: alice.person.id,
      inviteeEmail: 'Alice.Work@Uni.Example',
      inviterId: ada.person.id,
      sentAt: T0 + TTL + DAY_MS,
      expiresAt: T0 + TTL + DAY_MS + TTL,
    });
    expect(deps.store.invitation(first.invitationId).status).toBe('expired');
    // a new link, sent to the invitee
    const { link, entry } = latestLink(deps.store, outcome.invitationId);
    expect(link).not.toBe(first.link);
    expect(entry.to).toEqual({ type: 'person', personId: alice.person.id });
  });

  it('after a decline or a revocation too', async () => {
    const { deps, ada, alice } = world();
    const carol = aPerson(deps.store, { email: 'carol@uni.example' });
    const declined = await invited(deps, ada, carol);
    await declineInvitation({ deps, actor: carol.actor, input: { invitationId: declined.invitationId } });
    const revoked = await invited(deps, ada, alice);
    await revokeInvitation({ deps, actor: ada.actor, input: { invitationId: revoked.invitationId } });

    for (const [old, who] of [
      [declined.invitationId, carol],
      [revoked.invitationId, alice],
    ] as const) {
      const { outcome } = await again(deps, ada, old);
      expect(outcome).toMatchObject({ status: 'invited' });
      const fresh = 'invitationId' in outcome ? deps.store.invitation(outcome.invitationId) : undefined;
      expect(fresh).toMatchObject({ status: 'pending', inviteeId: who.person.id, kind: 'license' });
    }
  });

  it('refuses what is still open or was accepted, and changes nothing', async () => {
    const { deps, ada, alice, bob, web } = world();
    const pending = await invited(deps, ada, alice);
    const acceptedProject = aProjectInvitation(deps.store, { project: web, invitee: bob, status: 'accepted' }).invitation;
    const waiting = aProjectInvitation(deps.store, { project: web, invitee: aPerson(deps.store), status: 'waiting_for_seat' }).invitation;
    const carol = aPerson(deps.store);
    const accepted = await invited(deps, ada, carol);
    await acceptInvitation({ deps, actor: carol.actor, input: { invitationId: accepted.invitationId } });
    const before = deps.store.dump();

    for (const id of [pending.invitationId, accepted.invitationId, acceptedProject.id, waiting.id]) {
      expect((await domainErrorOf(again(deps, ada, id))).code).toBe('NOT_PENDING');
    }
    expect(deps.store.dump()).toEqual(before);
  });

  it('a Desktop project: through shareProject, with the same link and the same message', async () => {
    const { deps, olive, bob, desktop } = world();
    const { invitation } = aProjectInvitation(deps.store, { project: desktop, invitee: bob, desktopLink: DESKTOP_LINK, message: 'Round two of coding' });
    await expireDue(deps, T0 + TTL);
    deps.clock.set(T0 + TTL + 1000);

    const { outcome } = await again(deps, olive, invitation.id);
    expect(outcome.status).toBe('invited');
    if (outcome.status !== 'invited') throw new Error('unreachable');
    expect(deps.store.invitation(outcome.invitationId)).toMatchObject({
      kind: 'project',
      status: 'pending',
      projectId: desktop.id,
      inviteeId: bob.person.id,
      inviteeEmail: 'bob@uni.example',
      inviterId: olive.person.id,
      desktopLink: DESKTOP_LINK,
      message: 'Round two of coding',
    });
    const sent = deps.store.messages('project_invitation').filter((e) => e.message.invitation.invitationId === outcome.invitationId);
    expect(sent.map((e) => e.to)).toEqual([{ type: 'person', personId: bob.person.id }]);
    expect(sent[0]!.message.invitation).toMatchObject({ edition: 'desktop', message: 'Round two of coding', projectName: 'Diaries' });
    expect(audited(deps.store, 'invitation.created').map((e) => e.subjectId)).toContain(outcome.invitationId);
  });

  it('a project invitation whose invitee no longer holds a seat waits for one again, like any share', async () => {
    const { deps, olive, web, license } = world();
    const dora = aPerson(deps.store, { email: 'dora@uni.example' });
    const seat = aSeat(deps.store, { license, person: dora });
    const { invitation } = aProjectInvitation(deps.store, { project: web, invitee: dora });
    await expireDue(deps, T0 + TTL);
    await deps.store.transaction((r) => r.seats.release(seat.id, T0 + TTL));

    const { outcome } = await again(deps, olive, invitation.id);
    expect(outcome).toMatchObject({ status: 'waiting_for_seat', email: 'dora@uni.example' });
  });

  it('refuses a stranger, and changes nothing', async () => {
    const { deps, ada, olive, alice, bob, mallory, web } = world();
    const lic = await invited(deps, ada, alice);
    const proj = aProjectInvitation(deps.store, { project: web, invitee: bob }).invitation;
    await expireDue(deps, T0 + TTL);
    const before = deps.store.dump();
    for (const [who, id] of [
      [mallory, lic.invitationId],
      [alice, lic.invitationId],
      [olive, lic.invitationId],
      [mallory, proj.id],
      [bob, proj.id],
    ] as const) {
      expect((await domainErrorOf(again(deps, who, id))).code).toBe('FORBIDDEN');
    }
    expect(deps.store.dump()).toEqual(before);
  });
});

describe('dropExpired', () => {
  it('the inviter or an admin may drop; it writes an audit row and changes nothing else', async () => {
    const { deps, ada, ash, olive, alice, bob, web } = world();
    const lic = await invited(deps, ada, alice);
    const proj = aProjectInvitation(deps.store, { project: web, invitee: bob }).invitation;
    await expireDue(deps, T0 + TTL);
    deps.clock.set(T0 + TTL + 10);
    const before = deps.store.dump();

    await drop(deps, ada, lic.invitationId);
    await drop(deps, olive, proj.id);
    await drop(deps, ash, proj.id);

    const after = deps.store.dump();
    const rows = audited(deps.store, 'invitation.dropped');
    expect(rows.map((e) => [e.actorPersonId, e.subjectId, e.at])).toEqual([
      [ada.person.id, lic.invitationId, T0 + TTL + 10],
      [olive.person.id, proj.id, T0 + TTL + 10],
      [ash.person.id, proj.id, T0 + TTL + 10],
    ]);
    expect(rows.every((e) => e.subjectType === 'invitation' && e.platform === 'slack')).toBe(true);
    // the invitations stay as they are; the expiry notice says who dropped each, in place
    expect(after.invitations).toEqual(before.invitations);
    expect(after.audit).toEqual([...before.audit, ...rows]);
    expect(after.outbox.slice(before.outbox.length).every((e) => e.message.type === 'refresh')).toBe(true);
    expect(deps.store.announced(proj.id)?.followUp).toEqual({ action: 'dropped', by: nameOf(await deps.store.transaction((r) => r.people.byId(ash.person.id))) });
  });

  it('refuses anyone else, and changes nothing', async () => {
    const { deps, ada, alice, mallory } = world();
    const lic = await invited(deps, ada, alice);
    await expireDue(deps, T0 + TTL);
    const before = deps.store.dump();
    for (const who of [mallory, alice]) expect((await domainErrorOf(drop(deps, who, lic.invitationId))).code).toBe('FORBIDDEN');
    expect((await domainErrorOf(drop(deps, ada, 4242))).code).toBe('NOT_FOUND');
    expect(deps.store.dump()).toEqual(before);
  });
});
