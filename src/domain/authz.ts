import { DomainError } from './errors.js';
import type { Actor, Person } from './model.js';
import type { Repositories } from './ports.js';
import type { DomainSettings } from './context.js';

/**
 * An admin is named in ATLAS_ADMINS (by Slack member id or Teams AAD object id, or by email, compared without letter
 * case since that list is typed by an operator) or was added later with `/atlas admin add`.
 */
export async function isAdmin(repos: Repositories, settings: DomainSettings, person: Person): Promise<boolean> {
  const named = settings.configuredAdmins.map((a) => a.trim().toLowerCase()).filter(Boolean);
  if (person.slackUserId && named.includes(person.slackUserId.toLowerCase())) return true;
  // Teams admins are named by their AAD object id
  if (person.teamsAadId && named.includes(person.teamsAadId.toLowerCase())) return true;
  if (person.email && named.includes(person.email.toLowerCase())) return true;
  return await repos.admins.isAdmin(person.id);
}

export async function actorPerson(repos: Repositories, actor: Actor): Promise<Person> {
  const person = await repos.people.byId(actor.personId);
  if (!person) throw new DomainError('NOT_FOUND', 'I could not find your profile. Please try again in a moment.');
  return person;
}

/** A person acting as an admin. Scheduled jobs are verbs of their own and never pass through here. */
export async function requireAdmin(repos: Repositories, settings: DomainSettings, actor: Actor, doing: string): Promise<Person> {
  const person = await actorPerson(repos, actor);
  if (!await isAdmin(repos, settings, person)) {
    throw new DomainError(
      'FORBIDDEN',
      `Only license admins can ${doing}. If you need this done, ask one of your license admins.`,
    );
  }
  return person;
}
