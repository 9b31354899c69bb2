/**
 * Sends outbox rows to Slack: renders the domain's message as Block Kit, opens the DM when needed,
 * and updates a message it posted in place when what it is about changes. The Web API client used here never
 * retries by itself (retries: 0, rate-limited calls rejected): the outbox owns every retry, so a
 * message is sent by exactly one attempt that the database knows about.
 */
import type { WebClient } from '@slack/web-api';
import type { Message, OutboxMessage, Person } from '../../domain/index.js';
import type { OutboxQueue, OutboxRow, PostedMessage } from '../../db/outbox-queue.js';
import type { Pacing } from '../../db/pacing.js';
import type { MessageUpdater } from '../outbox/restating-sender.js';
import type { Repositories, Store } from '../../domain/index.js';
import { backoffMs, type OutboxSender, type SendOutcome } from '../outbox/deliverer.js';
import { AMBIGUOUS, classifySlackError, slackErrorCode } from './slack-errors.js';
import type { SlackMessage } from './render/blocks.js';
import { renderOutbox } from '../messages/outbox.js';
import { toSlack } from './render/block-kit.js';

const renderForSlack = (m: OutboxMessage): SlackMessage => toSlack(renderOutbox(m));

export interface SlackSenderOptions {
  client: WebClient;
  queue: OutboxQueue;
  store: Store;
  adminChannel: string | undefined;
  supportChannel?: string | undefined;
  /** least time between two posts to one channel (Slack: about one message per second per channel) */
  channelIntervalMs?: number;
  /** posts a minute across the workspace (Slack allows several hundred for chat.postMessage) */
  postsPerMinute?: number;
  /** the allowance's slots, shared by every instance on the database (without it, this process paces alone) */
  pacing?: Pacing;
  /** after a post Slack never answered, how long it may still apply it (default 3 minutes) */
  inFlightMs?: number;
}

/** `ambiguous: [since 1796…] …`: when the first attempt whose outcome is unknown was made */
const sinceOf = (lastError: string | null): number | undefined => {
  const m = /^ambiguous: \[since (\d+)\] /.exec(lastError ?? '');
  return m ? Number(m[1]) : undefined;
};
const withSince = (error: string, since: number): string => (error.startsWith(AMBIGUOUS) ? `${AMBIGUOUS}[since ${since}] ${error.slice(AMBIGUOUS.length).replace(/^\[since \d+\] /, '')}` : error);

export class SlackSender implements OutboxSender, MessageUpdater {
  private readonly lastPost = new Map<string, number>();
  /** the next moment the workspace allowance lets a post go out */
  private nextSlot = 0;

  constructor(private readonly o: SlackSenderOptions) {}

  /**
   * Waits until this channel may take another message (other channels are not held up by it), and
   * until the workspace allowance has room: posts are spread evenly, so a bulk run goes as fast as
   * Slack allows without running into 429s.
   */
  private async pace(channel: string): Promise<void> {
    const interval = this.o.channelIntervalMs ?? 0;
    const spacing = this.o.postsPerMinute ? 60_000 / this.o.postsPerMinute : 0;
    let now = Date.now();
    const slot = await this.workspaceSlot(spacing, now);
    now = Date.now();
    const wait = Math.max(slot - now, (this.lastPost.get(channel) ?? 0) + interval - now);
    // the channel's turn is taken before waiting, so calls side by side (updates of one list) queue up
    this.lastPost.set(channel, now + Math.max(0, wait));
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }

  /** the moment this post's share of the workspace allowance comes: taken on the database when it can be, else here */
  private async workspaceSlot(spacing: number, now: number): Promise<number> {
    if (spacing <= 0) return now;
    if (this.o.pacing) {
      try {
        return await this.o.pacing.slot('slack:posts', spacing, now);
      } catch {
        // the database did not answer: this process paces on its own meanwhile (a 429 is still waited out)
      }
    }
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + spacing;
    return slot;
  }

  async send(row: OutboxRow): Promise<SendOutcome> {
    try {
      const channel = await this.channelFor(row);
      if (!channel) return { kind: 'failed', error: 'recipient has no Slack identity and no channel is configured' };
      const msg = renderForSlack(row.payload);
      await this.pace(channel);
      // Exactly once: after an attempt whose outcome is unknown (a crash between Slack's answer and
      // the database, a timeout, a 5xx), look for the message itself before posting it again.
      // an earlier post that Slack never answered (a timeout, a dropped connection): since when
      const since = sinceOf(row.lastError);
      if (row.attempts > 1 && (row.lastError === null || row.lastError.startsWith(AMBIGUOUS))) {
        const found = await this.alreadyPosted(channel, row.id);
        if (found.kind === 'posted') {
          await this.rememberRunMessage(row, channel, found.ts);
          return { kind: 'sent', at: { platform: 'slack', channel, messageId: found.ts } };
        }
        // not known either way (the check itself failed for now): posting could double it, so wait
        if (found.kind === 'unknown') {
          const error = `${AMBIGUOUS}could not check the channel: ${found.error}`;
          return { kind: 'retry', afterMs: backoffMs(row.attempts), error: since === undefined ? error : withSince(error, since) };
        }
        // not there yet, but Slack may still apply the post it never answered: look again, post nothing
        const left = since === undefined ? 0 : since + this.inFlightMs - Date.now();
        if (since !== undefined && left > 0) {
          return { kind: 'retry', afterMs: Math.min(left, this.checkEveryMs), error: withSince(`${AMBIGUOUS}not in the channel yet; looking again before posting`, since) };
        }
      }
      const res = await this.o.client.chat.postMessage({
        channel,
        text: msg.text,
        blocks: msg.blocks,
        unfurl_links: false,
        unfurl_media: false,
        metadata: { event_type: 'atlas_outbox', event_payload: { outbox_id: row.id } },
      });
      if (res.channel && res.ts) await this.rememberRunMessage(row, res.channel, res.ts);
      return res.channel && res.ts ? { kind: 'sent', at: { platform: 'slack', channel: res.channel, messageId: res.ts } } : { kind: 'sent' };
    } catch (e) {
      const o = this.outcomeOf(e, row.attempts);
      // a post that may still be in flight at Slack: from now, Slack may apply it for SLACK_IN_FLIGHT_MS
      const f = classifySlackError(e);
      return o.kind === 'retry' && 'requestMayBeInFlight' in f && f.requestMayBeInFlight ? { ...o, error: withSince(o.error, Date.now()) } : o;
    }
  }

  private get inFlightMs(): number {
    return this.o.inFlightMs ?? 180_000;
  }

  /** how often an unanswered post is looked for while Slack may still apply it */
  private get checkEveryMs(): number {
    return Math.min(30_000, Math.max(100, Math.round(this.inFlightMs / 3)));
  }

  /** Replaces a message the bot posted (chat.update) with what is true now. */
  async update(posted: PostedMessage, message: Message): Promise<SendOutcome> {
    const shown = toSlack(message);
    try {
      await this.pace(posted.channel);
      await this.o.client.chat.update({ channel: posted.channel, ts: posted.messageId, text: shown.text, blocks: shown.blocks });
      return { kind: 'sent' };
    } catch (e) {
      // deleted by the person, or no longer the bot's to edit: nothing left to keep true
      if (['message_not_found', 'cant_update_message', 'channel_not_found', 'edit_window_closed'].includes(slackErrorCode(e) ?? '')) return { kind: 'failed', error: slackErrorCode(e) ?? 'gone' };
      return this.outcomeOf(e, 1);
    }
  }

  private outcomeOf(e: unknown, attempts: number): SendOutcome {
    const f = classifySlackError(e);
    if (f.kind === 'permanent') return { kind: 'failed', error: f.error };
    if (f.kind === 'rate_limited') return { kind: 'retry', afterMs: f.retryAfterMs, error: f.error };
    // A timeout or a dropped connection: the request may still be in flight at Slack. The retry
    // looks in the channel before posting again, so it waits long enough for Slack to have
    // finished with the first one.
    if (f.requestMayBeInFlight) return { kind: 'retry', afterMs: Math.max(this.checkEveryMs, backoffMs(attempts)), error: f.error };
    return { kind: 'retry', afterMs: backoffMs(attempts), error: f.error };
  }

  /** A bulk run's progress message is remembered, to be updated in place (an invitation's DM: see RestatingSender). */
  private async rememberRunMessage(row: OutboxRow, channel: string, ts: string): Promise<void> {
    if (row.payload.type === 'bulk_progress') await this.o.queue.setRunMessage(row.payload.progress.runId, { platform: 'slack', channel, ts });
  }

  /**
   * Whether this row's message is already in the channel (found by its metadata). A check that
   * fails for now says so; one that can never work here (no history scope) lets the post go ahead.
   */
  private async alreadyPosted(channel: string, outboxId: number): Promise<{ kind: 'posted'; ts: string } | { kind: 'absent' } | { kind: 'unknown'; error: string }> {
    try {
      const res = await this.o.client.conversations.history({ channel, limit: 100, include_all_metadata: true });
      const found = (res.messages ?? []).find((m) => {
        const meta = (m as { metadata?: { event_type?: string; event_payload?: { outbox_id?: unknown } } }).metadata;
        return meta?.event_type === 'atlas_outbox' && meta.event_payload?.outbox_id === outboxId;
      });
      return found?.ts ? { kind: 'posted', ts: found.ts } : { kind: 'absent' };
    } catch (e) {
      const f = classifySlackError(e);
      return f.kind === 'permanent' ? { kind: 'absent' } : { kind: 'unknown', error: f.error };
    }
  }

  private async channelFor(row: OutboxRow): Promise<string | undefined> {
    if (row.recipientType === 'admin_channel') return this.o.adminChannel;
    if (row.recipientType === 'support_channel') return this.o.supportChannel;
    const person = await this.o.store.transaction(async (r: Repositories) => (row.recipientId ? await r.people.byId(row.recipientId) : undefined));
    return person ? await this.dmChannel(person) : undefined;
  }

  /** The DM with a person: opened once (conversations.open) and remembered. */
  private async dmChannel(person: Person): Promise<string | undefined> {
    if (!person.slackUserId) return undefined;
    if (person.slackDmChannel) return person.slackDmChannel;
    const res = await this.o.client.conversations.open({ users: person.slackUserId });
    const id = res.channel?.id;
    if (id) await this.o.queue.setPersonDmChannel(person.id, id);
    return id;
  }
}
