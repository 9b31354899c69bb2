/**
 * One message, one truth (see src/domain/restate.ts). A message posted after its subject changed
 * shows the newest state straight away; a `refresh` row updates, in place, every message already
 * posted about its subject, on whichever platform it went out, to what is true now, with only the
 * buttons that still work. Updates are idempotent: a retried refresh skips what already shows it.
 */
import { createHash } from 'node:crypto';
import type { Message } from '../../domain/index.js';
import { restate } from '../../domain/index.js';
import type { OutboxQueue, OutboxRow, PostedMessage } from '../../db/outbox-queue.js';
import type { Logger } from '../logger.js';
import { renderOutbox } from '../messages/outbox.js';
import type { OutboxSender, SendOutcome } from './deliverer.js';

/** A platform that can replace a message it posted (Slack chat.update, Teams update-activity). */
export interface MessageUpdater {
  update(posted: PostedMessage, message: Message): Promise<SendOutcome>;
}

const digest = (m: Message): string => createHash('sha256').update(JSON.stringify(m)).digest('base64url').slice(0, 22);

export class RestatingSender implements OutboxSender {
  constructor(private readonly o: { inner: OutboxSender; queue: OutboxQueue; updaters: Partial<Record<'slack' | 'teams', MessageUpdater>>; logger: Logger }) {}

  async send(row: OutboxRow): Promise<SendOutcome> {
    if (row.payload.type === 'refresh') return this.refresh(row, row.payload.subject);
    const states = this.o.queue.statesFor(row.id);
    const now = states.size ? restate(row.payload, (s) => states.get(s), row.id) : undefined;
    return this.o.inner.send(now ? { ...row, payload: now } : row);
  }

  private async refresh(row: OutboxRow, subject: string): Promise<SendOutcome> {
    for (const posted of this.o.queue.postedAbout(subject)) {
      // posted after this change was recorded: it showed the newest state when it went out
      if (posted.outboxId > row.id) continue;
      const states = this.o.queue.statesFor(posted.outboxId);
      const next = restate(posted.payload, (s) => states.get(s), posted.outboxId);
      if (!next) continue;
      const shown = renderOutbox(next);
      const hash = digest(shown);
      if (hash === posted.renderedHash) continue;
      const updater = this.o.updaters[posted.platform];
      if (!updater) continue;
      const outcome = await updater.update(posted, shown);
      if (outcome.kind === 'retry') return outcome;
      if (outcome.kind === 'failed') {
        // deleted by the person, or the channel is gone: nothing left to keep true
        this.o.logger.info(`outbox: message #${posted.outboxId} could not be updated (${outcome.error}); leaving it`);
        continue;
      }
      this.o.queue.updatedPosted(posted.outboxId, Date.now(), hash);
    }
    return { kind: 'sent' };
  }
}
