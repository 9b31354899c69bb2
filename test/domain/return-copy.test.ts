import { describe, expect, it } from 'vitest';
import { acceptInvitation, MESSAGE_MAX, returnOptions, returnProjectCopy, shareProject } from '../../src/domain/index.js';
import { aLicense, aPerson, aProject, aProjectAccess, aSeat, audited, domainDeps, domainErrorOf, T0, type Someone, type TestDeps } from '../support/test-store.js';
import { statusSeenBy } from '../support/status.js';

const COPY_LINK = 'https://cloud.atlasti.com/returns/diaries-alice.atlasti';

const world = () => {
  const deps = domainDeps();
  const olive = aPerson(deps.store, { displayName: 'Olive', email: 'olive@uni.example' });
  const alice = aPerson(deps.store, { displayName: 'Alice', email: 'alice@uni.example' });
  const carl = aPerson(deps.store, { displayName: 'Carl', email: 'carl@uni.example' });
  const mallory = aPerson(deps.store, { displayName: 'Mallory', email: 'mallory@uni.example' });
  const license = aLicense(deps.store, { seats: 5 });
  const desktop = aProject(deps.store, { owner: olive, name: 'Diaries', edition: 'desktop' });
  const web = aProject(deps.store, { owner: olive, name: 'Panel', edition: 'web' });
  aProjectAccess(deps.store, { project: desktop, person: alice }); // a copy
  aProjectAccess(deps.store, { project: web, person: alice }); // a member
  aProjectAccess(deps.store, { project: web, person: carl }); // a member
  return { deps, olive, alice, carl, mallory, license, desktop, web };
};

const giveBack = (deps: TestDeps, who: Someone, input: { projectId: number; link: string; note?: string | null }) => returnProjectCopy({ deps, actor: who.actor, input });

describe('returnOptions', () => {
  it('lists only the Desktop projects the person holds a copy of', async () => {
    const { deps, olive, alice, carl, mallory, desktop } = world();
    expect(await returnOptions({ deps, actor: alice.actor, input: undefined })).toEqual([desktop]);
    expect(await returnOptions({ deps, actor: carl.actor, input: undefined })).toEqual([]);
    expect(await returnOptions({ deps, actor: mallory.actor, input: undefined })).toEqual([]);
    // the owner holds the project itself, not a copy of it
    expect(await returnOptions({ deps, actor: olive.actor, input: undefined })).toEqual([]);
  });

  it('a Desktop invitation accepted through the verbs shows up', async () => {
    const { deps, olive, carl, license, desktop } = world();
    aSeat(deps.store, { license, person: carl });
    const res = await shareProject({ deps, actor: olive.actor, input: { project: { id: desktop.id }, desktopLink: 'https://atlasti.com/i/x', invitees: [{ personId: carl.person.id }] } });
    const id = (res.outcomes[0] as { invitationId: number }).invitationId;
    expect(await returnOptions({ deps, actor: carl.actor, input: undefined })).toEqual([]);
    await acceptInvitation({ deps, actor: carl.actor, input: { invitationId: id } });
    expect((await returnOptions({ deps, actor: carl.actor, input: undefined })).map((p) => p.name)).toEqual(['Diaries']);
  });
});

describe('returnProjectCopy', () => {
  it('the holder of a copy sends it back: kept, audited, and the owner gets the link and the note', async () => {
    const { deps, olive, alice, desktop } = world();
    deps.clock.advance(1000);
    const n = deps.store.outbox().length;
    const res = await giveBack(deps, alice, { projectId: desktop.id, link: `  ${COPY_LINK}  `, note: '  Coded chapter 3  ' });
    expect(res.project).toEqual(desktop);
    expect(res.copy).toEqual({ id: 1, projectId: desktop.id, fromPersonId: alice.person.id, link: COPY_LINK, note: 'Coded chapter 3', createdAt: T0 + 1000 });
    expect(deps.store.returnedCopies()).toEqual([res.copy]);
    const fresh = deps.store.outbox().slice(n);
    expect(fresh.map((e) => [e.to, e.message])).toEqual([
      [{ type: 'person', personId: olive.person.id }, { type: 'copy_returned', projectName: 'Diaries', fromName: 'Alice', link: COPY_LINK, note: 'Coded chapter 3' }],
    ]);
    expect(audited(deps.store, 'project.copy_returned')).toMatchObject([{ subjectType: 'project', subjectId: desktop.id, actorPersonId: alice.person.id, details: { copyId: 1 } }]);
    const status = await statusSeenBy({ deps, actor: alice.actor, input: {} });
    expect(status.returnedCopies).toEqual([{ projectId: res.project.id, projectName: 'Diaries', at: T0 + 1000 }]);
  });

  it('a blank note is no note; copies can be returned more than once', async () => {
    const { deps, alice, desktop } = world();
    await giveBack(deps, alice, { projectId: desktop.id, link: COPY_LINK, note: '   ' });
    await giveBack(deps, alice, { projectId: desktop.id, link: COPY_LINK });
    expect(deps.store.returnedCopies().map((c) => c.note)).toEqual([null, null]);
    expect(deps.store.messages('copy_returned').map((e) => e.message.note)).toEqual([null, null]);
  });

  it('a Web member, a stranger, the owner, or an unknown project: FORBIDDEN on "project", nothing written', async () => {
    const { deps, olive, alice, carl, mallory, desktop, web } = world();
    const before = deps.store.dump();
    for (const [who, projectId] of [[carl, web.id], [alice, web.id], [mallory, desktop.id], [carl, desktop.id], [olive, desktop.id], [alice, 999]] as const) {
      const err = await domainErrorOf(giveBack(deps, who, { projectId, link: COPY_LINK }));
      expect(err.code).toBe('FORBIDDEN');
      expect(err.details).toEqual({ field: 'project' });
    }
    expect(deps.store.dump()).toEqual(before);
  });

  it.each(['http://cloud.atlasti.com/x', 'https://evilatlasti.com/x', 'https://evil.example/x', 'https://u:p@atlasti.com/x', 'not a link', ''])(
    'the link %j is checked like a shared one: INVALID_INPUT on "link", nothing written',
    async (link) => {
      const { deps, alice, desktop } = world();
      const before = deps.store.dump();
      const err = await domainErrorOf(giveBack(deps, alice, { projectId: desktop.id, link }));
      expect(err.code).toBe('INVALID_INPUT');
      expect(err.details).toEqual({ field: 'link' });
      expect(deps.store.dump()).toEqual(before);
    },
  );

  it('uses LINK_ALLOWED_HOSTS', async () => {
    const deps = domainDeps({ settings: { linkAllowedHosts: ['files.uni.example'] } });
    const olive = aPerson(deps.store, { displayName: 'Olive' });
    const alice = aPerson(deps.store, { displayName: 'Alice' });
    const desktop = aProject(deps.store, { owner: olive, edition: 'desktop' });
    aProjectAccess(deps.store, { project: desktop, person: alice });
    expect((await domainErrorOf(giveBack(deps, alice, { projectId: desktop.id, link: COPY_LINK }))).details).toEqual({ field: 'link' });
    expect((await giveBack(deps, alice, { projectId: desktop.id, link: 'https://files.uni.example/c.atlasti' })).copy.link).toBe('https://files.uni.example/c.atlasti');
  });

  it('a note of MESSAGE_MAX characters is fine; one more is INVALID_INPUT on "note"', async () => {
    const { deps, alice, desktop } = world();
    expect((await giveBack(deps, alice, { projectId: desktop.id, link: COPY_LINK, note: 'n'.repeat(MESSAGE_MAX) })).copy.note).toHaveLength(MESSAGE_MAX);
    const before = deps.store.dump();
    const err = await domainErrorOf(giveBack(deps, alice, { projectId: desktop.id, link: COPY_LINK, note: 'n'.repeat(MESSAGE_MAX + 1) }));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.details).toEqual({ field: 'note' });
    expect(deps.store.dump()).toEqual(before);
  });
});
