/**
 * node-cron's distributed run coordinator on SQLite: of several bot processes sharing a database,
 * one runs each scheduled slot. node-cron keys a run by task and slot time; the first process to
 * insert that key runs it, and a crashed run's key can be taken over once its lease runs out. (The
 * jobs stay safe to run twice anyway: exactly-once rests on conditional updates in the database.)
 */
import type { RunCoordinator } from 'node-cron';
import type { Database$ } from './connection.js';

const DAY_MS = 86_400_000;

export function sqliteRunCoordinator(database: Database$, owner: string, now: () => number = Date.now): RunCoordinator {
  const claim = database.sqlite.prepare(
    `INSERT INTO job_leases (key, owner, until) VALUES (@key, @owner, @until)
     ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, until = excluded.until WHERE job_leases.until < @now`,
  );
  const prune = database.sqlite.prepare('DELETE FROM job_leases WHERE until < ?');
  return {
    shouldRun: (key, ttlMs) =>
      database.serialized(() => {
        const t = now();
        prune.run(t - DAY_MS);
        return claim.run({ key, owner, until: t + ttlMs, now: t }).changes === 1;
      }),
  };
}
