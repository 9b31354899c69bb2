import { describe, expect, it } from 'vitest';
import { acceptInvitation, decideSeatRequest, requestSeat, revokeInvitation, shareProject, type DomainSettings, type Project } from '../../src/domain/index.js';
import {
  aLicense,
  anAdmin,
  aPerson,
  aProject,
  aProjectInvitation,
  aSeat,
  aSeatRequest,
  audited,
  domainDeps,
  domainErrorOf,
  invited,
  T0,
  type Someone,
  type TestDeps,
} from '../support/test-store.js';

const world = async (opts: { seats?: number; settings?: Partial<DomainSettings> } = {}) => {
  const deps = domainDeps({ settings: opts.settings ?? {} });
  const ada = anAdmin(deps.store, { displayName: 'Ada Admin', email: 'ada@uni.example' });
  const olive = aPerson(deps.store, { displayName: 'Olive', email: 'olive@uni.example' });
  const bob = aPerson(deps.store, { displayName: 'Bob', email: 'Bob@uni.example' });
  const mallory = aPerson(deps.store, { displayName: 'Mallory', email: 'mallory@uni.example' });
  const license = aLicense(deps.store, { name: 'Campus', seats: opts.seats ?? 5 });
  const web = aProject(deps.store, { owner: olive, name: 'Panel', edition: 'web' });
  // Bob holds no seat: the invitation waits for one
  const waiting = await shareWith(deps, olive, web, bob);
  return { deps, ada, olive, bob, mallory, license, web, waiting };
};

async function shareWith(deps: TestDeps, sharer: Someone, project: Project, invitee: Someone): Promise<number> {
  const res = await shareProject({ deps, actor: sharer.actor, input: { project: { id: project.id }, invitees: [{ personId: invitee.person.id }] } });
  const o = res.outcomes[0]!;
  if (!('invitationId' in o)) throw new Error(`not shared: ${o.status}`);
  return o.invitationId;
}

const ask = (deps: TestDeps, who: Someone, projectInvitationId: number) => requestSeat({ deps, actor: who.actor, input: { projectInvitationId } });
const decide = (deps: TestDeps, who: Someone, requestId: number, approve: boolean, licenseName?: string) =>
  decideSeatRequest({ deps, actor: who.actor, input: { requestId, approve, ...(licenseName ? { licenseName } : {}) } });

describe('requestSeat', () => {
  it('the owner asks: a pending request for the invitee and the invited email, posted to the admin channel', async () => {
    const { deps, olive, bob, waiting } = await world();
    deps.clock.advance(1000);
    const n = deps.store.outbox().length;
    const res = await ask(deps, olive, waiting);
    expect(res.alreadyAsked).toBe(false);
    expect(res.request).toEqual({
      id: 1,
      personId: bob.person.id,
      email: 'Bob@uni.example',
      projectInvitationId: waiting,
      requestedBy: olive.person.id,
      status: 'pending',
      decidedBy: null,
      licenseId: null,
      licenseInvitationId: null,
      reason: null,
      decisionNote: null,
      createdAt: T0 + 1000,
      decidedAt: null,
    });
    expect(deps.store.seatRequests()).toEqual([res.request]);
    const fresh = deps.store.outbox().slice(n);
    expect(fresh.map((e) => [e.to, e.message])).toEqual([
      // the owner's "waiting for a seat" list stops offering to ask, in place
      [{ type: 'updates' }, { type: 'refresh', subject: `invitation:${waiting}` }],
      [{ type: 'admin_channel' }, { type: 'seat_request', requestId: 1, personName: 'Bob', email: 'Bob@uni.example', projectName: 'Panel', ownerName: 'Olive', status: 'pending' }],
    ]);
    expect(deps.store.announced(waiting)).toMatchObject({ seatRequestId: 1, invitation: { status: 'waiting_for_seat' } });
    expect(audited(deps.store, 'seat_request.created')).toMatchObject([{ subjectType: 'seat_request', subjectId: 1, actorPersonId: olive.person.id, details: { invitationId: waiting } }]);
    // nothing about the project invitation itself changed
    expect(deps.store.invitation(waiting).status).toBe('waiting_for_seat');
  });

  it('an admin may ask, and so may an admin who shared the project for its owner', async () => {
    const { deps, ada, waiting } = await world();
    expect((await ask(deps, ada, waiting)).alreadyAsked).toBe(false);

    const second = await world();
    const ben = anAdmin(second.deps.store, { displayName: 'Ben Admin' });
    const carl = aPerson(second.deps.store, { displayName: 'Carl' });
    const id = await shareWith(second.deps, ben, second.web, carl);
    expect((await ask(second.deps, ben, id)).request).toMatchObject({ requestedBy: ben.person.id, personId: carl.person.id });
  });

  it('a stranger, or the invitee, is FORBIDDEN; nothing written', async () => {
    const { deps, bob, mallory, waiting } = await world();
    const before = deps.store.dump();
    expect((await domainErrorOf(ask(deps, mallory, waiting))).code).toBe('FORBIDDEN');
    expect((await domainErrorOf(ask(deps, bob, waiting))).code).toBe('FORBIDDEN');
    expect(deps.store.dump()).toEqual(before);
  });

  it('an invitation that is not waiting for a seat: NOT_PENDING', async () => {
    const { deps, olive, license, web } = await world();
    const alice = aPerson(deps.store, { displayName: 'Alice' });
    aSeat(deps.store, { license, person: alice });
    const pending = await shareWith(deps, olive, web, alice);
    expect(deps.store.invitation(pending).status).toBe('pending');
    const before = deps.store.dump();
    expect((await domainErrorOf(ask(deps, olive, pending))).code).toBe('NOT_PENDING');
    const revoked = aProjectInvitation(deps.store, { project: aProject(deps.store, { owner: olive, name: 'Old' }), invitee: alice, status: 'revoked' }).invitation;
    expect((await domainErrorOf(ask(deps, olive, revoked.id))).code).toBe('NOT_PENDING');
    expect(deps.store.seatRequests()).toEqual(before.seatRequests);
  });

  it('a license invitation: INVALID_INPUT; an unknown one: NOT_FOUND', async () => {
    const { deps, ada, olive, mallory } = await world();
    const lic = await invited(deps, ada, mallory);
    expect((await domainErrorOf(ask(deps, ada, lic.invitationId))).code).toBe('INVALID_INPUT');
    expect((await domainErrorOf(ask(deps, olive, 999))).code).toBe('NOT_FOUND');
    expect(deps.store.seatRequests()).toEqual([]);
  });

  it('without an admin channel: INVALID_INPUT, nothing written', async () => {
    const { deps, olive, waiting } = await world({ settings: { hasAdminChannel: false } });
    const before = deps.store.dump();
    const err = await domainErrorOf(ask(deps, olive, waiting));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.userMessage).toMatch(/admin/);
    expect(deps.store.dump()).toEqual(before);
  });

  it('asking again while a request is open: alreadyAsked, the same request, nothing new', async () => {
    const { deps, ada, olive, waiting } = await world();
    const first = await ask(deps, olive, waiting);
    const before = deps.store.dump();
    deps.clock.advance(1000);
    const again = await ask(deps, olive, waiting);
    expect(again).toEqual({ request: first.request, alreadyAsked: true });
    expect((await ask(deps, ada, waiting)).alreadyAsked).toBe(true);
    expect(deps.store.dump()).toEqual(before);
  });

  it('after a denial, the owner may ask again', async () => {
    const { deps, ada, olive, waiting } = await world();
    const first = await ask(deps, olive, waiting);
    await decide(deps, ada, first.request.id, false);
    const again = await ask(deps, olive, waiting);
    expect(again.alreadyAsked).toBe(false);
    expect(again.request.id).not.toBe(first.request.id);
  });
});

describe('decideSeatRequest', () => {
  const asked = async (opts: Parameters<typeof world>[0] = {}) => {
    const w = await world(opts);
    const { request } = await ask(w.deps, w.olive, w.waiting);
    return { ...w, request };
  };

  it('only admins decide: the owner is FORBIDDEN; an unknown request is NOT_FOUND', async () => {
    const { deps, ada, olive, request } = await asked();
    const before = deps.store.dump();
    expect((await domainErrorOf(decide(deps, olive, request.id, true))).code).toBe('FORBIDDEN');
    expect((await domainErrorOf(decide(deps, olive, request.id, false))).code).toBe('FORBIDDEN');
    expect(deps.store.dump()).toEqual(before);
    expect((await domainErrorOf(decide(deps, ada, 999, true))).code).toBe('NOT_FOUND');
  });

  it('deny: the request is denied, the admins see who decided, the owner is told; the invitation keeps waiting', async () => {
    const { deps, ada, olive, bob, waiting, request } = await asked();
    deps.clock.advance(2000);
    const now = deps.clock.now();
    const n = deps.store.outbox().length;
    const res = await decide(deps, ada, request.id, false);
    expect(res.outcome).toBe('denied');
    expect(res.request).toMatchObject({ id: request.id, status: 'denied', decidedBy: ada.person.id, decidedAt: now, licenseId: null, licenseInvitationId: null });
    expect(deps.store.seatRequests()).toEqual([res.request]);
    const fresh = deps.store.outbox().slice(n);
    // the request's own post is updated in place: no second post, no Approve / Deny left on the first
    expect(fresh.map((e) => [e.to, e.message.type])).toEqual([
      [{ type: 'updates' }, 'refresh'],
      [{ type: 'updates' }, 'refresh'],
      [{ type: 'person', personId: olive.person.id }, 'project_owner_event'],
    ]);
    expect(fresh[0]!.message).toEqual({ type: 'refresh', subject: `seat_request:${request.id}` });
    // the sharer's waiting list offers to ask again
    expect(fresh[1]!.message).toEqual({ type: 'refresh', subject: `invitation:${waiting}` });
    expect(deps.store.announced(waiting)?.seatRequestId).toBeUndefined();
    expect(deps.store.dump().subjects[`seat_request:${request.id}`]).toEqual({ kind: 'seat_request', requestId: request.id, status: 'denied', decidedBy: 'Ada Admin' });
    expect(fresh[2]!.message).toMatchObject({ event: 'seat_request_denied', detail: 'Ada Admin', invitation: { invitationId: waiting, status: 'waiting_for_seat' } });
    expect(deps.store.invitation(waiting).status).toBe('waiting_for_seat');
    expect(deps.store.invitations().filter((i) => i.kind === 'license')).toEqual([]);
    expect(deps.store.messagesTo(bob.person.id)).toEqual([]);
    expect(audited(deps.store, 'seat_request.denied')).toMatchObject([{ subjectId: request.id, actorPersonId: ada.person.id }]);
  });

  it('approve: a license invitation for that person and email; the request is approved with it; the owner is told; accepting the seat sends the project invitation', async () => {
    const { deps, ada, olive, bob, license, waiting, request } = await asked();
    deps.clock.advance(2000);
    const now = deps.clock.now();
    const n = deps.store.outbox().length;
    const res = await decide(deps, ada, request.id, true);
    expect(res.outcome).toBe('approved');
    if (res.outcome !== 'approved') throw new Error('not approved');
    expect(res.licenseName).toBe('Campus');
    expect(res.invite).toMatchObject({ status: 'invited', reachable: true });
    const licenseInvitations = deps.store.invitations().filter((i) => i.kind === 'license');
    expect(licenseInvitations).toMatchObject([{ licenseId: license.id, inviteeId: bob.person.id, inviteeEmail: 'Bob@uni.example', inviterId: ada.person.id, status: 'pending' }]);
    const licenseInvitationId = licenseInvitations[0]!.id;
    expect(res.request).toMatchObject({ status: 'approved', decidedBy: ada.person.id, decidedAt: now, licenseId: license.id, licenseInvitationId });
    expect(deps.store.seatRequests()).toEqual([res.request]);

    const fresh = deps.store.outbox().slice(n);
    expect(fresh.map((e) => [e.to, e.message.type])).toEqual([
      [{ type: 'person', personId: bob.person.id }, 'license_invitation'],
      [{ type: 'admin_channel' }, 'admin_invitation_event'],
      [{ type: 'updates' }, 'refresh'],
      [{ type: 'person', personId: olive.person.id }, 'project_owner_event'],
    ]);
    expect(deps.store.dump().subjects[`seat_request:${request.id}`]).toEqual({ kind: 'seat_request', requestId: request.id, status: 'approved', decidedBy: 'Ada Admin', licenseName: 'Campus' });
    expect(fresh[3]!.message).toMatchObject({ event: 'seat_request_approved', detail: 'Ada Admin', invitation: { invitationId: waiting } });
    // the project invitation still waits until the seat is taken
    expect(deps.store.invitation(waiting).status).toBe('waiting_for_seat');
    expect(audited(deps.store, 'seat_request.approved')).toMatchObject([{ subjectId: request.id }]);

    await acceptInvitation({ deps, actor: bob.actor, input: { invitationId: licenseInvitationId } });
    expect(deps.store.invitation(waiting).status).toBe('pending');
    expect(deps.store.messages('project_invitation').map((e) => [e.to, e.message.invitation.invitationId])).toEqual([[{ type: 'person', personId: bob.person.id }, waiting]]);
    expect((await acceptInvitation({ deps, actor: bob.actor, input: { invitationId: waiting } })).outcome).toBe('project_accepted');
  });

  it('approve on a full pool: not_approved, the request stays pending, no license invitation, the owner is not told', async () => {
    const { deps, ada, olive, license, request } = await asked({ seats: 1 });
    aSeat(deps.store, { license, person: olive });
    const res = await decide(deps, ada, request.id, true);
    expect(res.outcome).toBe('not_approved');
    if (res.outcome !== 'not_approved') throw new Error('approved');
    expect(res.invite.status).toBe('no_free_seat');
    expect(res.licenseName).toBe('Campus');
    expect(res.request.status).toBe('pending');
    expect(deps.store.seatRequests()).toMatchObject([{ id: request.id, status: 'pending', decidedBy: null, decidedAt: null }]);
    expect(deps.store.invitations().filter((i) => i.kind === 'license' && i.status === 'pending')).toEqual([]);
    expect(deps.store.messagesTo(olive.person.id).filter((e) => e.message.type === 'project_owner_event')).toEqual([]);
    expect(deps.store.messages('seat_request').filter((e) => e.message.status !== 'pending')).toEqual([]);
    // once a seat is free, it can still be approved
    deps.store.sql('UPDATE licenses SET seats = 2 WHERE id = (SELECT MIN(id) FROM licenses)');
    expect((await decide(deps, ada, request.id, true)).outcome).toBe('approved');
  });

  it('several pools: the pool must be named (LICENSE_REQUIRED, nothing decided); named, it is used', async () => {
    const { deps, ada, bob, request } = await asked();
    const lab = aLicense(deps.store, { name: 'Lab', seats: 2 });
    expect((await domainErrorOf(decide(deps, ada, request.id, true))).code).toBe('LICENSE_REQUIRED');
    expect(deps.store.seatRequests()[0]!.status).toBe('pending');
    expect(deps.store.invitations().filter((i) => i.kind === 'license')).toEqual([]);
    const res = await decide(deps, ada, request.id, true, 'lab');
    expect(res).toMatchObject({ outcome: 'approved', licenseName: 'Lab', request: { licenseId: lab.id } });
    expect(deps.store.invitations().filter((i) => i.kind === 'license')).toMatchObject([{ licenseId: lab.id, inviteeId: bob.person.id }]);
  });

  it('approve when the person already has a pending license invitation: approved with that invitation', async () => {
    const { deps, ada, bob, request } = await asked();
    const existing = await invited(deps, ada, bob);
    const res = await decide(deps, ada, request.id, true);
    expect(res).toMatchObject({ outcome: 'approved', invite: { status: 'already_pending' }, request: { licenseInvitationId: existing.invitationId } });
    expect(deps.store.invitations().filter((i) => i.kind === 'license')).toHaveLength(1);
  });

  it('approve when the person already holds a seat under the invited email: the waiting invitation goes out now', async () => {
    const { deps, ada, olive, bob, license, waiting, request } = await asked();
    aSeat(deps.store, { license, person: bob, email: 'Bob@uni.example' });
    const res = await decide(deps, ada, request.id, true);
    expect(res).toMatchObject({ outcome: 'approved', invite: { status: 'already_holds_seat' }, licenseName: 'Campus' });
    expect(res.request).toMatchObject({ status: 'approved', licenseId: license.id, licenseInvitationId: null });
    expect(deps.store.invitation(waiting).status).toBe('pending');
    expect(deps.store.messages('project_invitation').map((e) => e.to)).toEqual([{ type: 'person', personId: bob.person.id }]);
    expect(deps.store.messages('project_owner_event').map((e) => [e.to, e.message.event])).toEqual([
      [{ type: 'person', personId: olive.person.id }, 'seat_request_approved'],
      [{ type: 'person', personId: olive.person.id }, 'sent_after_seat'],
    ]);
    expect(deps.store.invitations().filter((i) => i.kind === 'license' && i.status === 'pending')).toEqual([]);
    expect((await acceptInvitation({ deps, actor: bob.actor, input: { invitationId: waiting } })).outcome).toBe('project_accepted');
  });

  it('approve when the person holds a seat only under the email in another case: nothing goes out that they could not accept', async () => {
    const { deps, ada, olive, bob, waiting } = await asked();
    // Bob takes a seat as bob@… (lower case) while the project invitation is for Bob@…: it keeps
    // waiting (chat reports no email for him, so the seat keeps the spelling typed)
    deps.store.sql('UPDATE people SET email = NULL WHERE id = ?', bob.person.id);
    const seat = await invited(deps, ada, bob, { email: 'bob@uni.example' });
    await acceptInvitation({ deps, actor: bob.actor, input: { invitationId: seat.invitationId } });
    expect(deps.store.invitation(waiting).status).toBe('waiting_for_seat');
    // the owner's request (made before) is approved: Bob "already holds a seat"
    const request = deps.store.seatRequests()[0]!;
    await decide(deps, ada, request.id, true);
    // whatever happens, an invitation that goes out must be one Bob can accept: sending it with an
    // email his seat does not have would answer project_needs_seat forever
    const inv = deps.store.invitation(waiting);
    if (inv.status === 'pending') {
      expect((await acceptInvitation({ deps, actor: bob.actor, input: { invitationId: waiting } })).outcome).toBe('project_accepted');
    } else {
      expect(inv.status).toBe('waiting_for_seat');
      expect(deps.store.messages('project_invitation').filter((e) => e.message.invitation.invitationId === waiting)).toEqual([]);
      expect(deps.store.messagesTo(olive.person.id).some((e) => e.message.type === 'project_owner_event' && e.message.event === 'case_mismatch_after_seat')).toBe(true);
    }
  });

  it('a decided request cannot be decided again: NOT_PENDING, nothing written', async () => {
    const { deps, ada, request } = await asked();
    const ben = anAdmin(deps.store, { displayName: 'Ben Admin' });
    await decide(deps, ada, request.id, false);
    const before = deps.store.dump();
    expect((await domainErrorOf(decide(deps, ben, request.id, true))).code).toBe('NOT_PENDING');
    expect((await domainErrorOf(decide(deps, ada, request.id, false))).code).toBe('NOT_PENDING');
    expect(deps.store.dump()).toEqual(before);

    const other = await asked();
    await decide(other.deps, other.ada, other.request.id, true);
    const after = other.deps.store.dump();
    expect((await domainErrorOf(decide(other.deps, other.ada, other.request.id, true))).code).toBe('NOT_PENDING');
    expect((await domainErrorOf(decide(other.deps, other.ada, other.request.id, false))).code).toBe('NOT_PENDING');
    expect(other.deps.store.dump()).toEqual(after);
    expect(other.deps.store.invitations().filter((i) => i.kind === 'license')).toHaveLength(1);
  });

  it('a request made through the builder is decided the same way', async () => {
    const { deps, ada, olive, license, web } = await world();
    const carl = aPerson(deps.store, { displayName: 'Carl', email: 'carl@uni.example' });
    const inv = aProjectInvitation(deps.store, { project: web, invitee: carl, status: 'waiting_for_seat' }).invitation;
    const request = aSeatRequest(deps.store, { invitation: inv });
    const res = await decide(deps, ada, request.id, true);
    expect(res).toMatchObject({ outcome: 'approved', request: { licenseId: license.id, requestedBy: olive.person.id } });
  });
});

describe('revoking a waiting invitation with an open seat request', () => {
  it('revoking is allowed and sends the invitee nothing', async () => {
    const { deps, olive, bob, waiting } = await world();
    await ask(deps, olive, waiting);
    await revokeInvitation({ deps, actor: olive.actor, input: { invitationId: waiting } });
    expect(deps.store.invitation(waiting).status).toBe('revoked');
    expect(deps.store.messagesTo(bob.person.id)).toEqual([]);
  });
});
