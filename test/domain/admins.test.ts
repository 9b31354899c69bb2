/** Who is a license admin, and what a non-admin is refused (with nothing written). */
import { describe, expect, it } from 'vitest';
import { addAdmin, addLicense, inviteToLicense, licenseInviteOptions, removeAdmin, reviewPending } from '../../src/domain/index.js';
import { aLicense, anAdmin, aPerson, domainDeps, domainErrorOf, invited, type TestDeps, type Someone } from '../support/test-store.js';

const canAddLicense = async (deps: TestDeps, who: Someone, name = 'Pool') => {
  const result = await addLicense({ deps, actor: who.actor, input: { name, seats: 3 } });
  return result.license.name === name;
};

describe('who is an admin', () => {
  it('a person named in configuredAdmins by Slack user id', async () => {
    const deps = domainDeps({ settings: { configuredAdmins: ['UADA'] } });
    const ada = aPerson(deps.store, { slackUserId: 'UADA' });
    expect(await canAddLicense(deps, ada)).toBe(true);
  });

  it('a person named in configuredAdmins by email, compared without letter case and spaces', async () => {
    const deps = domainDeps({ settings: { configuredAdmins: ['  ada.LOVELACE@uni.example '] } });
    const ada = aPerson(deps.store, { email: 'Ada.Lovelace@Uni.Example', slackUserId: 'UNOTLISTED' });
    expect(await canAddLicense(deps, ada)).toBe(true);
  });

  it('not a person whose email only resembles a configured one', async () => {
    const deps = domainDeps({ settings: { configuredAdmins: ['ada@uni.example', 'UADA'] } });
    const near = aPerson(deps.store, { email: 'ada@uni.example.org', slackUserId: 'UADA2' });
    expect((await domainErrorOf(canAddLicense(deps, near))).code).toBe('FORBIDDEN');
  });

  it('a person added with addAdmin, who can then act and add others; the addition is audited', async () => {
    const deps = domainDeps({ settings: { configuredAdmins: ['UADA'] } });
    const ada = aPerson(deps.store, { slackUserId: 'UADA' });
    const bob = aPerson(deps.store);
    const carol = aPerson(deps.store);
    expect((await domainErrorOf(canAddLicense(deps, bob))).code).toBe('FORBIDDEN');

    const res = await addAdmin({ deps, actor: ada.actor, input: { personId: bob.person.id } });
    expect(res).toMatchObject({ added: true, person: { id: bob.person.id } });
    expect(await canAddLicense(deps, bob, 'Bob pool')).toBe(true);
    await addAdmin({ deps, actor: bob.actor, input: { personId: carol.person.id } });
    expect(await canAddLicense(deps, carol, 'Carol pool')).toBe(true);

    const added = deps.store.auditLog().filter((e) => e.action === 'admin.added');
    expect(added.map((e) => [e.subjectId, e.actorPersonId])).toEqual([
      [bob.person.id, ada.person.id],
      [carol.person.id, bob.person.id],
    ]);
    // adding again changes nothing and audits nothing
    const again = await addAdmin({ deps, actor: ada.actor, input: { personId: bob.person.id } });
    expect(again.added).toBe(false);
    expect(deps.store.auditLog().filter((e) => e.action === 'admin.added')).toHaveLength(2);
  });

  it('a removed admin is refused again', async () => {
    const deps = domainDeps();
    const ada = anAdmin(deps.store);
    const bob = anAdmin(deps.store);
    expect(await canAddLicense(deps, bob)).toBe(true);
    expect((await removeAdmin({ deps, actor: ada.actor, input: { personId: bob.person.id } })).removed).toBe(true);
    expect((await domainErrorOf(canAddLicense(deps, bob, 'Other'))).code).toBe('FORBIDDEN');
    expect(deps.store.auditLog().filter((e) => e.action === 'admin.removed').map((e) => e.subjectId)).toEqual([bob.person.id]);
  });
});

describe('a non-admin', () => {
  const world = () => {
    const deps = domainDeps({ settings: { configuredAdmins: ['UADA'] } });
    const ada = aPerson(deps.store, { slackUserId: 'UADA' });
    const mallory = aPerson(deps.store, { displayName: 'Mallory' });
    const bob = aPerson(deps.store);
    aLicense(deps.store, { name: 'Campus', seats: 5 });
    return { deps, ada, mallory, bob };
  };

  it('cannot add a license, and nothing is written', async () => {
    const { deps, mallory } = world();
    const before = deps.store.dump();
    const err = await domainErrorOf(addLicense({ deps, actor: mallory.actor, input: { name: 'Mine', seats: 10 } }));
    expect(err.code).toBe('FORBIDDEN');
    expect(err.userMessage).toMatch(/license admins/);
    expect(deps.store.dump()).toEqual(before);
  });

  it('cannot invite, and nothing is written: no invitation, no message, no audit row', async () => {
    const { deps, mallory, bob } = world();
    const before = deps.store.dump();
    const err = await domainErrorOf(inviteToLicense({ deps, actor: mallory.actor, input: { invitees: [{ personId: bob.person.id }, { personId: mallory.person.id }] } }));
    expect(err.code).toBe('FORBIDDEN');
    expect(deps.store.invitations()).toEqual([]);
    expect(deps.store.outbox()).toEqual([]);
    expect(deps.store.auditLog()).toEqual([]);
    expect(deps.store.dump()).toEqual(before);
  });

  it('cannot list pending invitations', async () => {
    const { deps, ada, mallory, bob } = world();
    await invited(deps, ada, bob);
    const before = deps.store.dump();
    expect((await domainErrorOf(reviewPending({ deps, actor: mallory.actor, input: undefined }))).code).toBe('FORBIDDEN');
    // the invitee is not an admin either, even though the invitation is theirs
    expect((await domainErrorOf(reviewPending({ deps, actor: bob.actor, input: undefined }))).code).toBe('FORBIDDEN');
    expect(deps.store.dump()).toEqual(before);
    const pages = await reviewPending({ deps, actor: ada.actor, input: undefined });
    const items = pages.flatMap((p) => p.entries).flatMap((e) => (e.kind === 'item' ? [e.item.inviteeName] : []));
    expect(items).toEqual([bob.person.displayName]);
  });

  it('is not offered the invite form; an admin is, with every pool, or NO_LICENSE when there is none', async () => {
    const { deps, ada, mallory } = world();
    expect((await domainErrorOf(licenseInviteOptions({ deps, actor: mallory.actor, input: undefined }))).code).toBe('FORBIDDEN');
    expect((await licenseInviteOptions({ deps, actor: ada.actor, input: undefined })).map((u) => u.license.name)).toEqual(['Campus']);
    const empty = domainDeps({ settings: { configuredAdmins: ['UADA'] } });
    const ada2 = aPerson(empty.store, { slackUserId: 'UADA' });
    expect((await domainErrorOf(licenseInviteOptions({ deps: empty, actor: ada2.actor, input: undefined }))).code).toBe('NO_LICENSE');
  });

  it('cannot make anyone an admin, themselves included', async () => {
    const { deps, mallory } = world();
    const before = deps.store.dump();
    expect((await domainErrorOf(addAdmin({ deps, actor: mallory.actor, input: { personId: mallory.person.id } }))).code).toBe('FORBIDDEN');
    expect(deps.store.dump()).toEqual(before);
    expect((await domainErrorOf(canAddLicense(deps, mallory))).code).toBe('FORBIDDEN');
  });
});
