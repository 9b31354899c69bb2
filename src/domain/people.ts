/**
 * Knowing people: a chat identity, an account email, or both. An email invitee who later turns up
 * in chat with exactly that email becomes the same person, so their invitation follows them.
 */
import type { Clock, Repositories } from './ports.js';
import type { Person } from './model.js';
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

export function rememberSlackUser(repos: Repositories, clock: Clock, who: SlackIdentity): Person {
  const known = repos.people.bySlackId(who.teamId, who.userId);
  const patch = {
    ...(who.email ? { email: who.email } : {}),
    ...(who.displayName ? { displayName: who.displayName } : {}),
    ...(who.tz ? { tz: who.tz } : {}),
  };
  if (known) {
    const changed = Object.entries(patch).some(([k, v]) => known[k as keyof Person] !== v);
    return changed ? repos.people.update(known.id, patch, clock.now()) : known;
  }
  if (who.email) {
    // exact case only: the account email is case sensitive, so a near match is someone else
    const emailOnly = repos.people.byEmail(who.email).find((p) => !p.slackUserId);
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
export function rememberEmail(repos: Repositories, clock: Clock, email: string): Person {
  const exact = repos.people.byEmail(email);
  const found = exact[0];
  if (found) return found;
  return repos.people.insert(
    { email, slackTeamId: null, slackUserId: null, slackDmChannel: null, displayName: null, tz: null },
    clock.now(),
  );
}

/** The verb the edges call to map a chat user to a person before acting. */
export function identifySlackUser(deps: DomainDeps, who: SlackIdentity): Person {
  return deps.store.transaction((repos) => rememberSlackUser(repos, deps.clock, who));
}

export function identifyEmail(deps: DomainDeps, rawEmail: string): Person {
  const email = parseEmail(rawEmail);
  if (!email) throw new DomainError('INVALID_INPUT', `"${rawEmail}" does not look like an email address.`);
  return deps.store.transaction((repos) => rememberEmail(repos, deps.clock, email));
}

export const nameOf = (p: Person | undefined): string =>
  p?.displayName ?? p?.email ?? (p?.slackUserId ? `<@${p.slackUserId}>` : 'someone');

/** Whether the bot can message this person in chat (otherwise their inviter forwards the link). */
export const isReachable = (p: Person): boolean => Boolean(p.slackUserId);
