/** The fake must behave like the SQLite store where the domain relies on it, or the other tests prove little. */
import { describe, expect, it } from 'vitest';
import type { Repositories } from '../../src/domain/index.js';
import { aLicense, aPerson, domainDeps, fixedClock, T0 } from '../support/memory-store.js';

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
      }) as (r: Repositories) => unknown),
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
    store.transaction((r) => r.licenses.insert({ name: 'Campus', seats: 1, createdBy: alice.id, createdAt: T0 }));
    expect(() => store.transaction((r) => r.licenses.insert({ name: 'CAMPUS', seats: 1, createdBy: alice.id, createdAt: T0 }))).toThrow(/UNIQUE/);
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

  it('has a clock that stands still until told', () => {
    const clock = fixedClock(1000);
    expect(clock.now()).toBe(1000);
    expect(clock.now()).toBe(1000);
    clock.advance(500);
    expect(clock.now()).toBe(1500);
  });
});
