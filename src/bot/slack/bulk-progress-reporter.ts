/**
 * Keeps each bulk run's progress message current: every few seconds it re-renders the progress
 * of the runs still going and updates their message in place, ending with the summary. An update
 * lost to a rate limit is simply redone on the next tick.
 */
import type { WebClient } from '@slack/web-api';
import { bulkProgress, type DomainDeps } from '../../domain/index.js';
import type { OutboxQueue } from '../../db/outbox-queue.js';
import type { Logger } from '../logger.js';
import { bulkProgressMessage } from './render/review.js';

export class BulkProgressReporter {
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(private readonly o: { client: WebClient; queue: OutboxQueue; deps: DomainDeps; logger: Logger; everyMs: number }) {}

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
      for (const run of this.o.queue.activeRuns()) {
        const progress = bulkProgress(this.o.deps, run.id, Date.now());
        if (!progress) continue;
        const m = bulkProgressMessage(progress);
        await this.o.client.chat.update({ channel: run.channel, ts: run.ts, text: m.text, blocks: m.blocks }).catch((e: unknown) => this.o.logger.debug('bulk progress: update failed, retried next tick', e));
      }
    } finally {
      this.busy = false;
    }
  }
}
