import { describe, expect, it } from 'vitest';
import {
  acceptInvitation,
  declineInvitation,
  hashToken,
  openInvitationLink,
  revokeInvitation,
  shareProject,
  type Project,
} from '../../src/domain/index.js';
import { projectSnapshotOf } from '../../src/domain/snapshot.js';
import {
  aLicense,
  anAdmin,
  anEmailOnlyPerson,
  aPerson,
  aProject,
  aProjectInvitation,
  aSeat,
  audited,
  DAY_MS,
  domainDeps,
  domainErrorOf,
  invited,
  T0,
  tokenOf,
  type Someone,
  type TestDeps,
} from '../support/test-store.js';

const DESKTOP_LINK = 'https://cloud.atlasti.com/share/diaries.atlasti';

const world = () => {
  const deps = domainDeps();
  const ada = anAdmin(deps.store, { displayName: 'Ada Admin', email: 'ada@uni.example' });
  const olive = aPerson(deps.store, { displayName: 'Olive', email: 'olive@uni.example' });
  const alice = aPerson(deps.store, { displayName: 'Alice', email: 'Alice.Smith@uni.example' });
  const bob = aPerson(deps.store, { displayName: 'Bob', email: 'Bob@uni.example' });
  const mallory = aPerson(deps.store, { displayName: 'Mallory', email: 'mallory@uni.example' });
  const license = aLicense(deps.store, { name: 'Campus', seats: 5 });
  aSeat(deps.store, { license, person: olive });
  aSeat(deps.store, { license, person: alice });
  const web = aProject(deps.store, { owner: olive, name: 'Panel', edition: 'web' });
  const desktop = aProject(deps.store, { owner: olive, name: 'Diaries', edition: 'desktop' });
  return { deps, ada, olive, alice, bob, mallory, license, web, desktop };
};

/** Shares one project with one person through the real verb; the invitation id and its latest token (if one was sent). */
async function shareOne(deps: TestDeps, sharer: Someone, project: Project, invitee: Someone, email?: string): Promise<number> {
  const res = await shareProject({
    deps,
    actor: sharer.actor,
    input: {
      project: { id: project.id },
      ...(project.edition === 'desktop' ? { desktopLink: DESKTOP_LINK } : {}),
      invitees: [{ personId: invitee.person.id, ...(email ? { email } : {}) }],
    },
  });
  const o = res.outcomes[0]!;
  if (!('invitationId' in o)) throw new Error(`not shared: ${o.status}`);
  return o.invitationId;
}

const tokensFor = (deps: TestDeps, invitationId: number) =>
  deps.store
    .outbox()
    .flatMap((e) =>
      (e.message.type === 'project_invitation' || e.message.type === 'forward_link') && e.message.invitation.invitationId === invitationId ? [tokenOf(e.message.link)] : [],
    );

const accept = (deps: TestDeps, who: Someone, invitationId: number) => acceptInvitation({ deps, actor: who.actor, input: { invitationId } });

describe('acceptInvitation (project)', () => {
  it('only the invitee may accept: not the owner, not an admin, not a stranger; nothing changes', async () => {
    const { deps, ada, olive, alice, mallory, web } = world();
    const id = await shareOne(deps, olive, web, alice);
    const before = deps.store.dump();
    for (const who of [mallory, olive, ada]) {
      expect((await domainErrorOf(accept(deps, who, id))).code).toBe('NOT_INVITEE');
    }
    expect(deps.store.dump()).toEqual(before);
  });

  it('Web: the invitee becomes a member; they and the owner are told; no seat is touched', async () => {
    const { deps, olive, alice, web } = world();
    const id = await shareOne(deps, olive, web, alice);
    const seatsBefore = deps.store.seats();
    deps.clock.advance(DAY_MS);
    const now = deps.clock.now();
    const n = deps.store.outbox().length;
    const res = await accept(deps, alice, id);
    expect(res.outcome).toBe('project_accepted');
    expect(res.invitation).toMatchObject({ kind: 'project', invitationId: id, status: 'accepted', edition: 'web', projectName: 'Panel', desktopLink: null });
    expect(deps.store.invitation(id)).toMatchObject({ status: 'accepted', decidedAt: now, decidedBy: alice.person.id });
    expect(deps.store.projectAccess()).toEqual([
      { id: 1, projectId: web.id, personId: alice.person.id, email: 'Alice.Smith@uni.example', kind: 'member', invitationId: id, createdAt: now, handoff: 'awaiting', handedOverAt: null, handedOverBy: null },
    ]);
    expect(deps.store.seats()).toEqual(seatsBefore);
    const fresh = deps.store.outbox().slice(n);
    expect(fresh.map((e) => [e.to, e.message.type])).toEqual([
      [{ type: 'updates' }, 'refresh'],
      [{ type: 'person', personId: olive.person.id }, 'project_owner_event'],
    ]);
    expect(deps.store.announced(id)).toMatchObject({ invitation: { invitationId: id, status: 'accepted' } });
    expect(fresh[1]!.message).toMatchObject({ event: 'accepted', invitation: { invitationId: id, status: 'accepted', inviteeName: 'Alice', desktopLink: null } });
    expect(audited(deps.store, 'invitation.accepted')).toMatchObject([
      { subjectType: 'invitation', subjectId: id, actorPersonId: alice.person.id, at: now, details: { projectId: web.id, access: 'member' } },
    ]);
  });

  it('Desktop: the invitee gets a copy and the link, in the answer and their own DM only; the owner is told without it', async () => {
    const { deps, olive, alice, desktop } = world();
    const id = await shareOne(deps, olive, desktop, alice);
    expect(JSON.stringify(deps.store.outbox())).not.toContain(DESKTOP_LINK);
    const n = deps.store.outbox().length;
    const res = await accept(deps, alice, id);
    expect(res.outcome).toBe('project_accepted');
    expect(res.invitation).toMatchObject({ edition: 'desktop', status: 'accepted', desktopLink: DESKTOP_LINK });
    expect(deps.store.projectAccess()).toMatchObject([{ projectId: desktop.id, personId: alice.person.id, kind: 'copy', invitationId: id }]);

    const fresh = deps.store.outbox().slice(n);
    const owner = fresh.find((e) => e.message.type === 'project_owner_event');
    // the invitee's own messages are updated to the accepted state, with the link (restate.ts keeps it from everyone else's)
    expect(deps.store.announced(id)).toMatchObject({ invitation: { status: 'accepted', desktopLink: DESKTOP_LINK } });
    expect(owner?.to).toEqual({ type: 'person', personId: olive.person.id });
    expect(owner?.message).toMatchObject({ event: 'accepted', invitation: { status: 'accepted', desktopLink: null } });
    // no queued message carries the link: the invitee's DM gets it when it is brought up to date
    expect(deps.store.outbox().filter((e) => JSON.stringify(e.message).includes(DESKTOP_LINK))).toEqual([]);
    expect(audited(deps.store, 'invitation.accepted')[0]?.details).toEqual({ projectId: desktop.id, access: 'copy' });
    // the link page shows the invitation, never the link
    expect(JSON.stringify(deps.store.dump().audit)).not.toContain(DESKTOP_LINK);
  });

  it('a second accept is project_already_accepted and writes nothing (the invitee sees their link again)', async () => {
    const { deps, olive, alice, desktop } = world();
    const id = await shareOne(deps, olive, desktop, alice);
    await accept(deps, alice, id);
    const before = deps.store.dump();
    deps.clock.advance(1000);
    const again = await accept(deps, alice, id);
    expect(again).toMatchObject({ outcome: 'project_already_accepted', invitation: { status: 'accepted', desktopLink: DESKTOP_LINK } });
    expect(deps.store.dump()).toEqual(before);
    expect(deps.store.projectAccess()).toHaveLength(1);
  });

  it('past its expiry: project_expired, marked expired, the invitee is told, no access', async () => {
    const { deps, olive, alice, desktop } = world();
    const id = await shareOne(deps, olive, desktop, alice);
    const expiresAt = deps.store.invitation(id).expiresAt;
    deps.clock.set(expiresAt);
    const n = deps.store.outbox().length;
    const res = await accept(deps, alice, id);
    expect(res).toMatchObject({ outcome: 'project_expired', invitation: { status: 'expired', desktopLink: null } });
    expect(deps.store.invitation(id)).toMatchObject({ status: 'expired', decidedAt: expiresAt });
    expect(deps.store.projectAccess()).toEqual([]);
    const fresh = deps.store.outbox().slice(n);
    expect(fresh.map((e) => [e.to, e.message.type])).toEqual([[{ type: 'updates' }, 'refresh']]);
    expect(deps.store.announced(id)).toMatchObject({ invitation: { invitationId: id, kind: 'project', status: 'expired' } });
    expect(audited(deps.store, 'invitation.expired')).toMatchObject([{ subjectId: id }]);
    // and afterwards it stays expired
    const err = await domainErrorOf(accept(deps, alice, id));
    expect(err.code).toBe('NOT_PENDING');
    expect(err.details).toEqual({ status: 'expired' });
  });

  it('works up to the last moment before expiry', async () => {
    const { deps, olive, alice, web } = world();
    const id = await shareOne(deps, olive, web, alice);
    deps.clock.set(deps.store.invitation(id).expiresAt - 1);
    expect((await accept(deps, alice, id)).outcome).toBe('project_accepted');
  });

  it('an invitee who no longer holds a seat: project_needs_seat, nothing changes; with a seat again, it works', async () => {
    const { deps, olive, alice, license, web } = world();
    const id = await shareOne(deps, olive, web, alice);
    deps.store.sql("UPDATE seats SET status = 'released' WHERE person_id = ?", alice.person.id);
    const before = deps.store.dump();
    const res = await accept(deps, alice, id);
    expect(res).toMatchObject({ outcome: 'project_needs_seat', invitation: { invitationId: id, status: 'pending' } });
    expect(deps.store.dump()).toEqual(before);

    aSeat(deps.store, { license, person: alice });
    expect((await accept(deps, alice, id)).outcome).toBe('project_accepted');
  });

  it('a seat under the invited email in another letter case does not count', async () => {
    const { deps, alice, web } = world();
    const { invitation } = aProjectInvitation(deps.store, { project: web, invitee: alice, email: 'alice.smith@uni.example' });
    const before = deps.store.dump();
    expect((await accept(deps, alice, invitation.id)).outcome).toBe('project_needs_seat');
    expect(deps.store.dump()).toEqual(before);
  });

  it('a seat in any pool counts, as long as the email is exact', async () => {
    const { deps, olive, bob, web } = world();
    const lab = aLicense(deps.store, { name: 'Lab', seats: 1 });
    aSeat(deps.store, { license: lab, person: bob });
    const id = await shareOne(deps, olive, web, bob);
    expect((await accept(deps, bob, id)).outcome).toBe('project_accepted');
  });

  it('one waiting for a seat, declined or revoked cannot be accepted: NOT_PENDING, nothing written', async () => {
    const { deps, alice, bob, web, desktop } = world();
    const waiting = aProjectInvitation(deps.store, { project: web, invitee: bob, status: 'waiting_for_seat' }).invitation;
    const declined = aProjectInvitation(deps.store, { project: desktop, invitee: alice, status: 'declined' }).invitation;
    const revoked = aProjectInvitation(deps.store, { project: web, invitee: alice, status: 'revoked' }).invitation;
    const before = deps.store.dump();
    for (const [who, inv] of [[bob, waiting], [alice, declined], [alice, revoked]] as const) {
      const err = await domainErrorOf(accept(deps, who, inv.id));
      expect(err.code).toBe('NOT_PENDING');
      expect(err.details).toEqual({ status: inv.status });
    }
    expect(deps.store.dump()).toEqual(before);
  });
});

describe('projectSnapshotOf', () => {
  it('carries the Desktop link only when asked to reveal it', async () => {
    const { deps, olive, alice, desktop } = world();
    const { invitation } = aProjectInvitation(deps.store, { project: desktop, invitee: alice, desktopLink: DESKTOP_LINK, message: 'hi' });
    const hidden = await deps.store.transaction((r) => projectSnapshotOf(r, invitation));
    const shown = await deps.store.transaction((r) => projectSnapshotOf(r, invitation, true));
    expect(hidden).toEqual({
      kind: 'project',
      invitationId: invitation.id,
      status: 'pending',
      projectId: desktop.id,
      projectName: 'Diaries',
      edition: 'desktop',
      ownerName: 'Olive',
      inviterName: 'Olive',
      inviteeName: 'Alice',
      inviteeEmail: 'Alice.Smith@uni.example',
      message: 'hi',
      expiresAt: T0 + 14 * DAY_MS,
      desktopLink: null,
    });
    expect(shown).toEqual({ ...hidden, desktopLink: DESKTOP_LINK });
    expect(olive.person.id).toBe(desktop.ownerId);
  });
});

describe('declineInvitation (project)', () => {
  it('the invitee declines: their DM is updated and the owner is told (also when an admin sent it)', async () => {
    const { deps, ada, olive, alice, desktop } = world();
    const id = await shareOne(deps, ada, desktop, alice);
    deps.clock.advance(5000);
    const n = deps.store.outbox().length;
    const res = await declineInvitation({ deps, actor: alice.actor, input: { invitationId: id } });
    expect(res.invitation).toMatchObject({ kind: 'project', status: 'declined', desktopLink: null });
    expect(deps.store.invitation(id)).toMatchObject({ status: 'declined', decidedBy: alice.person.id, decidedAt: T0 + 5000 });
    const fresh = deps.store.outbox().slice(n);
    expect(fresh.map((e) => [e.to, e.message.type])).toEqual([
      [{ type: 'updates' }, 'refresh'],
      [{ type: 'person', personId: olive.person.id }, 'project_owner_event'],
    ]);
    expect(deps.store.announced(id)).toMatchObject({ invitation: { status: 'declined', desktopLink: null } });
    expect(fresh[1]!.message).toMatchObject({ event: 'declined', invitation: { invitationId: id, status: 'declined', desktopLink: null } });
    expect(JSON.stringify(fresh)).not.toContain(DESKTOP_LINK);
    expect(deps.store.projectAccess()).toEqual([]);
    expect(audited(deps.store, 'invitation.declined')).toMatchObject([{ subjectId: id, actorPersonId: alice.person.id }]);
    expect((await domainErrorOf(accept(deps, alice, id))).code).toBe('NOT_PENDING');
  });

  it('only the invitee may decline; one waiting for a seat cannot be declined (it was never sent)', async () => {
    const { deps, olive, alice, bob, mallory, web } = world();
    const id = await shareOne(deps, olive, web, alice);
    const waiting = await shareOne(deps, olive, web, bob);
    const before = deps.store.dump();
    expect((await domainErrorOf(declineInvitation({ deps, actor: mallory.actor, input: { invitationId: id } }))).code).toBe('NOT_INVITEE');
    expect((await domainErrorOf(declineInvitation({ deps, actor: olive.actor, input: { invitationId: id } }))).code).toBe('NOT_INVITEE');
    expect((await domainErrorOf(declineInvitation({ deps, actor: bob.actor, input: { invitationId: waiting } }))).code).toBe('NOT_PENDING');
    expect(deps.store.dump()).toEqual(before);
  });

  it('an overdue project invitation expires as a project invitation: the invitee DM is updated with a project snapshot', async () => {
    const { deps, olive, alice, desktop } = world();
    const id = await shareOne(deps, olive, desktop, alice);
    deps.clock.set(deps.store.invitation(id).expiresAt + 1);
    const n = deps.store.outbox().length;
    expect((await domainErrorOf(declineInvitation({ deps, actor: alice.actor, input: { invitationId: id } }))).code).toBe('EXPIRED');
    expect(deps.store.invitation(id).status).toBe('expired');
    const fresh = deps.store.outbox().slice(n);
    // the invitee's DM is updated as a project; whoever shared it gets Re-invite / Drop
    expect(fresh.map((e) => [e.to, e.message.type])).toEqual([
      [{ type: 'updates' }, 'refresh'],
      [{ type: 'person', personId: olive.person.id }, 'expired_notice'],
    ]);
    expect(deps.store.announced(id)).toMatchObject({ invitation: { kind: 'project', invitationId: id, projectName: 'Diaries', status: 'expired' } });
    expect(fresh[1]!.message).toMatchObject({ items: [{ invitation: { kind: 'project', invitationId: id, status: 'expired' } }] });
  });
});

describe('project invitations waiting for a seat', () => {
  it('accepting a seat under exactly the invited email sends the waiting invitation, with a fresh link and expiry; the owner hears', async () => {
    const { deps, ada, olive, bob, desktop } = world();
    const id = await shareOne(deps, olive, desktop, bob);
    const waiting = deps.store.invitation(id);
    expect(waiting.status).toBe('waiting_for_seat');
    expect(deps.store.messagesTo(bob.person.id)).toEqual([]);

    const seat = await invited(deps, ada, bob, { email: 'Bob@uni.example' });
    deps.clock.advance(3 * DAY_MS);
    const now = deps.clock.now();
    const n = deps.store.outbox().length;
    expect((await accept(deps, bob, seat.invitationId)).outcome).toBe('accepted');

    const after = deps.store.invitation(id);
    expect(after).toMatchObject({ status: 'pending', sentAt: now, expiresAt: now + 14 * DAY_MS, inviteeEmail: 'Bob@uni.example' });
    expect(after.tokenHash).not.toBe(waiting.tokenHash);

    const fresh = deps.store.outbox().slice(n);
    expect(fresh.map((e) => [e.to, e.message.type])).toEqual([
      [{ type: 'updates' }, 'refresh'],
      [{ type: 'admin_channel' }, 'admin_invitation_event'],
      [{ type: 'person', personId: bob.person.id }, 'project_invitation'],
      [{ type: 'updates' }, 'refresh'],
      [{ type: 'person', personId: olive.person.id }, 'project_owner_event'],
    ]);
    expect(fresh[2]!.message).toMatchObject({
      resent: false,
      invitation: { invitationId: id, status: 'pending', projectName: 'Diaries', desktopLink: null, expiresAt: now + 14 * DAY_MS },
    });
    expect(deps.store.announced(id)).toMatchObject({ invitation: { status: 'pending', expiresAt: now + 14 * DAY_MS } });
    expect(fresh[4]!.message).toMatchObject({ event: 'sent_after_seat', invitation: { invitationId: id, status: 'pending', desktopLink: null } });
    const [token] = tokensFor(deps, id);
    expect(hashToken(token!)).toBe(after.tokenHash);
    expect((await openInvitationLink(deps, token!))?.status).toBe('pending');
    expect(audited(deps.store, 'invitation.sent_after_seat')).toMatchObject([{ subjectId: id, actorPersonId: bob.person.id, at: now }]);

    // and now it can be accepted
    const res = await accept(deps, bob, id);
    expect(res).toMatchObject({ outcome: 'project_accepted', invitation: { desktopLink: DESKTOP_LINK } });
  });

  it('a seat under the email in another letter case: the invitation keeps waiting and the owner is told which email the seat has', async () => {
    const { deps, ada, olive, bob, web } = world();
    const id = await shareOne(deps, olive, web, bob);
    const waiting = deps.store.invitation(id);
    // a seat recorded under another spelling (typed for someone chat does not report an email for)
    deps.store.sql('UPDATE people SET email = NULL WHERE id = ?', bob.person.id);
    const seat = await invited(deps, ada, bob, { email: 'bob@uni.example' });
    const n = deps.store.outbox().length;
    expect((await accept(deps, bob, seat.invitationId)).outcome).toBe('accepted');
    expect(deps.store.invitation(id)).toEqual(waiting);
    const fresh = deps.store.outbox().slice(n);
    expect(fresh.map((e) => e.message.type)).not.toContain('project_invitation');
    const owner = fresh.filter((e) => e.message.type === 'project_owner_event');
    expect(owner.map((e) => e.to)).toEqual([{ type: 'person', personId: olive.person.id }]);
    expect(owner[0]!.message).toMatchObject({
      event: 'case_mismatch_after_seat',
      detail: 'bob@uni.example',
      invitation: { invitationId: id, status: 'waiting_for_seat', inviteeEmail: 'Bob@uni.example' },
    });
    expect(audited(deps.store, 'invitation.sent_after_seat')).toEqual([]);
  });

  it('every waiting invitation of that person goes out, each owner told; revoked ones stay revoked', async () => {
    const { deps, ada, olive, bob, web, desktop } = world();
    const pia = aPerson(deps.store, { displayName: 'Pia', email: 'pia@uni.example' });
    const pias = aProject(deps.store, { owner: pia, name: 'Field notes', edition: 'web' });
    const a = await shareOne(deps, olive, web, bob);
    const b = await shareOne(deps, pia, pias, bob);
    const c = await shareOne(deps, olive, desktop, bob);
    await revokeInvitation({ deps, actor: olive.actor, input: { invitationId: c } });
    const seat = await invited(deps, ada, bob);
    const n = deps.store.outbox().length;
    await accept(deps, bob, seat.invitationId);
    expect([a, b, c].map((i) => deps.store.invitation(i).status)).toEqual(['pending', 'pending', 'revoked']);
    const events = deps.store.outbox().slice(n).filter((e) => e.message.type === 'project_owner_event');
    expect(events.map((e) => [e.to, e.message.type === 'project_owner_event' && e.message.invitation.invitationId])).toEqual([
      [{ type: 'person', personId: olive.person.id }, a],
      [{ type: 'person', personId: pia.person.id }, b],
    ]);
    expect(deps.store.messages('project_invitation').map((e) => e.message.invitation.invitationId)).toEqual([a, b]);
  });

  it('when an admin shared it, the owner is told it went out', async () => {
    const { deps, ada, olive, bob, web } = world();
    const id = await shareOne(deps, ada, web, bob);
    const seat = await invited(deps, ada, bob);
    await accept(deps, bob, seat.invitationId);
    const events = deps.store.messages('project_owner_event');
    expect(events.map((e) => [e.to, e.message.event, e.message.invitation.invitationId])).toEqual([[{ type: 'person', personId: olive.person.id }, 'sent_after_seat', id]]);
  });

  it('an invitee not in chat: the fresh link goes to whoever shared it, to forward', async () => {
    const { deps, ada, olive, web } = world();
    const erin = anEmailOnlyPerson(deps.store, 'erin@uni.example');
    const id = await shareOne(deps, olive, web, erin);
    const seat = await invited(deps, ada, erin);
    await accept(deps, erin, seat.invitationId);
    const forwards = deps.store.messages('forward_link').filter((e) => e.message.invitation.invitationId === id);
    expect(forwards.map((e) => e.to)).toEqual([{ type: 'person', personId: olive.person.id }]);
    expect(hashToken(tokenOf(forwards[0]!.message.link))).toBe(deps.store.invitation(id).tokenHash);
    expect(deps.store.invitation(id).status).toBe('pending');
  });
});
