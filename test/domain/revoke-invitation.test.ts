import { describe, expect, it } from 'vitest';
import { acceptInvitation, openInvitationLink, removeAdmin, revokeInvitation } from '../../src/domain/index.js';
import { aLicense, anAdmin, aPerson, domainDeps, domainErrorOf, invited } from '../support/test-store.js';

const world = async () => {
  const deps = domainDeps({ settings: { configuredAdmins: ['UROOT'] } });
  const root = aPerson(deps.store, { slackUserId: 'UROOT', displayName: 'Root' });
  const ada = anAdmin(deps.store, { displayName: 'Ada Admin' });
  const ben = anAdmin(deps.store, { displayName: 'Ben Admin' });
  const alice = aPerson(deps.store, { displayName: 'Alice' });
  const mallory = aPerson(deps.store, { displayName: 'Mallory' });
  const license = aLicense(deps.store, { seats: 2 });
  const inv = await invited(deps, ada, alice);
  const usage = () => deps.store.transaction((r) => r.licenses.usage(license.id));
  return { deps, root, ada, ben, alice, mallory, usage, ...inv };
};

describe('revokeInvitation', () => {
  it('a non-admin who did not send it is FORBIDDEN, the invitee included; nothing changes', async () => {
    const { deps, alice, mallory, invitationId } = await world();
    const before = deps.store.dump();
    expect((await domainErrorOf(revokeInvitation({ deps, actor: mallory.actor, input: { invitationId } }))).code).toBe('FORBIDDEN');
    expect((await domainErrorOf(revokeInvitation({ deps, actor: alice.actor, input: { invitationId } }))).code).toBe('FORBIDDEN');
    expect(deps.store.dump()).toEqual(before);
  });

  it('an admin other than the inviter revokes it: the invitee is told, the seat is freed, the link shows it', async () => {
    const { deps, ben, invitationId, token, usage } = await world();
    deps.clock.advance(60_000);
    const n = deps.store.outbox().length;
    const res = await revokeInvitation({ deps, actor: ben.actor, input: { invitationId } });
    expect(res.invitation.status).toBe('revoked');
    expect(deps.store.invitation(invitationId)).toMatchObject({ status: 'revoked', decidedBy: ben.person.id, decidedAt: deps.clock.now() });
    expect(await usage()).toEqual({ occupied: 0, reserved: 0 });
    const fresh = deps.store.outbox().slice(n);
    expect(fresh.map((e) => [e.to, e.message.type])).toEqual([
      [{ type: 'updates' }, 'refresh'],
      [{ type: 'admin_channel' }, 'admin_invitation_event'],
    ]);
    expect(deps.store.announced(invitationId)).toMatchObject({ invitation: { invitationId, status: 'revoked' } });
    expect(fresh[1]!.message).toMatchObject({ event: 'revoked', actorName: 'Ben Admin' });
    expect(deps.store.auditLog().at(-1)).toMatchObject({ action: 'invitation.revoked', subjectId: invitationId, actorPersonId: ben.person.id });
    expect((await openInvitationLink(deps, token))?.status).toBe('revoked');
  });

  it('a configured admin may revoke too', async () => {
    const { deps, root, invitationId } = await world();
    expect((await revokeInvitation({ deps, actor: root.actor, input: { invitationId } })).invitation.status).toBe('revoked');
  });

  it('the inviter may revoke what they sent even after losing admin rights', async () => {
    const { deps, root, ada, invitationId } = await world();
    await removeAdmin({ deps, actor: root.actor, input: { personId: ada.person.id } });
    expect((await revokeInvitation({ deps, actor: ada.actor, input: { invitationId } })).invitation.status).toBe('revoked');
  });

  it('revoking twice is NOT_PENDING, and writes nothing', async () => {
    const { deps, ada, invitationId } = await world();
    await revokeInvitation({ deps, actor: ada.actor, input: { invitationId } });
    const before = deps.store.dump();
    const err = await domainErrorOf(revokeInvitation({ deps, actor: ada.actor, input: { invitationId } }));
    expect(err.code).toBe('NOT_PENDING');
    expect(err.details).toEqual({ status: 'revoked' });
    expect(deps.store.dump()).toEqual(before);
  });

  it('an accepted invitation cannot be revoked: the seat stays', async () => {
    const { deps, ada, alice, invitationId, usage } = await world();
    await acceptInvitation({ deps, actor: alice.actor, input: { invitationId } });
    expect((await domainErrorOf(revokeInvitation({ deps, actor: ada.actor, input: { invitationId } }))).code).toBe('NOT_PENDING');
    expect(await usage()).toEqual({ occupied: 1, reserved: 0 });
  });

  it('a revoked invitation can no longer be accepted', async () => {
    const { deps, ada, alice, invitationId } = await world();
    await revokeInvitation({ deps, actor: ada.actor, input: { invitationId } });
    expect((await domainErrorOf(acceptInvitation({ deps, actor: alice.actor, input: { invitationId } }))).code).toBe('NOT_PENDING');
    expect(deps.store.seats()).toEqual([]);
  });
});
