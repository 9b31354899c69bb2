/**
 * Delivers the outbox: claims due rows under a lease, hands each to the platform's sender, and
 * records the outcome. A failure delays one recipient's messages and never the others'; a crash
 * leaves rows whose lease runs out and are claimed again.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../domain/index.js';
import { carriesLink, isSealedLink } from '../../domain/index.js';
import type { OutboxQueue, OutboxRow, PostedAt } from '../../db/outbox-queue.js';
import type { Logger } from '../logger.js';

export type SendOutcome =
  /** `at`: where the chat message is, so it can be updated in place later */
  | { kind: 'sent'; at?: PostedAt }
  /** the platform asked us to wait (429 Retry-After) or failed for now (5xx, network) */
  | { kind: 'retry'; afterMs: number; error: string }
  /** will never succeed (user left the workspace, channel gone…) */
  | { kind: 'failed'; error: string };

export interface OutboxSender {
  send(row: OutboxRow): Promise<SendOutcome>;
}

export interface DelivererOptions {
  queue: OutboxQueue;
  sender: OutboxSender;
  clock: Clock;
  logger: Logger;
  pollMs: number;
  leaseMs?: number;
  batchSize?: number;
  maxAttempts?: number;
  /** a row that will never be delivered, before it is marked failed (and its link scrubbed); `permanent` when the platform said so */
  onUndeliverable?: (row: OutboxRow, error: string, permanent: boolean) => Promise<void> | void;
}

const MAX_BACKOFF_MS = 15 * 60_000;

export const backoffMs = (attempts: number): number => Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.max(0, attempts - 1));

export class OutboxDeliverer {
  private readonly owner = `deliverer-${process.pid}-${randomUUID().slice(0, 8)}`;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(private readonly o: DelivererOptions) {}

  start(): void {
    this.stopped = false;
    this.nudge();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Something was just committed: deliver now rather than at the next poll. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    // `running` is set before the round does anything: a commit during the round's first steps
    // nudges again, and must find a round running (not start a second one beside it, whose rows
    // could wait past their lease behind the pacing and be claimed and sent a second time)
    this.running = Promise.resolve()
      .then(() => this.runOnce())
      .then(() => undefined)
      .catch((e: unknown) => this.o.logger.error('outbox: delivery round failed', e))
      .finally(async () => {
        this.running = undefined;
        if (this.stopped) return;
        if (this.again) {
          this.again = false;
          this.nudge();
        } else await this.schedule();
      });
  }

  private async schedule(): Promise<void> {
    // the database unreachable for now (a server restarting): the next poll asks again, and the
    // process goes on (an error here would otherwise end it, as an unhandled rejection)
    const next = await this.o.queue.nextDueAt().catch((e: unknown) => {
      this.o.logger.warn(`outbox: could not read when the next message is due: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    });
    if (this.stopped || this.running) return;
    const wait = next === undefined ? this.o.pollMs : Math.max(0, Math.min(this.o.pollMs, next - this.o.clock.now()));
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.nudge(), wait);
    this.timer.unref();
  }

  /** Delivers everything due now; returns how many rows it handled. */
  async runOnce(): Promise<number> {
    let handled = 0;
    for (;;) {
      const rows = await this.o.queue.claim(this.owner, this.o.clock.now(), this.o.leaseMs ?? 60_000, this.o.batchSize ?? 20);
      if (rows.length === 0) return handled;
      // one row per recipient per batch, so sending them side by side keeps each person's order;
      // the round waits for every one of them, so stop() never leaves a send running behind it
      const settled = await Promise.allSettled(rows.map((row) => this.deliver(row)));
      for (const r of settled) if (r.status === 'rejected') this.o.logger.error('outbox: could not record a delivery', r.reason);
      handled += rows.length;
      if (this.stopped) return handled;
    }
  }

  private async deliver(row: OutboxRow): Promise<void> {
    const { queue, sender, clock, logger } = this.o;
    let outcome: SendOutcome;
    try {
      outcome = await sender.send(row);
    } catch (e) {
      outcome = { kind: 'retry', afterMs: backoffMs(row.attempts), error: e instanceof Error ? e.message : String(e) };
    }
    const now = clock.now();
    // once a row is done, a plain personalized link is not kept (a sealed one stays, for updates in place)
    const scrubbed = carriesLink(row.payload) && !isSealedLink(row.payload.link) ? { ...row.payload, link: '[removed]' } : undefined;
    if (outcome.kind === 'sent') {
      await queue.markSent(row.id, now, scrubbed, outcome.at);
      logger.debug(`outbox: sent #${row.id} (${row.payload.type})`);
    } else if (outcome.kind === 'failed' || row.attempts >= (this.o.maxAttempts ?? 25)) {
      try {
        await this.o.onUndeliverable?.(row, outcome.error, outcome.kind === 'failed');
      } catch (e) {
        logger.error(`outbox: could not report #${row.id} as undeliverable`, e);
      }
      await queue.markFailed(row.id, now, outcome.error, scrubbed);
      logger.warn(`outbox: gave up on #${row.id} (${row.payload.type}): ${outcome.error}`);
    } else {
      await queue.retryLater(row.id, now + outcome.afterMs, outcome.error);
      logger.info(`outbox: #${row.id} (${row.payload.type}) will be retried in ${Math.round(outcome.afterMs / 1000)}s: ${outcome.error}`);
    }
  }
}
