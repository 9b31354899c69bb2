/**
 * One message, one truth (see src/domain/restate.ts). A message posted after its subject changed
 * shows the newest state straight away; a `refresh` row updates, in place, every message already
 * posted about its subject, on whichever platform it went out, to what is true now, with only the
 * buttons that still work. Updates are idempotent: a retried refresh skips what already shows it.
 */
import { createHash } from 'node:crypto';
import type { Message, SecretBox } from '../../domain/index.js';
import { openLinks } from './unsealing-sender.js';
import { restate } from '../../domain/index.js';
import type { OutboxQueue, OutboxRow, PostedMessage } from '../../db/outbox-queue.js';
import type { Logger } from '../logger.js';
import { renderOutbox } from '../messages/outbox.js';
import { backoffMs, type OutboxSender, type SendOutcome } from './deliverer.js';

/** A platform that can replace a message it posted (Slack chat.update, Teams update-activity). */
export interface MessageUpdater {
  update(posted: PostedMessage, message: Message): Promise<SendOutcome>;
}

const digest = (m: Message): string => createHash('sha256').update(JSON.stringify(m)).digest('base64url').slice(0, 22);

export class RestatingSender implements OutboxSender {
  constructor(private readonly o: { inner: OutboxSender; queue: OutboxQueue; updaters: Partial<Record<'slack' | 'teams', MessageUpdater>>; logger: Logger; secrets: SecretBox }) {}

  async send(row: OutboxRow): Promise<SendOutcome> {
    if (row.payload.type === 'refresh') return this.refresh(row, row.payload.subject);
    const states = await this.o.queue.statesFor(row.id);
    const now = states.size ? restate(row.payload, (s) => states.get(s), row.id) : undefined;
    const outcome = await this.o.inner.send(now ? { ...row, payload: now } : row);
    // the invitation's DM went out (in whatever state it shows): a bulk run counts it as delivered
    if (outcome.kind === 'sent' && outcome.at && (row.payload.type === 'license_invitation' || row.payload.type === 'project_invitation')) {
      // best effort: it was sent, whatever happens to this note of it (a failure here must not post it again)
      try {
        await this.o.queue.setInvitationDm(row.payload.invitation.invitationId, outcome.at.channel, outcome.at.messageId);
      } catch (e) {
        this.o.logger.warn(`outbox: could not note where message #${row.id} went: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return outcome;
  }

  private async refresh(row: OutboxRow, subject: string): Promise<SendOutcome> {
    const all = await this.o.queue.postedAbout(subject);
    // of the digests, only the newest is kept up to date: the older ones are what was pending that day
    const newestDigest = Math.max(0, ...all.filter((p) => p.payload.type === 'digest_page').map((p) => p.outboxId));
    for (const posted of all) {
      // posted after this change was recorded: it showed the newest state when it went out
      if (posted.outboxId > row.id) continue;
      if (posted.payload.type === 'digest_page' && posted.outboxId !== newestDigest) continue;
      const states = await this.o.queue.statesFor(posted.outboxId);
      const restated = restate(posted.payload, (s) => states.get(s), posted.outboxId);
      // nothing to change from how it was posted: still true as it is, unless an update changed it since
      if (!restated && posted.renderedHash === null) continue;
      const next = restated ?? posted.payload;
      // a personal link is kept sealed in the message: an update of a still open invitation shows it again
      const shown = renderOutbox(openLinks(next, this.o.secrets, this.o.logger, posted.outboxId));
      const hash = digest(shown);
      if (hash === posted.renderedHash) continue;
      const updater = this.o.updaters[posted.platform];
      if (!updater) continue;
      const outcome = await updater.update(posted, shown);
      // a failing platform is given more time with every attempt, as any other message is
      if (outcome.kind === 'retry') return { ...outcome, afterMs: Math.max(outcome.afterMs, backoffMs(row.attempts)) };
      if (outcome.kind === 'failed') {
        // deleted by the person, or the channel is gone: nothing left to keep true
        this.o.logger.info(`outbox: message #${posted.outboxId} could not be updated (${outcome.error}); leaving it`);
        continue;
      }
      await this.o.queue.updatedPosted(posted.outboxId, Date.now(), hash);
    }
    return { kind: 'sent' };
  }
}
