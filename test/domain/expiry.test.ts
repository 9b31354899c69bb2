/**
 * An invitation past its expiry while its stored status is still 'pending' (no sweep has marked it).
 * isExpired() says such an invitation "is expired, whether or not the sweep has marked it yet", and
 * the link page, accept and resend all treat it so. These tests check that inviting does too.
 */
import { describe, expect, it } from 'vitest';
import { inviteToLicense, resendInvitation } from '../../src/domain/index.js';
import { aLicense, anAdmin, aPerson, domainDeps, domainErrorOf, invited } from '../support/test-store.js';

const world = async (seats: number) => {
  const deps = domainDeps();
  const ada = anAdmin(deps.store);
  const alice = aPerson(deps.store);
  const bob = aPerson(deps.store);
  aLicense(deps.store, { name: 'Campus', seats });
  const first = await invited(deps, ada, alice);
  deps.clock.set(deps.store.invitation(first.invitationId).expiresAt + 1);
  return { deps, ada, alice, bob, first };
};

describe('an expired invitation that no sweep has marked yet', () => {
  it('resend says to invite again, and inviting again sends a new invitation (not already_pending)', async () => {
    const { deps, ada, alice, first } = await world(5);
    const err = await domainErrorOf(resendInvitation({ deps, actor: ada.actor, input: { invitationId: first.invitationId } }));
    expect(err.code).toBe('EXPIRED');
    expect(err.userMessage).toMatch(/Invite the person again/);

    const res = await inviteToLicense({ deps, actor: ada.actor, input: { invitees: [{ personId: alice.person.id }] } });
    expect(res.outcomes[0]?.status).toBe('invited');
  });

  it('no longer holds a seat: another person can be invited to a one-seat pool', async () => {
    const { deps, ada, bob } = await world(1);
    const res = await inviteToLicense({ deps, actor: ada.actor, input: { invitees: [{ personId: bob.person.id }] } });
    expect(res.outcomes[0]?.status).toBe('invited');
  });
});
