import type { VerbArgs } from './context.js';
import type { InvitationSnapshot } from './outbox-messages.js';
import { requireAdmin } from './authz.js';
import { snapshotOf } from './snapshot.js';

export interface PendingItem {
  invitation: InvitationSnapshot;
  sentAt: number;
  remindersSent: number;
  expired: boolean;
}

export async function listPending({ deps, actor }: VerbArgs<void>): Promise<PendingItem[]> {
  return deps.store.transaction((repos) => {
    requireAdmin(repos, deps.settings, actor, 'review pending invitations');
    const now = deps.clock.now();
    return repos.invitations.listPending().map((inv) => ({
      invitation: snapshotOf(repos, inv),
      sentAt: inv.sentAt,
      remindersSent: inv.remindersSent,
      expired: now >= inv.expiresAt,
    }));
  });
}
