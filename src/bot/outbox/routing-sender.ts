/**
 * One outbox, two platforms: each row goes to the platform its recipient is reachable on (a person
 * known in Slack gets Slack, one known only in Teams gets Teams); the admin channel is on the
 * platform its id belongs to.
 */
import type { OutboxRow } from '../../db/outbox-queue.js';
import type { Repositories, Store } from '../../domain/index.js';
import type { OutboxSender, SendOutcome } from './deliverer.js';

/** Teams channel and chat ids look like `19:…@thread.tacv2` or `19:…@thread.v2`. */
const isTeamsConversationId = (id: string | undefined): boolean => Boolean(id && /^19:.+@thread\./.test(id));

export class RoutingSender implements OutboxSender {
  constructor(
    private readonly o: { store: Store; slack?: OutboxSender; teams?: OutboxSender; webhook?: OutboxSender; adminChannel: string | undefined; supportChannel?: string | undefined },
  ) {}

  async send(row: OutboxRow): Promise<SendOutcome> {
    const sender = await this.pick(row);
    return sender ? await sender.send(row) : { kind: 'failed', error: 'no chat platform can reach this recipient' };
  }

  private async pick(row: OutboxRow): Promise<OutboxSender | undefined> {
    if (row.recipientType === 'webhook') return this.o.webhook;
    if (row.recipientType === 'admin_channel') return isTeamsConversationId(this.o.adminChannel) ? this.o.teams : this.o.slack;
    if (row.recipientType === 'support_channel') return isTeamsConversationId(this.o.supportChannel) ? this.o.teams : this.o.slack;
    const person = await this.o.store.transaction(async (r: Repositories) => (row.recipientId ? await r.people.byId(row.recipientId) : undefined));
    if (person?.slackUserId && this.o.slack) return this.o.slack;
    if (person?.teamsConversation && this.o.teams) return this.o.teams;
    return this.o.slack ?? this.o.teams;
  }
}
