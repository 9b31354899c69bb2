import { describe, expect, it } from 'vitest';
import { RESEND_COOLDOWN_MS, openInvitationLink, resendInvitation } from '../../src/domain/index.js';
import { aLicense, anAdmin, anEmailOnlyPerson, aPerson, DAY_MS, domainDeps, domainErrorOf, invited, latestLink, T0 } from '../support/test-store.js';

const world = async () => {
  const deps = domainDeps();
  const ada = anAdmin(deps.store, { displayName: 'Ada Admin' });
  const ben = anAdmin(deps.store, { displayName: 'Ben Admin' });
  const alice = aPerson(deps.store, { displayName: 'Alice' });
  const mallory = aPerson(deps.store);
  aLicense(deps.store, { seats: 3 });
  const inv = await invited(deps, ada, alice);
  return { deps, ada, ben, alice, mallory, ...inv };
};

describe('resendInvitation', () => {
  it('mints a new token: the old link stops working, the new one works', async () => {
    const { deps, ada, alice, invitationId, token: oldToken } = await world();
    const oldHash = deps.store.invitation(invitationId).tokenHash;
    expect((await openInvitationLink(deps, oldToken))?.invitation.invitationId).toBe(invitationId);
    deps.clock.advance(DAY_MS);

    const res = await resendInvitation({ deps, actor: ada.actor, input: { invitationId } });
    expect(res).toMatchObject({ reachable: true, invitation: { invitationId, status: 'pending' } });
    const { token: newToken, entry } = latestLink(deps.store, invitationId);
    expect(newToken).not.toBe(oldToken);
    expect(newToken).toHaveLength(43);
    expect(entry.to).toEqual({ type: 'person', personId: alice.person.id });
    expect(entry.message).toMatchObject({ type: 'license_invitation', resent: true });

    expect(await openInvitationLink(deps, oldToken)).toBeUndefined();
    expect((await openInvitationLink(deps, newToken))?.invitation.invitationId).toBe(invitationId);
    const inv = deps.store.invitation(invitationId);
    expect(inv.tokenHash).not.toBe(oldHash);
    expect(inv.sentAt).toBe(T0 + DAY_MS);
    expect(JSON.stringify(inv)).not.toContain(newToken);
    expect(deps.store.auditLog().at(-1)).toMatchObject({ action: 'invitation.resent', subjectId: invitationId, actorPersonId: ada.person.id, at: T0 + DAY_MS });
    expect(deps.store.messagesToAdminChannel().at(-1)?.message).toMatchObject({ event: 'resent', actorName: 'Ada Admin' });
    // still one invitation, still one reserved seat
    expect(deps.store.invitations()).toHaveLength(1);
  });

  it('an expired invitation is EXPIRED: it is marked so (its seat freed, the invitee told) and no new link is made', async () => {
    const { deps, ada, invitationId, token } = await world();
    deps.clock.set(deps.store.invitation(invitationId).expiresAt);
    const hashBefore = deps.store.invitation(invitationId).tokenHash;
    const err = await domainErrorOf(resendInvitation({ deps, actor: ada.actor, input: { invitationId } }));
    expect(err.code).toBe('EXPIRED');
    expect(deps.store.invitation(invitationId)).toMatchObject({ status: 'expired', tokenHash: hashBefore });
    expect(deps.store.auditLog().at(-1)).toMatchObject({ action: 'invitation.expired', subjectId: invitationId });
    expect(deps.store.messages('license_invitation')).toHaveLength(1);
    expect(deps.store.announced(invitationId)).toMatchObject({ invitation: { status: 'expired' } });
    expect((await openInvitationLink(deps, token))?.status).toBe('expired');
  });

  it('a non-admin who did not send it is FORBIDDEN', async () => {
    const { deps, mallory, alice, invitationId } = await world();
    const before = deps.store.dump();
    expect((await domainErrorOf(resendInvitation({ deps, actor: mallory.actor, input: { invitationId } }))).code).toBe('FORBIDDEN');
    expect((await domainErrorOf(resendInvitation({ deps, actor: alice.actor, input: { invitationId } }))).code).toBe('FORBIDDEN');
    expect(deps.store.dump()).toEqual(before);
  });

  it('an answered invitation is NOT_PENDING', async () => {
    const { deps, ada, invitationId } = await world();
    await deps.store.transaction((r) => r.invitations.transition(invitationId, 'pending', { status: 'declined' }));
    expect((await domainErrorOf(resendInvitation({ deps, actor: ada.actor, input: { invitationId } }))).code).toBe('NOT_PENDING');
  });

  it('for an email-only invitee, the admin who resends gets the new link to forward', async () => {
    const { deps, ada, ben } = await world();
    const erin = anEmailOnlyPerson(deps.store, 'erin@partner.example');
    const { invitationId, token: oldToken } = await invited(deps, ada, erin);
    deps.clock.advance(RESEND_COOLDOWN_MS);
    const res = await resendInvitation({ deps, actor: ben.actor, input: { invitationId } });
    expect(res.reachable).toBe(false);
    const { token, entry } = latestLink(deps.store, invitationId);
    expect(token).not.toBe(oldToken);
    expect(entry.to).toEqual({ type: 'person', personId: ben.person.id });
    expect(entry.message.type).toBe('forward_link');
    expect(deps.store.messagesTo(erin.person.id)).toEqual([]);
  });

  it('a second resend within a minute (a double click) is refused and sends nothing', async () => {
    const { deps, ada } = await world();
    const erin = anEmailOnlyPerson(deps.store, 'erin2@partner.example');
    const { invitationId } = await invited(deps, ada, erin);
    const before = deps.store.outbox().length;
    const err = await domainErrorOf(resendInvitation({ deps, actor: ada.actor, input: { invitationId } }));
    expect(err.code).toBe('CONFLICT');
    expect(err.userMessage).toContain('was sent a moment ago');
    expect(deps.store.outbox()).toHaveLength(before);
    deps.clock.advance(RESEND_COOLDOWN_MS);
    await resendInvitation({ deps, actor: ada.actor, input: { invitationId } });
    expect(deps.store.outbox().length).toBeGreaterThan(before);
  });
});
