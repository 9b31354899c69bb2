import { describe, expect, it } from 'vitest';
import { requestSupport, SUPPORT_DESCRIPTION_MAX, SUPPORT_TOPICS, supportProblems, type SupportTopic } from '../../src/domain/index.js';
import {
  actorOf,
  aLicense,
  anAdmin,
  aPerson,
  aProject,
  aProjectInvitation,
  aSeat,
  audited,
  domainDeps,
  domainErrorOf,
  invited,
  T0,
} from '../support/test-store.js';

const SHOT = { name: 'accept-button.png', url: 'https://files.slack.com/files-pri/T0TEAM-F01/accept-button.png' };
const valid = { email: 'bob@uni.example', topic: 'other', description: 'It does not work.' };
const files = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `shot-${i}.png`, url: `https://files.slack.com/f/${i}.png` }));

describe('supportProblems', () => {
  it('a complete request has no problems, with or without files', () => {
    expect(supportProblems(valid)).toEqual({});
    expect(supportProblems({ ...valid, files: [SHOT] })).toEqual({});
    expect(supportProblems({ ...valid, files: files(10) })).toEqual({});
    expect(supportProblems({ ...valid, description: 'x'.repeat(SUPPORT_DESCRIPTION_MAX) })).toEqual({});
    for (const topic of Object.keys(SUPPORT_TOPICS)) expect(supportProblems({ ...valid, topic })).toEqual({});
  });

  it('an email that is not one: only the email is flagged, saying case matters', () => {
    for (const email of ['', 'bob', 'bob@', 'bob at uni.example', '@uni.example']) {
      const p = supportProblems({ ...valid, email });
      expect(Object.keys(p), email).toEqual(['email']);
      expect(p.email).toContain('case sensitive');
    }
    // surrounding spaces are not a problem, and neither is letter case
    expect(supportProblems({ ...valid, email: '  Bob@Uni.Example ' })).toEqual({});
  });

  it('a topic that is not on the list', () => {
    for (const topic of ['', 'billing', 'Other', 'toString']) {
      expect(supportProblems({ ...valid, topic }), topic).toEqual({ topic: 'Pick what you were trying to do.' });
    }
  });

  it('an empty, blank or too long description', () => {
    for (const description of ['', '   \n\t ', 'x'.repeat(SUPPORT_DESCRIPTION_MAX + 1)]) {
      const p = supportProblems({ ...valid, description });
      expect(Object.keys(p)).toEqual(['description']);
      expect(p.description).toContain(String(SUPPORT_DESCRIPTION_MAX));
    }
  });

  it('more than 10 files, or a file that is not a link', () => {
    expect(supportProblems({ ...valid, files: files(11) })).toEqual({ files: 'At most 10 screenshots.' });
    expect(Object.keys(supportProblems({ ...valid, files: [{ name: 'x.png', url: 'not a link' }] }))).toEqual(['files']);
  });

  it('several problems at once: one word per field', () => {
    const p = supportProblems({ email: 'nope', topic: 'nope', description: '', files: files(11) });
    expect(Object.keys(p).sort()).toEqual(['description', 'email', 'files', 'topic']);
  });
});

const world = async () => {
  const deps = domainDeps();
  const ada = anAdmin(deps.store, { displayName: 'Ada Admin' });
  const olga = aPerson(deps.store, { displayName: 'Olga', email: 'olga@uni.example' });
  const bob = aPerson(deps.store, { displayName: 'Bob', email: 'Bob@Uni.example' });
  const campus = aLicense(deps.store, { name: 'Campus', seats: 5 });
  aLicense(deps.store, { name: 'Lab', seats: 5 });
  aSeat(deps.store, { license: campus, person: bob });
  const lab = await invited(deps, ada, bob, { licenseName: 'Lab' });
  const thesis = aProject(deps.store, { owner: olga, name: 'Thesis' });
  const survey = aProject(deps.store, { owner: olga, name: 'Survey', edition: 'desktop' });
  const pendingProject = aProjectInvitation(deps.store, { project: thesis, invitee: bob }).invitation;
  const waitingProject = aProjectInvitation(deps.store, { project: survey, invitee: bob, status: 'waiting_for_seat' }).invitation;
  // answered ones are not open: they are not attached
  aProjectInvitation(deps.store, { project: aProject(deps.store, { owner: olga, name: 'Old' }), invitee: bob, status: 'declined' });
  deps.clock.advance(1000);
  return { deps, ada, olga, bob, lab, pendingProject, waitingProject };
};

describe('requestSupport', () => {
  it('posts one request to the support channel with the exact email, the topic, the files, seats and open invitations; tells the person; audits', async () => {
    const { deps, bob, lab, pendingProject, waitingProject } = await world();
    const n = deps.store.outbox().length;
    const request = await requestSupport({
      deps,
      actor: bob.actor,
      input: { email: '  BoB@Uni.Example ', topic: 'cannot_accept', description: '  I press Accept and nothing happens.  ', files: [SHOT] },
    });
    expect(request).toEqual({
      email: 'BoB@Uni.Example',
      topic: 'cannot_accept',
      topicLabel: 'Cannot accept a license invitation',
      description: 'I press Accept and nothing happens.',
      files: [SHOT],
      fromName: 'Bob',
      platform: 'slack',
      seats: ['Campus (Bob@Uni.example)'],
      openInvitations: [
        `#${lab.invitationId} seat in Lab`,
        `#${pendingProject.id} project Thesis (waiting for an answer)`,
        `#${waitingProject.id} project Survey (waiting for a seat)`,
      ],
    });
    const fresh = deps.store.outbox().slice(n);
    expect(fresh.map((e) => [e.to, e.message, e.at])).toEqual([
      [{ type: 'support_channel' }, { type: 'support_request', request }, T0 + 1000],
      [{ type: 'person', personId: bob.person.id }, { type: 'support_sent', request }, T0 + 1000],
    ]);
    expect(audited(deps.store, 'support.requested')).toEqual([
      {
        at: T0 + 1000,
        platform: 'slack',
        actorUserId: bob.actor.userId,
        actorPersonId: bob.person.id,
        action: 'support.requested',
        subjectType: 'person',
        subjectId: bob.person.id,
        details: { topic: 'cannot_accept' },
      },
    ]);
    // nothing else changed: no invitation, seat or admin row
    expect(deps.store.invitations().map((i) => i.status)).toEqual(['accepted', 'pending', 'pending', 'waiting_for_seat', 'declined']);
  });

  it('every topic carries its own label', async () => {
    const { deps, bob } = await world();
    for (const [topic, label] of Object.entries(SUPPORT_TOPICS) as [SupportTopic, string][]) {
      const r = await requestSupport({ deps, actor: bob.actor, input: { ...valid, topic } });
      expect(r.topic).toBe(topic);
      expect(r.topicLabel).toBe(label);
    }
    expect(deps.store.messages('support_request').map((e) => e.message.request.topicLabel)).toEqual(Object.values(SUPPORT_TOPICS));
    expect(deps.store.messages('support_sent')).toHaveLength(Object.keys(SUPPORT_TOPICS).length);
  });

  it('no files given: none attached; someone with nothing: empty lists; the platform is the asker\'s', async () => {
    const deps = domainDeps();
    const tess = aPerson(deps.store, { displayName: 'Tess', slackTeamId: null, slackUserId: null, teamsTenantId: 'tenant', teamsAadId: 'aad-1' });
    const r = await requestSupport({ deps, actor: actorOf(tess.person, 'teams'), input: { email: 'tess@uni.example', topic: 'export_import', description: 'Export fails' } });
    expect(r).toMatchObject({ files: [], seats: [], openInvitations: [], platform: 'teams', fromName: 'Tess', topicLabel: 'Exporting or importing a project' });
    expect(deps.store.messages('support_request').map((e) => e.to)).toEqual([{ type: 'support_channel' }]);
    expect(deps.store.messages('support_sent').map((e) => e.to)).toEqual([{ type: 'person', personId: tess.person.id }]);
  });

  it('without a support channel: INVALID_INPUT and nothing written', async () => {
    const { deps, bob } = await world();
    const noChannel = { ...deps, settings: { ...deps.settings, hasSupportChannel: false } };
    const before = deps.store.dump();
    const err = await domainErrorOf(requestSupport({ deps: noChannel, actor: bob.actor, input: { ...valid, files: [SHOT] } }));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.userMessage).toContain('No support channel');
    expect(deps.store.dump()).toEqual(before);
  });

  it('a field problem: INVALID_INPUT naming the field, and nothing written', async () => {
    const { deps, bob } = await world();
    const before = deps.store.dump();
    const cases: [Record<string, unknown>, string][] = [
      [{ email: 'not-an-email' }, 'email'],
      [{ topic: 'billing' }, 'topic'],
      [{ description: '  ' }, 'description'],
      [{ description: 'x'.repeat(SUPPORT_DESCRIPTION_MAX + 1) }, 'description'],
      [{ files: files(11) }, 'files'],
    ];
    for (const [patch, field] of cases) {
      const err = await domainErrorOf(requestSupport({ deps, actor: bob.actor, input: { ...valid, ...patch } }));
      expect(err.code, field).toBe('INVALID_INPUT');
      expect(err.details).toEqual({ field });
    }
    expect(deps.store.dump()).toEqual(before);
  });
});
