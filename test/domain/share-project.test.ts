import { describe, expect, it } from 'vitest';
import {
  hashToken,
  MESSAGE_MAX,
  openInvitationLink,
  resendInvitation,
  revokeInvitation,
  shareFormProblems,
  shareOptions,
  shareProject,
  sharedLinkProblem,
  type DomainSettings,
  type ShareProjectInput,
} from '../../src/domain/index.js';
import { requireOwnerOrAdmin } from '../../src/domain/share-project.js';
import {
  aLicense,
  anAdmin,
  anEmailOnlyPerson,
  aPerson,
  aProject,
  aProjectAccess,
  aProjectInvitation,
  aSeat,
  audited,
  DAY_MS,
  domainDeps,
  domainErrorOf,
  T0,
  tokenOf,
  type Someone,
  type TestDeps,
} from '../support/test-store.js';

const DESKTOP_LINK = 'https://cloud.atlasti.com/share/diaries.atlasti';

const world = (settings: Partial<DomainSettings> = {}) => {
  const deps = domainDeps({ settings });
  const ada = anAdmin(deps.store, { displayName: 'Ada Admin', email: 'ada@uni.example' });
  const olive = aPerson(deps.store, { displayName: 'Olive', email: 'olive@uni.example' });
  const alice = aPerson(deps.store, { displayName: 'Alice', email: 'Alice.Smith@uni.example' });
  const bob = aPerson(deps.store, { displayName: 'Bob', email: 'bob@uni.example' });
  const mallory = aPerson(deps.store, { displayName: 'Mallory', email: 'mallory@uni.example' });
  const license = aLicense(deps.store, { name: 'Campus', seats: 10 });
  aSeat(deps.store, { license, person: olive });
  aSeat(deps.store, { license, person: alice });
  const web = aProject(deps.store, { owner: olive, name: 'Panel', edition: 'web' });
  const desktop = aProject(deps.store, { owner: olive, name: 'Diaries', edition: 'desktop' });
  return { deps, ada, olive, alice, bob, mallory, license, web, desktop };
};

const share = (deps: TestDeps, who: Someone, input: ShareProjectInput) => shareProject({ deps, actor: who.actor, input });

/** Every message that carried a personalized link for this invitation, oldest first. */
const linksFor = (deps: TestDeps, invitationId: number) =>
  deps.store
    .outbox()
    .flatMap((e) =>
      (e.message.type === 'project_invitation' || e.message.type === 'forward_link') && e.message.invitation.invitationId === invitationId
        ? [{ entry: e, link: e.message.link, token: tokenOf(e.message.link) }]
        : [],
    );

const projectInvitations = (deps: TestDeps) => deps.store.invitations().filter((i) => i.kind === 'project');

describe('shareFormProblems', () => {
  it('a complete form has no problems, and looking writes nothing', async () => {
    const { deps, olive, desktop } = world();
    const before = deps.store.dump();
    expect(await shareFormProblems({ deps, actor: olive.actor, input: { project: { name: 'Interviews' }, edition: 'web', inviteeCount: 1 } })).toEqual({});
    expect(await shareFormProblems({ deps, actor: olive.actor, input: { project: { id: desktop.id }, inviteeCount: 2, desktopLink: DESKTOP_LINK, message: 'hi' } })).toEqual({});
    expect(deps.store.dump()).toEqual(before);
  });

  it('a new project needs a name and an edition', async () => {
    const { deps, olive } = world();
    const problems = (input: Parameters<typeof shareFormProblems>[0]['input']) => shareFormProblems({ deps, actor: olive.actor, input });
    expect(Object.keys(await problems({ project: { name: '   ' }, edition: null, inviteeCount: 1 })).sort()).toEqual(['edition', 'project']);
    expect(await problems({ project: { name: '   ' }, edition: 'web', inviteeCount: 1 })).toEqual({ project: 'Give the project a name.' });
    expect(Object.keys(await problems({ project: { name: 'Interviews' }, inviteeCount: 1 }))).toEqual(['edition']);
    expect(Object.keys(await problems({ project: { name: 'x'.repeat(121) }, edition: 'web', inviteeCount: 1 }))).toEqual(['project']);
    expect(await problems({ project: { name: 'x'.repeat(120) }, edition: 'web', inviteeCount: 1 })).toEqual({});
    expect(Object.keys(await problems({ project: null, edition: 'web', inviteeCount: 1 }))).toEqual(['project']);
  });

  it('a name of one of my projects (any case) is that project: its own edition counts, not the one picked', async () => {
    const { deps, olive } = world();
    // Diaries is Desktop: no edition needed, but the Desktop link is
    expect(await shareFormProblems({ deps, actor: olive.actor, input: { project: { name: 'DIARIES' }, inviteeCount: 1 } })).toEqual({
      desktopLink: expect.any(String),
    });
    expect(await shareFormProblems({ deps, actor: olive.actor, input: { project: { name: 'diaries' }, edition: 'web', inviteeCount: 1 } })).toHaveProperty('desktopLink');
    // Panel is Web: no link needed even when Desktop was picked
    expect(await shareFormProblems({ deps, actor: olive.actor, input: { project: { name: 'panel' }, edition: 'desktop', inviteeCount: 1 } })).toEqual({});
  });

  it('an existing project of someone else is a problem on "project"; an admin may share it; an unknown id too', async () => {
    const { deps, ada, mallory, web } = world();
    const input = { project: { id: web.id }, inviteeCount: 1 };
    expect(Object.keys(await shareFormProblems({ deps, actor: mallory.actor, input }))).toEqual(['project']);
    expect((await shareFormProblems({ deps, actor: mallory.actor, input })).project).toContain('Panel');
    expect(await shareFormProblems({ deps, actor: ada.actor, input })).toEqual({});
    expect(Object.keys(await shareFormProblems({ deps, actor: ada.actor, input: { project: { id: 999 }, inviteeCount: 1 } }))).toEqual(['project']);
  });

  it('no invitees is a problem on "invitees"', async () => {
    const { deps, olive, web } = world();
    expect(Object.keys(await shareFormProblems({ deps, actor: olive.actor, input: { project: { id: web.id }, inviteeCount: 0 } }))).toEqual(['invitees']);
  });

  it('a message over MESSAGE_MAX is a problem on "message"; exactly MESSAGE_MAX (after trimming) is fine', async () => {
    const { deps, olive, web } = world();
    const problems = (message: string) => shareFormProblems({ deps, actor: olive.actor, input: { project: { id: web.id }, inviteeCount: 1, message } });
    expect(await problems('m'.repeat(MESSAGE_MAX))).toEqual({});
    expect(await problems(`  ${'m'.repeat(MESSAGE_MAX)}\n  `)).toEqual({});
    const over = await problems('m'.repeat(MESSAGE_MAX + 1));
    expect(Object.keys(over)).toEqual(['message']);
    expect(over.message).toContain(String(MESSAGE_MAX + 1));
  });

  it('a Desktop project needs a link', async () => {
    const { deps, olive, desktop } = world();
    for (const desktopLink of [undefined, null, '', '   ']) {
      expect(Object.keys(await shareFormProblems({ deps, actor: olive.actor, input: { project: { id: desktop.id }, inviteeCount: 1, desktopLink } }))).toEqual(['desktopLink']);
    }
    expect(Object.keys(await shareFormProblems({ deps, actor: olive.actor, input: { project: { name: 'New desk' }, edition: 'desktop', inviteeCount: 1 } }))).toEqual(['desktopLink']);
  });

  it.each([
    ['https://atlasti.com/invite/abc', true],
    ['https://cloud.atlasti.com/share/p.atlasti', true],
    ['https://a.b.atlasti.com/x', true],
    ['https://ATLASTI.com/x', true],
    ['https://atlasti.com./x', true],
    ['  https://atlasti.com/x  ', true],
    ['https://atlasti.com:8443/x', true],
    ['http://atlasti.com/x', false],
    ['ftp://atlasti.com/x', false],
    ['https://evilatlasti.com/x', false],
    ['https://atlasti.com.evil.example/x', false],
    ['https://evil.example/atlasti.com', false],
    ['https://evil.example/?u=https://atlasti.com', false],
    ['https://user:pw@atlasti.com/x', false],
    ['https://user@atlasti.com/x', false],
    ['atlasti.com/x', false],
    ['not a link', false],
  ])('Desktop link %s allowed: %s', async (desktopLink, ok) => {
    const { deps, olive, desktop } = world();
    const problems = await shareFormProblems({ deps, actor: olive.actor, input: { project: { id: desktop.id }, inviteeCount: 1, desktopLink } });
    if (ok) expect(problems).toEqual({});
    else expect(Object.keys(problems)).toEqual(['desktopLink']);
  });

  it('a Web project ignores the link field', async () => {
    const { deps, olive, web } = world();
    expect(await shareFormProblems({ deps, actor: olive.actor, input: { project: { id: web.id }, inviteeCount: 1, desktopLink: 'http://evil.example' } })).toEqual({});
  });

  it('LINK_ALLOWED_HOSTS: an exact host matches only itself, a `*.` wildcard only real subdomains', () => {
    expect(sharedLinkProblem('https://drive.example.org/f', ['drive.example.org'])).toBeNull();
    expect(sharedLinkProblem('https://sub.drive.example.org/f', ['drive.example.org'])).toMatch(/sub\.drive\.example\.org/);
    expect(sharedLinkProblem('https://atlasti.com/f', ['*.atlasti.com'])).not.toBeNull();
    expect(sharedLinkProblem('https://x.atlasti.com/f', ['*.atlasti.com'])).toBeNull();
    expect(sharedLinkProblem('https://evilatlasti.com/f', ['*.atlasti.com'])).toMatch(/evilatlasti\.com/);
    expect(sharedLinkProblem('https://x.atlasti.com/f', [' *.ATLASTI.com '])).toBeNull();
    expect(sharedLinkProblem('https://atlasti.com/f', [])).not.toBeNull();
    expect(sharedLinkProblem('http://atlasti.com/f', ['atlasti.com'])).toMatch(/https/);
  });

  it('uses the configured hosts', async () => {
    const { deps, olive, desktop } = world({ linkAllowedHosts: ['files.uni.example'] });
    const problems = (desktopLink: string) => shareFormProblems({ deps, actor: olive.actor, input: { project: { id: desktop.id }, inviteeCount: 1, desktopLink } });
    expect(await problems('https://files.uni.example/p.atlasti')).toEqual({});
    expect(Object.keys(await problems(DESKTOP_LINK))).toEqual(['desktopLink']);
  });

  it('reports every problem at once, each on its own field', async () => {
    const { deps, olive } = world();
    const problems = await shareFormProblems({
      deps,
      actor: olive.actor,
      input: { project: { name: 'New desk' }, edition: 'desktop', inviteeCount: 0, desktopLink: 'http://atlasti.com/x', message: 'm'.repeat(MESSAGE_MAX + 5) },
    });
    expect(Object.keys(problems).sort()).toEqual(['desktopLink', 'invitees', 'message']);
  });
});

describe('requireOwnerOrAdmin', () => {
  it('the owner and admins (added or configured) pass; anyone else is FORBIDDEN, told who the owner is', async () => {
    const { deps, ada, olive, mallory, web } = world({ configuredAdmins: ['UROOT'] });
    const root = aPerson(deps.store, { slackUserId: 'UROOT', displayName: 'Root' });
    const check = (personId: number) => deps.store.transaction((r) => requireOwnerOrAdmin(r, deps.settings, web, personId, 'share it'));
    await expect(check(olive.person.id)).resolves.toBeUndefined();
    await expect(check(ada.person.id)).resolves.toBeUndefined();
    await expect(check(root.person.id)).resolves.toBeUndefined();
    let err: unknown;
    try {
      await check(mallory.person.id);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'FORBIDDEN' });
    expect((err as Error).message).toContain('Olive');
    expect((err as Error).message).toContain('Panel');
    await expect(check(999)).rejects.toThrow(/FORBIDDEN/);
  });
});

describe('shareProject: refusals', () => {
  it.each<[string, (w: ReturnType<typeof world>) => ShareProjectInput, string]>([
    ['no name', (w) => ({ project: { name: ' ' }, edition: 'web', invitees: [{ personId: w.alice.person.id }] }), 'project'],
    ['no edition', (w) => ({ project: { name: 'Interviews' }, invitees: [{ personId: w.alice.person.id }] }), 'edition'],
    ['no invitees', (w) => ({ project: { id: w.web.id }, invitees: [] }), 'invitees'],
    ['no Desktop link', (w) => ({ project: { id: w.desktop.id }, invitees: [{ personId: w.alice.person.id }] }), 'desktopLink'],
    ['an http link', (w) => ({ project: { id: w.desktop.id }, desktopLink: 'http://atlasti.com/x', invitees: [{ personId: w.alice.person.id }] }), 'desktopLink'],
    ['a look-alike host', (w) => ({ project: { id: w.desktop.id }, desktopLink: 'https://evilatlasti.com/x', invitees: [{ personId: w.alice.person.id }] }), 'desktopLink'],
    ['a long message', (w) => ({ project: { id: w.web.id }, message: 'm'.repeat(MESSAGE_MAX + 1), invitees: [{ personId: w.alice.person.id }] }), 'message'],
  ])('%s: INVALID_INPUT on its field, nothing written', async (_what, input, field) => {
    const w = world();
    const before = w.deps.store.dump();
    const err = await domainErrorOf(share(w.deps, w.olive, input(w)));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.details).toEqual({ field });
    expect(w.deps.store.dump()).toEqual(before);
  });

  it("someone else's project is FORBIDDEN; nothing written", async () => {
    const { deps, mallory, alice, web } = world();
    const before = deps.store.dump();
    const err = await domainErrorOf(share(deps, mallory, { project: { id: web.id }, invitees: [{ personId: alice.person.id }] }));
    expect(err.code).toBe('FORBIDDEN');
    expect(deps.store.dump()).toEqual(before);
  });

  it("an admin may share someone else's project: the admin is the inviter, the owner stays the owner", async () => {
    const { deps, ada, olive, alice, web } = world();
    const res = await share(deps, ada, { project: { id: web.id }, invitees: [{ personId: alice.person.id }] });
    expect(res.project).toEqual(web);
    expect(res.outcomes).toMatchObject([{ status: 'invited' }]);
    expect(projectInvitations(deps)).toMatchObject([{ projectId: web.id, inviterId: ada.person.id, inviteeId: alice.person.id, status: 'pending' }]);
    expect(deps.store.projects().find((p) => p.id === web.id)?.ownerId).toBe(olive.person.id);
    expect(deps.store.messages('project_invitation')[0]?.message.invitation).toMatchObject({ ownerName: 'Olive', inviterName: 'Ada Admin' });
  });

  it('an unknown invitee: NOT_FOUND, no project created, nobody invited', async () => {
    const { deps, olive, alice } = world();
    const before = deps.store.dump();
    const err = await domainErrorOf(share(deps, olive, { project: { name: 'Brand new' }, edition: 'web', invitees: [{ personId: alice.person.id }, { personId: 999 }] }));
    expect(err.code).toBe('NOT_FOUND');
    expect(deps.store.dump()).toEqual(before);
  });
});

describe('shareProject: the project', () => {
  it('creates a new project owned by the sharer, with an audit row; the same name again (any case) reuses it', async () => {
    const { deps, olive, alice, bob } = world();
    deps.clock.advance(1000);
    const first = await share(deps, olive, { project: { name: '  Interviews ' }, edition: 'web', invitees: [{ personId: alice.person.id }] });
    expect(first.project).toEqual({ id: 3, name: 'Interviews', ownerId: olive.person.id, edition: 'web', createdAt: T0 + 1000 });
    expect(audited(deps.store, 'project.created')).toMatchObject([
      { subjectType: 'project', subjectId: first.project.id, actorPersonId: olive.person.id, details: { name: 'Interviews', edition: 'web' } },
    ]);
    const again = await share(deps, olive, { project: { name: 'INTERVIEWS' }, edition: 'desktop', desktopLink: DESKTOP_LINK, invitees: [{ personId: bob.person.id }] });
    expect(again.project).toEqual(first.project);
    expect(deps.store.projects()).toHaveLength(3);
    expect(audited(deps.store, 'project.created')).toHaveLength(1);
    // a Web project carries no link, whatever was typed
    expect(projectInvitations(deps).map((i) => i.desktopLink)).toEqual([null, null]);
  });

  it('the same name belongs to each owner separately', async () => {
    const { deps, mallory, alice } = world();
    const res = await share(deps, mallory, { project: { name: 'Panel' }, edition: 'web', invitees: [{ personId: alice.person.id }] });
    expect(res.project.ownerId).toBe(mallory.person.id);
    expect(deps.store.projects().filter((p) => p.name === 'Panel')).toHaveLength(2);
  });

  it("shareOptions lists the actor's own projects only, by name", async () => {
    const { deps, ada, olive, mallory } = world();
    expect((await shareOptions({ deps, actor: olive.actor, input: undefined })).map((p) => p.name)).toEqual(['Diaries', 'Panel']);
    expect(await shareOptions({ deps, actor: mallory.actor, input: undefined })).toEqual([]);
    expect(await shareOptions({ deps, actor: ada.actor, input: undefined })).toEqual([]);
  });
});

describe('shareProject: the seat check, by exact account email', () => {
  it('an exact seat: a pending invitation and a DM to the invitee without the Desktop link, with a link to their own page', async () => {
    const { deps, olive, alice, desktop } = world();
    deps.clock.advance(DAY_MS);
    const now = deps.clock.now();
    const res = await share(deps, olive, {
      project: { id: desktop.id },
      desktopLink: `  ${DESKTOP_LINK} `,
      message: '  Please have a look  ',
      invitees: [{ personId: alice.person.id }],
    });
    expect(res.outcomes).toHaveLength(1);
    const outcome = res.outcomes[0]!;
    expect(outcome).toMatchObject({ status: 'invited', reachable: true, invitee: { id: alice.person.id } });
    if (outcome.status !== 'invited') throw new Error('not invited');

    const inv = deps.store.invitation(outcome.invitationId);
    expect(inv).toMatchObject({
      kind: 'project',
      projectId: desktop.id,
      licenseId: null,
      inviteeId: alice.person.id,
      inviteeEmail: 'Alice.Smith@uni.example',
      inviterId: olive.person.id,
      status: 'pending',
      message: 'Please have a look',
      desktopLink: DESKTOP_LINK,
      createdAt: now,
      sentAt: now,
      expiresAt: now + 14 * DAY_MS,
    });

    const dms = deps.store.messages('project_invitation');
    expect(dms).toHaveLength(1);
    expect(dms[0]!.to).toEqual({ type: 'person', personId: alice.person.id });
    expect(dms[0]!.message).toMatchObject({
      resent: false,
      invitation: {
        kind: 'project',
        invitationId: inv.id,
        status: 'pending',
        projectId: desktop.id,
        projectName: 'Diaries',
        edition: 'desktop',
        ownerName: 'Olive',
        inviterName: 'Olive',
        inviteeName: 'Alice',
        inviteeEmail: 'Alice.Smith@uni.example',
        message: 'Please have a look',
        expiresAt: now + 14 * DAY_MS,
        desktopLink: null,
      },
    });
    // the owner's link is in no message at all before accepting
    expect(JSON.stringify(deps.store.outbox())).not.toContain('diaries.atlasti');

    const [sent] = linksFor(deps, inv.id);
    expect(sent!.link).toBe(`https://bot.example.edu/invite/${sent!.token}`);
    expect(hashToken(sent!.token)).toBe(inv.tokenHash);
    expect(JSON.stringify(deps.store.dump().invitations)).not.toContain(sent!.token);
    expect((await openInvitationLink(deps, sent!.token))?.invitation).toMatchObject({ kind: 'project', invitationId: inv.id, desktopLink: null });

    expect(audited(deps.store, 'invitation.created')).toMatchObject([{ subjectId: inv.id, actorPersonId: olive.person.id, details: { projectId: desktop.id, inviteeId: alice.person.id } }]);
    // nothing needs the owner's attention
    expect(deps.store.messages('share_attention')).toEqual([]);
    expect(deps.store.messagesTo(olive.person.id)).toEqual([]);
  });

  it('an account email typed for the invitee is the one checked and recorded', async () => {
    const { deps, olive, license, web } = world();
    const carl = aPerson(deps.store, { displayName: 'Carl', email: 'carl@gmail.example' });
    aSeat(deps.store, { license, person: carl, email: 'Carl.Jones@uni.example' });
    const res = await share(deps, olive, { project: { id: web.id }, invitees: [{ personId: carl.person.id, email: 'Carl.Jones@uni.example' }] });
    expect(res.outcomes[0]).toMatchObject({ status: 'invited' });
    expect(projectInvitations(deps)[0]).toMatchObject({ inviteeEmail: 'Carl.Jones@uni.example', status: 'pending' });
  });

  it('a seat whose email differs only in letter case: email_case_mismatch with the email on record, no invitation, the sharer is told', async () => {
    const { deps, olive, license, web } = world();
    const dan = aPerson(deps.store, { displayName: 'Dan', email: 'Dan.Brown@uni.example' });
    aSeat(deps.store, { license, person: dan, email: 'dan.brown@uni.example' });
    const before = deps.store.invitations();
    const res = await share(deps, olive, { project: { id: web.id }, invitees: [{ personId: dan.person.id }] });
    expect(res.outcomes).toEqual([{ status: 'email_case_mismatch', invitee: dan.person, typed: 'Dan.Brown@uni.example', onRecord: 'dan.brown@uni.example' }]);
    expect(deps.store.invitations()).toEqual(before);
    expect(deps.store.messagesTo(dan.person.id)).toEqual([]);
    expect(deps.store.messages('share_attention').map((e) => [e.to, e.message])).toEqual([
      [
        { type: 'person', personId: olive.person.id },
        { type: 'share_attention', projectName: 'Panel', edition: 'web', waiting: [], mismatches: [{ name: 'Dan', typed: 'Dan.Brown@uni.example', onRecord: 'dan.brown@uni.example' }] },
      ],
    ]);
  });

  it('a typed email in the wrong case against an exact seat is a mismatch too', async () => {
    const { deps, olive, alice, web } = world();
    const res = await share(deps, olive, { project: { id: web.id }, invitees: [{ personId: alice.person.id, email: 'alice.smith@uni.example' }] });
    expect(res.outcomes[0]).toMatchObject({ status: 'email_case_mismatch', typed: 'alice.smith@uni.example', onRecord: 'Alice.Smith@uni.example' });
    expect(projectInvitations(deps)).toEqual([]);
  });

  it('no seat: the invitation waits for a seat, the invitee hears nothing, the sharer is told with the invitation to ask about', async () => {
    const { deps, olive, bob, desktop } = world();
    const res = await share(deps, olive, { project: { id: desktop.id }, desktopLink: DESKTOP_LINK, invitees: [{ personId: bob.person.id }] });
    const outcome = res.outcomes[0]!;
    expect(outcome).toMatchObject({ status: 'waiting_for_seat', email: 'bob@uni.example', invitee: { id: bob.person.id } });
    if (outcome.status !== 'waiting_for_seat') throw new Error('not waiting');
    expect(deps.store.invitation(outcome.invitationId)).toMatchObject({ kind: 'project', status: 'waiting_for_seat', inviteeEmail: 'bob@uni.example', desktopLink: DESKTOP_LINK });
    expect(deps.store.messagesTo(bob.person.id)).toEqual([]);
    expect(deps.store.messages('project_invitation')).toEqual([]);
    expect(deps.store.messages('forward_link')).toEqual([]);
    expect(deps.store.messages('share_attention').map((e) => [e.to, e.message])).toEqual([
      [
        { type: 'person', personId: olive.person.id },
        { type: 'share_attention', projectName: 'Diaries', edition: 'desktop', waiting: [{ invitationId: outcome.invitationId, name: 'Bob', email: 'bob@uni.example' }], mismatches: [] },
      ],
    ]);
    expect(audited(deps.store, 'invitation.waiting_for_seat')).toMatchObject([{ subjectId: outcome.invitationId }]);
    expect(audited(deps.store, 'invitation.created')).toEqual([]);
  });

  it('a seat under another email altogether does not count', async () => {
    const { deps, olive, bob, license, web } = world();
    aSeat(deps.store, { license, person: bob, email: 'robert@other.example' });
    const res = await share(deps, olive, { project: { id: web.id }, invitees: [{ personId: bob.person.id }] });
    expect(res.outcomes[0]).toMatchObject({ status: 'waiting_for_seat', email: 'bob@uni.example' });
  });

  it('a released seat does not count', async () => {
    const { deps, olive, alice, web } = world();
    deps.store.sql("UPDATE seats SET status = 'released' WHERE person_id = ?", alice.person.id);
    const res = await share(deps, olive, { project: { id: web.id }, invitees: [{ personId: alice.person.id }] });
    expect(res.outcomes[0]).toMatchObject({ status: 'waiting_for_seat' });
  });

  it('an invitation already open (pending or waiting): already_pending, nothing new', async () => {
    const { deps, olive, alice, bob, web } = world();
    const first = await share(deps, olive, { project: { id: web.id }, invitees: [{ personId: alice.person.id }, { personId: bob.person.id }] });
    const ids = first.outcomes.map((o) => ('invitationId' in o ? o.invitationId : 0));
    deps.clock.advance(1000);
    const outbox = deps.store.outbox().length;
    const before = deps.store.invitations();
    const again = await share(deps, olive, { project: { id: web.id }, invitees: [{ personId: alice.person.id }, { personId: bob.person.id }] });
    expect(again.outcomes).toMatchObject([
      { status: 'already_pending', invitationId: ids[0], since: T0 },
      { status: 'already_pending', invitationId: ids[1], since: T0 },
    ]);
    expect(deps.store.invitations()).toEqual(before);
    expect(deps.store.outbox()).toHaveLength(outbox);
  });

  it('someone who already has access: already_has_access', async () => {
    const { deps, olive, alice, web } = world();
    aProjectAccess(deps.store, { project: web, person: alice });
    const res = await share(deps, olive, { project: { id: web.id }, invitees: [{ personId: alice.person.id }] });
    expect(res.outcomes).toEqual([{ status: 'already_has_access', invitee: alice.person }]);
    expect(projectInvitations(deps)).toEqual([]);
  });

  it('the owner: is_owner, also when an admin shares it with them', async () => {
    const { deps, ada, olive, web } = world();
    expect((await share(deps, olive, { project: { id: web.id }, invitees: [{ personId: olive.person.id }] })).outcomes).toEqual([{ status: 'is_owner', invitee: olive.person }]);
    expect((await share(deps, ada, { project: { id: web.id }, invitees: [{ personId: olive.person.id }] })).outcomes).toEqual([{ status: 'is_owner', invitee: olive.person }]);
    expect(projectInvitations(deps)).toEqual([]);
  });

  it('a person without an email and none typed: no_email', async () => {
    const { deps, olive, web } = world();
    const nemo = aPerson(deps.store, { displayName: 'Nemo', email: null });
    expect((await share(deps, olive, { project: { id: web.id }, invitees: [{ personId: nemo.person.id }] })).outcomes).toEqual([{ status: 'no_email', invitee: nemo.person }]);
    expect(projectInvitations(deps)).toEqual([]);
  });

  it('an invitee known only by email (not in chat): the link goes to the sharer to forward', async () => {
    const { deps, olive, license, desktop } = world();
    const erin = anEmailOnlyPerson(deps.store, 'erin@uni.example');
    aSeat(deps.store, { license, person: erin });
    const res = await share(deps, olive, { project: { id: desktop.id }, desktopLink: DESKTOP_LINK, invitees: [{ personId: erin.person.id }] });
    const outcome = res.outcomes[0]!;
    expect(outcome).toMatchObject({ status: 'invited', reachable: false });
    if (outcome.status !== 'invited') throw new Error('not invited');
    expect(deps.store.messagesTo(erin.person.id)).toEqual([]);
    expect(deps.store.messages('project_invitation')).toEqual([]);
    const forwards = deps.store.messages('forward_link');
    expect(forwards).toHaveLength(1);
    expect(forwards[0]!.to).toEqual({ type: 'person', personId: olive.person.id });
    expect(forwards[0]!.message.invitation).toMatchObject({ kind: 'project', invitationId: outcome.invitationId, desktopLink: null });
    expect(hashToken(tokenOf(forwards[0]!.message.link))).toBe(deps.store.invitation(outcome.invitationId).tokenHash);
  });

  it('a forwarded link goes to the admin who shared, not to the owner', async () => {
    const { deps, ada, license, web } = world();
    const erin = anEmailOnlyPerson(deps.store, 'erin@uni.example');
    aSeat(deps.store, { license, person: erin });
    await share(deps, ada, { project: { id: web.id }, invitees: [{ personId: erin.person.id }] });
    expect(deps.store.messages('forward_link').map((e) => e.to)).toEqual([{ type: 'person', personId: ada.person.id }]);
  });

  it('several invitees: one outcome each, in order, the same person once; one attention message for all', async () => {
    const { deps, olive, alice, bob, license, web } = world();
    const dan = aPerson(deps.store, { displayName: 'Dan', email: 'Dan@uni.example' });
    aSeat(deps.store, { license, person: dan, email: 'dan@uni.example' });
    const res = await share(deps, olive, {
      project: { id: web.id },
      invitees: [{ personId: alice.person.id }, { personId: bob.person.id }, { personId: alice.person.id }, { personId: dan.person.id }, { personId: olive.person.id }],
    });
    expect(res.outcomes.map((o) => [o.status, o.invitee.id])).toEqual([
      ['invited', alice.person.id],
      ['waiting_for_seat', bob.person.id],
      ['email_case_mismatch', dan.person.id],
      ['is_owner', olive.person.id],
    ]);
    expect(projectInvitations(deps).map((i) => [i.inviteeId, i.status])).toEqual([
      [alice.person.id, 'pending'],
      [bob.person.id, 'waiting_for_seat'],
    ]);
    const attention = deps.store.messages('share_attention');
    expect(attention).toHaveLength(1);
    expect(attention[0]!.message.waiting.map((w) => w.name)).toEqual(['Bob']);
    expect(attention[0]!.message.mismatches.map((m) => m.name)).toEqual(['Dan']);
  });

  it('a declined invitation does not block sharing again', async () => {
    const { deps, olive, alice, web } = world();
    aProjectInvitation(deps.store, { project: web, invitee: alice, status: 'declined' });
    const res = await share(deps, olive, { project: { id: web.id }, invitees: [{ personId: alice.person.id }] });
    expect(res.outcomes[0]).toMatchObject({ status: 'invited' });
  });
});

describe('revoking and resending project invitations', () => {
  const shared = async () => {
    const w = world();
    const res = await share(w.deps, w.olive, { project: { id: w.desktop.id }, desktopLink: DESKTOP_LINK, invitees: [{ personId: w.alice.person.id }, { personId: w.bob.person.id }] });
    const [pending, waiting] = res.outcomes.map((o) => ('invitationId' in o ? o.invitationId : 0)) as [number, number];
    const token = linksFor(w.deps, pending)[0]!.token;
    return { ...w, pending, waiting, token };
  };

  it('the owner revokes a pending one: the link stops working and the invitee DM is updated', async () => {
    const { deps, olive, pending, token } = await shared();
    deps.clock.advance(1000);
    const n = deps.store.outbox().length;
    const res = await revokeInvitation({ deps, actor: olive.actor, input: { invitationId: pending } });
    expect(res.invitation).toMatchObject({ kind: 'project', status: 'revoked', desktopLink: null });
    expect(deps.store.invitation(pending)).toMatchObject({ status: 'revoked', decidedBy: olive.person.id, decidedAt: T0 + 1000 });
    const fresh = deps.store.outbox().slice(n);
    expect(fresh.map((e) => [e.to, e.message.type])).toEqual([[{ type: 'updates' }, 'refresh']]);
    expect(deps.store.announced(pending)).toMatchObject({ invitation: { invitationId: pending, status: 'revoked', desktopLink: null } });
    expect((await openInvitationLink(deps, token))?.status).toBe('revoked');
    expect(audited(deps.store, 'invitation.revoked')).toMatchObject([{ subjectId: pending, actorPersonId: olive.person.id }]);
  });

  it('the owner revokes one waiting for a seat: nothing is sent to the invitee, who never got it', async () => {
    const { deps, olive, bob, waiting } = await shared();
    const n = deps.store.outbox().length;
    const res = await revokeInvitation({ deps, actor: olive.actor, input: { invitationId: waiting } });
    expect(res.invitation).toMatchObject({ status: 'revoked' });
    expect(deps.store.invitation(waiting).status).toBe('revoked');
    // only the messages already about it (the owner's "waiting for a seat" list) are brought up to date
    expect(deps.store.outbox().slice(n).map((e) => e.message)).toEqual([{ type: 'refresh', subject: `invitation:${waiting}` }]);
    expect(deps.store.messagesTo(bob.person.id)).toEqual([]);
  });

  it('an admin may revoke; the owner may revoke what an admin sent', async () => {
    const { deps, ada, olive, pending, waiting, web, alice } = await shared();
    expect((await revokeInvitation({ deps, actor: ada.actor, input: { invitationId: pending } })).invitation.status).toBe('revoked');
    expect((await revokeInvitation({ deps, actor: ada.actor, input: { invitationId: waiting } })).invitation.status).toBe('revoked');
    const byAdmin = await share(deps, ada, { project: { id: web.id }, invitees: [{ personId: alice.person.id }] });
    const id = (byAdmin.outcomes[0] as { invitationId: number }).invitationId;
    expect((await revokeInvitation({ deps, actor: olive.actor, input: { invitationId: id } })).invitation.status).toBe('revoked');
  });

  it('a stranger or the invitee cannot revoke: FORBIDDEN, nothing changes', async () => {
    const { deps, mallory, alice, bob, pending, waiting } = await shared();
    const before = deps.store.dump();
    for (const [who, invitationId] of [[mallory, pending], [alice, pending], [mallory, waiting], [bob, waiting]] as const) {
      expect((await domainErrorOf(revokeInvitation({ deps, actor: who.actor, input: { invitationId } }))).code).toBe('FORBIDDEN');
    }
    expect(deps.store.dump()).toEqual(before);
  });

  it('revoking twice is NOT_PENDING', async () => {
    const { deps, olive, waiting } = await shared();
    await revokeInvitation({ deps, actor: olive.actor, input: { invitationId: waiting } });
    const err = await domainErrorOf(revokeInvitation({ deps, actor: olive.actor, input: { invitationId: waiting } }));
    expect(err.code).toBe('NOT_PENDING');
    expect(err.details).toEqual({ status: 'revoked' });
  });

  it('resend mints a new token: the old link is dead, the new one works, the expiry stays', async () => {
    const { deps, olive, alice, pending, token: oldToken } = await shared();
    const before = deps.store.invitation(pending);
    deps.clock.advance(DAY_MS);
    const res = await resendInvitation({ deps, actor: olive.actor, input: { invitationId: pending } });
    expect(res).toMatchObject({ reachable: true, invitation: { kind: 'project', invitationId: pending, status: 'pending', desktopLink: null } });
    const links = linksFor(deps, pending);
    expect(links).toHaveLength(2);
    const fresh = links[1]!;
    expect(fresh.token).not.toBe(oldToken);
    expect(fresh.entry.to).toEqual({ type: 'person', personId: alice.person.id });
    expect(fresh.entry.message).toMatchObject({ type: 'project_invitation', resent: true, invitation: { desktopLink: null } });
    const after = deps.store.invitation(pending);
    expect(after.tokenHash).toBe(hashToken(fresh.token));
    expect(after.tokenHash).not.toBe(before.tokenHash);
    expect(after.sentAt).toBe(T0 + DAY_MS);
    expect(after.expiresAt).toBe(before.expiresAt);
    expect(await openInvitationLink(deps, oldToken)).toBeUndefined();
    expect((await openInvitationLink(deps, fresh.token))?.invitation.invitationId).toBe(pending);
    expect(audited(deps.store, 'invitation.resent')).toMatchObject([{ subjectId: pending, actorPersonId: olive.person.id }]);
    // the project has no admin notices
    expect(deps.store.messagesToAdminChannel()).toEqual([]);
  });

  it('resend to someone not in chat gives the new link to whoever resends', async () => {
    const { deps, ada, olive, license, web } = world();
    const erin = anEmailOnlyPerson(deps.store, 'erin@uni.example');
    aSeat(deps.store, { license, person: erin });
    const res = await share(deps, olive, { project: { id: web.id }, invitees: [{ personId: erin.person.id }] });
    const id = (res.outcomes[0] as { invitationId: number }).invitationId;
    deps.clock.advance(DAY_MS);
    await resendInvitation({ deps, actor: ada.actor, input: { invitationId: id } });
    const last = linksFor(deps, id).at(-1)!;
    expect(last.entry.to).toEqual({ type: 'person', personId: ada.person.id });
    expect(last.entry.message.type).toBe('forward_link');
    expect(hashToken(last.token)).toBe(deps.store.invitation(id).tokenHash);
  });

  it('resend: a stranger is FORBIDDEN; one waiting for a seat is NOT_PENDING (there is nothing to resend)', async () => {
    const { deps, olive, mallory, pending, waiting } = await shared();
    const before = deps.store.dump();
    expect((await domainErrorOf(resendInvitation({ deps, actor: mallory.actor, input: { invitationId: pending } }))).code).toBe('FORBIDDEN');
    expect((await domainErrorOf(resendInvitation({ deps, actor: olive.actor, input: { invitationId: waiting } }))).code).toBe('NOT_PENDING');
    expect(deps.store.dump()).toEqual(before);
  });
});
