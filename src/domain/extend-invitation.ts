import type { VerbArgs } from './context.js';
import type { AnyInvitationSnapshot } from './outbox-messages.js';
import { audit } from './audit.js';
import { expireIfOverdue } from './expire-overdue.js';
import { DomainError } from './errors.js';
import { loadInvitation, requireAdminOrInviter } from './invitation-guards.js';
import { snapshotOfAny } from './snapshot.js';
import { announceInvitation } from './restate.js';
import { stateSentence } from './words.js';

/**
 * Gives an open invitation (pending, or waiting for a seat) another INVITE_TTL from now (never shortens it). Its link and buttons
 * keep working; nothing is sent, so a person is not disturbed by it.
 */
export async function extendInvitation({ deps, actor, input }: VerbArgs<{ invitationId: number }>): Promise<{ invitation: AnyInvitationSnapshot; expiresAt: number }> {
  // past its expiry it is over, even if no sweep has marked it yet: extending cannot revive it
  await expireIfOverdue(deps, input.invitationId);
  return deps.store.transaction(async (repos) => {
    const now = deps.clock.now();
    const inv = await loadInvitation(repos, input.invitationId);
    await requireAdminOrInviter(repos, deps.settings, inv, actor, 'extend');
    if (inv.status === 'expired') {
      throw new DomainError('NOT_PENDING', `Invitation #${inv.id} has already expired, so there is nothing to extend; Re-invite sends a new one.`, { status: inv.status });
    }
    if (inv.status !== 'pending' && inv.status !== 'waiting_for_seat') {
      throw new DomainError('NOT_PENDING', `Invitation #${inv.id} ${stateSentence(inv.status)}, so there is nothing to extend.`, { status: inv.status });
    }
    const expiresAt = Math.max(inv.expiresAt, now + deps.settings.inviteTtlMs);
    await repos.invitations.update(inv.id, { expiresAt });
    await audit(repos, actor, now, 'invitation.extended', { type: 'invitation', id: inv.id }, { from: inv.expiresAt, to: expiresAt });
    const snap = await snapshotOfAny(repos, { ...inv, expiresAt });
    // nobody is disturbed, but every message about it shows the new date (the DM, reminders, the digest)
    await announceInvitation(repos, snap, now);
    return { invitation: snap, expiresAt };
  });
}
