import { CHAT, DomainError, WORKSPACE, joined, mixesScripts, parseEmail, t, words, type Inline, type Person } from '../domain/index.js';
import type { UserLookup } from './slack/context.js';
import type { Token } from './parse.js';

export interface NamedPerson {
  person: Person;
  /** the email as typed, when the person was named by email */
  email?: string;
  /** found as a member of a channel or a user group, not named one by one */
  viaGroup?: true;
}

export interface PeopleResolution {
  people: NamedPerson[];
  /** what could not be used, in words for the person who typed it (each platform says its own words) */
  problems: Inline[];
}

/** The problems, one after another, as one text. */
export const problemWords = (problems: Inline[]): Inline => joined(problems, ' ');

/** How a platform finds people: by its own user id (a mention), or by an account email. */
export interface PeopleLookup {
  user(userId: string): Promise<UserLookup>;
  email(email: string): Promise<Person>;
  /** many emails at once, in order (a pasted class list): the platform's directory read once, not once per email */
  emails?(emails: string[]): Promise<Person[]>;
  /** the members of a user group or a channel, as platform user ids (a platform without them: undefined) */
  groupMembers?(groupId: string): Promise<string[]>;
  channelMembers?(channelId: string): Promise<string[]>;
  /** many users at once (a group, a channel): one directory read instead of a lookup each */
  users?(userIds: string[]): Promise<UserLookup[]>;
}

/** Turns mentions and emails into people; says plainly what it could not use and why. */
export async function resolvePeople(lookup: PeopleLookup, tokens: Token[]): Promise<PeopleResolution> {
  const people: NamedPerson[] = [];
  const problems: Inline[] = [];
  // the emails named are looked up together first (one directory read for a long list); the
  // people still come out in the order they were named
  // `alice smith@uni.edu`: an address with a space in it is one mistake, not a name and another address
  const split = new Set(tokens.flatMap((tok, i) => (tok.kind === 'word' && tokens[i + 1]?.kind === 'email' ? [i + 1] : [])));
  const emails = tokens.filter((_, i) => !split.has(i)).flatMap((tok) => (tok.kind === 'email' && parseEmail(tok.email) ? [parseEmail(tok.email)!] : []));
  const byEmail = new Map<string, Person>();
  if (lookup.emails && emails.length > 1) {
    const unique = [...new Set(emails)];
    (await lookup.emails(unique)).forEach((p, i) => byEmail.set(unique[i]!, p));
  }
  for (const [i, tok] of tokens.entries()) {
    if (split.has(i)) continue;
    if (split.has(i + 1)) {
      const next = tokens[i + 1]!;
      problems.push(words(`"${tok.raw} ${next.kind === 'email' ? next.email : next.raw}" has a space in it, and an email address has none: check it and type it again.`));
      continue;
    }
    if (tok.kind === 'user') {
      const r = await lookup.user(tok.id);
      if (r.ok) people.push({ person: r.person });
      else if (r.reason === 'bot') problems.push(words(`${r.label} is a bot, not a person.`));
      else if (r.reason === 'deactivated') problems.push(t`${r.label} has left ${WORKSPACE}.`);
      else problems.push(t`I could not find ${r.label} in ${WORKSPACE}.`);
    } else if (tok.kind === 'email') {
      const email = parseEmail(tok.email);
      if (!email) {
        problems.push(
          words(
            mixesScripts(tok.email)
              ? `"${tok.email}" has letters from another alphabet that look like Latin ones, so it is not the address it seems: type it again in plain letters.`
              : `"${tok.email}" is not a valid email address; check it for typos.`,
          ),
        );
      }
      else people.push({ person: byEmail.get(email) ?? (await lookup.email(email)), email });
    } else if (tok.kind === 'usergroup' || tok.kind === 'channel') {
      const list = tok.kind === 'usergroup' ? lookup.groupMembers : lookup.channelMembers;
      if (!list) {
        problems.push(words(`${tok.raw} names a ${tok.kind === 'usergroup' ? 'user group' : 'channel'}, which I cannot read here: name the people or give their emails.`));
        continue;
      }
      // everyone in it, in the order the platform lists them; bots and people who left are skipped quietly
      const ids = await list(tok.id);
      const found = lookup.users ? await lookup.users(ids) : await Promise.all(ids.map((id) => lookup.user(id)));
      for (const r of found) if (r.ok) people.push({ person: r.person, viaGroup: true });
    } else if (tok.kind === 'plain_mention') {
      problems.push(t`"${tok.raw}" did not become a mention: pick the person from the list ${CHAT} shows as you type their name, or give their email.`);
    } else {
      problems.push(words(`"${tok.raw}" is neither a mention (@name) nor an email address.`));
    }
  }
  return { people, problems };
}

/** Exactly one person, for commands like `status @alice`. */
export async function resolveOnePerson(lookup: PeopleLookup, tokens: Token[], usage: Inline): Promise<NamedPerson> {
  const r = await resolvePeople(lookup, tokens);
  if (r.problems.length) throw new DomainError('INVALID_INPUT', problemWords(r.problems));
  if (r.people.length !== 1) throw new DomainError('INVALID_INPUT', t`Name one person: ${usage}.`);
  return r.people[0]!;
}
