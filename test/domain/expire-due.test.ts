/**
 * The expiry sweep, expireDue(deps, now): pending invitations past their expiry become expired,
 * free their reserved seat, and both the invitee and the inviter hear of it.
 */
import { describe, expect, it } from 'vitest';
import { expireDue } from '../../src/domain/index.js';
import {
  aLicense,
  anAdmin,
  aPerson,
  aProject,
  aProjectInvitation,
  aSeat,
  audited,
  bulkPending,
  DAY_MS,
  domainDeps,
  invited,
  T0,
  type MemoryStore,
} from '../support/memory-store.js';

const TTL = 14 * DAY_MS;

const world = async () => {
  const deps = domainDeps();
  const ada = anAdmin(deps.store, { displayName: 'Ada Admin', email: 'ada@uni.example' });
  const olive = aPerson(deps.store, { displayName: 'Olive Owner', email: 'olive@uni.example' });
  const alice = aPerson(deps.store, { displayName: 'Alice', email: 'alice@uni.example' });
  const bob = aPerson(deps.store, { displayName: 'Bob', email: 'bob@uni.example' });
  const carol = aPerson(deps.store, { displayName: 'Carol', email: 'carol@uni.example' });
  const license = aLicense(deps.store, { name: 'Campus', seats: 3 });
  aSeat(deps.store, { license, person: olive });
  aSeat(deps.store, { license, person: bob });
  const project = aProject(deps.store, { owner: olive, name: 'Panel', edition: 'web' });
  const licenseInv = await invited(deps, ada, alice);
  const projectInv = aProjectInvitation(deps.store, { project, invitee: bob }).invitation;
  const waiting = aProjectInvitation(deps.store, { project, invitee: carol, status: 'waiting_for_seat' }).invitation;
  return { deps, ada, olive, alice, bob, carol, license, project, licenseInv, projectInv, waiting };
};

const usage = (store: MemoryStore, licenseId: number) => store.transaction((r) => r.licenses.usage(licenseId));

describe('expireDue', () => {
  it('expires nothing before expiresAt', async () => {
    const { deps } = await world();
    const before = deps.store.dump();
    expect(expireDue(deps, T0 + TTL - 1)).toEqual({ expired: 0 });
    expect(deps.store.dump()).toEqual(before);
  });

  it('expires the pending invitations at their expiry, and leaves one waiting for a seat alone', async () => {
    const { deps, licenseInv, projectInv, waiting } = await world();
    expect(expireDue(deps, T0 + TTL)).toEqual({ expired: 2 });

    expect(deps.store.invitation(licenseInv.invitationId)).toMatchObject({ status: 'expired', decidedAt: T0 + TTL });
    expect(deps.store.invitation(projectInv.id)).toMatchObject({ status: 'expired', decidedAt: T0 + TTL });
    expect(deps.store.invitation(waiting.id)).toMatchObject({ status: 'waiting_for_seat', decidedAt: null });
  });

  it('leaves answered invitations alone even when their expiry is long past', async () => {
    const { deps, olive, project } = await world();
    const answered = (['accepted', 'declined', 'revoked'] as const).map(
      (status) => aProjectInvitation(deps.store, { project, invitee: aPerson(deps.store), inviter: olive, status }).invitation,
    );
    expireDue(deps, T0 + 10 * TTL);
    expect(answered.map((i) => deps.store.invitation(i.id).status)).toEqual(['accepted', 'declined', 'revoked']);
  });

  it('frees the seat a license invitation reserved', async () => {
    const { deps, license } = await world();
    expect(usage(deps.store, license.id)).toEqual({ occupied: 2, reserved: 1 });
    expireDue(deps, T0 + TTL);
    expect(usage(deps.store, license.id)).toEqual({ occupied: 2, reserved: 0 });
  });

  it('tells the invitee (an update of their invitation) and the inviter (an expiry notice)', async () => {
    const { deps, ada, olive, alice, bob, carol, licenseInv, projectInv } = await world();
    const before = deps.store.outbox().length;
    expireDue(deps, T0 + TTL);
    const sent = deps.store.outbox().slice(before);
    expect(sent).toHaveLength(4);
    expect(sent.every((e) => e.at === T0 + TTL)).toBe(true);

    const toAlice = deps.store.messagesTo(alice.person.id).slice(-1)[0]!;
    expect(toAlice.message).toMatchObject({
      type: 'invitation_update',
      invitation: { kind: 'license', invitationId: licenseInv.invitationId, status: 'expired', licenseName: 'Campus', reserved: 0, occupied: 2, seats: 3 },
    });
    const toBob = deps.store.messagesTo(bob.person.id);
    expect(toBob.map((e) => e.message)).toEqual([
      expect.objectContaining({ type: 'project_invitation_update', invitation: expect.objectContaining({ kind: 'project', invitationId: projectInv.id, status: 'expired', projectName: 'Panel' }) }),
    ]);

    const notices = deps.store.messages('expired_notice');
    expect(notices.map((e) => [e.to, e.message.invitation.invitationId, e.message.invitation.status])).toEqual([
      [{ type: 'person', personId: ada.person.id }, licenseInv.invitationId, 'expired'],
      [{ type: 'person', personId: olive.person.id }, projectInv.id, 'expired'],
    ]);
    expect(notices[0]!.message.invitation.kind).toBe('license');
    expect(notices[1]!.message.invitation.kind).toBe('project');
    expect(deps.store.messagesTo(carol.person.id)).toEqual([]);
  });

  it('writes an audit row per expiry, by the system', async () => {
    const { deps, licenseInv, projectInv } = await world();
    expireDue(deps, T0 + TTL + 5);
    const rows = audited(deps.store, 'invitation.expired');
    expect(rows.map((e) => e.subjectId).sort()).toEqual([licenseInv.invitationId, projectInv.id].sort());
    for (const row of rows) {
      expect(row).toMatchObject({ at: T0 + TTL + 5, platform: 'system', actorUserId: 'system', actorPersonId: null, subjectType: 'invitation' });
    }
  });

  it('running twice expires once and tells nobody twice', async () => {
    const { deps } = await world();
    expect(expireDue(deps, T0 + TTL).expired).toBe(2);
    const after = deps.store.dump();
    expect(expireDue(deps, T0 + TTL)).toEqual({ expired: 0 });
    expect(expireDue(deps, T0 + TTL + DAY_MS)).toEqual({ expired: 0 });
    expect(deps.store.dump()).toEqual(after);
    expect(audited(deps.store, 'invitation.expired')).toHaveLength(2);
  });

  it('expires every one of more overdue invitations than one batch holds', () => {
    const deps = domainDeps();
    const ada = anAdmin(deps.store);
    const license = aLicense(deps.store, { name: 'Big', seats: 2000 });
    const ids = bulkPending(deps.store, 1100, { licenseId: license.id, inviterId: ada.person.id, expiresAt: T0 + DAY_MS });
    const notYet = bulkPending(deps.store, 3, { licenseId: license.id, inviterId: ada.person.id, expiresAt: T0 + 2 * DAY_MS });

    expect(expireDue(deps, T0 + DAY_MS)).toEqual({ expired: 1100 });
    const byId = new Map(deps.store.invitations().map((i) => [i.id, i]));
    expect(ids.filter((id) => byId.get(id)!.status !== 'expired')).toEqual([]);
    expect(notYet.map((id) => byId.get(id)!.status)).toEqual(['pending', 'pending', 'pending']);
    expect(usage(deps.store, license.id)).toEqual({ occupied: 0, reserved: 3 });
    expect(deps.store.messages('expired_notice')).toHaveLength(1100);
    expect(expireDue(deps, T0 + DAY_MS)).toEqual({ expired: 0 });
  }, 60_000);

  it('a batch of exactly 500 is followed by an empty one, not an endless loop', () => {
    const deps = domainDeps();
    const ada = anAdmin(deps.store);
    const license = aLicense(deps.store, { name: 'Big', seats: 2000 });
    bulkPending(deps.store, 500, { licenseId: license.id, inviterId: ada.person.id, expiresAt: T0 });
    expect(expireDue(deps, T0)).toEqual({ expired: 500 });
  }, 60_000);
});
