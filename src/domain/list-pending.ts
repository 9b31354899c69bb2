import type { VerbArgs } from './context.js';
import { SYSTEM_ACTOR } from './model.js';
import type { InvitationSnapshot } from './outbox-messages.js';
import { requireAdmin } from './authz.js';
import { snapshotOf } from './snapshot.js';
import { expireOverdue } from './expire-overdue.js';

export interface PendingItem {
  invitation: InvitationSnapshot;
  sentAt: number;
  remindersSent: number;
}

export async function listPending({ deps, actor }: VerbArgs<void>): Promise<PendingItem[]> {
  return deps.store.transaction((repos) => {
    requireAdmin(repos, deps.settings, actor, 'review pending invitations');
    const now = deps.clock.now();
    expireOverdue(repos, SYSTEM_ACTOR, now);
    // license invitations: project invitations are their owners' business, not the license admins'
    return repos.invitations.listPending().filter((inv) => inv.kind === 'license').map((inv) => ({
      invitation: snapshotOf(repos, inv),
      sentAt: inv.sentAt,
      remindersSent: inv.remindersSent,
    }));
  });
}
