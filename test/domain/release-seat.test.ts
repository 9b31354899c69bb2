import { describe, expect, it } from 'vitest';
import { acceptInvitation, inviteToLicense, releaseSeat, shareProject } from '../../src/domain/index.js';
import {
  aLicense,
  anAdmin,
  aPerson,
  aProject,
  aProjectAccess,
  aProjectInvitation,
  aSeat,
  audited,
  DAY_MS,
  domainDeps,
  domainErrorOf,
  invited,
  T0,
} from '../support/test-store.js';
import { statusSeenBy } from '../support/status.js';

const world = () => {
  const deps = domainDeps({ settings: { configuredAdmins: ['UROOT'] } });
  const root = aPerson(deps.store, { slackUserId: 'UROOT', displayName: 'Root' });
  const ada = anAdmin(deps.store, { displayName: 'Ada Admin' });
  const olive = aPerson(deps.store, { displayName: 'Olive', email: 'olive@uni.example' });
  const alice = aPerson(deps.store, { displayName: 'Alice', email: 'alice@uni.example' });
  const license = aLicense(deps.store, { name: 'Campus', seats: 2 });
  const seat = aSeat(deps.store, { license, person: alice });
  const web = aProject(deps.store, { owner: olive, name: 'Panel', edition: 'web' });
  const desktop = aProject(deps.store, { owner: olive, name: 'Diaries', edition: 'desktop' });
  aProjectAccess(deps.store, { project: web, person: alice });
  aProjectAccess(deps.store, { project: desktop, person: alice });
  const usage = () => deps.store.transaction((r) => r.licenses.usage(license.id));
  return { deps, root, ada, olive, alice, license, seat, web, desktop, usage };
};

describe('releaseSeat', () => {
  it('only admins: anyone else is FORBIDDEN, the seat holder included; nothing written', async () => {
    const { deps, olive, alice } = world();
    const before = deps.store.dump();
    for (const who of [olive, alice]) {
      expect((await domainErrorOf(releaseSeat({ deps, actor: who.actor, input: { personId: alice.person.id } }))).code).toBe('FORBIDDEN');
    }
    expect(deps.store.dump()).toEqual(before);
  });

  it('releases the seat, keeps the project access, tells the person which projects it affects', async () => {
    const { deps, ada, alice, seat, license, usage } = world();
    const accessBefore = deps.store.projectAccess();
    expect(await usage()).toEqual({ occupied: 1, reserved: 0 });
    deps.clock.advance(DAY_MS);
    const n = deps.store.outbox().length;
    const res = await releaseSeat({ deps, actor: ada.actor, input: { personId: alice.person.id } });
    expect(res).toEqual({ seatId: expect.any(Number), person: alice.person, licenseName: 'Campus', projectNames: ['Panel', 'Diaries'] });
    expect(await usage()).toEqual({ occupied: 0, reserved: 0 });
    expect(deps.store.seats().find((s) => s.id === seat.id)?.status).toBe('released');
    expect(deps.store.dump().seats.find((s) => s.id === seat.id)?.releasedAt).toBe(T0 + DAY_MS);
    expect(deps.store.projectAccess()).toEqual(accessBefore);
    expect(deps.store.outbox().slice(n).map((e) => [e.to, e.message])).toEqual([
      [{ type: 'person', personId: alice.person.id }, { type: 'seat_released', licenseName: 'Campus', projectNames: ['Panel', 'Diaries'] }],
    ]);
    expect(audited(deps.store, 'seat.released')).toMatchObject([
      { subjectType: 'seat', subjectId: seat.id, actorPersonId: ada.person.id, at: T0 + DAY_MS, details: { licenseId: license.id, personId: alice.person.id } },
    ]);
  });

  it('a configured admin may release too; with no projects the message lists none', async () => {
    const { deps, root, license } = world();
    const bob = aPerson(deps.store, { displayName: 'Bob' });
    aSeat(deps.store, { license, person: bob });
    const res = await releaseSeat({ deps, actor: root.actor, input: { personId: bob.person.id } });
    expect(res.projectNames).toEqual([]);
    expect(deps.store.messagesTo(bob.person.id).map((e) => e.message)).toEqual([{ type: 'seat_released', licenseName: 'Campus', projectNames: [] }]);
  });

  it('status shows the kept projects as unusable until the person holds a seat again', async () => {
    const { deps, ada, alice } = world();
    const usable = async () => (await statusSeenBy({ deps, actor: ada.actor, input: { personId: alice.person.id } })).projects;
    expect(await usable()).toEqual([
      { projectId: expect.any(Number), projectName: 'Panel', edition: 'web', kind: 'member', handoff: 'handed_over', ownerName: 'Olive', usable: true },
      { projectId: expect.any(Number), projectName: 'Diaries', edition: 'desktop', kind: 'copy', handoff: 'handed_over', ownerName: 'Olive', usable: true },
    ]);
    await releaseSeat({ deps, actor: ada.actor, input: { personId: alice.person.id } });
    const afterRelease = await statusSeenBy({ deps, actor: alice.actor, input: {} });
    expect(afterRelease.seats).toEqual([]);
    expect(afterRelease.projects.map((p) => [p.projectName, p.kind, p.usable])).toEqual([
      ['Panel', 'member', false],
      ['Diaries', 'copy', false],
    ]);

    const again = await invited(deps, ada, alice);
    expect((await usable()).every((p) => !p.usable)).toBe(true); // a pending invitation is not a seat
    await acceptInvitation({ deps, actor: alice.actor, input: { invitationId: again.invitationId } });
    expect((await usable()).map((p) => [p.projectName, p.usable])).toEqual([
      ['Panel', true],
      ['Diaries', true],
    ]);
  });

  it('status lists owned projects, open project invitations (pending or waiting) and returned copies', async () => {
    const { deps, olive, alice } = world();
    const bob = aPerson(deps.store, { displayName: 'Bob', email: 'bob@uni.example' });
    const other = aProject(deps.store, { owner: olive, name: 'Other', edition: 'web' });
    const pending = aProjectInvitation(deps.store, { project: other, invitee: alice }).invitation;
    const waiting = aProjectInvitation(deps.store, { project: aProject(deps.store, { owner: bob, name: 'Bobs' }), invitee: alice, status: 'waiting_for_seat' }).invitation;
    aProjectInvitation(deps.store, { project: aProject(deps.store, { owner: bob, name: 'Gone' }), invitee: alice, status: 'declined' });
    const s = await statusSeenBy({ deps, actor: alice.actor, input: {} });
    expect(s.projectInvitations.map((i) => [i.invitationId, i.kind, i.status, i.desktopLink])).toEqual([
      [pending.id, 'project', 'pending', null],
      [waiting.id, 'project', 'waiting_for_seat', null],
    ]);
    expect(s.pending).toEqual([]); // license invitations only
    expect((await statusSeenBy({ deps, actor: olive.actor, input: {} })).owns).toEqual([
      { projectName: 'Diaries', edition: 'desktop' },
      { projectName: 'Other', edition: 'web' },
      { projectName: 'Panel', edition: 'web' },
    ]);
  });

  it('after the release, a pending project invitation cannot be accepted until there is a seat again', async () => {
    const { deps, ada, olive, alice, license } = world();
    const fresh = aProject(deps.store, { owner: olive, name: 'Fresh', edition: 'web' });
    const res = await shareProject({ deps, actor: olive.actor, input: { project: { id: fresh.id }, invitees: [{ personId: alice.person.id }] } });
    const id = (res.outcomes[0] as { invitationId: number }).invitationId;
    await releaseSeat({ deps, actor: ada.actor, input: { personId: alice.person.id } });
    expect((await acceptInvitation({ deps, actor: alice.actor, input: { invitationId: id } })).outcome).toBe('project_needs_seat');
    aSeat(deps.store, { license, person: alice });
    expect((await acceptInvitation({ deps, actor: alice.actor, input: { invitationId: id } })).outcome).toBe('project_accepted');
  });

  it('the freed seat can be given to someone else', async () => {
    const { deps, ada, alice, license, usage } = world();
    const bob = aPerson(deps.store, { displayName: 'Bob' });
    const carl = aPerson(deps.store, { displayName: 'Carl' });
    aSeat(deps.store, { license, person: bob });
    const full = await inviteToLicense({ deps, actor: ada.actor, input: { invitees: [{ personId: carl.person.id }] } });
    expect(full.outcomes.map((o) => o.status)).toEqual(['no_free_seat']);
    await releaseSeat({ deps, actor: ada.actor, input: { personId: alice.person.id } });
    expect(await usage()).toEqual({ occupied: 1, reserved: 0 });
    await invited(deps, ada, carl);
    expect(await usage()).toEqual({ occupied: 1, reserved: 1 });
  });

  it('unknown person, or no seat: NOT_FOUND; releasing twice: NOT_FOUND the second time', async () => {
    const { deps, ada, olive, alice } = world();
    expect((await domainErrorOf(releaseSeat({ deps, actor: ada.actor, input: { personId: 999 } }))).code).toBe('NOT_FOUND');
    expect((await domainErrorOf(releaseSeat({ deps, actor: ada.actor, input: { personId: olive.person.id } }))).code).toBe('NOT_FOUND');
    await releaseSeat({ deps, actor: ada.actor, input: { personId: alice.person.id } });
    const before = deps.store.dump();
    expect((await domainErrorOf(releaseSeat({ deps, actor: ada.actor, input: { personId: alice.person.id } }))).code).toBe('NOT_FOUND');
    expect(deps.store.dump()).toEqual(before);
  });

  it('seats in several pools: the pool must be named; a pool without their seat is NOT_FOUND', async () => {
    const { deps, ada, alice, license } = world();
    const lab = aLicense(deps.store, { name: 'Lab', seats: 2 });
    aLicense(deps.store, { name: 'Empty', seats: 2 });
    aSeat(deps.store, { license: lab, person: alice });
    const before = deps.store.dump();
    expect((await domainErrorOf(releaseSeat({ deps, actor: ada.actor, input: { personId: alice.person.id } }))).code).toBe('LICENSE_REQUIRED');
    expect((await domainErrorOf(releaseSeat({ deps, actor: ada.actor, input: { personId: alice.person.id, licenseName: 'Empty' } }))).code).toBe('NOT_FOUND');
    expect((await domainErrorOf(releaseSeat({ deps, actor: ada.actor, input: { personId: alice.person.id, licenseName: 'Nope' } }))).code).toBe('NOT_FOUND');
    expect(deps.store.dump()).toEqual(before);
    const res = await releaseSeat({ deps, actor: ada.actor, input: { personId: alice.person.id, licenseName: 'lab' } });
    expect(res.licenseName).toBe('Lab');
    expect(deps.store.seats().filter((s) => s.status === 'occupied').map((s) => s.licenseId)).toEqual([license.id]);
    // still holding a seat in Campus: the projects stay usable
    expect((await statusSeenBy({ deps, actor: alice.actor, input: {} })).projects.every((p) => p.usable)).toBe(true);
  });
});
