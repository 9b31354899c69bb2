import { describe, expect, it } from 'vitest';
import { acceptInvitation } from '../../src/domain/index.js';
import { aLicense, anAdmin, aPerson, domainDeps, domainErrorOf, invited, T0 } from '../support/test-store.js';
import { statusSeenBy } from '../support/status.js';

const world = async () => {
  const deps = domainDeps();
  const ada = anAdmin(deps.store, { displayName: 'Ada Admin' });
  const alice = aPerson(deps.store, { displayName: 'Alice', email: 'Alice@uni.example' });
  const mallory = aPerson(deps.store, { displayName: 'Mallory' });
  aLicense(deps.store, { name: 'Campus', seats: 5 });
  aLicense(deps.store, { name: 'Lab', seats: 5 });
  const campus = await invited(deps, ada, alice, { licenseName: 'Campus', email: 'ALICE@uni.example' });
  deps.clock.advance(1000);
  await acceptInvitation({ deps, actor: alice.actor, input: { invitationId: campus.invitationId } });
  const lab = await invited(deps, ada, alice, { licenseName: 'Lab' });
  return { deps, ada, alice, mallory, lab };
};

describe('status as diagnose shows it', () => {
  it('anyone may look at themselves', async () => {
    const { deps, alice, lab } = await world();
    const s = await statusSeenBy({ deps, actor: alice.actor, input: {} });
    expect(s.self).toBe(true);
    expect(s.isAdmin).toBe(false);
    expect(s.person.id).toBe(alice.person.id);
    expect(s.seats).toEqual([{ licenseName: 'Campus', email: 'Alice@uni.example', since: T0 + 1000, handoff: 'awaiting' }]);
    expect(s.pending.map((p) => [p.invitationId, p.licenseName, p.status])).toEqual([[lab.invitationId, 'Lab', 'pending']]);
    // naming oneself explicitly is the same
    expect((await statusSeenBy({ deps, actor: alice.actor, input: { personId: alice.person.id } })).self).toBe(true);
  });

  it('a non-admin looking at someone else is FORBIDDEN, even for someone unknown', async () => {
    const { deps, alice, mallory } = await world();
    const err = await domainErrorOf(statusSeenBy({ deps, actor: mallory.actor, input: { personId: alice.person.id } }));
    expect(err.code).toBe('FORBIDDEN');
    expect(JSON.stringify(err)).not.toContain('Campus');
    expect((await domainErrorOf(statusSeenBy({ deps, actor: mallory.actor, input: { personId: 999 } }))).code).toBe('FORBIDDEN');
  });

  it('an admin may look at anyone: their seats and pending invitations', async () => {
    const { deps, ada, alice, lab } = await world();
    const s = await statusSeenBy({ deps, actor: ada.actor, input: { personId: alice.person.id } });
    expect(s.self).toBe(false);
    expect(s.person.id).toBe(alice.person.id);
    expect(s.seats.map((x) => x.licenseName)).toEqual(['Campus']);
    expect(s.pending.map((p) => p.invitationId)).toEqual([lab.invitationId]);
    expect((await statusSeenBy({ deps, actor: ada.actor, input: {} })).isAdmin).toBe(true);
    expect((await domainErrorOf(statusSeenBy({ deps, actor: ada.actor, input: { personId: 999 } }))).code).toBe('NOT_FOUND');
  });

  it('answered invitations are not listed as pending', async () => {
    const { deps, alice, lab } = await world();
    await deps.store.transaction((r) => r.invitations.transition(lab.invitationId, 'pending', { status: 'revoked' }));
    expect((await statusSeenBy({ deps, actor: alice.actor, input: {} })).pending).toEqual([]);
  });

  it('writes nothing', async () => {
    const { deps, ada, alice } = await world();
    const before = deps.store.dump();
    await statusSeenBy({ deps, actor: ada.actor, input: { personId: alice.person.id } });
    await statusSeenBy({ deps, actor: alice.actor, input: {} });
    expect(deps.store.dump()).toEqual(before);
  });
});
