import type { VerbArgs } from './context.js';
import type { InvitationSnapshot } from './outbox-messages.js';
import { audit } from './audit.js';
import { expireIfOverdue } from './expire-overdue.js';
import { DomainError } from './errors.js';
import { loadInvitation, requireInvitee, requirePending } from './invitation-guards.js';
import { notifyAdmins, tellPerson } from './notify.js';
import { snapshotOf } from './snapshot.js';

export async function declineInvitation({ deps, actor, input }: VerbArgs<{ invitationId: number }>): Promise<{ invitation: InvitationSnapshot }> {
  const { store, clock, settings } = deps;
  expireIfOverdue(deps, actor, input.invitationId);
  return store.transaction((repos) => {
    const now = clock.now();
    const inv = loadInvitation(repos, input.invitationId);
    requireInvitee(inv, actor);
    requirePending(inv);
    if (!repos.invitations.transition(inv.id, 'pending', { status: 'declined', decidedAt: now, decidedBy: actor.personId || null })) {
      throw new DomainError('NOT_PENDING', 'This invitation changed a moment ago. Please look at your latest message about it.');
    }
    audit(repos, actor, now, 'invitation.declined', { type: 'invitation', id: inv.id });
    const snap = snapshotOf(repos, { ...inv, status: 'declined' });
    tellPerson(repos, inv.inviteeId, { type: 'invitation_update', invitation: snap }, now);
    notifyAdmins(repos, settings, inv, { type: 'admin_invitation_event', event: 'declined', invitation: snap, actorName: snap.inviteeName }, now);
    return { invitation: snap };
  });
}
