/**
 * Who is who in Slack: maps user ids and emails to the domain's people, asking the Web API
 * (users.info, users.lookupByEmail) only for people the bot does not know yet or knows without an
 * email.
 */
import type { WebClient } from '@slack/web-api';
// node:http underneath, as the Web API calls (slack-app.ts, which says why)
import fetch from 'node-fetch';
import { identifyEmail, identifyEmails, identifySlackUser, rememberSlackUsers, type Actor, type DomainDeps, type Person } from '../../domain/index.js';
import type { SlackDirectoryPort, UserLookup } from '../../handlers/slack/context.js';
import { slackErrorCode } from './slack-errors.js';

interface SlackUser {
  id?: string;
  team_id?: string;
  name?: string;
  real_name?: string;
  deleted?: boolean;
  is_bot?: boolean;
  tz?: string;
  profile?: { email?: string; display_name?: string; real_name?: string };
}

const displayNameOf = (u: SlackUser): string | null =>
  // the full name reads best in an admin's list; the chosen display name is the fallback
  u.profile?.real_name || u.real_name || u.profile?.display_name || u.name || null;

/**
 * users.list's largest page (Slack: "no larger than 1000"). The method is Tier 2 (about 20 calls a
 * minute): a workspace of 5,000 is read in 5 calls, where pages of 200 took 25 and hit the limit.
 */
const USERS_PER_PAGE = 1000;

/** Up to this many emails are looked up one by one; more are matched against the directory. */
const EMAILS_LOOKED_UP_ONE_BY_ONE = 20;

export class SlackDirectory implements SlackDirectoryPort {
  constructor(
    private readonly client: WebClient,
    private readonly deps: DomainDeps,
    private readonly file: { token: string; apiUrl: string } = { token: '', apiUrl: 'https://slack.com/api/' },
  ) {}

  /**
   * A file a person uploaded in a form (a CSV of emails), fetched with the bot token. The token is
   * only ever sent to Slack's own hosts (or the configured API host, for tests).
   */
  async downloadText(url: string, maxBytes = 2_000_000): Promise<string> {
    const host = new URL(url).hostname;
    const allowed = host === 'slack.com' || host.endsWith('.slack.com') || host === new URL(this.file.apiUrl).hostname;
    if (!allowed) throw new Error(`refusing to send the bot token to ${host}`);
    const res = await fetch(url, { headers: { authorization: `Bearer ${this.file.token}` }, signal: AbortSignal.timeout(30_000) });
    if (!res.ok) throw new Error(`could not download the file (HTTP ${res.status})`);
    const text = await res.text();
    return text.slice(0, maxBytes);
  }

  private async known(teamId: string, userId: string): Promise<Person | undefined> {
    return await this.deps.store.transaction((r) => r.people.bySlackId(teamId, userId));
  }

  private async remember(teamId: string, u: SlackUser & { id: string }): Promise<Person> {
    return await identifySlackUser(this.deps, {
      teamId: u.team_id ?? teamId,
      userId: u.id,
      email: u.profile?.email ?? null,
      displayName: displayNameOf(u),
      tz: u.tz ?? null,
    });
  }

  async user(teamId: string, userId: string): Promise<UserLookup> {
    const label = `<@${userId}>`;
    const known = await this.known(teamId, userId);
    if (known?.email) return { ok: true, person: known };
    try {
      const res = await this.client.users.info({ user: userId });
      const u = res.user;
      if (!u?.id) return { ok: false, reason: 'not_found', label };
      if (u.is_bot) return { ok: false, reason: 'bot', label };
      if (u.deleted) return { ok: false, reason: 'deactivated', label };
      return { ok: true, person: await this.remember(teamId, { ...u, id: u.id }) };
    } catch (e) {
      if (slackErrorCode(e) === 'user_not_found') return { ok: false, reason: 'not_found', label };
      throw e;
    }
  }

  async actor(teamId: string, userId: string): Promise<Actor> {
    const r = await this.user(teamId, userId);
    // someone Slack will not describe (an edge case of shared channels) still acts as themselves
    const person = r.ok ? r.person : await identifySlackUser(this.deps, { teamId, userId });
    return { platform: 'slack', userId, personId: person.id };
  }

  /**
   * Many users at once, for a group or a channel: the ones not known yet are read from the
   * workspace directory a page at a time (users.list), and remembered in one transaction.
   */
  async users(teamId: string, userIds: string[]): Promise<UserLookup[]> {
    const known = new Map<string, Person>();
    await this.deps.store.transaction(async (r) => {
      for (const p of await r.people.bySlackIds(teamId, userIds)) if (p.email && p.slackUserId) known.set(p.slackUserId, p);
    });
    const wanted = new Set(userIds.filter((id) => !known.has(id)));
    const profiles = new Map<string, SlackUser & { id: string }>();
    if (wanted.size > 0) {
      let cursor: string | undefined;
      do {
        const res = await this.client.users.list({ limit: USERS_PER_PAGE, ...(cursor ? { cursor } : {}) });
        for (const u of (res.members ?? []) as SlackUser[]) if (u.id && wanted.has(u.id)) profiles.set(u.id, { ...u, id: u.id });
        cursor = res.response_metadata?.next_cursor || undefined;
      } while (cursor && profiles.size < wanted.size);
    }
    const remembered = await rememberSlackUsers(
      this.deps,
      [...profiles.values()].filter((u) => !u.is_bot && !u.deleted).map((u) => ({ teamId: u.team_id ?? teamId, userId: u.id, email: u.profile?.email ?? null, displayName: displayNameOf(u), tz: u.tz ?? null })),
    );
    return userIds.map((id): UserLookup => {
      const person = known.get(id) ?? remembered.get(id);
      if (person) return { ok: true, person };
      const u = profiles.get(id);
      return { ok: false, reason: u?.is_bot ? 'bot' : u?.deleted ? 'deactivated' : 'not_found', label: `<@${id}>` };
    });
  }

  /** Everyone in a user group (usergroups.users.list). */
  async groupMembers(groupId: string): Promise<string[]> {
    const res = await this.client.usergroups.users.list({ usergroup: groupId });
    return res.users ?? [];
  }

  /** Everyone in a channel (conversations.members, every page). */
  async channelMembers(channelId: string): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await this.client.conversations.members({ channel: channelId, limit: 1000, ...(cursor ? { cursor } : {}) });
      ids.push(...(res.members ?? []));
      cursor = res.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return ids;
  }

  /**
   * Many account emails at once (a CSV): users.lookupByEmail is one call per email at Tier 3 (a
   * class list of thousands would take an hour), so a long list is matched against the workspace
   * directory instead, read a page at a time (users.list) and remembered in one transaction.
   */
  async emails(teamId: string, emails: string[]): Promise<Person[]> {
    if (emails.length <= EMAILS_LOOKED_UP_ONE_BY_ONE) {
      const found: Person[] = [];
      for (const e of emails) found.push(await this.email(teamId, e));
      return found;
    }
    const known = new Map<string, Person>();
    await this.deps.store.transaction(async (r) => {
      // the oldest one of an email known in chat, as one by one
      for (const p of await r.people.byEmails(emails)) if (p.email && p.slackUserId && !known.has(p.email)) known.set(p.email, p);
    });
    // Slack matches emails without letter case; the invitation keeps the email exactly as given
    const wanted = new Set(emails.filter((e) => !known.has(e)).map((e) => e.toLowerCase()));
    const profiles = new Map<string, SlackUser & { id: string }>();
    let cursor: string | undefined;
    while (wanted.size > profiles.size) {
      const res = await this.client.users.list({ limit: USERS_PER_PAGE, ...(cursor ? { cursor } : {}) });
      for (const u of (res.members ?? []) as SlackUser[]) {
        const e = u.profile?.email?.toLowerCase();
        if (u.id && e && wanted.has(e) && !u.deleted && !u.is_bot) profiles.set(e, { ...u, id: u.id });
      }
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    const remembered = await rememberSlackUsers(
      this.deps,
      [...profiles.values()].map((u) => ({ teamId: u.team_id ?? teamId, userId: u.id, email: u.profile?.email ?? null, displayName: displayNameOf(u), tz: u.tz ?? null })),
    );
    const inChat = (e: string) => {
      const inSlack = profiles.get(e.toLowerCase());
      return known.get(e) ?? (inSlack && remembered.get(inSlack.id));
    };
    // not in this workspace: known by the account email alone, and their inviter forwards the link
    const outside = emails.filter((e) => !inChat(e));
    const byEmail = new Map((await identifyEmails(this.deps, outside)).map((p, i) => [outside[i]!, p]));
    return emails.map((e) => inChat(e) ?? byEmail.get(e)!);
  }

  async email(teamId: string, email: string): Promise<Person> {
    try {
      const res = await this.client.users.lookupByEmail({ email });
      const u = res.user;
      if (u?.id && !u.deleted && !u.is_bot) return this.remember(teamId, { ...u, id: u.id });
    } catch (e) {
      if (slackErrorCode(e) !== 'users_not_found') throw e;
    }
    // not in this workspace: known by the account email alone, and their inviter forwards the link
    return identifyEmail(this.deps, email);
  }
}
