import { describe, expect, it } from 'vitest';
import {
  CONFIRMATION_COOLDOWN_MS, declineInvitation, inviteeOfLink, mintToken, openInvitationLink, requestAcceptConfirmation,
} from '../../src/domain/index.js';
import { aLicense, anAdmin, anEmailOnlyPerson, aPerson, domainDeps, invited, T0 } from '../support/test-store.js';

const world = async () => {
  const deps = domainDeps();
  const ada = anAdmin(deps.store, { displayName: 'Ada Admin' });
  const alice = aPerson(deps.store, { displayName: 'Alice', email: 'alice@uni.example' });
  aLicense(deps.store, { name: 'Campus', seats: 5 });
  const inv = await invited(deps, ada, alice, { email: 'Alice@Uni.example' });
  return { deps, ada, alice, ...inv };
};

describe('openInvitationLink', () => {
  it('shows the invitation for its token, and writes nothing', async () => {
    const { deps, alice, invitationId, token } = await world();
    const before = deps.store.dump();
    const page = await openInvitationLink(deps, token);
    expect(page).toMatchObject({
      status: 'pending',
      inviteeReachable: true,
      // typed Alice@Uni.example: the invitation is for the account email chat reports
      inviteeEmail: 'alice@uni.example',
      invitation: { invitationId, licenseName: 'Campus', inviterName: 'Ada Admin', inviteeName: 'Alice', status: 'pending', seats: 5, reserved: 1 },
    });
    expect((await inviteeOfLink(deps, token))?.id).toBe(alice.person.id);
    expect(deps.store.dump()).toEqual(before);
  });

  it.each([
    ['empty', ''],
    ['short', 'abc'],
    ['one too long', 'A'.repeat(44)],
    ['one too short', 'A'.repeat(42)],
    ['not base64url', `${'A'.repeat(42)}+`],
    ['with a slash', `${'A'.repeat(42)}/`],
    ['with a newline', `${'A'.repeat(43)}\n`],
    ['a path', '../../etc/passwd'],
  ])('a malformed token (%s) shows nothing', async (_label, bad) => {
    const { deps } = await world();
    expect(await openInvitationLink(deps, bad)).toBeUndefined();
    expect(await inviteeOfLink(deps, bad)).toBeUndefined();
  });

  it('a well-formed but unknown token shows nothing', async () => {
    const { deps } = await world();
    expect(await openInvitationLink(deps, mintToken().token)).toBeUndefined();
  });

  it('the stored hash is not a token: presenting it shows nothing', async () => {
    const { deps, invitationId } = await world();
    expect(await openInvitationLink(deps, deps.store.invitation(invitationId).tokenHash)).toBeUndefined();
  });

  it('a pending invitation past its expiry shows as expired', async () => {
    const { deps, invitationId, token } = await world();
    const { expiresAt } = deps.store.invitation(invitationId);
    deps.clock.set(expiresAt - 1);
    expect((await openInvitationLink(deps, token))?.status).toBe('pending');
    deps.clock.set(expiresAt);
    const page = await openInvitationLink(deps, token);
    expect(page?.status).toBe('expired');
    // opening it does not change the stored status; only an action does
    expect(deps.store.invitation(invitationId).status).toBe('pending');
  });

  it('an email-only invitee is shown as not reachable', async () => {
    const { deps, ada } = await world();
    const erin = anEmailOnlyPerson(deps.store, 'erin@partner.example');
    const { token } = await invited(deps, ada, erin);
    expect(await openInvitationLink(deps, token)).toMatchObject({ inviteeReachable: false, inviteeEmail: 'erin@partner.example' });
  });
});

describe('requestAcceptConfirmation', () => {
  it('sends one accept_confirmation, to the invitee only, and audits it', async () => {
    const { deps, alice, invitationId, token } = await world();
    deps.clock.advance(60_000);
    const n = deps.store.outbox().length;
    const res = await requestAcceptConfirmation(deps, token);
    expect(res.outcome).toBe('sent');
    const fresh = deps.store.outbox().slice(n);
    expect(fresh).toHaveLength(1);
    expect(fresh[0]!.to).toEqual({ type: 'person', personId: alice.person.id });
    expect(fresh[0]!.message).toMatchObject({ type: 'accept_confirmation', invitation: { invitationId } });
    expect(deps.store.invitation(invitationId).confirmRequestedAt).toBe(T0 + 60_000);
    expect(deps.store.auditLog().at(-1)).toMatchObject({ action: 'invitation.confirmation_requested', subjectId: invitationId, platform: 'system', actorPersonId: null });
    // it asks; it does not accept
    expect(deps.store.invitation(invitationId).status).toBe('pending');
    expect(deps.store.seats()).toEqual([]);
  });

  it('a second request within the cooldown is recently_sent and sends nothing; after it, another is sent', async () => {
    const { deps, token } = await world();
    expect((await requestAcceptConfirmation(deps, token)).outcome).toBe('sent');
    deps.clock.advance(CONFIRMATION_COOLDOWN_MS - 1);
    const before = deps.store.dump();
    expect((await requestAcceptConfirmation(deps, token)).outcome).toBe('recently_sent');
    expect(deps.store.dump()).toEqual(before);
    deps.clock.advance(1);
    expect((await requestAcceptConfirmation(deps, token)).outcome).toBe('sent');
    expect(deps.store.messages('accept_confirmation')).toHaveLength(2);
  });

  it('an invitee who cannot be reached in chat is not_reachable; nothing is sent to anyone', async () => {
    const { deps, ada } = await world();
    const erin = anEmailOnlyPerson(deps.store, 'erin@partner.example');
    const { token } = await invited(deps, ada, erin);
    const before = deps.store.dump();
    expect((await requestAcceptConfirmation(deps, token)).outcome).toBe('not_reachable');
    expect(deps.store.dump()).toEqual(before);
  });

  it('an answered invitation is not_pending', async () => {
    const { deps, alice, invitationId, token } = await world();
    await declineInvitation({ deps, actor: alice.actor, input: { invitationId } });
    const before = deps.store.dump();
    const res = await requestAcceptConfirmation(deps, token);
    expect(res.outcome).toBe('not_pending');
    if (res.outcome === 'not_pending') expect(res.page.status).toBe('declined');
    expect(deps.store.dump()).toEqual(before);
  });

  it('an invitation past its expiry is not_pending, before any sweep marked it', async () => {
    const { deps, invitationId, token } = await world();
    deps.clock.set(deps.store.invitation(invitationId).expiresAt);
    const before = deps.store.dump();
    expect((await requestAcceptConfirmation(deps, token)).outcome).toBe('not_pending');
    expect(deps.store.dump()).toEqual(before);
  });

  it('an unknown or malformed token is not_found', async () => {
    const { deps } = await world();
    const before = deps.store.dump();
    expect(await requestAcceptConfirmation(deps, mintToken().token)).toEqual({ outcome: 'not_found' });
    expect(await requestAcceptConfirmation(deps, 'nope')).toEqual({ outcome: 'not_found' });
    expect(deps.store.dump()).toEqual(before);
  });
});
