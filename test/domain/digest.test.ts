/**
 * The admins' review: buildDigest (pages of entries), postDigest(deps, now) (the scheduled post to
 * the admin channel) and reviewPending (`/atlas pending`, admins only).
 */
import { describe, expect, it } from 'vitest';
import type { License } from '../../src/domain/index.js';
import {
  buildDigest,
  ENTRIES_PER_PAGE,
  parseReminderWindow,
  postDigest,
  remindDue,
  reportUndeliverable,
  reviewPending,
  type DigestEntry,
  type DigestItem,
  type DigestPage,
  type DomainSettings,
} from '../../src/domain/index.js';
import {
  aLicense,
  anAdmin,
  aPerson,
  aProject,
  aProjectInvitation,
  aSeat,
  audited,
  DAY_MS,
  domainDeps,
  domainErrorOf,
  invited,
  T0,
  type TestStore,
  type Someone,
  type TestDeps,
} from '../support/test-store.js';

const NOW = T0 + 2 * DAY_MS;

const digestOf = async (store: TestStore, now = NOW): Promise<DigestPage[]> => await store.transaction((r) => buildDigest(r, now));
const entriesOf = (pages: DigestPage[]): DigestEntry[] => pages.flatMap((p) => p.entries);
const itemsOf = (entries: DigestEntry[]): DigestItem[] => entries.flatMap((e) => (e.kind === 'item' ? [e.item] : []));

const patchInvitation = (store: TestStore, invitationId: number, patch: { remindersSent?: number; deliveryProblem?: string }) =>
  store.transaction((r) => r.invitations.update(invitationId, patch));

/** fills a pool with `n` occupied seats held by new people */
const seatsTaken = (store: TestStore, license: License, n: number) => {
  for (let k = 0; k < n; k++) aSeat(store, { license, person: aPerson(store) });
};

const world = async (settings: Partial<DomainSettings> = {}) => {
  const deps = domainDeps({ settings });
  const ada = anAdmin(deps.store, { displayName: 'Ada Admin', email: 'ada@uni.example' });
  const olive = aPerson(deps.store, { displayName: 'Olive Owner', email: 'olive@uni.example' });
  const mallory = aPerson(deps.store, { displayName: 'Mallory', email: 'mallory@uni.example' });
  return { deps, ada, olive, mallory };
};

/** A digest with every kind of entry, small enough for one page. */
const fullWorld = async () => {
  const w = await world();
  const { deps, ada, olive } = w;
  const invite = (who: Someone, licenseName: string) => invited(deps, ada, who, { licenseName });
  const alpha = aLicense(deps.store, { name: 'Alpha', seats: 10 }); // 8 taken + 1 pending = 90%: warn
  const beta = aLicense(deps.store, { name: 'Beta', seats: 2 }); // 1 + 1 = full
  const delta = aLicense(deps.store, { name: 'Delta', seats: 10 }); // 8 taken + Dan's and Erin's below, none pending: full
  aLicense(deps.store, { name: 'Gamma', seats: 10 }); // 0 + 1: ok
  seatsTaken(deps.store, alpha, 8);
  seatsTaken(deps.store, beta, 1);
  seatsTaken(deps.store, delta, 8);

  const alice = aPerson(deps.store, { displayName: 'Alice', email: 'Alice.Smith@uni.example' });
  const bob = aPerson(deps.store, { displayName: 'Bob', email: 'bob@uni.example' });
  const carol = aPerson(deps.store, { displayName: 'Carol', email: 'carol@uni.example' });
  const dan = aPerson(deps.store, { displayName: 'Dan', email: 'dan@uni.example' });
  const erin = aPerson(deps.store, { displayName: 'Erin', email: 'erin@uni.example' });
  const finn = aPerson(deps.store, { displayName: 'Finn', email: 'finn@uni.example' });
  const gus = aPerson(deps.store, { displayName: 'Gus', email: 'gus@uni.example' });
  aSeat(deps.store, { license: delta, person: dan });
  aSeat(deps.store, { license: delta, person: erin });

  deps.clock.set(T0);
  const a = await invite(alice, 'Alpha');
  deps.clock.set(T0 + 1000);
  const b = await invite(bob, 'Beta');
  deps.clock.set(T0 + 2000);
  const c = await invite(carol, 'Gamma');
  const panel = aProject(deps.store, { owner: olive, name: 'Panel', edition: 'web' });
  const diaries = aProject(deps.store, { owner: olive, name: 'Diaries', edition: 'desktop' });
  const p1 = aProjectInvitation(deps.store, { project: panel, invitee: dan, at: T0 + 3000 }).invitation;
  const d1 = aProjectInvitation(deps.store, { project: diaries, invitee: erin, at: T0 + 4000, desktopLink: 'https://cloud.atlasti.com/x.atlasti' }).invitation;
  const p2 = aProjectInvitation(deps.store, { project: panel, invitee: erin, at: T0 + 5000 }).invitation;
  const w1 = aProjectInvitation(deps.store, { project: panel, invitee: finn, at: T0 + 6000, status: 'waiting_for_seat' }).invitation;
  // an answered one is not listed
  aProjectInvitation(deps.store, { project: diaries, invitee: gus, status: 'declined' });
  await patchInvitation(deps.store, a.invitationId, { remindersSent: 2 });
  await patchInvitation(deps.store, p2.id, { deliveryProblem: 'account_inactive' });
  return { ...w, alice, bob, carol, dan, erin, finn, a, b, c, p1, d1, p2, w1, panel, diaries };
};

describe('buildDigest', () => {
  it('lists everything pending by license and by project, those waiting for a seat, and the unreachable', async () => {
    const f = await fullWorld();
    const pages = await digestOf(f.deps.store);
    expect(pages).toHaveLength(1);
    expect(pages[0]).toMatchObject({ page: 1, pages: 1, now: NOW });

    const item = (invitationId: number, inviteeName: string, inviterName: string, extra: Partial<DigestItem> = {}) =>
      ({ kind: 'item', item: expect.objectContaining({ invitationId, inviteeName, inviterName, actionable: true, ...extra }) }) as const;
    expect(entriesOf(pages)).toEqual([
      { kind: 'title', pendingCount: 6, waitingCount: 1, undeliverableCount: 1, now: NOW },
      { kind: 'license', seatModel: 'assigned', memberCap: null, name: 'Alpha', seats: 10, occupied: 8, reserved: 1, level: 'warn' },
      item(f.a.invitationId, 'Alice', 'Ada Admin', { remindersSent: 2, inviteeEmail: 'Alice.Smith@uni.example' }),
      { kind: 'license', seatModel: 'assigned', memberCap: null, name: 'Beta', seats: 2, occupied: 1, reserved: 1, level: 'full' },
      item(f.b.invitationId, 'Bob', 'Ada Admin', { remindersSent: 0 }),
      { kind: 'license', seatModel: 'assigned', memberCap: null, name: 'Delta', seats: 10, occupied: 10, reserved: 0, level: 'full' },
      { kind: 'license', seatModel: 'assigned', memberCap: null, name: 'Gamma', seats: 10, occupied: 0, reserved: 1, level: 'ok' },
      item(f.c.invitationId, 'Carol', 'Ada Admin'),
      { kind: 'project', name: 'Panel', ownerName: 'Olive Owner', edition: 'web' },
      item(f.p1.id, 'Dan', 'Olive Owner'),
      item(f.p2.id, 'Erin', 'Olive Owner', { deliveryProblem: 'account_inactive' }),
      { kind: 'project', name: 'Diaries', ownerName: 'Olive Owner', edition: 'desktop' },
      item(f.d1.id, 'Erin', 'Olive Owner'),
      { kind: 'heading', text: 'waiting_for_seat' },
      item(f.w1.id, 'Finn', 'Olive Owner', { actionable: true, waiting: true }),
      { kind: 'heading', text: 'undeliverable' },
      item(f.p2.id, 'Erin', 'Olive Owner', { actionable: false, deliveryProblem: 'account_inactive' }),
    ]);
  });

  it('an item carries its dates, reminders sent and email as stored', async () => {
    const f = await fullWorld();
    const inv = f.deps.store.invitation(f.a.invitationId);
    const found = itemsOf(entriesOf(await digestOf(f.deps.store))).find((i) => i.invitationId === f.a.invitationId);
    expect(found).toEqual({
      invitationId: inv.id,
      inviteeName: 'Alice',
      inviteeEmail: 'Alice.Smith@uni.example',
      inviterName: 'Ada Admin',
      sentAt: inv.sentAt,
      expiresAt: inv.expiresAt,
      remindersSent: 2,
      deliveryProblem: null,
      actionable: true,
    });
  });

  it.each([
    [10, 0, 0, 'ok'],
    [10, 8, 0, 'ok'],
    [10, 8, 1, 'warn'],
    [10, 9, 0, 'warn'],
    [10, 9, 1, 'full'],
    [20, 17, 0, 'ok'],
    [20, 18, 0, 'warn'],
    [1, 0, 0, 'ok'],
    [1, 0, 1, 'full'],
    [0, 0, 0, 'full'],
  ] as const)('a pool of %i seats with %i taken and %i pending is %s', async (seats, taken, pending, level) => {
    const { deps, ada } = await world();
    const license = aLicense(deps.store, { name: 'Pool', seats });
    seatsTaken(deps.store, license, taken);
    for (let k = 0; k < pending; k++) await invited(deps, ada, aPerson(deps.store));
    const [entry] = entriesOf(await digestOf(deps.store)).filter((e) => e.kind === 'license');
    expect(entry).toEqual({ kind: 'license', seatModel: 'assigned', memberCap: null, name: 'Pool', seats, occupied: taken, reserved: pending, level });
  });

  it('an empty review is one page with the title and the pools', async () => {
    const { deps } = await world();
    aLicense(deps.store, { name: 'Campus', seats: 5 });
    expect(await digestOf(deps.store)).toEqual([
      {
        page: 1,
        pages: 1,
        now: NOW,
        entries: [
          { kind: 'title', pendingCount: 0, waitingCount: 0, undeliverableCount: 0, now: NOW },
          { kind: 'license', seatModel: 'assigned', memberCap: null, name: 'Campus', seats: 5, occupied: 0, reserved: 0, level: 'ok' },
        ],
      },
    ]);
  });

  it('pages hold at most ENTRIES_PER_PAGE entries, are numbered, carry `now`, and together hold everything in order', async () => {
    const { deps, ada, olive } = await world();
    aLicense(deps.store, { name: 'Campus', seats: 100 });
    const ids: number[] = [];
    for (let k = 0; k < 30; k++) {
      deps.clock.set(T0 + k);
      ids.push((await invited(deps, ada, aPerson(deps.store))).invitationId);
    }
    const project = aProject(deps.store, { owner: olive, name: 'Panel' });
    for (let k = 0; k < 12; k++) ids.push(aProjectInvitation(deps.store, { project, invitee: aPerson(deps.store), at: T0 + 100 + k }).invitation.id);

    const pages = await digestOf(deps.store);
    const total = 1 + 1 + 30 + 1 + 12; // title, license, its items, project, its items
    expect(pages).toHaveLength(Math.ceil(total / ENTRIES_PER_PAGE));
    pages.forEach((p, i) => {
      expect(p.page).toBe(i + 1);
      expect(p.pages).toBe(pages.length);
      expect(p.now).toBe(NOW);
      expect(p.entries.length).toBeGreaterThan(0);
      expect(p.entries.length).toBeLessThanOrEqual(ENTRIES_PER_PAGE);
    });
    const all = entriesOf(pages);
    expect(all).toHaveLength(total);
    expect(itemsOf(all).map((i) => i.invitationId)).toEqual(ids);
    expect(all.filter((e) => e.kind === 'title')).toHaveLength(1);
    expect(all[0]).toMatchObject({ kind: 'title', pendingCount: 42 });
  });

  it('lists 40 items of a group and counts the rest in a "more" entry', async () => {
    const { deps, ada, olive } = await world();
    aLicense(deps.store, { name: 'Campus', seats: 100 });
    const ids: number[] = [];
    for (let k = 0; k < 45; k++) {
      deps.clock.set(T0 + k);
      ids.push((await invited(deps, ada, aPerson(deps.store))).invitationId);
    }
    const project = aProject(deps.store, { owner: olive, name: 'Panel' });
    for (let k = 0; k < 41; k++) aProjectInvitation(deps.store, { project, invitee: aPerson(deps.store), at: T0 + 100 + k });

    const pages = await digestOf(deps.store);
    const all = entriesOf(pages);
    expect(all.filter((e) => e.kind === 'more')).toEqual([
      { kind: 'more', count: 5, of: 'Campus' },
      { kind: 'more', count: 1, of: 'Panel' },
    ]);
    const campus = all.findIndex((e) => e.kind === 'license');
    const listed = itemsOf(all.slice(campus, campus + 41));
    expect(listed.map((i) => i.invitationId)).toEqual(ids.slice(0, 40));
    expect(all[campus + 41]).toEqual({ kind: 'more', count: 5, of: 'Campus' });
    expect(itemsOf(all)).toHaveLength(80);
    expect(all[0]).toMatchObject({ kind: 'title', pendingCount: 86 });
    expect(pages.every((p) => p.entries.length <= ENTRIES_PER_PAGE)).toBe(true);
    expect(pages).toHaveLength(Math.ceil(all.length / ENTRIES_PER_PAGE));
  });

  it('the waiting and undeliverable groups are capped too', async () => {
    const { deps, olive } = await world();
    const project = aProject(deps.store, { owner: olive, name: 'Panel' });
    for (let k = 0; k < 43; k++) aProjectInvitation(deps.store, { project, invitee: aPerson(deps.store), status: 'waiting_for_seat', at: T0 + k });
    const all = entriesOf(await digestOf(deps.store));
    expect(all[0]).toMatchObject({ kind: 'title', pendingCount: 0, waitingCount: 43 });
    expect(all.filter((e) => e.kind === 'more')).toEqual([{ kind: 'more', count: 3, of: 'waiting for a seat' }]);
    // a waiting one can be extended or withdrawn (never resent: it was never sent)
    expect(itemsOf(all).every((i) => i.actionable && i.waiting)).toBe(true);
    expect(itemsOf(all)).toHaveLength(40);
  });
});

describe('postDigest', () => {
  it('without an admin channel posts nothing and writes nothing', async () => {
    const f = await fullWorld();
    const deps: TestDeps = { ...f.deps, settings: { ...f.deps.settings, hasAdminChannel: false } };
    const before = deps.store.dump();
    expect(await postDigest(deps, NOW)).toEqual({ pages: 0 });
    expect(deps.store.dump()).toEqual(before);
  });

  it('posts one digest_page per page to the admin channel, in order', async () => {
    const { deps, ada } = await world();
    aLicense(deps.store, { name: 'Campus', seats: 100 });
    for (let k = 0; k < 50; k++) await invited(deps, ada, aPerson(deps.store));
    const expected = await digestOf(deps.store);
    expect(expected.length).toBeGreaterThan(1);
    const before = deps.store.outbox().length;

    expect(await postDigest(deps, NOW)).toEqual({ pages: expected.length });
    const posted = deps.store.outbox().slice(before);
    expect(posted).toHaveLength(expected.length);
    expect(posted.every((e) => e.to.type === 'admin_channel' && e.at === NOW)).toBe(true);
    expect(posted.map((e) => e.message)).toEqual(expected.map((page) => ({ type: 'digest_page', page })));
    expect(deps.store.messages('digest_page').map((e) => [e.message.page.page, e.message.page.pages])).toEqual(expected.map((p, i) => [i + 1, expected.length]));
  });

  it('expires what is overdue first, so an expired invitation is not listed as pending', async () => {
    const { deps, ada } = await world();
    const license = aLicense(deps.store, { name: 'Campus', seats: 5 });
    const alice = aPerson(deps.store, { displayName: 'Alice' });
    const { invitationId } = await invited(deps, ada, alice);
    const later = deps.store.invitation(invitationId).expiresAt;

    await postDigest(deps, later);
    expect(deps.store.invitation(invitationId).status).toBe('expired');
    const [page] = deps.store.messages('digest_page').map((e) => e.message.page);
    expect(page!.entries[0]).toMatchObject({ kind: 'title', pendingCount: 0 });
    expect(page!.entries).toContainEqual({ kind: 'license', seatModel: 'assigned', memberCap: null, name: license.name, seats: 5, occupied: 0, reserved: 0, level: 'ok' });
    expect(itemsOf(page!.entries)).toEqual([]);
  });
});

describe('reviewPending', () => {
  it('gives an admin the same pages as the digest, and posts nothing', async () => {
    const f = await fullWorld();
    f.deps.clock.set(NOW);
    const before = f.deps.store.outbox().length;
    const pages = await reviewPending({ deps: f.deps, actor: f.ada.actor, input: undefined });
    expect(pages).toEqual(await digestOf(f.deps.store, NOW));
    expect(f.deps.store.outbox().length).toBe(before);
  });

  it('works for an admin named in ATLAS_ADMINS', async () => {
    const f = await fullWorld();
    const named = { ...f.deps, settings: { ...f.deps.settings, configuredAdmins: ['OLIVE@uni.example'] } };
    const pages = await reviewPending({ deps: named, actor: f.olive.actor, input: undefined });
    expect(pages[0]!.entries[0]).toMatchObject({ kind: 'title', pendingCount: 6 });
  });

  it('refuses anyone else, and changes nothing', async () => {
    const f = await fullWorld();
    // an overdue invitation would be expired by an admin's review; a refusal must not do even that
    f.deps.clock.set(T0 + 30 * DAY_MS);
    const before = f.deps.store.dump();
    for (const someone of [f.mallory, f.olive, f.alice]) {
      const err = await domainErrorOf(reviewPending({ deps: f.deps, actor: someone.actor, input: undefined }));
      expect(err.code).toBe('FORBIDDEN');
      expect(err.userMessage).toMatch(/Only license admins/);
    }
    expect(f.deps.store.dump()).toEqual(before);
  });
});

describe('reportUndeliverable: what chat refused for good is recorded, not retried', () => {
  const remindWorld = async () => {
    const w = await world({ reminders: { afterMs: 3 * DAY_MS, max: 3, window: parseReminderWindow('always') } });
    aLicense(w.deps.store, { name: 'Campus', seats: 5 });
    const alice = aPerson(w.deps.store, { displayName: 'Alice', email: 'alice@uni.example' });
    const inv = await invited(w.deps, w.ada, alice);
    return { ...w, alice, inv };
  };

  it('a reminder that cannot be delivered sets deliveryProblem on its invitation, and the digest shows it', async () => {
    const { deps, inv } = await remindWorld();
    await remindDue(deps, T0 + 3 * DAY_MS);
    const [reminder] = deps.store.messages('reminder');
    deps.clock.set(T0 + 3 * DAY_MS + 5);
    const outbox = deps.store.outbox().length;

    await reportUndeliverable(deps, reminder!.message, 'account_inactive');
    expect(deps.store.invitation(inv.invitationId)).toMatchObject({ status: 'pending', deliveryProblem: 'account_inactive', remindersSent: 1 });
    expect(deps.store.outbox()).toHaveLength(outbox); // nobody is told again
    expect(audited(deps.store, 'invitation.undeliverable')).toEqual([
      expect.objectContaining({ platform: 'system', subjectId: inv.invitationId, at: T0 + 3 * DAY_MS + 5, details: { reason: 'account_inactive', message: 'reminder' } }),
    ]);

    const all = entriesOf(await digestOf(deps.store));
    expect(all[0]).toMatchObject({ kind: 'title', pendingCount: 1, undeliverableCount: 1 });
    const heading = all.findIndex((e) => e.kind === 'heading' && e.text === 'undeliverable');
    expect(heading).toBeGreaterThan(0);
    expect(all[heading + 1]).toEqual({ kind: 'item', item: expect.objectContaining({ invitationId: inv.invitationId, deliveryProblem: 'account_inactive', actionable: false }) });
  });

  it('a license invitation that cannot be delivered sets deliveryProblem and sends the inviter its link to forward, with the reason', async () => {
    const { deps, ada, inv } = await remindWorld();
    const [sent] = deps.store.messages('license_invitation');
    deps.clock.set(T0 + 60_000);

    await reportUndeliverable(deps, sent!.message, 'user_not_found');
    expect(deps.store.invitation(inv.invitationId).deliveryProblem).toBe('user_not_found');
    const forwards = deps.store.messages('forward_link');
    expect(forwards).toHaveLength(1);
    expect(forwards[0]!.to).toEqual({ type: 'person', personId: ada.person.id });
    expect(forwards[0]!.at).toBe(T0 + 60_000);
    expect(forwards[0]!.message).toEqual({ type: 'forward_link', invitation: sent!.message.invitation, link: inv.link, reason: 'user_not_found' });
  });

  it('a project invitation that cannot be delivered goes to whoever shared it, to forward', async () => {
    const { deps, olive } = await world();
    const license = aLicense(deps.store, { name: 'Campus', seats: 5 });
    const bob = aPerson(deps.store, { displayName: 'Bob' });
    aSeat(deps.store, { license, person: bob });
    const project = aProject(deps.store, { owner: olive, name: 'Panel' });
    const { invitation, token } = aProjectInvitation(deps.store, { project, invitee: bob });
    const snapshot = { kind: 'project', invitationId: invitation.id, status: 'pending', projectId: project.id, projectName: 'Panel', edition: 'web', ownerName: 'Olive Owner', inviterName: 'Olive Owner', inviteeName: 'Bob', inviteeEmail: bob.person.email, message: null, expiresAt: invitation.expiresAt, desktopLink: null } as const;
    const link = `https://bot.example.edu/invite/${token}`;

    await reportUndeliverable(deps, { type: 'project_invitation', invitation: snapshot, link, resent: false }, 'account_inactive');
    expect(deps.store.invitation(invitation.id).deliveryProblem).toBe('account_inactive');
    expect(deps.store.messages('forward_link').map((e) => [e.to, e.message.link, e.message.reason])).toEqual([[{ type: 'person', personId: olive.person.id }, link, 'account_inactive']]);
  });

  it('an invitation DM about an invitation no longer pending changes nothing', async () => {
    const { deps, alice, inv } = await remindWorld();
    const [sent] = deps.store.messages('license_invitation');
    deps.store.sql("UPDATE invitations SET status = 'revoked' WHERE id = ?", inv.invitationId);
    const before = deps.store.dump();
    await reportUndeliverable(deps, sent!.message, 'account_inactive');
    expect(deps.store.dump()).toEqual(before);
    expect(deps.store.messagesTo(alice.person.id).map((e) => e.message.type)).toEqual(['license_invitation']);
  });

  it('other messages change nothing', async () => {
    const { deps } = await remindWorld();
    const [admin] = deps.store.messages('admin_invitation_event');
    const [sent] = deps.store.messages('license_invitation');
    expect(admin).toBeDefined();
    const before = deps.store.dump();
    await reportUndeliverable(deps, { type: 'notice', text: 'hello' }, 'user_not_found');
    await reportUndeliverable(deps, { type: 'seat_released', licenseName: 'Campus', projectNames: [] }, 'account_inactive');
    await reportUndeliverable(deps, admin!.message, 'channel_not_found');
    await reportUndeliverable(deps, { type: 'invitation_update', invitation: sent!.message.invitation }, 'account_inactive');
    await reportUndeliverable(deps, { type: 'expired_notice', invitation: sent!.message.invitation }, 'account_inactive');
    expect(deps.store.dump()).toEqual(before);
  });
});
