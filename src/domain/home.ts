import type { VerbArgs } from './context.js';
import { SYSTEM_ACTOR, type LicenseUsage } from './model.js';
import { expireOverdue } from './expire-overdue.js';
import { actorPerson, isAdmin } from './authz.js';
import { statusOf, type PersonStatus } from './person-status.js';
import { withLevels } from './capacity.js';

export interface Home {
  status: PersonStatus;
  /** admins: every pool's usage, and how many invitations are pending */
  admin?: { licenses: LicenseUsage[]; pendingCount: number };
}

/** What a person sees on the bot's home (Slack App Home, Teams welcome card). */
export async function home({ deps, actor }: VerbArgs<void>): Promise<Home> {
  return deps.store.transaction((repos) => {
    const me = actorPerson(repos, actor);
    const status = statusOf(repos, deps.settings, deps.clock.now(), me.id, true);
    if (!isAdmin(repos, deps.settings, me)) return { status };
    // counted like `licenses` and `pending`: what is past its expiry no longer holds a seat
    expireOverdue(repos, SYSTEM_ACTOR, deps.clock.now());
    return { status, admin: { licenses: withLevels(repos.licenses.listUsage(), deps.settings.crowdRatio), pendingCount: repos.invitations.listPending().length } };
  });
}
