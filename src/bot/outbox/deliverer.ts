/**
 * Delivers the outbox: claims due rows under a lease, hands each to the platform's sender, and
 * records the outcome. A failure delays one recipient's messages and never the others'; a crash
 * leaves rows whose lease runs out and are claimed again. While a row is being sent (paced, told
 * to wait by a 429, or a slow platform) its lease is renewed, so no other instance takes it over.
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
  /** how long a claimed row is this instance's, renewed every third of it while it is being sent */
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

  private get leaseMs(): number {
    return this.o.leaseMs ?? 60_000;
  }

  /** Delivers everything due now; returns how many rows it handled. */
  async runOnce(): Promise<number> {
    let handled = 0;
    for (;;) {
      const rows = await this.o.queue.claim(this.owner, this.o.clock.now(), this.leaseMs, this.o.batchSize ?? 20);
      if (rows.length === 0) return handled;
      const held = new Set(rows.map((row) => row.id));
      const stopRenewing = this.renewWhileHeld(held);
      try {
        // one row per recipient per batch, so sending them side by side keeps each person's order;
        // the round waits for every one of them, so stop() never leaves a send running behind it
        const settled = await Promise.allSettled(rows.map((row) => this.deliver(row).finally(() => held.delete(row.id))));
        for (const r of settled) if (r.status === 'rejected') this.o.logger.error('outbox: could not record a delivery', r.reason);
      } finally {
        stopRenewing();
      }
      handled += rows.length;
      if (this.stopped) return handled;
    }
  }

  /** Renews the leases of the rows in `held` (those not yet recorded) every third of a lease, until told to stop. */
  private renewWhileHeld(held: Set<number>): () => void {
    let renewing = false;
    const timer = setInterval(() => {
      // a renewal still waiting on a slow database is not piled onto
      if (renewing || held.size === 0) return;
      renewing = true;
      this.o.queue
        .extend(this.owner, [...held], this.o.clock.now() + this.leaseMs)
        .then((renewed) => {
          // a row not renewed was taken over (or just recorded): its mark says which, and warns
          const kept = new Set(renewed);
          for (const id of held) if (!kept.has(id)) held.delete(id);
        })
        .catch((e: unknown) => this.o.logger.warn(`outbox: could not renew the leases of the messages being sent: ${e instanceof Error ? e.message : String(e)}`))
        .finally(() => {
          renewing = false;
        });
    }, Math.max(1, Math.floor(this.leaseMs / 3)));
    timer.unref();
    return () => clearInterval(timer);
  }

  /** Another instance took the row over after its lease ran out here: what happened here is not recorded. */
  private lostLease(row: OutboxRow, what: string): void {
    this.o.logger.warn(`outbox: #${row.id} (${row.payload.type}) was taken over by another instance after its lease ran out here; ${what} is not recorded`);
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
      if (await queue.markSent(this.owner, row.id, now, scrubbed, outcome.at)) logger.debug(`outbox: sent #${row.id} (${row.payload.type})`);
      // the other instance sends it too
      else this.lostLease(row, 'this send (it may arrive twice)');
    } else if (outcome.kind === 'failed' || row.attempts >= (this.o.maxAttempts ?? 25)) {
      // reporting it is for the row's holder alone: a row taken over is not reported twice
      if (this.o.onUndeliverable && (await queue.extend(this.owner, [row.id], now + this.leaseMs)).length === 0) return this.lostLease(row, 'giving up on it');
      try {
        await this.o.onUndeliverable?.(row, outcome.error, outcome.kind === 'failed');
      } catch (e) {
        logger.error(`outbox: could not report #${row.id} as undeliverable`, e);
      }
      if (await queue.markFailed(this.owner, row.id, now, outcome.error, scrubbed)) logger.warn(`outbox: gave up on #${row.id} (${row.payload.type}): ${outcome.error}`);
      else this.lostLease(row, 'giving up on it');
    } else if (await queue.retryLater(this.owner, row.id, now + outcome.afterMs, outcome.error)) {
      logger.info(`outbox: #${row.id} (${row.payload.type}) will be retried in ${Math.round(outcome.afterMs / 1000)}s: ${outcome.error}`);
    } else this.lostLease(row, 'its retry');
  }
}
