/**
 * Knowing people: a chat identity, an account email, or both. An email invitee who later turns up
 * in chat with exactly that email becomes the same person, so their invitation follows them.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Clock, Repositories } from './ports.js';
import { SYSTEM_ACTOR, type Person, type TeamsConversationRef } from './model.js';
import { audit } from './audit.js';
import type { DomainDeps } from './context.js';
import { DomainError } from './errors.js';
import { parseEmail } from './validation.js';

export interface SlackIdentity {
  teamId: string;
  userId: string;
  email?: string | null;
  displayName?: string | null;
  tz?: string | null;
}

/** what a chat profile says about a person, as the fields it changes */
const slackPatch = (who: SlackIdentity) => ({
  ...(who.email ? { email: who.email } : {}),
  ...(who.displayName ? { displayName: who.displayName } : {}),
  ...(who.tz ? { tz: who.tz } : {}),
});

async function rememberSlackUser(repos: Repositories, clock: Clock, who: SlackIdentity): Promise<Person> {
  const known = await repos.people.bySlackId(who.teamId, who.userId);
  const patch = slackPatch(who);
  if (known) {
    const changed = Object.entries(patch).some(([k, v]) => known[k as keyof Person] !== v);
    return changed ? await repos.people.update(known.id, patch, clock.now()) : known;
  }
  if (who.email) {
    await repos.people.holdEmails([who.email]);
    // exact case only: the account email is case sensitive, so a near match is someone else
    const emailOnly = (await repos.people.byEmail(who.email)).find((p) => !p.slackUserId);
    if (emailOnly) {
      return repos.people.update(
        emailOnly.id,
        { slackTeamId: who.teamId, slackUserId: who.userId, ...patch },
        clock.now(),
      );
    }
  }
  return repos.people.insert(
    {
      email: who.email ?? null,
      slackTeamId: who.teamId,
      slackUserId: who.userId,
      slackDmChannel: null,
      displayName: who.displayName ?? null,
      tz: who.tz ?? null,
    },
    clock.now(),
  );
}

/** A person known only by an account email (not found in chat). */
async function rememberEmail(repos: Repositories, clock: Clock, email: string): Promise<Person> {
  await repos.people.holdEmails([email]);
  const exact = await repos.people.byEmail(email);
  const found = exact[0];
  if (found) return found;
  return repos.people.insert(
    { email, slackTeamId: null, slackUserId: null, slackDmChannel: null, displayName: null, tz: null },
    clock.now(),
  );
}

/**
 * Many chat users at once (a group, a channel, a class list), in one transaction; by user id. The
 * same rules as one by one (`rememberSlackUser`), in a few statements for all of them: those known
 * read in one go, the emails of the new ones held and read in one go, and the new people written
 * in one go. Only those whose profile changed, or who join a person known by their email alone,
 * are written one by one.
 */
export async function rememberSlackUsers(deps: DomainDeps, whoAll: SlackIdentity[]): Promise<Map<string, Person>> {
  // one entry per user: a user listed twice is the same person
  const who = [...new Map(whoAll.map((w) => [`${w.teamId}\u0000${w.userId}`, w])).values()];
  if (who.length === 0) return new Map();
  return await deps.store.transaction(async (repos) => {
    const at = deps.clock.now();
    const found = new Map<string, Person>();
    const key = (teamId: string | null, userId: string | null) => `${teamId ?? ''}\u0000${userId ?? ''}`;
    for (const teamId of new Set(who.map((w) => w.teamId))) {
      const ids = who.filter((w) => w.teamId === teamId).map((w) => w.userId);
      for (const p of await repos.people.bySlackIds(teamId, ids)) found.set(key(p.slackTeamId, p.slackUserId), p);
    }
    const known = new Map<string, Person>();
    const fresh: SlackIdentity[] = [];
    for (const w of who) {
      const p = found.get(key(w.teamId, w.userId));
      if (!p) {
        fresh.push(w);
        continue;
      }
      const patch = slackPatch(w);
      const changed = Object.entries(patch).some(([k, v]) => p[k as keyof Person] !== v);
      known.set(w.userId, changed ? await repos.people.update(p.id, patch, at) : p);
    }
    // exact case only: the account email is case sensitive, so a near match is someone else
    const emails = [...new Set(fresh.flatMap((w) => (w.email ? [w.email] : [])))].sort();
    await repos.people.holdEmails(emails);
    const emailOnly = new Map<string, Person>();
    for (const p of await repos.people.byEmails(emails)) if (p.email && !p.slackUserId && !emailOnly.has(p.email)) emailOnly.set(p.email, p);
    const toInsert: SlackIdentity[] = [];
    for (const w of fresh) {
      const joins = w.email ? emailOnly.get(w.email) : undefined;
      if (!joins) {
        toInsert.push(w);
        continue;
      }
      // one person per email: a second user with the same email is a person of their own
      emailOnly.delete(w.email!);
      known.set(w.userId, await repos.people.update(joins.id, { slackTeamId: w.teamId, slackUserId: w.userId, ...slackPatch(w) }, at));
    }
    const inserted = await repos.people.insertMany(
      toInsert.map((w) => ({ email: w.email ?? null, slackTeamId: w.teamId, slackUserId: w.userId, slackDmChannel: null, displayName: w.displayName ?? null, tz: w.tz ?? null })),
      at,
    );
    toInsert.forEach((w, i) => known.set(w.userId, inserted[i]!));
    return known;
  });
}

/** The verb the edges call to map a chat user to a person before acting. */
export async function identifySlackUser(deps: DomainDeps, who: SlackIdentity): Promise<Person> {
  return await deps.store.transaction((repos) => rememberSlackUser(repos, deps.clock, who));
}

/**
 * Many people known by an account email alone, at once (a class list of people not in chat); in
 * the order given. The same rule as one by one: an email already known is that person.
 */
export async function identifyEmails(deps: DomainDeps, rawEmails: readonly string[]): Promise<Person[]> {
  const emails = rawEmails.map((raw) => {
    const email = parseEmail(raw);
    if (!email) throw new DomainError('INVALID_INPUT', `"${raw}" does not look like an email address.`);
    return email;
  });
  if (emails.length === 0) return [];
  return await deps.store.transaction(async (repos) => {
    const distinct = [...new Set(emails)].sort();
    await repos.people.holdEmails(distinct);
    const known = new Map<string, Person>();
    for (const p of await repos.people.byEmails(distinct)) if (p.email && !known.has(p.email)) known.set(p.email, p);
    const missing = distinct.filter((e) => !known.has(e));
    const made = await repos.people.insertMany(
      missing.map((email) => ({ email, slackTeamId: null, slackUserId: null, slackDmChannel: null, displayName: null, tz: null })),
      deps.clock.now(),
    );
    missing.forEach((e, i) => known.set(e, made[i]!));
    return emails.map((e) => known.get(e)!);
  });
}

export async function identifyEmail(deps: DomainDeps, rawEmail: string): Promise<Person> {
  const email = parseEmail(rawEmail);
  if (!email) throw new DomainError('INVALID_INPUT', `"${rawEmail}" does not look like an email address.`);
  return await deps.store.transaction((repos) => rememberEmail(repos, deps.clock, email));
}

export const nameOf = (p: Person | undefined): string =>
  p?.displayName ?? p?.email ?? (p?.slackUserId ? `<@${p.slackUserId}>` : 'someone');

/** Whether the bot can message this person in chat (otherwise their inviter forwards the link). */
export const isReachable = (p: Person): boolean => Boolean(p.slackUserId || p.teamsConversation);

export interface TeamsIdentity {
  tenantId: string;
  /**
   * Whether the email Teams reports can be trusted: only for the organisation the bot serves
   * (TEAMS_TENANT_ID). Another tenant sets its users' emails itself, so an email from there must
   * never merge with (or make an admin of) someone known by that email.
   */
  emailTrusted: boolean;
  /** the person's time zone (Teams sends it with every message), for reminders */
  tz?: string | null;
  aadObjectId: string;
  teamsUserId: string;
  email?: string | null;
  displayName?: string | null;
  conversation?: TeamsConversationRef | null;
}

/**
 * A Teams user. One person, two platforms: someone already known (in Slack, or invited by email)
 * under exactly the same account email is the same person, with one set of seats and invitations.
 */
async function rememberTeamsUser(repos: Repositories, clock: Clock, whoRaw: TeamsIdentity): Promise<Person> {
  const who = whoRaw.emailTrusted ? whoRaw : { ...whoRaw, email: null };
  const all = (email: string) => repos.people.byEmail(email);
  const known = await repos.people.byTeamsId(who.tenantId, who.aadObjectId);
  const patch = {
    teamsUserId: who.teamsUserId,
    ...(who.email ? { email: who.email } : {}),
    ...(who.displayName ? { displayName: who.displayName } : {}),
    ...(who.conversation ? { teamsConversation: who.conversation } : {}),
    ...(who.tz ? { tz: who.tz } : {}),
  };
  if (known) {
    // compared as values: an engine may give a JSON column back with its keys in another order
    const changed = !isDeepStrictEqual({ ...known, ...patch }, known);
    return changed ? await repos.people.update(known.id, patch, clock.now()) : known;
  }
  if (who.email) {
    await repos.people.holdEmails([who.email]);
    const sameEmail = (await all(who.email)).find((p) => !p.teamsAadId);
    if (sameEmail) {
      // keep the Slack profile's email when there is one; the Teams identity joins it
      const { email: _email, ...rest } = patch;
      return repos.people.update(sameEmail.id, { ...rest, teamsTenantId: who.tenantId, teamsAadId: who.aadObjectId }, clock.now());
    }
  }
  return repos.people.insert(
    {
      email: who.email ?? null,
      slackTeamId: null,
      slackUserId: null,
      slackDmChannel: null,
      teamsTenantId: who.tenantId,
      teamsAadId: who.aadObjectId,
      teamsUserId: who.teamsUserId,
      teamsConversation: who.conversation ?? null,
      displayName: who.displayName ?? null,
      tz: who.tz ?? null,
    },
    clock.now(),
  );
}

export async function identifyTeamsUser(deps: DomainDeps, who: TeamsIdentity): Promise<Person> {
  return await deps.store.transaction((repos) => rememberTeamsUser(repos, deps.clock, who));
}

/**
 * Someone invited by email alone turned up in chat, found by that email (chat providers compare
 * emails without letter case, and they verify them). Their open invitations move to the chat
 * identity, keeping the exact account email they were made for, so they can confirm them there.
 */
export async function claimEmailInvitations(deps: DomainDeps, input: { emailPersonId: number; chatPersonId: number }): Promise<number> {
  return await deps.store.transaction(async (repos) => {
    const from = await repos.people.byId(input.emailPersonId);
    const to = await repos.people.byId(input.chatPersonId);
    if (!from || !to || from.id === to.id || isReachable(from) || !isReachable(to)) return 0;
    let moved = 0;
    for (const inv of await repos.invitations.listForInvitee(from.id)) {
      if (inv.status !== 'pending' && inv.status !== 'waiting_for_seat') continue;
      // one open invitation per person and pool/project: an existing one of theirs wins
      const clash =
        inv.kind === 'license' ? await repos.invitations.pendingFor(inv.licenseId ?? 0, to.id) : await repos.invitations.openForProject(inv.projectId ?? 0, to.id);
      if (clash) continue;
      await repos.invitations.update(inv.id, { inviteeId: to.id });
      await audit(repos, SYSTEM_ACTOR, deps.clock.now(), 'invitation.invitee_linked', { type: 'invitation', id: inv.id }, { from: from.id, to: to.id });
      moved++;
    }
    return moved;
  });
}

/**
 * Whether a person holds a seat under exactly this account email: what opening a shared project
 * needs (account emails are case sensitive).
 */
export async function holdsSeatFor(repos: Repositories, personId: number, email: string | null): Promise<boolean> {
  return email !== null && (await repos.seats.occupiedBy(personId)).some((s) => s.email === email);
}
