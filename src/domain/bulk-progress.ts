/**
 * How far a bulk invitation run is: sent, not reachable, still to go, and about how long, from
 * what the outbox has delivered so far. The admin's progress message is re-rendered from this.
 */
import type { DomainDeps } from './context.js';
import type { Repositories } from './ports.js';
import { isReachable, nameOf } from './people.js';

export interface BulkProgress {
  runId: number;
  licenseName: string;
  total: number;
  sent: number;
  unreachable: { name: string; email: string | null; reason: string }[];
  done: boolean;
  /** about how long the rest takes at the pace so far; undefined before anything went out */
  etaMs: number | undefined;
}

export async function progressOf(repos: Repositories, runId: number, now: number): Promise<BulkProgress | undefined> {
  const run = await repos.bulkRuns.byId(runId);
  if (!run) return undefined;
  let sent = 0;
  const unreachable: BulkProgress['unreachable'] = [];
  const invitations = await repos.invitations.listForRun(runId);
  // the invitees read together (a query per thousand), not a round trip each
  const people = new Map((await repos.people.byIds([...new Set(invitations.map((i) => i.inviteeId))])).map((p) => [p.id, p]));
  for (const inv of invitations) {
    const invitee = people.get(inv.inviteeId);
    if (inv.deliveryProblem) unreachable.push({ name: nameOf(invitee), email: inv.inviteeEmail, reason: inv.deliveryProblem });
    else if (inv.dmTs || (invitee && !isReachable(invitee))) sent++; // delivered, or its link went to the inviter
  }
  const finished = sent + unreachable.length;
  const rate = finished > 0 ? finished / Math.max(1, now - run.startedAt) : 0;
  return {
    runId,
    licenseName: (await repos.licenses.byId(run.licenseId))?.name ?? 'a license',
    total: run.total,
    sent,
    unreachable,
    done: finished >= run.total,
    etaMs: rate > 0 ? Math.round((run.total - finished) / rate) : undefined,
  };
}

export async function bulkProgress(deps: DomainDeps, runId: number, now: number): Promise<BulkProgress | undefined> {
  return await deps.store.transaction((repos) => progressOf(repos, runId, now));
}

/**
 * The run's summary has reached the admin: it is over, and its message is not updated again. Only
 * called once the summary is shown, so a summary lost to an outage is shown on the next try.
 */
export async function finishBulkRun(deps: DomainDeps, runId: number, now: number): Promise<void> {
  await deps.store.transaction((repos) => repos.bulkRuns.finish(runId, now));
}
