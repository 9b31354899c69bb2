/** The fake must behave like the SQLite store where the domain relies on it, or the other tests prove little. */
import { describe, expect, it } from 'vitest';
import type { Repositories } from '../../src/domain/index.js';
import {
  aLicense,
  aPerson,
  aProject,
  aProjectAccess,
  aProjectInvitation,
  aSeat,
  aSeatRequest,
  domainDeps,
  fixedClock,
  T0,
} from '../support/memory-store.js';

describe('the in-memory store', () => {
  it('rolls back every write of a transaction that throws', () => {
    const { store } = domainDeps();
    const alice = aPerson(store).person;
    const license = aLicense(store, { name: 'Campus', seats: 2 });
    const before = store.dump();
    expect(() =>
      store.transaction((r) => {
        const inv = r.invitations.insert({
          kind: 'license', licenseId: license.id, inviteeId: alice.id, inviteeEmail: alice.email, inviterId: alice.id,
          status: 'pending', tokenHash: 'h1', platform: 'slack', createdAt: T0, sentAt: T0, expiresAt: T0 + 1,
        });
        r.seats.occupy({ licenseId: license.id, personId: alice.id, email: null, invitationId: inv.id, at: T0 });
        r.audit.record({ at: T0, platform: 'slack', actorUserId: 'U', actorPersonId: alice.id, action: 'x', subjectType: 'seat', subjectId: 1 });
        r.outbox.enqueue({ type: 'admin_channel' }, { type: 'notice', text: 'hi' }, T0);
        r.people.update(alice.id, { displayName: 'Changed' }, T0);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(store.dump()).toEqual(before);
    expect(store.stats.rolledBack).toBe(1);
    // ids are not burnt either: the next insert gets the id the rolled-back one had
    const id = store.transaction((r) => r.outbox.enqueue({ type: 'admin_channel' }, { type: 'notice', text: 'hi' }, T0));
    expect(id).toBe(1);
  });

  it('refuses a transaction function that returns a promise, and rolls it back', () => {
    const { store } = domainDeps();
    const before = store.dump();
    expect(() =>
      store.transaction(((r: Repositories) => {
        r.outbox.enqueue({ type: 'admin_channel' }, { type: 'notice', text: 'hi' }, T0);
        return Promise.resolve(1);
      })),
    ).toThrow(/promise/);
    expect(store.dump()).toEqual(before);
  });

  it('does not let a repository handle outlive its transaction', () => {
    const { store } = domainDeps();
    const leaked = store.transaction((r) => r);
    expect(() => leaked.licenses.list()).toThrow(/after its transaction/);
  });

  it('hands out copies, so changing a returned row changes nothing stored', () => {
    const { store } = domainDeps();
    const alice = aPerson(store, { displayName: 'Alice' }).person;
    const got = store.transaction((r) => r.people.byId(alice.id))!;
    got.displayName = 'Mallory';
    expect(store.transaction((r) => r.people.byId(alice.id))?.displayName).toBe('Alice');
  });

  it('keeps the schema: license names unique without letter case, one pending invitation per person and pool', () => {
    const { store } = domainDeps();
    const alice = aPerson(store).person;
    store.transaction((r) => r.licenses.insert({ name: 'Campus', seats: 1, seatModel: 'assigned', memberCap: null, createdBy: alice.id, createdAt: T0 }));
    expect(() => store.transaction((r) => r.licenses.insert({ name: 'CAMPUS', seats: 1, seatModel: 'assigned', memberCap: null, createdBy: alice.id, createdAt: T0 }))).toThrow(/UNIQUE/);
    expect(store.transaction((r) => r.licenses.byName('cAmPuS'))?.name).toBe('Campus');
    const invite = (hash: string) => (r: Repositories) =>
      r.invitations.insert({
        kind: 'license', licenseId: 1, inviteeId: alice.id, inviteeEmail: null, inviterId: alice.id,
        status: 'pending', tokenHash: hash, platform: 'slack', createdAt: T0, sentAt: T0, expiresAt: T0 + 1,
      });
    store.transaction(invite('h1'));
    expect(() => store.transaction(invite('h2'))).toThrow(/UNIQUE/);
    expect(store.invitations()).toHaveLength(1);
  });

  it('matches people by email in exact case only', () => {
    const { store } = domainDeps();
    aPerson(store, { email: 'Alice@Uni.example' });
    expect(store.transaction((r) => r.people.byEmail('Alice@Uni.example'))).toHaveLength(1);
    expect(store.transaction((r) => r.people.byEmail('alice@uni.example'))).toHaveLength(0);
  });

  it('transition is conditional on the expected status', () => {
    const { store } = domainDeps();
    const alice = aPerson(store).person;
    const license = aLicense(store);
    const inv = store.transaction((r) =>
      r.invitations.insert({
        kind: 'license', licenseId: license.id, inviteeId: alice.id, inviteeEmail: null, inviterId: alice.id,
        status: 'pending', tokenHash: 'h', platform: 'slack', createdAt: T0, sentAt: T0, expiresAt: T0 + 1,
      }),
    );
    expect(store.transaction((r) => r.invitations.transition(inv.id, 'pending', { status: 'declined' }))).toBe(true);
    expect(store.transaction((r) => r.invitations.transition(inv.id, 'pending', { status: 'accepted' }))).toBe(false);
    expect(store.invitation(inv.id).status).toBe('declined');
  });

  it('rolls back writes to the project tables and seat releases too', () => {
    const { store } = domainDeps();
    const owner = aPerson(store);
    const bob = aPerson(store);
    const license = aLicense(store);
    const seat = aSeat(store, { license, person: bob });
    const project = aProject(store, { owner, name: 'Thesis', edition: 'desktop' });
    const { invitation } = aProjectInvitation(store, { project, invitee: bob, status: 'waiting_for_seat' });
    const request = aSeatRequest(store, { invitation });
    const before = store.dump();
    expect(() =>
      store.transaction((r) => {
        r.projects.insert({ name: 'Other', ownerId: owner.person.id, edition: 'web', createdAt: T0 });
        r.projectAccess.grant({ projectId: project.id, personId: bob.person.id, email: null, kind: 'copy', invitationId: invitation.id, createdAt: T0, handoff: 'handed_over' });
        r.returnedCopies.insert({ projectId: project.id, fromPersonId: bob.person.id, link: 'https://atlasti.com/x', note: null, createdAt: T0 });
        r.seatRequests.insert({ personId: bob.person.id, email: 'b@uni.example', projectInvitationId: invitation.id, requestedBy: owner.person.id, createdAt: T0 });
        expect(r.seatRequests.decide(request.id, { status: 'denied', decidedBy: owner.person.id, decidedAt: T0 })).toBe(true);
        expect(r.seats.release(seat.id, T0)).toBe(true);
        expect(r.invitations.transition(invitation.id, 'waiting_for_seat', { status: 'pending' })).toBe(true);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(store.dump()).toEqual(before);
    expect(store.dump()).toMatchObject({ projects: [project], seatRequests: [request], projectAccess: [], returnedCopies: [] });
    expect(store.seats().find((s) => s.id === seat.id)?.status).toBe('occupied');
    // ids are not burnt
    expect(aProject(store, { owner, name: 'Second' }).id).toBe(project.id + 1);
  });

  it('keeps the schema: project names unique per owner without letter case', () => {
    const { store } = domainDeps();
    const alice = aPerson(store);
    const bob = aPerson(store);
    const thesis = aProject(store, { owner: alice, name: 'Thesis', edition: 'web' });
    expect(() => aProject(store, { owner: alice, name: 'THESIS' })).toThrow(/UNIQUE/);
    // another owner may use the same name
    const bobs = aProject(store, { owner: bob, name: 'thesis' });
    aProject(store, { owner: alice, name: 'Appendix' });
    const got = store.transaction((r) => ({
      byName: r.projects.byOwnerAndName(alice.person.id, 'tHeSiS'),
      bobs: r.projects.byOwnerAndName(bob.person.id, 'Thesis'),
      none: r.projects.byOwnerAndName(bob.person.id, 'Appendix'),
      list: r.projects.listByOwner(alice.person.id).map((p) => p.name),
    }));
    expect(got).toEqual({ byName: thesis, bobs, none: undefined, list: ['Appendix', 'Thesis'] });
    expect(() => aProject(store, { owner: { ...alice.person, id: 99 }, name: 'Ghost' })).toThrow(/FOREIGN KEY/);
    expect(store.projects()).toHaveLength(3);
  });

  it('keeps the schema: one open project invitation per person and project, pending or waiting for a seat', () => {
    const { store } = domainDeps();
    const owner = aPerson(store);
    const bob = aPerson(store);
    const project = aProject(store, { owner });
    const other = aProject(store, { owner });
    const first = aProjectInvitation(store, { project, invitee: bob, status: 'waiting_for_seat' }).invitation;
    expect(() => aProjectInvitation(store, { project, invitee: bob })).toThrow(/UNIQUE/);
    expect(() => aProjectInvitation(store, { project, invitee: bob, status: 'waiting_for_seat' })).toThrow(/UNIQUE/);
    // another project, or a license invitation, is no conflict
    aProjectInvitation(store, { project: other, invitee: bob });
    const license = aLicense(store);
    store.transaction((r) =>
      r.invitations.insert({
        kind: 'license', licenseId: license.id, inviteeId: bob.person.id, inviteeEmail: null, inviterId: owner.person.id,
        status: 'pending', tokenHash: 'lic', platform: 'slack', createdAt: T0, sentAt: T0, expiresAt: T0 + 1,
      }),
    );
    expect(store.transaction((r) => r.invitations.openForProject(project.id, bob.person.id))?.id).toBe(first.id);
    expect(store.transaction((r) => r.invitations.waitingForSeat(bob.person.id)).map((i) => i.id)).toEqual([first.id]);
    // once it is closed, a new one may be opened; reopening the old one then collides
    store.transaction((r) => r.invitations.transition(first.id, 'waiting_for_seat', { status: 'revoked' }));
    expect(store.transaction((r) => r.invitations.openForProject(project.id, bob.person.id))).toBeUndefined();
    const second = aProjectInvitation(store, { project, invitee: bob }).invitation;
    expect(() => store.transaction((r) => r.invitations.update(first.id, { status: 'pending' }))).toThrow(/UNIQUE/);
    expect(store.invitation(first.id).status).toBe('revoked');
    expect(store.invitations().filter((i) => i.projectId === project.id).map((i) => i.id)).toEqual([first.id, second.id]);
    expect(() => aProjectInvitation(store, { project: { ...project, id: 99 }, invitee: bob })).toThrow(/FOREIGN KEY/);
  });

  it('fills the new invitation columns with null when a license invitation leaves them out', () => {
    const { store } = domainDeps();
    const alice = aPerson(store).person;
    const license = aLicense(store);
    const inv = store.transaction((r) =>
      r.invitations.insert({
        kind: 'license', licenseId: license.id, inviteeId: alice.id, inviteeEmail: null, inviterId: alice.id,
        status: 'pending', tokenHash: 'h', platform: 'slack', createdAt: T0, sentAt: T0, expiresAt: T0 + 1,
      }),
    );
    expect(inv).toMatchObject({ projectId: null, message: null, desktopLink: null, licenseId: license.id });
  });

  it('keeps the schema: one project access row per person and project, and its foreign keys', () => {
    const { store } = domainDeps();
    const owner = aPerson(store);
    const bob = aPerson(store);
    const web = aProject(store, { owner, edition: 'web' });
    const desktop = aProject(store, { owner, edition: 'desktop' });
    const member = aProjectAccess(store, { project: web, person: bob });
    expect(member.kind).toBe('member');
    expect(() => aProjectAccess(store, { project: web, person: bob, kind: 'copy' })).toThrow(/UNIQUE/);
    expect(aProjectAccess(store, { project: desktop, person: bob }).kind).toBe('copy');
    expect(() => aProjectAccess(store, { project: { ...web, id: 99 }, person: bob })).toThrow(/FOREIGN KEY/);
    expect(() => aProjectAccess(store, { project: desktop, person: owner, invitationId: 99 })).toThrow(/FOREIGN KEY/);
    expect(store.transaction((r) => [r.projectAccess.has(web.id, bob.person.id), r.projectAccess.has(web.id, owner.person.id)])).toEqual([true, false]);
    expect(store.transaction((r) => r.projectAccess.forPerson(bob.person.id)).map((a) => a.projectId)).toEqual([web.id, desktop.id]);
    expect(store.projectAccess()).toHaveLength(2);
  });

  it('finds occupied seats by email in any letter case, and releases a seat once', () => {
    const { store } = domainDeps();
    const bob = aPerson(store, { email: 'Bob@Uni.example' });
    const other = aPerson(store, { email: null });
    const license = aLicense(store);
    const seat = aSeat(store, { license, person: bob });
    aSeat(store, { license, person: other });
    expect(seat).toMatchObject({ personId: bob.person.id, email: 'Bob@Uni.example', status: 'occupied' });
    expect(store.transaction((r) => r.seats.occupiedByEmailAnyCase('bob@uni.EXAMPLE')).map((s) => s.id)).toEqual([seat.id]);
    expect(store.transaction((r) => r.licenses.usage(license.id))).toEqual({ occupied: 2, reserved: 0 });
    expect(store.transaction((r) => r.seats.release(seat.id, T0 + 5))).toBe(true);
    expect(store.transaction((r) => r.seats.release(seat.id, T0 + 6))).toBe(false);
    expect(store.transaction((r) => r.seats.release(99, T0))).toBe(false);
    expect(store.seats().find((s) => s.id === seat.id)?.status).toBe('released');
    expect(store.dump().seats.find((s) => s.id === seat.id)?.releasedAt).toBe(T0 + 5);
    expect(store.transaction((r) => r.seats.occupiedByEmailAnyCase('bob@uni.example'))).toEqual([]);
    // released, the person may hold a seat of that pool again
    aSeat(store, { license, person: bob });
  });

  it('decides a seat request once, and checks its foreign keys', () => {
    const { store } = domainDeps();
    const owner = aPerson(store);
    const admin = aPerson(store);
    const bob = aPerson(store);
    const project = aProject(store, { owner });
    const { invitation } = aProjectInvitation(store, { project, invitee: bob, status: 'waiting_for_seat' });
    const request = aSeatRequest(store, { invitation });
    expect(request).toMatchObject({ status: 'pending', requestedBy: owner.person.id, email: bob.person.email, decidedBy: null, licenseId: null });
    expect(store.transaction((r) => r.seatRequests.pendingForInvitation(invitation.id))?.id).toBe(request.id);
    const decide = (licenseId: number) => store.transaction((r) =>
      r.seatRequests.decide(request.id, { status: 'approved', decidedBy: admin.person.id, decidedAt: T0 + 1, licenseId }));
    expect(() => decide(99)).toThrow(/FOREIGN KEY/);
    expect(store.seatRequests()[0]?.status).toBe('pending');
    const license = aLicense(store);
    expect(decide(license.id)).toBe(true);
    expect(decide(license.id)).toBe(false);
    expect(store.seatRequests()).toEqual([{ ...request, status: 'approved', decidedBy: admin.person.id, decidedAt: T0 + 1, licenseId: license.id }]);
    expect(store.transaction((r) => r.seatRequests.pendingForInvitation(invitation.id))).toBeUndefined();
    expect(() => aSeatRequest(store, { invitation: { ...invitation, id: 99 } })).toThrow(/FOREIGN KEY/);
    expect(() =>
      store.transaction((r) => r.returnedCopies.insert({ projectId: 99, fromPersonId: bob.person.id, link: 'https://atlasti.com/x', note: null, createdAt: T0 })),
    ).toThrow(/FOREIGN KEY/);
    expect(store.returnedCopies()).toEqual([]);
  });

  it('has a clock that stands still until told', () => {
    const clock = fixedClock(1000);
    expect(clock.now()).toBe(1000);
    expect(clock.now()).toBe(1000);
    clock.advance(500);
    expect(clock.now()).toBe(1500);
  });
});
