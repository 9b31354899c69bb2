import { describe, expect, it } from 'vitest';
import { declineInvitation } from '../../src/domain/index.js';
import { aLicense, anAdmin, aPerson, domainDeps, domainErrorOf, invited } from '../support/test-store.js';

const world = async (hasAdminChannel = true) => {
  const deps = domainDeps({ settings: { hasAdminChannel } });
  const ada = anAdmin(deps.store, { displayName: 'Ada Admin' });
  const alice = aPerson(deps.store, { displayName: 'Alice' });
  const mallory = aPerson(deps.store);
  const license = aLicense(deps.store, { seats: 2 });
  const { invitationId } = await invited(deps, ada, alice);
  const usage = () => deps.store.transaction((r) => r.licenses.usage(license.id));
  return { deps, ada, alice, mallory, invitationId, usage };
};

describe('declineInvitation', () => {
  it('frees the reserved seat, records who declined, and tells the invitee and the admins', async () => {
    const { deps, alice, invitationId, usage } = await world();
    expect(await usage()).toEqual({ occupied: 0, reserved: 1 });
    deps.clock.advance(5000);
    const n = deps.store.outbox().length;
    const res = await declineInvitation({ deps, actor: alice.actor, input: { invitationId } });
    expect(res.invitation).toMatchObject({ status: 'declined', reserved: 0 });
    expect(await usage()).toEqual({ occupied: 0, reserved: 0 });
    expect(deps.store.invitation(invitationId)).toMatchObject({ status: 'declined', decidedBy: alice.person.id, decidedAt: deps.clock.now() });
    expect(deps.store.auditLog().at(-1)).toMatchObject({ action: 'invitation.declined', subjectId: invitationId, actorPersonId: alice.person.id, at: deps.clock.now() });
    const fresh = deps.store.outbox().slice(n);
    expect(fresh.map((e) => [e.to, e.message.type])).toEqual([
      [{ type: 'updates' }, 'refresh'],
      [{ type: 'admin_channel' }, 'admin_invitation_event'],
    ]);
    expect(deps.store.announced(invitationId)).toMatchObject({ invitation: { status: 'declined' } });
    expect(fresh[1]!.message).toMatchObject({ event: 'declined', actorName: 'Alice' });
  });

  it('past its expiry it can no longer be declined: it is marked expired and the invitee is told', async () => {
    const { deps, alice, invitationId, usage } = await world();
    deps.clock.set(deps.store.invitation(invitationId).expiresAt);
    const err = await domainErrorOf(declineInvitation({ deps, actor: alice.actor, input: { invitationId } }));
    expect(err.code).toBe('EXPIRED');
    expect(deps.store.invitation(invitationId).status).toBe('expired');
    expect(await usage()).toEqual({ occupied: 0, reserved: 0 });
    expect(deps.store.messages('admin_invitation_event').filter((e) => (e.message as { event: string }).event === 'declined')).toHaveLength(0);
  });

  it('without an admin channel the inviter hears of it', async () => {
    const { deps, ada, alice, invitationId } = await world(false);
    await declineInvitation({ deps, actor: alice.actor, input: { invitationId } });
    expect(deps.store.messagesTo(ada.person.id).at(-1)?.message).toMatchObject({ type: 'admin_invitation_event', event: 'declined' });
  });

  it('only the invitee may decline', async () => {
    const { deps, ada, mallory, invitationId } = await world();
    const before = deps.store.dump();
    expect((await domainErrorOf(declineInvitation({ deps, actor: mallory.actor, input: { invitationId } }))).code).toBe('NOT_INVITEE');
    expect((await domainErrorOf(declineInvitation({ deps, actor: ada.actor, input: { invitationId } }))).code).toBe('NOT_INVITEE');
    expect(deps.store.dump()).toEqual(before);
  });

  it('declining twice is NOT_PENDING', async () => {
    const { deps, alice, invitationId } = await world();
    await declineInvitation({ deps, actor: alice.actor, input: { invitationId } });
    const before = deps.store.dump();
    expect((await domainErrorOf(declineInvitation({ deps, actor: alice.actor, input: { invitationId } }))).code).toBe('NOT_PENDING');
    expect(deps.store.dump()).toEqual(before);
  });
});
