/**
 * Who is who in Teams: maps a Teams user (AAD object id + tenant) to the domain's people, reading
 * their email with TeamsInfo.getMember, and remembers where to message them. All botbuilder use
 * stays in src/bot/teams and src/handlers/teams.
 */
import { TeamsInfo, type TeamsChannelAccount, type TurnContext } from 'botbuilder';
import {
  claimEmailInvitations,
  identifyEmail,
  identifyTeamsUser,
  type Actor,
  type DomainDeps,
  type Person,
  type TeamsConversationRef,
} from '../../domain/index.js';
import type { TeamsDirectoryPort } from '../../handlers/teams/context.js';
import type { UserLookup } from '../../handlers/slack/context.js';
import type { TeamsTables } from '../../db/side-tables.js';

const tenantOf = (context: TurnContext): string =>
  context.activity.conversation?.tenantId ?? (context.activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? '';

/** Teams adds `;messageid=…` to a channel thread's conversation id; the channel is what came before. */
const channelIdOf = (conversationId: string): string => conversationId.split(';')[0] ?? conversationId;

/** Where to reach this person: their 1:1 chat when this is it; otherwise the service to create one. */
function refFrom(context: TurnContext): TeamsConversationRef {
  const a = context.activity;
  return {
    serviceUrl: a.serviceUrl,
    conversationId: a.conversation?.conversationType === 'personal' ? a.conversation.id : '',
    tenantId: tenantOf(context),
    botId: a.recipient?.id ?? '',
    ...(a.recipient?.name ? { botName: a.recipient.name } : {}),
  };
}

export class TeamsDirectory implements TeamsDirectoryPort {
  constructor(
    private readonly deps: DomainDeps,
    private readonly tables: TeamsTables,
    /** TEAMS_TENANT_ID: the organisation whose users' emails are trusted */
    private readonly tenantId: string | undefined,
  ) {}

  /** Whether this activity comes from the organisation the bot serves (any, when none is set). */
  servesTenantOf(context: TurnContext): boolean {
    return !this.tenantId || tenantOf(context) === this.tenantId;
  }

  private async remember(context: TurnContext, member: { id: string; aadObjectId?: string; name?: string; email?: string; userPrincipalName?: string }, ref: TeamsConversationRef | null): Promise<Person> {
    return await identifyTeamsUser(this.deps, {
      tenantId: tenantOf(context),
      emailTrusted: Boolean(this.tenantId) && tenantOf(context) === this.tenantId,
      tz: (context.activity as { localTimezone?: string }).localTimezone ?? null,
      aadObjectId: member.aadObjectId ?? member.id,
      teamsUserId: member.id,
      email: member.email ?? member.userPrincipalName ?? null,
      displayName: member.name ?? null,
      conversation: ref,
    });
  }

  async actor(context: TurnContext): Promise<Actor> {
    const from = context.activity.from;
    const ref = refFrom(context);
    const known = await this.deps.store.transaction((r) => r.people.byTeamsId(tenantOf(context), from.aadObjectId ?? from.id));
    // keep a 1:1 chat once known; a channel message must not replace it with an empty one
    const keepRef = ref.conversationId || !known?.teamsConversation?.conversationId ? ref : known.teamsConversation;
    if (known?.email) {
      const person = await this.remember(context, { id: from.id, aadObjectId: from.aadObjectId ?? from.id, ...(from.name ? { name: from.name } : {}), email: known.email }, keepRef);
      return { platform: 'teams', userId: from.aadObjectId ?? from.id, personId: person.id };
    }
    let member: { id: string; aadObjectId?: string; name?: string; email?: string; userPrincipalName?: string } = { id: from.id, ...(from.aadObjectId ? { aadObjectId: from.aadObjectId } : {}), ...(from.name ? { name: from.name } : {}) };
    try {
      member = { ...member, ...(await TeamsInfo.getMember(context, from.id)) };
    } catch {
      // without the member's email the person still acts as themselves
    }
    const person = await this.remember(context, member, keepRef);
    return { platform: 'teams', userId: from.aadObjectId ?? from.id, personId: person.id };
  }

  async user(context: TurnContext, teamsUserId: string): Promise<UserLookup> {
    const label = teamsUserId;
    try {
      const m = await TeamsInfo.getMember(context, teamsUserId);
      const existing = await this.deps.store.transaction((r) => r.people.byTeamsId(tenantOf(context), m.aadObjectId ?? m.id));
      const person = await this.remember(context, m, existing?.teamsConversation ?? { ...refFrom(context), conversationId: '' });
      return { ok: true, person };
    } catch {
      return { ok: false, reason: 'not_found', label };
    }
  }

  async email(context: TurnContext, email: string): Promise<Person> {
    return (await this.emails(context, [email]))[0]!;
  }

  async emails(context: TurnContext, emails: string[]): Promise<Person[]> {
    let roster: Map<string, TeamsChannelAccount> | undefined;
    const out: Person[] = [];
    for (const email of emails) {
      const exact = await this.deps.store.transaction((r) => r.people.byEmail(email));
      const reachable = exact.find((p) => p.slackUserId || p.teamsConversation);
      if (reachable) {
        out.push(reachable);
        continue;
      }
      // someone in this team or chat with that email (Teams compares emails without letter case);
      // the roster is read once for the whole list
      roster ??= await this.roster(context);
      const m = roster.get(email.toLowerCase());
      if (m) {
        const person = await this.remember(context, m, { ...refFrom(context), conversationId: '' });
        const emailOnly = await identifyEmail(this.deps, email);
        await claimEmailInvitations(this.deps, { emailPersonId: emailOnly.id, chatPersonId: person.id });
        out.push(person);
      } else out.push(await identifyEmail(this.deps, email));
    }
    return out;
  }

  /**
   * The people an email may name, by lower-case email and UPN: the members of this team or chat, and
   * from a 1:1 chat (where an admin pastes a class list) the members of the teams the bot was added
   * to in this organisation. Empty where there is no roster to read.
   */
  private async roster(context: TurnContext): Promise<Map<string, TeamsChannelAccount>> {
    const byEmail = new Map<string, TeamsChannelAccount>();
    const read = async (page: (token: string | undefined) => Promise<{ members: TeamsChannelAccount[]; continuationToken?: string }>) => {
      try {
        let token: string | undefined;
        do {
          const p = await page(token);
          for (const m of p.members) {
            for (const e of [m.email, m.userPrincipalName]) if (e && !byEmail.has(e.toLowerCase())) byEmail.set(e.toLowerCase(), m);
          }
          token = p.continuationToken;
        } while (token);
      } catch {
        // no roster here (or the bot left that team): those emails fall through to email-only people
      }
    };
    await read((token) => TeamsInfo.getPagedMembers(context, 200, token));
    if (context.activity.conversation?.conversationType === 'personal') {
      const tenant = tenantOf(context);
      const teams = (await this.tables.channels()).filter((c) => /@thread\.tacv2$/.test(c.id) && c.ref.tenantId === tenant);
      for (const team of teams) await read((token) => TeamsInfo.getPagedTeamMembers(context, team.id, 200, token));
    }
    return byEmail;
  }

  async claimWelcome(context: TurnContext): Promise<boolean> {
    const id = context.activity.conversation?.id;
    return id ? this.tables.claimWelcome(id, Date.now()) : false;
  }

  async forgetWelcome(context: TurnContext): Promise<void> {
    const id = context.activity.conversation?.id;
    if (id) await this.tables.forgetWelcome(id);
  }

  async rememberConversation(context: TurnContext): Promise<void> {
    const a = context.activity;
    if (a.conversation?.conversationType !== 'channel' && a.conversation?.conversationType !== 'groupChat') return;
    const id = channelIdOf(a.conversation.id);
    const ref: TeamsConversationRef = { serviceUrl: a.serviceUrl, conversationId: id, tenantId: tenantOf(context), botId: a.recipient?.id ?? '' };
    await this.tables.rememberChannel(id, ref, Date.now());
  }
}
