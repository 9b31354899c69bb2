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

async function rememberSlackUser(repos: Repositories, clock: Clock, who: SlackIdentity): Promise<Person> {
  const known = await repos.people.bySlackId(who.teamId, who.userId);
  const patch = {
    ...(who.email ? { email: who.email } : {}),
    ...(who.displayName ? { displayName: who.displayName } : {}),
    ...(who.tz ? { tz: who.tz } : {}),
  };
  if (known) {
    const changed = Object.entries(patch).some(([k, v]) => known[k as keyof Person] !== v);
    return changed ? await repos.people.update(known.id, patch, clock.now()) : known;
  }
  if (who.email) {
    await repos.people.holdEmail(who.email);
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
  await repos.people.holdEmail(email);
  const exact = await repos.people.byEmail(email);
  const found = exact[0];
  if (found) return found;
  return repos.people.insert(
    { email, slackTeamId: null, slackUserId: null, slackDmChannel: null, displayName: null, tz: null },
    clock.now(),
  );
}

/** Many chat users at once (a group, a channel), in one transaction; by user id. */
export async function rememberSlackUsers(deps: DomainDeps, who: SlackIdentity[]): Promise<Map<string, Person>> {
  return await deps.store.transaction(async (repos) => {
    const known = new Map<string, Person>();
    for (const w of who) known.set(w.userId, await rememberSlackUser(repos, deps.clock, w));
    return known;
  });
}

/** The verb the edges call to map a chat user to a person before acting. */
export async function identifySlackUser(deps: DomainDeps, who: SlackIdentity): Promise<Person> {
  return await deps.store.transaction((repos) => rememberSlackUser(repos, deps.clock, who));
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
    await repos.people.holdEmail(who.email);
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
