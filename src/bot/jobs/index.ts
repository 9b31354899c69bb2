/**
 * The scheduled jobs, wired once: each is a plain domain function `(deps, now)`; here it gets a
 * schedule (node-cron, no overlap, one process of several runs each slot), a try/catch and a log
 * line.
 */
import { randomUUID } from 'node:crypto';
import cron, { type ScheduledTask } from 'node-cron';
import { expireDue, postDigest, purgeDownloads, remindDue, type DomainDeps } from '../../domain/index.js';
import type { Engine } from '../../db/engine.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';

export interface Jobs {
  /** runs a job now, as the schedule would (tests, and an operator's manual run) */
  run(name: JobName): Promise<void>;
  stop(): Promise<void>;
}

type JobName = 'sweep' | 'digest';

export function startJobs(o: { config: Config; deps: DomainDeps; engine: Engine; logger: Logger }): Jobs {
  const { deps, logger } = o;
  const jobs: Record<JobName, () => Promise<unknown>> = {
    // expiry first, so an invitation is never reminded in the same sweep that expires it
    sweep: async () => ({ ...(await expireDue(deps, deps.clock.now())), ...(await remindDue(deps, deps.clock.now())), downloadsPurged: await purgeDownloads(deps, deps.clock.now()) }),
    digest: () => postDigest(deps, deps.clock.now()),
  };
  const run = async (name: JobName) => {
    const started = Date.now();
    try {
      const result = await jobs[name]();
      logger.info(`job ${name}: ${JSON.stringify(result)} in ${Date.now() - started} ms`);
    } catch (e) {
      logger.error(`job ${name} failed; it will run again at its next time`, e);
    }
  };
  const runCoordinator = o.engine.runCoordinator(`bot-${process.pid}-${randomUUID().slice(0, 8)}`);
  const options = (name: JobName) => ({ name: `atlas-${name}`, noOverlap: true, distributed: true, runCoordinator, distributedLease: 10 * 60_000 });
  const tasks: ScheduledTask[] = [
    cron.schedule(o.config.reminderCron, () => run('sweep'), options('sweep')),
    cron.schedule(o.config.digestCron, () => run('digest'), options('digest')),
  ];
  return {
    run,
    stop: async () => {
      for (const t of tasks) await t.destroy();
    },
  };
}
