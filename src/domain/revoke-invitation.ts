import { cmd, t } from './message.js';
import type { VerbArgs } from './context.js';
import type { AnyInvitationSnapshot } from './outbox-messages.js';
import { audit } from './audit.js';
import { expireIfOverdue } from './expire-overdue.js';
import { DomainError } from './errors.js';
import { loadInvitation, requireAdminOrInviter } from './invitation-guards.js';
import { notifyAdmins } from './notify.js';
import { announce, announceInvitation } from './restate.js';
import { actorPerson } from './authz.js';
import { nameOf } from './people.js';
import { projectSnapshotOf, snapshotOf } from './snapshot.js';
import { stateSentence } from './words.js';

/**
 * Withdraws an open invitation: its link and buttons stop working, a reserved seat is freed.
 * License invitations: an admin or the inviter. Project invitations: the project's owner, the
 * inviter, or an admin; one still waiting for a seat can be withdrawn too.
 */
export async function revokeInvitation({ deps, actor, input }: VerbArgs<{ invitationId: number }>): Promise<{ invitation: AnyInvitationSnapshot }> {
  const { store, clock, settings } = deps;
  await expireIfOverdue(deps, input.invitationId);
  return store.transaction(async (repos) => {
    const now = clock.now();
    const inv = await loadInvitation(repos, input.invitationId);
    await requireAdminOrInviter(repos, settings, inv, actor, 'revoke');
    const from = inv.status === 'waiting_for_seat' && inv.kind === 'project' ? 'waiting_for_seat' : 'pending';
    if (inv.status !== from) {
      throw new DomainError('NOT_PENDING', `Invitation #${inv.id} ${stateSentence(inv.status)}, so there is nothing to withdraw.`, { status: inv.status });
    }
    if (!await repos.invitations.transition(inv.id, from, { status: 'revoked', decidedAt: now, decidedBy: actor.personId || null })) {
      throw new DomainError('NOT_PENDING', t`Invitation #${inv.id} changed a moment ago; ${cmd('status')} shows where it stands.`);
    }
    await audit(repos, actor, now, 'invitation.revoked', { type: 'invitation', id: inv.id });
    const revoked = { ...inv, status: 'revoked' as const };
    if (inv.kind === 'project') {
      // a seat asked for this invitation is no longer needed for it
      const request = await repos.seatRequests.pendingForInvitation(inv.id);
      if (request && await repos.seatRequests.decide(request.id, { status: 'denied', decidedBy: actor.personId || null, decidedAt: now })) {
        await announce(repos, { kind: 'seat_request', requestId: request.id, status: 'closed', reason: 'the project invitation was withdrawn' }, now);
      }
      const snap = await projectSnapshotOf(repos, revoked);
      // every message about it says it was withdrawn (one still waiting for a seat was never sent to the invitee)
      await announceInvitation(repos, snap, now);
      return { invitation: snap };
    }
    const snap = await snapshotOf(repos, revoked);
    await announceInvitation(repos, snap, now);
    await notifyAdmins(repos, settings, inv, { type: 'admin_invitation_event', event: 'revoked', invitation: snap, actorName: nameOf(await actorPerson(repos, actor)) }, now);
    return { invitation: snap };
  });
}
