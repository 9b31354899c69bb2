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
  type TestStore,
} from '../support/test-store.js';

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

const usage = (store: TestStore, licenseId: number) => store.transaction((r) => r.licenses.usage(licenseId));

describe('expireDue', () => {
  it('expires nothing before expiresAt', async () => {
    const { deps } = await world();
    const before = deps.store.dump();
    expect(await expireDue(deps, T0 + TTL - 1)).toEqual({ expired: 0 });
    expect(deps.store.dump()).toEqual(before);
  });

  it('expires the open invitations at their expiry, one still waiting for a seat too', async () => {
    const { deps, licenseInv, projectInv, waiting } = await world();
    expect(await expireDue(deps, T0 + TTL)).toEqual({ expired: 3 });

    expect(deps.store.invitation(licenseInv.invitationId)).toMatchObject({ status: 'expired', decidedAt: T0 + TTL });
    expect(deps.store.invitation(projectInv.id)).toMatchObject({ status: 'expired', decidedAt: T0 + TTL });
    expect(deps.store.invitation(waiting.id)).toMatchObject({ status: 'expired', decidedAt: T0 + TTL });
  });

  it('leaves answered invitations alone even when their expiry is long past', async () => {
    const { deps, olive, project } = await world();
    const answered = (['accepted', 'declined', 'revoked'] as const).map(
      (status) => aProjectInvitation(deps.store, { project, invitee: aPerson(deps.store), inviter: olive, status }).invitation,
    );
    await expireDue(deps, T0 + 10 * TTL);
    expect(answered.map((i) => deps.store.invitation(i.id).status)).toEqual(['accepted', 'declined', 'revoked']);
  });

  it('frees the seat a license invitation reserved', async () => {
    const { deps, license } = await world();
    expect(await usage(deps.store, license.id)).toEqual({ occupied: 2, reserved: 1 });
    await expireDue(deps, T0 + TTL);
    expect(await usage(deps.store, license.id)).toEqual({ occupied: 2, reserved: 0 });
  });

  it('brings every message about each invitation up to date, and tells each inviter in one notice', async () => {
    const { deps, ada, olive, alice, bob, carol, licenseInv, projectInv, waiting } = await world();
    const before = deps.store.outbox().length;
    await expireDue(deps, T0 + TTL);
    const sent = deps.store.outbox().slice(before);
    expect(sent.every((e) => e.at === T0 + TTL)).toBe(true);
    // the invitees' own messages are updated in place: nothing new is posted to them
    expect(deps.store.messagesTo(alice.person.id).slice(-1)[0]!.message.type).toBe('license_invitation');
    expect(deps.store.messagesTo(bob.person.id)).toEqual([]);
    expect(sent.filter((e) => e.message.type === 'refresh').map((e) => e.message)).toEqual([
      { type: 'refresh', subject: `invitation:${licenseInv.invitationId}` },
      { type: 'refresh', subject: `invitation:${projectInv.id}` },
      { type: 'refresh', subject: `invitation:${waiting.id}` },
    ]);
    const states = deps.store.dump().subjects;
    expect(states[`invitation:${licenseInv.invitationId}`]).toMatchObject({ kind: 'invitation', invitation: { kind: 'license', status: 'expired', licenseName: 'Campus' } });
    expect(states[`invitation:${projectInv.id}`]).toMatchObject({ kind: 'invitation', invitation: { kind: 'project', status: 'expired', projectName: 'Panel' } });

    const notices = deps.store.messages('expired_notice');
    expect(notices.map((e) => [e.to, e.message.items?.map((i) => [i.invitation.invitationId, i.invitation.kind, i.invitation.status])])).toEqual([
      [{ type: 'person', personId: ada.person.id }, [[licenseInv.invitationId, 'license', 'expired']]],
      [{ type: 'person', personId: olive.person.id }, [[projectInv.id, 'project', 'expired'], [waiting.id, 'project', 'expired']]],
    ]);
    expect(deps.store.messagesTo(carol.person.id)).toEqual([]);
  });

  it('tells an inviter of ten expiries in one sweep in one message, listing all ten', async () => {
    const { deps, ada, license, licenseInv } = await world();
    const ids = bulkPending(deps.store, 9, { licenseId: license.id, inviterId: ada.person.id });
    await expireDue(deps, T0 + 10 * TTL);
    const toAda = deps.store.messages('expired_notice').filter((e) => e.to.type === 'person' && e.to.personId === ada.person.id);
    expect(toAda).toHaveLength(1);
    expect(toAda[0]!.message.items!.map((i) => i.invitation.invitationId).sort((a, b) => a - b)).toEqual([licenseInv.invitationId, ...ids].sort((a, b) => a - b));
  });

  it('writes an audit row per expiry, by the system', async () => {
    const { deps, licenseInv, projectInv, waiting } = await world();
    await expireDue(deps, T0 + TTL + 5);
    const rows = audited(deps.store, 'invitation.expired');
    expect(rows.map((e) => e.subjectId).sort()).toEqual([licenseInv.invitationId, projectInv.id, waiting.id].sort());
    for (const row of rows) {
      expect(row).toMatchObject({ at: T0 + TTL + 5, platform: 'system', actorUserId: 'system', actorPersonId: null, subjectType: 'invitation' });
    }
  });

  it('running twice expires once and tells nobody twice', async () => {
    const { deps } = await world();
    expect((await expireDue(deps, T0 + TTL)).expired).toBe(3);
    const after = deps.store.dump();
    expect(await expireDue(deps, T0 + TTL)).toEqual({ expired: 0 });
    expect(await expireDue(deps, T0 + TTL + DAY_MS)).toEqual({ expired: 0 });
    expect(deps.store.dump()).toEqual(after);
    expect(audited(deps.store, 'invitation.expired')).toHaveLength(3);
  });

  it('expires every one of more overdue invitations than one batch holds', async () => {
    const deps = domainDeps();
    const ada = anAdmin(deps.store);
    const license = aLicense(deps.store, { name: 'Big', seats: 2000 });
    const ids = bulkPending(deps.store, 1100, { licenseId: license.id, inviterId: ada.person.id, expiresAt: T0 + DAY_MS });
    const notYet = bulkPending(deps.store, 3, { licenseId: license.id, inviterId: ada.person.id, expiresAt: T0 + 2 * DAY_MS });

    expect(await expireDue(deps, T0 + DAY_MS)).toEqual({ expired: 1100 });
    const byId = new Map(deps.store.invitations().map((i) => [i.id, i]));
    expect(ids.filter((id) => byId.get(id)!.status !== 'expired')).toEqual([]);
    expect(notYet.map((id) => byId.get(id)!.status)).toEqual(['pending', 'pending', 'pending']);
    expect(await usage(deps.store, license.id)).toEqual({ occupied: 0, reserved: 3 });
    // one notice per inviter per batch of 500 (a transaction each), listing every one of them
    const notices = deps.store.messages('expired_notice');
    expect(notices).toHaveLength(3);
    expect(notices.flatMap((e) => e.message.items ?? []).map((i) => i.invitation.invitationId).sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    expect(await expireDue(deps, T0 + DAY_MS)).toEqual({ expired: 0 });
  }, 60_000);

  it('a batch of exactly 500 is followed by an empty one, not an endless loop', async () => {
    const deps = domainDeps();
    const ada = anAdmin(deps.store);
    const license = aLicense(deps.store, { name: 'Big', seats: 2000 });
    bulkPending(deps.store, 500, { licenseId: license.id, inviterId: ada.person.id, expiresAt: T0 });
    expect(await expireDue(deps, T0)).toEqual({ expired: 500 });
  }, 60_000);
});
