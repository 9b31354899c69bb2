import { describe, expect, it } from 'vitest';
import { acceptInvitation, declineInvitation, type DomainSettings } from '../../src/domain/index.js';
import { actorOf, aLicense, anAdmin, aPerson, DAY_MS, domainDeps, domainErrorOf, invited, T0 } from '../support/test-store.js';

const world = async (opts: { seats?: number; settings?: Partial<DomainSettings> } = {}) => {
  const deps = domainDeps({ settings: opts.settings ?? {} });
  const ada = anAdmin(deps.store, { displayName: 'Ada Admin' });
  const alice = aPerson(deps.store, { displayName: 'Alice', email: 'Alice.Smith@uni.example' });
  const mallory = aPerson(deps.store, { displayName: 'Mallory' });
  const license = aLicense(deps.store, { name: 'Campus', seats: opts.seats ?? 5 });
  const { invitationId } = await invited(deps, ada, alice);
  const usage = () => deps.store.transaction((r) => r.licenses.usage(license.id));
  return { deps, ada, alice, mallory, license, invitationId, usage };
};

describe('acceptInvitation', () => {
  it('only the invitee may accept: anyone else gets NOT_INVITEE and nothing changes', async () => {
    const { deps, ada, mallory, invitationId } = await world();
    const before = deps.store.dump();
    expect((await domainErrorOf(acceptInvitation({ deps, actor: mallory.actor, input: { invitationId } }))).code).toBe('NOT_INVITEE');
    // not even the admin who sent it can accept on the invitee's behalf
    expect((await domainErrorOf(acceptInvitation({ deps, actor: ada.actor, input: { invitationId } }))).code).toBe('NOT_INVITEE');
    expect(deps.store.dump()).toEqual(before);
    expect(deps.store.invitation(invitationId).status).toBe('pending');
  });

  it('occupies a seat bound to the invitation email, with audit rows naming the platform and the actor', async () => {
    const { deps, alice, invitationId, license, usage } = await world();
    deps.clock.advance(DAY_MS);
    const now = deps.clock.now();
    const actor = actorOf(alice.person, 'teams');
    const res = await acceptInvitation({ deps, actor, input: { invitationId } });
    expect(res.outcome).toBe('accepted');
    expect(res.invitation).toMatchObject({ invitationId, status: 'accepted', occupied: 1, reserved: 0, seats: 5 });
    expect(deps.store.invitation(invitationId)).toMatchObject({ status: 'accepted', decidedAt: now, decidedBy: alice.person.id });
    expect(deps.store.seats()).toEqual([
      { id: 1, licenseId: license.id, personId: alice.person.id, email: 'Alice.Smith@uni.example', invitationId, status: 'occupied', occupiedAt: now, handoff: 'awaiting', handedOverAt: null, handedOverBy: null, joinedAt: null, handoffVia: 'admin' },
    ]);
    expect(await usage()).toEqual({ occupied: 1, reserved: 0 });

    const rows = deps.store.auditLog().filter((e) => e.at === now);
    expect(rows).toEqual([
      { at: now, platform: 'teams', actorUserId: actor.userId, actorPersonId: alice.person.id, action: 'invitation.accepted', subjectType: 'invitation', subjectId: invitationId },
      {
        at: now, platform: 'teams', actorUserId: actor.userId, actorPersonId: alice.person.id, action: 'seat.occupied', subjectType: 'seat', subjectId: 1,
        details: { licenseId: license.id, invitationId },
      },
    ]);
  });

  it('brings every message about it up to date (nothing new to the invitee) and posts the admins their to-do', async () => {
    const { deps, alice, invitationId } = await world();
    const n = deps.store.outbox().length;
    await acceptInvitation({ deps, actor: alice.actor, input: { invitationId } });
    const fresh = deps.store.outbox().slice(n);
    expect(fresh.map((e) => [e.to, e.message.type])).toEqual([
      [{ type: 'updates' }, 'refresh'],
      [{ type: 'admin_channel' }, 'admin_invitation_event'],
    ]);
    expect(deps.store.announced(invitationId)).toMatchObject({ invitation: { status: 'accepted', handoff: 'awaiting' } });
    expect(fresh[1]!.message).toMatchObject({ event: 'accepted', actorName: 'Alice', invitation: { status: 'accepted' } });
  });

  it('a second accept is already_accepted: still one seat, nothing new written', async () => {
    const { deps, alice, invitationId, usage } = await world();
    await acceptInvitation({ deps, actor: alice.actor, input: { invitationId } });
    const before = deps.store.dump();
    deps.clock.advance(1000);
    const again = await acceptInvitation({ deps, actor: alice.actor, input: { invitationId } });
    expect(again.outcome).toBe('already_accepted');
    expect(again.invitation.status).toBe('accepted');
    expect(await usage()).toEqual({ occupied: 1, reserved: 0 });
    expect(deps.store.dump()).toEqual(before);
  });

  it('works up to the last moment before expiry', async () => {
    const { deps, alice, invitationId } = await world();
    deps.clock.set(deps.store.invitation(invitationId).expiresAt - 1);
    expect((await acceptInvitation({ deps, actor: alice.actor, input: { invitationId } })).outcome).toBe('accepted');
  });

  it('after expiry it is expired: the status becomes expired, no seat, the reserved seat goes back', async () => {
    const { deps, alice, invitationId, usage } = await world();
    const { expiresAt } = deps.store.invitation(invitationId);
    expect(expiresAt).toBe(T0 + 14 * DAY_MS);
    deps.clock.set(expiresAt);
    const res = await acceptInvitation({ deps, actor: alice.actor, input: { invitationId } });
    expect(res.outcome).toBe('expired');
    expect(res.invitation.status).toBe('expired');
    expect(deps.store.invitation(invitationId)).toMatchObject({ status: 'expired', decidedAt: expiresAt });
    expect(deps.store.seats()).toEqual([]);
    expect(await usage()).toEqual({ occupied: 0, reserved: 0 });
    expect(deps.store.auditLog().at(-1)).toMatchObject({ action: 'invitation.expired', subjectType: 'invitation', subjectId: invitationId, at: expiresAt });
    expect(deps.store.announced(invitationId)).toMatchObject({ invitation: { status: 'expired' } });
    // and it stays expired
    expect((await domainErrorOf(acceptInvitation({ deps, actor: alice.actor, input: { invitationId } }))).code).toBe('NOT_PENDING');
  });

  it('a declined invitation cannot be accepted', async () => {
    const { deps, alice, invitationId } = await world();
    await declineInvitation({ deps, actor: alice.actor, input: { invitationId } });
    const err = await domainErrorOf(acceptInvitation({ deps, actor: alice.actor, input: { invitationId } }));
    expect(err.code).toBe('NOT_PENDING');
    expect(err.details).toEqual({ status: 'declined' });
    expect(deps.store.seats()).toEqual([]);
  });

  it('an unknown invitation is NOT_FOUND', async () => {
    const { deps, alice } = await world();
    expect((await domainErrorOf(acceptInvitation({ deps, actor: alice.actor, input: { invitationId: 42 } }))).code).toBe('NOT_FOUND');
  });

  it('when the pool shrank under it, no_free_seat: still pending, never more occupied than seats', async () => {
    const { deps, ada, alice, license, invitationId, usage } = await world({ seats: 3 });
    const bob = aPerson(deps.store);
    const b = await invited(deps, ada, bob);
    await acceptInvitation({ deps, actor: bob.actor, input: { invitationId: b.invitationId } });
    // an operator cut the pool to one seat, which Bob holds
    deps.store.sql('UPDATE licenses SET seats = 1 WHERE id = ?', license.id);
    const res = await acceptInvitation({ deps, actor: alice.actor, input: { invitationId } });
    expect(res.outcome).toBe('no_free_seat');
    expect(deps.store.invitation(invitationId).status).toBe('pending');
    expect((await usage()).occupied).toBe(1);
    expect(deps.store.seats().map((s) => s.personId)).toEqual([bob.person.id]);
    expect(deps.store.auditLog().at(-1)).toMatchObject({ action: 'invitation.accept_refused_no_seat', subjectId: invitationId, actorPersonId: alice.person.id });
    expect(deps.store.messagesToAdminChannel().at(-1)?.message).toMatchObject({ type: 'admin_invitation_event', event: 'no_free_seat', actorName: 'Alice' });
  });

  it('when seats were taken outside the invitations, no_free_seat as well', async () => {
    const { deps, ada, alice, license, invitationId, usage } = await world({ seats: 2 });
    // two seats occupied by rows written straight through the repositories
    for (const who of [aPerson(deps.store), aPerson(deps.store)]) {
      await deps.store.transaction(async (r) => {
        const inv = await r.invitations.insert({
          kind: 'license', licenseId: license.id, inviteeId: who.person.id, inviteeEmail: who.person.email, inviterId: ada.person.id,
          status: 'accepted', tokenHash: `imported-${who.person.id}`, platform: 'system', createdAt: T0, sentAt: T0, expiresAt: T0 + DAY_MS,
        });
        await r.seats.occupy({ licenseId: license.id, personId: who.person.id, email: who.person.email, invitationId: inv.id, at: T0 });
      });
    }
    expect(await usage()).toEqual({ occupied: 2, reserved: 1 });
    const res = await acceptInvitation({ deps, actor: alice.actor, input: { invitationId } });
    expect(res.outcome).toBe('no_free_seat');
    expect(await usage()).toEqual({ occupied: 2, reserved: 1 });
    expect(await deps.store.transaction((r) => r.seats.holds(license.id, alice.person.id))).toBe(false);
  });

  it('sends the admin notice to the inviter when there is no admin channel', async () => {
    const { deps, ada, alice, invitationId } = await world({ settings: { hasAdminChannel: false } });
    await acceptInvitation({ deps, actor: alice.actor, input: { invitationId } });
    expect(deps.store.messagesToAdminChannel()).toEqual([]);
    expect(deps.store.messagesTo(ada.person.id).map((e) => e.message)).toContainEqual(expect.objectContaining({ type: 'admin_invitation_event', event: 'accepted' }));
  });
});
