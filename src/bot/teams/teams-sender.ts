/**
 * Sends outbox rows to Teams: the same rendered message as Slack, as an Adaptive Card, proactively
 * into the person's 1:1 chat (created with createConversationAsync when there is none yet) or into
 * a channel, and updated in place when what it is about changes.
 */
import type { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import type { Message, Person, Store, TeamsConversationRef } from '../../domain/index.js';
import type { OutboxQueue, OutboxRow, PostedMessage } from '../../db/outbox-queue.js';
import type { MessageUpdater } from '../outbox/restating-sender.js';
import type { TeamsTables } from '../../db/side-tables.js';
import { backoffMs, type OutboxSender, type SendOutcome } from '../outbox/deliverer.js';
import { renderOutbox } from '../messages/outbox.js';

import { cardActivity } from './render/adaptive-card.js';

export interface TeamsSenderOptions {
  adapter: CloudAdapter;
  /** the bot's app id for proactive calls ('' when authentication is off, for local emulation) */
  botAppId: string;
  queue: OutboxQueue;
  store: Store;
  /** the channels the bot was added to */
  teams: TeamsTables;
  adminChannel: string | undefined;
  supportChannel?: string | undefined;
}

// no conversationType and no name: the Bot Connector answers `conversationType: ""` with 400 BadArgument
const toReference = (r: TeamsConversationRef, conversationId: string): Partial<ConversationReference> => ({
  channelId: 'msteams',
  serviceUrl: r.serviceUrl,
  conversation: { id: conversationId, tenantId: r.tenantId, isGroup: false } as ConversationReference['conversation'],
  bot: { id: r.botId, name: r.botName ?? 'Atlas' },
});

/**
 * Runs a proactive turn and rethrows what failed inside it. botbuilder hands an error in the turn
 * to onTurnError (which would post "Something went wrong" into that conversation) and resolves
 * anyway, so a failed send would look sent.
 */
async function proactive(run: (logic: (ctx: TurnContext) => Promise<void>) => Promise<void>, logic: (ctx: TurnContext) => Promise<void>): Promise<void> {
  let failure: unknown;
  let ran = false;
  await run(async (ctx) => {
    ran = true;
    try {
      await logic(ctx);
    } catch (e) {
      failure = e;
    }
  });
  if (failure !== undefined) throw failure;
  if (!ran) throw new Error('the Bot Connector turn did not run');
}

function classify(e: unknown, attempts: number): SendOutcome {
  const status = (e as { statusCode?: number }).statusCode ?? 0;
  const code = (e as { code?: string; body?: { error?: { code?: string } } }).body?.error?.code ?? (e as { code?: string }).code ?? '';
  if (status === 429) {
    const after = Number((e as { response?: { headers?: { get?(n: string): string | undefined } } }).response?.headers?.get?.('retry-after') ?? 1);
    return { kind: 'retry', afterMs: Math.max(1, after) * 1000, error: 'rate limited by Teams' };
  }
  if (status === 403 || status === 404 || status === 400) return { kind: 'failed', error: code || `HTTP ${status}` };
  return { kind: 'retry', afterMs: backoffMs(attempts), error: status ? `HTTP ${status}` : (e as Error).message ?? String(e) };
}

export class TeamsSender implements OutboxSender, MessageUpdater {
  constructor(private readonly o: TeamsSenderOptions) {}

  private async channelRef(id: string | undefined): Promise<TeamsConversationRef | undefined> {
    return id ? this.o.teams.channel(id) : undefined;
  }

  private person(id: number | null): Promise<Person | undefined> {
    return this.o.store.transaction((r) => r.people.byId(id ?? 0));
  }

  /** The person's 1:1 chat, created the first time from their Teams user id. */
  private async personalChat(person: Person): Promise<{ ref: TeamsConversationRef; conversationId: string } | undefined> {
    const ref = person.teamsConversation;
    if (!ref) return undefined;
    if (ref.conversationId) return { ref, conversationId: ref.conversationId };
    if (!person.teamsUserId) return undefined;
    let created = '';
    await proactive(
      (logic) =>
        this.o.adapter.createConversationAsync(
          this.o.botAppId,
          'msteams',
          ref.serviceUrl,
          '',
          { isGroup: false, bot: { id: ref.botId, name: ref.botName ?? 'Atlas' }, members: [{ id: person.teamsUserId!, name: person.displayName ?? '' }], tenantId: ref.tenantId, channelData: { tenant: { id: ref.tenantId } } },
          logic,
        ),
      async (ctx: TurnContext) => {
        created = ctx.activity.conversation?.id ?? '';
      },
    );
    if (!created) throw new Error('the Bot Connector created no conversation');
    const saved = { ...ref, conversationId: created };
    await this.o.store.transaction((r) => r.people.update(person.id, { teamsConversation: saved }, Date.now()));
    return { ref: saved, conversationId: created };
  }

  /**
   * Replaces a bulk run's progress card in the admin's 1:1 chat (the Bot Connector's update-activity,
   * PUT /v3/conversations/{id}/activities/{activityId}). Throws when it could not, so the caller tries again.
   */
  async updateRunMessage(run: { requestedBy: number; channel: string; ts: string }, message: Message): Promise<void> {
    const ref = (await this.person(run.requestedBy))?.teamsConversation;
    if (!ref) throw new Error('the admin who started the run is not reachable in Teams');
    const activity = cardActivity(message);
    await proactive(
      (logic) => this.o.adapter.continueConversationAsync(this.o.botAppId, toReference(ref, run.channel), logic),
      async (ctx: TurnContext) => {
        await ctx.updateActivity({ ...activity, id: run.ts, conversation: ctx.activity.conversation });
      },
    );
  }

  async send(row: OutboxRow): Promise<SendOutcome> {
    try {
      let target: { ref: TeamsConversationRef; conversationId: string } | undefined;
      if (row.recipientType !== 'person') {
        const ref = await this.channelRef(row.recipientType === 'admin_channel' ? this.o.adminChannel : this.o.supportChannel);
        if (!ref) return { kind: 'failed', error: 'the bot has not been added to that Teams channel yet' };
        target = { ref, conversationId: ref.conversationId };
      } else {
        const person = await this.person(row.recipientId);
        target = person ? await this.personalChat(person) : undefined;
        if (!target) return { kind: 'failed', error: 'the person has not installed the bot in Teams' };
      }
      const activity = cardActivity(renderOutbox(row.payload));
      const payload = row.payload;
      let sentId = '';
      await proactive(
        (logic) => this.o.adapter.continueConversationAsync(this.o.botAppId, toReference(target.ref, target.conversationId), logic),
        async (ctx: TurnContext) => {
          sentId = (await ctx.sendActivity(activity))?.id ?? '';
        },
      );
      // only the service's own answer counts: an activity id, or it was not sent
      if (!sentId) return { kind: 'retry', afterMs: backoffMs(row.attempts + 1), error: 'the Bot Connector returned no activity id' };
      // a bulk run's progress card is updated in place as delivery proceeds (see updateRunMessage)
      if (payload.type === 'bulk_progress' && sentId) await this.o.queue.setRunMessage(payload.progress.runId, { platform: 'teams', channel: target.conversationId, ts: sentId });
      return { kind: 'sent', at: { platform: 'teams', channel: target.conversationId, messageId: sentId } };
    } catch (e) {
      return classify(e, row.attempts);
    }
  }

  /** Replaces a card the bot posted (update-activity) with what is true now. */
  async update(posted: PostedMessage, message: Message): Promise<SendOutcome> {
    try {
      let ref: TeamsConversationRef | undefined;
      if (posted.recipientType === 'person') {
        ref = (await this.person(posted.recipientId))?.teamsConversation ?? undefined;
      } else {
        ref = await this.channelRef(posted.recipientType === 'admin_channel' ? this.o.adminChannel : this.o.supportChannel);
      }
      if (!ref) return { kind: 'failed', error: 'that Teams conversation is no longer known' };
      const activity = cardActivity(message);
      await proactive(
        (logic) => this.o.adapter.continueConversationAsync(this.o.botAppId, toReference(ref, posted.channel), logic),
        async (ctx: TurnContext) => {
          await ctx.updateActivity({ ...activity, id: posted.messageId, conversation: ctx.activity.conversation });
        },
      );
      return { kind: 'sent' };
    } catch (e) {
      return classify(e, 1);
    }
  }
}
