import { describe, expect, it } from 'vitest';
import { askForSeat, home, listLicenses, reviewPending } from '../../src/domain/index.js';
import {
  aLicense,
  anAdmin,
  aPerson,
  aProject,
  aProjectAccess,
  aProjectInvitation,
  aSeat,
  DAY_MS,
  domainDeps,
  invited,
  T0,
  type Someone,
  type TestDeps,
} from '../support/test-store.js';

const world = async () => {
  const deps = domainDeps();
  const ada = anAdmin(deps.store, { displayName: 'Ada Admin', email: 'ada@uni.example' });
  const olga = aPerson(deps.store, { displayName: 'Olga', email: 'olga@uni.example' });
  const bob = aPerson(deps.store, { displayName: 'Bob', email: 'bob@uni.example' });
  const carol = aPerson(deps.store, { displayName: 'Carol', email: 'carol@uni.example' });
  const dan = aPerson(deps.store, { displayName: 'Dan', email: 'dan@uni.example' });
  // created out of name order: the admin view lists them by name
  const zeta = aLicense(deps.store, { name: 'Zeta', seats: 2 });
  const campus = aLicense(deps.store, { name: 'Campus', seats: 5 });
  const lab = aLicense(deps.store, { name: 'Lab', seats: 3 });
  aSeat(deps.store, { license: campus, person: bob });
  aSeat(deps.store, { license: campus, person: olga });
  aSeat(deps.store, { license: lab, person: olga });
  const carolCampus = await invited(deps, ada, carol, { licenseName: 'Campus' });
  const danLab = await invited(deps, ada, dan, { licenseName: 'Lab' });
  const bobLab = await invited(deps, ada, bob, { licenseName: 'Lab' });
  const thesis = aProject(deps.store, { owner: olga, name: 'Thesis', edition: 'web' });
  const notes = aProject(deps.store, { owner: olga, name: 'Fieldnotes', edition: 'desktop' });
  aProjectAccess(deps.store, { project: thesis, person: bob });
  const bobNotes = aProjectInvitation(deps.store, { project: notes, invitee: bob }).invitation; // pending: counted
  aProjectInvitation(deps.store, { project: thesis, invitee: dan, status: 'waiting_for_seat' }); // not pending
  aProjectInvitation(deps.store, { project: notes, invitee: carol, status: 'revoked' }); // not pending
  return { deps, ada, olga, bob, carol, dan, zeta, campus, lab, carolCampus, danLab, bobLab, bobNotes };
};

const homeOf = (deps: TestDeps, who: Someone) => home({ deps, actor: who.actor, input: undefined });

describe('home', () => {
  it('a member sees their own status, and nothing of the admins', async () => {
    const { deps, bob, bobLab, bobNotes } = await world();
    const h = await homeOf(deps, bob);
    expect(Object.keys(h)).toEqual(['status', 'canAskSeat', 'ownRequests', 'projects']);
    expect(h.admin).toBeUndefined();
    // he holds a seat: nothing to ask; he owns no project
    expect(h.canAskSeat).toBe(false);
    expect(h.projects).toEqual([]);
    const s = h.status;
    expect(s.self).toBe(true);
    expect(s.isAdmin).toBe(false);
    expect(s.person.id).toBe(bob.person.id);
    expect(s.seats).toEqual([{ licenseName: 'Campus', email: 'bob@uni.example', since: T0, handoff: 'handed_over' }]);
    expect(s.pending.map((p) => [p.invitationId, p.licenseName])).toEqual([[bobLab.invitationId, 'Lab']]);
    expect(s.projects).toEqual([expect.objectContaining({ projectName: 'Thesis', edition: 'web', kind: 'member', ownerName: 'Olga', usable: true })]);
    expect(s.projectInvitations.map((p) => [p.invitationId, p.projectName, p.status])).toEqual([[bobNotes.id, 'Fieldnotes', 'pending']]);
    expect(s.owns).toEqual([]);
  });

  it('an owner sees the projects they own', async () => {
    const { deps, olga } = await world();
    const h = await homeOf(deps, olga);
    expect(h.admin).toBeUndefined();
    expect(h.status.owns).toEqual([
      { projectName: 'Fieldnotes', edition: 'desktop' },
      { projectName: 'Thesis', edition: 'web' },
    ]);
  });

  it('an admin also sees every license with its usage, by name, and how many invitations are pending', async () => {
    const { deps, ada, zeta, campus, lab } = await world();
    const h = await homeOf(deps, ada);
    expect(h.status.self).toBe(true);
    expect(h.status.isAdmin).toBe(true);
    expect(h.status.person.id).toBe(ada.person.id);
    expect(h.admin).toEqual({
      licenses: [
        { license: campus, occupied: 2, reserved: 1, level: 'ok' },
        { license: lab, occupied: 1, reserved: 2, level: 'full' },
        { license: zeta, occupied: 0, reserved: 0, level: 'ok' },
      ],
      // Carol's and Dan's and Bob's seat invitations, and Bob's project invitation
      pendingCount: 4,
      seatRequests: [],
      // the seats made here were handed over already
      handoffs: [],
    });
  });

  it("an owner's desk lists each project's members and open invitations", async () => {
    const { deps, olga, bobNotes } = await world();
    const h = await homeOf(deps, olga);
    expect(h.projects).toHaveLength(2);
    expect(h.projects).toEqual(expect.arrayContaining([
      { projectId: expect.any(Number), name: 'Thesis', edition: 'web', members: ['Bob'], open: [{ invitationId: expect.any(Number), name: 'Dan', waiting: true }] },
      { projectId: expect.any(Number), name: 'Fieldnotes', edition: 'desktop', members: [], open: [{ invitationId: bobNotes.id, name: 'Bob', waiting: false }] },
    ]));
  });

  it('someone with no seat and nothing on its way may ask; not after asking, and an admin never', async () => {
    const { deps, ada } = await world();
    const eve = aPerson(deps.store, { displayName: 'Eve', email: 'eve@uni.example' });
    expect((await homeOf(deps, eve)).canAskSeat).toBe(true);
    expect((await homeOf(deps, ada)).canAskSeat).toBe(false);
    await askForSeat({ deps, actor: eve.actor, input: { licenseName: 'Campus', email: 'eve@uni.example', reason: 'thesis' } });
    const after = await homeOf(deps, eve);
    expect(after.canAskSeat).toBe(false);
    expect(after.ownRequests).toEqual([{ requestId: 1, licenseName: 'Campus', since: T0 }]);
    expect((await homeOf(deps, ada)).admin?.seatRequests).toEqual([{ requestId: 1, personName: 'Eve', email: 'eve@uni.example', since: T0, licenseName: 'Campus', why: 'thesis' }]);
  });

  it('an admin named in ATLAS_ADMINS gets the admin view too', async () => {
    const { deps, olga } = await world();
    const named = { ...deps, settings: { ...deps.settings, configuredAdmins: [olga.person.slackUserId!] } };
    const h = await home({ deps: named, actor: olga.actor, input: undefined });
    expect(h.status.isAdmin).toBe(true);
    expect(h.admin?.pendingCount).toBe(4);
    expect(h.admin?.licenses.map((l) => l.license.name)).toEqual(['Campus', 'Lab', 'Zeta']);
  });

  it('the counts follow what happens: an answered invitation is no longer pending', async () => {
    const { deps, ada, carolCampus } = await world();
    await deps.store.transaction((r) => r.invitations.transition(carolCampus.invitationId, 'pending', { status: 'declined', decidedAt: T0 }));
    const h = await homeOf(deps, ada);
    expect(h.admin?.pendingCount).toBe(3);
    expect(h.admin?.licenses[0]).toMatchObject({ license: { name: 'Campus' }, occupied: 2, reserved: 0 });
  });

  it('my own invitations past their expiry are not shown as pending', async () => {
    const { deps, bob, bobLab } = await world();
    deps.clock.advance(15 * DAY_MS);
    const h = await homeOf(deps, bob);
    expect(h.status.pending).toEqual([]);
    expect(h.status.projectInvitations).toEqual([]);
    expect(deps.store.invitation(bobLab.invitationId).status).toBe('expired');
  });

  it("an admin's counts leave out invitations past their expiry, as `licenses` and `pending` do", async () => {
    const { deps, ada } = await world();
    deps.clock.advance(15 * DAY_MS);
    // every pending invitation is overdue now: none reserves a seat or waits for an answer
    const h = await homeOf(deps, ada);
    const licenses = await listLicenses({ deps, actor: ada.actor, input: undefined });
    const pending = await reviewPending({ deps, actor: ada.actor, input: undefined });
    const title = pending[0]?.entries[0];
    expect(title).toMatchObject({ kind: 'title', pendingCount: 0 });
    expect(licenses.map((l) => l.reserved)).toEqual([0, 0, 0]);
    expect(h.admin).toEqual({ licenses, pendingCount: 0, seatRequests: [], handoffs: [] });
  });

  it('writes nothing when nothing is overdue', async () => {
    const { deps, ada, bob } = await world();
    const before = deps.store.dump();
    await homeOf(deps, ada);
    await homeOf(deps, bob);
    expect(deps.store.dump()).toEqual(before);
  });
});
