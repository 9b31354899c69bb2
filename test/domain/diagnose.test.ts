import { describe, expect, it } from 'vitest';
import { acceptInvitation, diagnose, plain, expireDue, revokeInvitation, type Diagnosis, type Finding } from '../../src/domain/index.js';
import {
  aLicense,
  anAdmin,
  anEmailOnlyPerson,
  aPerson,
  aProject,
  aProjectAccess,
  aProjectInvitation,
  aSeat,
  DAY_MS,
  domainDeps,
  domainErrorOf,
  invited,
  type Someone,
  type TestDeps,
} from '../support/test-store.js';

const world = () => {
  const deps = domainDeps();
  const ada = anAdmin(deps.store, { displayName: 'Ada Admin', email: 'ada@uni.example' });
  const olga = aPerson(deps.store, { displayName: 'Olga Owner', email: 'olga@uni.example' });
  const pete = aPerson(deps.store, { displayName: 'Pete Owner', email: 'pete@uni.example' });
  const bob = aPerson(deps.store, { displayName: 'Bob', email: 'bob@uni.example' });
  const carol = aPerson(deps.store, { displayName: 'Carol', email: 'carol@uni.example' });
  const sam = aPerson(deps.store, { displayName: 'Sam Stranger', email: 'sam@uni.example' });
  const campus = aLicense(deps.store, { name: 'Campus', seats: 5 });
  const lab = aLicense(deps.store, { name: 'Lab', seats: 5 });
  return { deps, ada, olga, pete, bob, carol, sam, campus, lab };
};

const look = (deps: TestDeps, who: Someone, at?: Someone): Promise<Diagnosis> =>
  diagnose({ deps, actor: who.actor, input: at ? { personId: at.person.id } : {} });

const topics = (d: Diagnosis): Finding['topic'][] => d.findings.map((f) => f.topic);

/** the single finding on a topic (fails when there are none or several) */
const only = (d: Diagnosis, topic: Finding['topic']): Finding => {
  const found = d.findings.filter((f) => f.topic === topic);
  expect(found, `findings on ${topic}: ${JSON.stringify(d.findings)}`).toHaveLength(1);
  return found[0]!;
};

describe('diagnose: a seat, and no project', () => {
  it('self: says a seat includes no project, with no action (only an owner can share)', async () => {
    const { deps, bob, campus } = world();
    aSeat(deps.store, { license: campus, person: bob });
    const d = await look(deps, bob);
    expect(d.status.self).toBe(true);
    expect(d.status.person.id).toBe(bob.person.id);
    expect(topics(d)).toEqual(['seat_without_project']);
    const f = only(d, 'seat_without_project');
    expect(f).not.toHaveProperty('action');
    expect(plain(f.text)).toContain('You hold a seat');
    expect(plain(f.text)).toContain("ask the project's owner");
  });

  it('an admin looking: the same finding about them, with a Share project action', async () => {
    const { deps, ada, bob, campus } = world();
    aSeat(deps.store, { license: campus, person: bob });
    const d = await look(deps, ada, bob);
    expect(d.status.self).toBe(false);
    expect(d.status.person.id).toBe(bob.person.id);
    expect(topics(d)).toEqual(['seat_without_project']);
    const f = only(d, 'seat_without_project');
    expect(f.action).toEqual({ kind: 'share_project' });
    expect(plain(f.text)).toContain('Bob holds a seat');
  });

  it('no seat at all: the person is offered to ask for one; an admin looking is told nothing', async () => {
    const { deps, ada, bob } = world();
    const own = await look(deps, bob);
    expect(topics(own)).toEqual(['no_seat']);
    expect(own.findings[0]!.action).toEqual({ kind: 'ask_seat' });
    expect((await look(deps, ada, bob)).findings).toEqual([]);
  });

  it('no seat, but an invitation to one is open: nothing to ask', async () => {
    const { deps, ada, bob } = world();
    await invited(deps, ada, bob, { licenseName: 'Campus' });
    expect(topics(await look(deps, bob))).not.toContain('no_seat');
  });

  it('an open project invitation is on its way: not "no project"', async () => {
    const { deps, olga, bob, campus } = world();
    aSeat(deps.store, { license: campus, person: bob });
    const thesis = aProject(deps.store, { owner: olga, name: 'Thesis' });
    aProjectInvitation(deps.store, { project: thesis, invitee: bob });
    const d = await look(deps, bob);
    expect(topics(d)).not.toContain('seat_without_project');
    expect(d.findings).toEqual([]);
  });

  it('a released seat is no seat', async () => {
    const { deps, bob, campus } = world();
    const seat = aSeat(deps.store, { license: campus, person: bob });
    await deps.store.transaction((r) => r.seats.release(seat.id, deps.clock.now()));
    expect(topics(await look(deps, bob))).toEqual(['no_seat']);
  });
});

describe("diagnose: the owner's side (I shared the license, not my project)", () => {
  it('the admin who gave the seat owns projects, none shared with the person: Share project', async () => {
    const { deps, ada, pete, bob } = world();
    aProject(deps.store, { owner: ada, name: 'Methods' });
    const inv = await invited(deps, ada, bob, { licenseName: 'Campus' });
    await acceptInvitation({ deps, actor: bob.actor, input: { invitationId: inv.invitationId } });
    // Bob works on someone else's project, so the general "no project at all" does not apply
    const survey = aProject(deps.store, { owner: pete, name: 'Survey' });
    aProjectAccess(deps.store, { project: survey, person: bob });
    const d = await look(deps, ada, bob);
    const f = only(d, 'seat_without_project');
    expect(f.action).toEqual({ kind: 'share_project' });
    expect(plain(f.text)).toContain('Bob holds a seat');
    expect(plain(f.text)).toContain('none of your projects');
    // the accepted license invitation is no problem
    expect(topics(d).sort()).toEqual(['seat_without_project', 'web_syncs']);
  });

  it('an admin who owns projects gets the owner\'s side too', async () => {
    const { deps, ada, pete, bob, campus } = world();
    aSeat(deps.store, { license: campus, person: bob });
    aProject(deps.store, { owner: ada, name: 'Methods' });
    const survey = aProject(deps.store, { owner: pete, name: 'Survey' });
    aProjectAccess(deps.store, { project: survey, person: bob });
    const d = await look(deps, ada, bob);
    const f = only(d, 'seat_without_project');
    expect(f.action).toEqual({ kind: 'share_project' });
    expect(plain(f.text)).toContain('none of your projects');
    // an admin who owns nothing has no project of theirs to share
    const { deps: deps2, ada: ada2, pete: pete2, bob: bob2, campus: campus2 } = world();
    aSeat(deps2.store, { license: campus2, person: bob2 });
    aProjectAccess(deps2.store, { project: aProject(deps2.store, { owner: pete2, name: 'Survey' }), person: bob2 });
    expect(topics(await look(deps2, ada2, bob2))).toEqual(['web_syncs']);
  });

  it('an owner looking at themselves is not told to share their projects with themselves', async () => {
    const { deps, olga, pete, campus } = world();
    aSeat(deps.store, { license: campus, person: olga });
    aProject(deps.store, { owner: olga, name: 'Thesis' });
    const survey = aProject(deps.store, { owner: pete, name: 'Survey' });
    aProjectAccess(deps.store, { project: survey, person: olga });
    expect(topics(await look(deps, olga))).toEqual(['web_syncs']);
  });

  it('the same person, looked up by the other owner whose project they have: no such finding', async () => {
    const { deps, olga, pete, bob, campus } = world();
    aSeat(deps.store, { license: campus, person: bob });
    const thesis = aProject(deps.store, { owner: olga, name: 'Thesis' });
    aProjectInvitation(deps.store, { project: thesis, invitee: bob, status: 'declined' });
    const survey = aProject(deps.store, { owner: pete, name: 'Survey' });
    aProjectAccess(deps.store, { project: survey, person: bob });
    expect(topics(await look(deps, pete, bob))).toEqual(['web_syncs']);
  });

  it('once one of the owner\'s projects is shared (or an invitation to it is open), nothing to fix', async () => {
    const { deps, olga, pete, bob, carol, campus } = world();
    const thesis = aProject(deps.store, { owner: olga, name: 'Thesis' });
    aProject(deps.store, { owner: olga, name: 'Another' });
    const survey = aProject(deps.store, { owner: pete, name: 'Survey' });
    // Bob: access to Olga's Thesis
    aSeat(deps.store, { license: campus, person: bob });
    aProjectAccess(deps.store, { project: thesis, person: bob });
    expect(topics(await look(deps, olga, bob))).not.toContain('seat_without_project');
    // Carol: works on Pete's Survey, and Olga's invitation to Thesis is still open
    aSeat(deps.store, { license: campus, person: carol });
    aProjectAccess(deps.store, { project: survey, person: carol });
    aProjectInvitation(deps.store, { project: thesis, invitee: carol });
    expect(topics(await look(deps, olga, carol))).not.toContain('seat_without_project');
  });

  it('no project anywhere, looked up by an admin who owns projects: one finding, not two', async () => {
    const { deps, ada, bob, campus } = world();
    aSeat(deps.store, { license: campus, person: bob });
    aProject(deps.store, { owner: ada, name: 'Methods' });
    const d = await look(deps, ada, bob);
    expect(only(d, 'seat_without_project').action).toEqual({ kind: 'share_project' });
    expect(d.findings).toHaveLength(1);
  });

  it('someone without a seat: an owner hears nothing about seats they have not got', async () => {
    const { deps, ada, pete, bob } = world();
    aProject(deps.store, { owner: ada, name: 'Methods' });
    const survey = aProject(deps.store, { owner: pete, name: 'Survey', edition: 'desktop' });
    aProjectAccess(deps.store, { project: survey, person: bob, email: null });
    expect(topics(await look(deps, ada, bob))).not.toContain('seat_without_project');
    expect(topics(await look(deps, pete, bob))).not.toContain('seat_without_project');
  });
});

describe('diagnose: Desktop does not sync, Web does', () => {
  it('self with a Desktop copy: nothing syncs, with Send my copy back as the action', async () => {
    const { deps, olga, bob, campus } = world();
    aSeat(deps.store, { license: campus, person: bob });
    const notes = aProject(deps.store, { owner: olga, name: 'Fieldnotes', edition: 'desktop' });
    aProjectAccess(deps.store, { project: notes, person: bob });
    const d = await look(deps, bob);
    expect(topics(d)).toEqual(['desktop_does_not_sync']);
    const f = only(d, 'desktop_does_not_sync');
    expect(f.action).toEqual({ kind: 'return_copy', projectId: notes.id });
    expect(plain(f.text)).toContain('"Fieldnotes" is a Desktop project: nothing syncs');
    expect(plain(f.text)).toContain('Your copy');
  });

  it('someone else looking at a Desktop copy: the same words about them, and no action', async () => {
    const { deps, ada, olga, bob, campus } = world();
    aSeat(deps.store, { license: campus, person: bob });
    const notes = aProject(deps.store, { owner: olga, name: 'Fieldnotes', edition: 'desktop' });
    aProjectAccess(deps.store, { project: notes, person: bob });
    for (const who of [olga, ada]) {
      const d = await look(deps, who, bob);
      expect(topics(d)).toEqual(['desktop_does_not_sync']);
      const f = only(d, 'desktop_does_not_sync');
      expect(f).not.toHaveProperty('action');
      expect(plain(f.text)).toContain('Their copy');
    }
  });

  it('a Web membership: it syncs, naming the members', async () => {
    const { deps, olga, bob, carol, sam, campus } = world();
    aSeat(deps.store, { license: campus, person: bob });
    const survey = aProject(deps.store, { owner: olga, name: 'Survey', edition: 'web' });
    aProjectAccess(deps.store, { project: survey, person: bob });
    aProjectAccess(deps.store, { project: survey, person: carol });
    const d = await look(deps, bob);
    expect(topics(d)).toEqual(['web_syncs']);
    const f = only(d, 'web_syncs');
    expect(f).not.toHaveProperty('action');
    expect(plain(f.text)).toContain('"Survey" is a Web project');
    expect(plain(f.text)).toContain('(Bob, Carol)');
    expect(plain(f.text)).not.toContain(sam.person.displayName!);
  });

  it('one finding per project, each with its own edition', async () => {
    const { deps, olga, pete, bob, campus } = world();
    aSeat(deps.store, { license: campus, person: bob });
    const notes = aProject(deps.store, { owner: olga, name: 'Fieldnotes', edition: 'desktop' });
    const survey = aProject(deps.store, { owner: pete, name: 'Survey', edition: 'web' });
    aProjectAccess(deps.store, { project: notes, person: bob });
    aProjectAccess(deps.store, { project: survey, person: bob });
    const d = await look(deps, bob);
    expect(topics(d)).toEqual(['desktop_does_not_sync', 'web_syncs']);
    expect(plain(only(d, 'desktop_does_not_sync').text)).toContain('Fieldnotes');
    expect(only(d, 'web_syncs').text).toContain('Survey');
  });
});

describe('diagnose: access without a seat under the same email', () => {
  it('no seat: the project cannot be opened, naming the email it needs', async () => {
    const { deps, olga, bob } = world();
    const survey = aProject(deps.store, { owner: olga, name: 'Survey' });
    aProjectAccess(deps.store, { project: survey, person: bob });
    const d = await look(deps, bob);
    expect(topics(d)).toEqual(['web_syncs', 'no_seat_for_project']);
    const f = only(d, 'no_seat_for_project');
    // the person can ask for the seat themselves; the general "no seat" is not said twice
    expect(f.action).toEqual({ kind: 'ask_seat' });
    expect((await look(deps, olga, bob)).findings.find((x) => x.topic === 'no_seat_for_project')).not.toHaveProperty('action');
    expect(plain(f.text)).toContain('"Survey" cannot be opened');
    expect(plain(f.text)).toContain('bob@uni.example');
  });

  it('a seat under another email (even one differing only in case) does not open it', async () => {
    const { deps, olga, bob, campus } = world();
    aSeat(deps.store, { license: campus, person: bob, email: 'Bob@uni.example' });
    const notes = aProject(deps.store, { owner: olga, name: 'Fieldnotes', edition: 'desktop' });
    aProjectAccess(deps.store, { project: notes, person: bob, email: 'bob@uni.example' });
    const d = await look(deps, olga, bob);
    expect(only(d, 'no_seat_for_project').text).toContain('under bob@uni.example');
    // the seat is there, and a project too: not "no project"
    expect(topics(d)).toEqual(['desktop_does_not_sync', 'no_seat_for_project']);
  });

  it('a seat under the same email: no such finding', async () => {
    const { deps, olga, bob, campus } = world();
    aSeat(deps.store, { license: campus, person: bob, email: 'bob@uni.example' });
    const survey = aProject(deps.store, { owner: olga, name: 'Survey' });
    aProjectAccess(deps.store, { project: survey, person: bob, email: 'bob@uni.example' });
    expect(topics(await look(deps, bob))).toEqual(['web_syncs']);
  });

  it('two owners\' projects with the same name: each is judged by its own access', async () => {
    const { deps, olga, pete, bob, campus } = world();
    aSeat(deps.store, { license: campus, person: bob, email: 'bob@uni.example' });
    const olgas = aProject(deps.store, { owner: olga, name: 'Thesis' });
    const petes = aProject(deps.store, { owner: pete, name: 'Thesis' });
    aProjectAccess(deps.store, { project: olgas, person: bob, email: 'bob@uni.example' }); // opens
    aProjectAccess(deps.store, { project: petes, person: bob, email: 'bob@home.example' }); // no seat under this email
    const d = await look(deps, bob);
    expect(d.status.projects.map((p) => p.usable)).toEqual([true, false]);
    // Pete's "Thesis" needs a seat under bob@home.example; Bob has none
    expect(only(d, 'no_seat_for_project').text).toContain('bob@home.example');
  });
});

describe('diagnose: they cannot accept (the latest invitation per pool or project)', () => {
  it('an expired license invitation: Re-invite (an overdue one counts as expired)', async () => {
    const { deps, ada, bob } = world();
    const inv = await invited(deps, ada, bob, { licenseName: 'Campus' });
    deps.clock.advance(15 * DAY_MS);
    const d = await look(deps, ada, bob);
    const f = only(d, 'cannot_accept');
    expect(f.action).toEqual({ kind: 'reinvite', invitationId: inv.invitationId });
    expect(plain(f.text)).toContain('expired');
    expect(plain(f.text)).toContain('"Campus"');
    expect(deps.store.invitation(inv.invitationId).status).toBe('expired');
  });

  it('a revoked license invitation: Re-invite', async () => {
    const { deps, ada, bob } = world();
    const inv = await invited(deps, ada, bob, { licenseName: 'Lab' });
    await revokeInvitation({ deps, actor: ada.actor, input: { invitationId: inv.invitationId } });
    expect((await look(deps, ada, bob)).findings).toEqual([
      { topic: 'cannot_accept', text: expect.stringContaining('withdrawn'), action: { kind: 'reinvite', invitationId: inv.invitationId } },
    ]);
    // Bob himself hears the same
    const own = only(await look(deps, bob), 'cannot_accept');
    expect(own.text).toContain('"Lab" was withdrawn');
  });

  it('a project invitation waiting for a seat: Ask for a seat, naming the email', async () => {
    const { deps, olga, bob } = world();
    const thesis = aProject(deps.store, { owner: olga, name: 'Thesis' });
    const { invitation } = aProjectInvitation(deps.store, { project: thesis, invitee: bob, email: 'Bob@Work.example', status: 'waiting_for_seat' });
    const d = await look(deps, olga, bob);
    const f = only(d, 'cannot_accept');
    expect(f.action).toEqual({ kind: 'request_seat', invitationId: invitation.id });
    expect(plain(f.text)).toContain('the project "Thesis"');
    expect(plain(f.text)).toContain('Bob@Work.example');
    expect(d.findings).toHaveLength(1);
  });

  it('a pending invitation chat could not deliver: Resend', async () => {
    const { deps, ada, olga, bob, campus } = world();
    aSeat(deps.store, { license: campus, person: bob });
    const thesis = aProject(deps.store, { owner: olga, name: 'Thesis' });
    const { invitation } = aProjectInvitation(deps.store, { project: thesis, invitee: bob });
    expect(topics(await look(deps, olga, bob))).toEqual([]); // reachable, seated and delivered: nothing wrong
    await deps.store.transaction((r) => r.invitations.update(invitation.id, { deliveryProblem: 'user_not_found' }));
    const d = await look(deps, ada, bob);
    const f = only(d, 'cannot_accept');
    expect(f.action).toEqual({ kind: 'resend', invitationId: invitation.id });
    expect(plain(f.text)).toContain('user_not_found');
  });

  it('a pending invitation for someone known only by email: Resend, to forward the link', async () => {
    const { deps, ada } = world();
    const eve = anEmailOnlyPerson(deps.store, 'Eve@Elsewhere.example');
    const inv = await invited(deps, ada, eve, { licenseName: 'Campus' });
    const d = await look(deps, ada, eve);
    const f = only(d, 'cannot_accept');
    expect(f.action).toEqual({ kind: 'resend', invitationId: inv.invitationId });
    expect(plain(f.text)).toContain('Eve@Elsewhere.example');
    expect(plain(f.text)).toContain('not in chat');
  });

  it('an accepted or a declined latest invitation is no problem', async () => {
    const { deps, olga, bob, campus } = world();
    aSeat(deps.store, { license: campus, person: bob }); // an accepted license invitation
    const thesis = aProject(deps.store, { owner: olga, name: 'Thesis' });
    const survey = aProject(deps.store, { owner: olga, name: 'Survey' });
    aProjectInvitation(deps.store, { project: thesis, invitee: bob, status: 'declined' });
    const { invitation } = aProjectInvitation(deps.store, { project: survey, invitee: bob, status: 'accepted' });
    aProjectAccess(deps.store, { project: survey, person: bob, invitationId: invitation.id });
    const d = await look(deps, bob);
    expect(topics(d)).not.toContain('cannot_accept');
    expect(topics(d)).toEqual(['web_syncs']);
  });

  it('only the latest invitation per project counts: an older expired one behind a newer answer says nothing', async () => {
    const { deps, ada, olga, bob } = world();
    const thesis = aProject(deps.store, { owner: olga, name: 'Thesis' });
    const survey = aProject(deps.store, { owner: olga, name: 'Survey' });
    aProjectInvitation(deps.store, { project: thesis, invitee: bob, status: 'expired' });
    aProjectInvitation(deps.store, { project: thesis, invitee: bob, status: 'declined' });
    // and the other way round: an older answer behind a newer revoked one
    aProjectInvitation(deps.store, { project: survey, invitee: bob, status: 'accepted' });
    const { invitation: revoked } = aProjectInvitation(deps.store, { project: survey, invitee: bob, status: 'revoked' });
    const d = await look(deps, ada, bob);
    expect(d.findings).toEqual([{ topic: 'cannot_accept', text: expect.stringContaining('"Survey" was withdrawn'), action: { kind: 'reinvite', invitationId: revoked.id } }]);
  });

  it('only the latest invitation per pool counts: re-invited after a revoke, the new one waits quietly', async () => {
    const { deps, ada, bob } = world();
    const first = await invited(deps, ada, bob, { licenseName: 'Campus' });
    await revokeInvitation({ deps, actor: ada.actor, input: { invitationId: first.invitationId } });
    expect(only(await look(deps, ada, bob), 'cannot_accept').action).toEqual({ kind: 'reinvite', invitationId: first.invitationId });
    await invited(deps, ada, bob, { licenseName: 'Campus' });
    expect((await look(deps, ada, bob)).findings).toEqual([]);
    expect((await look(deps, bob)).findings).toEqual([]);
  });

  it('pools and projects are kept apart, even with the same id', async () => {
    const { deps, ada, olga, bob, campus, lab } = world();
    const thesis = aProject(deps.store, { owner: olga, name: 'Thesis' });
    expect(thesis.id).toBe(campus.id); // both 1
    const a = await invited(deps, ada, bob, { licenseName: 'Campus' });
    const b = await invited(deps, ada, bob, { licenseName: 'Lab' });
    await revokeInvitation({ deps, actor: ada.actor, input: { invitationId: a.invitationId } });
    await revokeInvitation({ deps, actor: ada.actor, input: { invitationId: b.invitationId } });
    const { invitation: p } = aProjectInvitation(deps.store, { project: thesis, invitee: bob, status: 'waiting_for_seat' });
    expect(lab.id).not.toBe(campus.id);
    const d = await look(deps, ada, bob);
    expect(d.findings.filter((f) => f.topic === 'cannot_accept').map((f) => f.action)).toEqual([
      { kind: 'reinvite', invitationId: a.invitationId },
      { kind: 'reinvite', invitationId: b.invitationId },
      { kind: 'request_seat', invitationId: p.id },
    ]);
  });
});

describe('diagnose: the fix is offered only to whoever may take it', () => {
  it('the invitee sees why, and whom to ask, but not the inviter\'s buttons', async () => {
    const { deps, ada, olga, bob } = world();
    const lab = await invited(deps, ada, bob, { licenseName: 'Lab' });
    await revokeInvitation({ deps, actor: ada.actor, input: { invitationId: lab.invitationId } });
    const thesis = aProject(deps.store, { owner: olga, name: 'Thesis' });
    const { invitation: waiting } = aProjectInvitation(deps.store, { project: thesis, invitee: bob, status: 'waiting_for_seat' });
    const own = await look(deps, bob);
    expect(topics(own)).toEqual(['cannot_accept', 'cannot_accept']);
    // not the inviter's buttons: only asking for a seat themselves
    expect(own.findings.map((f) => f.action)).toEqual([undefined, { kind: 'ask_seat' }]);
    expect(own.findings[0]!.text).toContain('Ask Ada Admin');
    // the admin and the project's owner get the buttons
    expect((await look(deps, ada, bob)).findings.map((f) => f.action)).toEqual([
      { kind: 'reinvite', invitationId: lab.invitationId },
      { kind: 'request_seat', invitationId: waiting.id },
    ]);
    expect((await look(deps, olga, bob)).findings.map((f) => f.action)).toEqual([{ kind: 'request_seat', invitationId: waiting.id }]);
  });

  it('an owner sees only what concerns their own projects', async () => {
    const { deps, ada, olga, pete, bob, campus } = world();
    aSeat(deps.store, { license: campus, person: bob });
    const lab = await invited(deps, ada, bob, { licenseName: 'Lab' });
    await revokeInvitation({ deps, actor: ada.actor, input: { invitationId: lab.invitationId } });
    const survey = aProject(deps.store, { owner: pete, name: 'Survey', edition: 'desktop' });
    aProjectAccess(deps.store, { project: survey, person: bob });
    const thesis = aProject(deps.store, { owner: olga, name: 'Thesis' });
    aProjectAccess(deps.store, { project: thesis, person: bob });
    const d = await look(deps, olga, bob);
    expect(d.status.projects.map((p) => p.projectName)).toEqual(['Thesis']);
    expect(topics(d)).toEqual(['web_syncs']);
    expect(JSON.stringify(d.findings)).not.toContain('Survey');
    // an admin sees it all
    expect(topics(await look(deps, ada, bob))).toEqual(['desktop_does_not_sync', 'web_syncs', 'cannot_accept']);
  });
});

describe('diagnose: a project invitation and the seat it needs', () => {
  it('pending, but no seat under its email: cannot be accepted yet, and it stays open', async () => {
    const { deps, olga, bob } = world();
    const thesis = aProject(deps.store, { owner: olga, name: 'Thesis' });
    aProjectInvitation(deps.store, { project: thesis, invitee: bob, email: 'bob@uni.example' });
    const d = await look(deps, olga, bob);
    const f = only(d, 'no_seat_for_project');
    expect(f).not.toHaveProperty('action');
    expect(plain(f.text)).toContain('bob@uni.example');
    expect(topics(d)).toEqual(['no_seat_for_project']);
  });

  it('waiting for a seat while a seat is held under the same email in another case: the email case is the problem', async () => {
    const { deps, olga, bob, campus } = world();
    aSeat(deps.store, { license: campus, person: bob, email: 'Bob@Uni.example' });
    const thesis = aProject(deps.store, { owner: olga, name: 'Thesis' });
    aProjectInvitation(deps.store, { project: thesis, invitee: bob, email: 'bob@uni.example', status: 'waiting_for_seat' });
    const d = await look(deps, olga, bob);
    const f = only(d, 'email_case');
    expect(plain(f.text)).toContain('bob@uni.example');
    expect(plain(f.text)).toContain('Bob@Uni.example');
    expect(topics(d)).toEqual(['email_case']);
  });
});

describe('diagnose: who may look up whom', () => {
  it('whether an owner may look someone up does not depend on whether the expiry sweep has run', async () => {
    const outcome = async (swept: boolean) => {
      const { deps, olga, bob } = world();
      const thesis = aProject(deps.store, { owner: olga, name: 'Thesis' });
      aProjectInvitation(deps.store, { project: thesis, invitee: bob });
      deps.clock.advance(15 * DAY_MS); // the invitation is past its expiry
      if (swept) await expireDue(deps, deps.clock.now());
      try {
        await look(deps, olga, bob);
        return 'allowed';
      } catch (e) {
        return (e as { code?: string }).code ?? String(e);
      }
    };
    expect(await outcome(false)).toBe(await outcome(true));
  });

  it('anyone may look at themselves, by omission or by naming themselves', async () => {
    const { deps, sam } = world();
    expect((await look(deps, sam)).status.self).toBe(true);
    const named = await look(deps, sam, sam);
    expect(named.status.self).toBe(true);
    expect(named.status.person.id).toBe(sam.person.id);
  });

  it('an admin may look at anyone', async () => {
    const { deps, ada, sam } = world();
    const d = await look(deps, ada, sam);
    expect(d.status.person.id).toBe(sam.person.id);
    expect(d.status.self).toBe(false);
  });

  it('an admin named in ATLAS_ADMINS may too', async () => {
    const { deps, bob, sam } = world();
    const d = await diagnose({ deps: { ...deps, settings: { ...deps.settings, configuredAdmins: ['BOB@uni.example'] } }, actor: bob.actor, input: { personId: sam.person.id } });
    expect(d.status.person.id).toBe(sam.person.id);
  });

  it('the owner of a project the person is invited to may', async () => {
    const { deps, olga, bob } = world();
    const thesis = aProject(deps.store, { owner: olga, name: 'Thesis' });
    aProjectInvitation(deps.store, { project: thesis, invitee: bob });
    expect((await look(deps, olga, bob)).status.person.id).toBe(bob.person.id);
  });

  it('the owner of a project the person holds may', async () => {
    const { deps, pete, bob } = world();
    const notes = aProject(deps.store, { owner: pete, name: 'Fieldnotes', edition: 'desktop' });
    aProjectAccess(deps.store, { project: notes, person: bob });
    expect((await look(deps, pete, bob)).status.person.id).toBe(bob.person.id);
  });

  it('a stranger is FORBIDDEN, as is an owner of an unrelated project or a fellow member, and nothing is written', async () => {
    const { deps, olga, pete, bob, carol, sam, campus } = world();
    aSeat(deps.store, { license: campus, person: bob });
    const thesis = aProject(deps.store, { owner: olga, name: 'Thesis' });
    aProject(deps.store, { owner: pete, name: 'Unrelated' });
    aProjectAccess(deps.store, { project: thesis, person: bob });
    aProjectAccess(deps.store, { project: thesis, person: carol });
    const before = deps.store.dump();
    for (const who of [sam, pete, carol]) {
      const err = await domainErrorOf(look(deps, who, bob));
      expect(err.code).toBe('FORBIDDEN');
      expect(JSON.stringify(err)).not.toContain('Campus');
      expect(JSON.stringify(err)).not.toContain('Thesis');
    }
    // a member may not look up the owner either
    expect((await domainErrorOf(look(deps, bob, olga))).code).toBe('FORBIDDEN');
    expect(deps.store.dump()).toEqual(before);
  });

  it('an unknown person is NOT_FOUND for an admin; anyone else cannot tell unknown from not theirs to see', async () => {
    const { deps, ada, olga } = world();
    expect((await domainErrorOf(diagnose({ deps, actor: ada.actor, input: { personId: 999 } }))).code).toBe('NOT_FOUND');
    const unknown = await domainErrorOf(diagnose({ deps, actor: olga.actor, input: { personId: 999 } }));
    expect(unknown.code).toBe('FORBIDDEN');
    expect(unknown.userMessage).toMatch(/looking up anyone else is for license admins/);
  });
});
