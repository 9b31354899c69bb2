/**
 * Keeps each bulk run's progress message current: every few seconds it re-renders the progress
 * of the runs still going and updates their message in place, ending with the summary. The
 * message is wherever the admin got it (a Slack DM, or their Teams 1:1 chat), so each platform
 * brings its own way of updating it; the words are the same. An update lost to a rate limit is
 * simply redone on the next tick, and a run is over only once its summary is shown.
 */
import { bulkProgress, finishBulkRun, type DomainDeps } from '../../domain/index.js';
import type { OutboxQueue, RunMessage } from '../../db/outbox-queue.js';
import type { Message } from '../../domain/index.js';
import type { Logger } from '../logger.js';
import { bulkProgressMessage } from '../messages/review.js';

type ActiveRun = { id: number; requestedBy: number } & RunMessage;

/** Replaces the run's progress message with this one (Slack: chat.update; Teams: update-activity). */
export type ProgressUpdater = (run: ActiveRun, message: Message) => Promise<void>;

/** tries at showing a finished run's summary before the run is closed without it */
const GIVE_UP_AFTER = 5;

export class BulkProgressReporter {
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  /** failed updates in a row, per run */
  private readonly failures = new Map<number, number>();

  constructor(
    private readonly o: { queue: OutboxQueue; deps: DomainDeps; logger: Logger; everyMs: number; updaters: Partial<Record<RunMessage['platform'], ProgressUpdater>> },
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.o.everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (const run of await this.o.queue.activeRuns()) {
        const update = this.o.updaters[run.platform];
        // a run whose message is on a platform this process does not serve is left to one that does
        if (!update) continue;
        const progress = await bulkProgress(this.o.deps, run.id, Date.now());
        if (!progress) continue;
        try {
          await update(run, bulkProgressMessage(progress));
          this.failures.delete(run.id);
          if (progress.done) await finishBulkRun(this.o.deps, run.id, Date.now());
        } catch (e) {
          const failed = (this.failures.get(run.id) ?? 0) + 1;
          this.failures.set(run.id, failed);
          // a summary that cannot be shown (the message was deleted, the chat is gone) is not tried forever
          if (progress.done && failed >= GIVE_UP_AFTER) {
            this.failures.delete(run.id);
            await finishBulkRun(this.o.deps, run.id, Date.now());
            this.o.logger.warn(`bulk progress: run #${run.id} is done but its summary could not be shown after ${failed} tries`, e);
          } else this.o.logger.debug('bulk progress: update failed, retried next tick', e);
        }
      }
    } catch (e) {
      // the database unreachable for now: the next tick tries again
      this.o.logger.warn(`bulk progress: could not read the runs in progress: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.busy = false;
    }
  }
}
