import type { VerbArgs } from './context.js';
import type { InvitationSnapshot } from './outbox-messages.js';
import { audit } from './audit.js';
import { expireIfOverdue } from './expire-overdue.js';
import { DomainError } from './errors.js';
import { loadInvitation, requireAdminOrInviter, requirePending } from './invitation-guards.js';
import { notifyAdmins, tellPerson } from './notify.js';
import { actorPerson } from './authz.js';
import { nameOf } from './people.js';
import { snapshotOf } from './snapshot.js';

/** Withdraws a pending invitation: its link and buttons stop working and its reserved seat is freed. */
export async function revokeInvitation({ deps, actor, input }: VerbArgs<{ invitationId: number }>): Promise<{ invitation: InvitationSnapshot }> {
  const { store, clock, settings } = deps;
  expireIfOverdue(deps, actor, input.invitationId);
  return store.transaction((repos) => {
    const now = clock.now();
    const inv = loadInvitation(repos, input.invitationId);
    requireAdminOrInviter(repos, settings, inv, actor, 'revoke');
    requirePending(inv);
    if (!repos.invitations.transition(inv.id, 'pending', { status: 'revoked', decidedAt: now, decidedBy: actor.personId || null })) {
      throw new DomainError('NOT_PENDING', `Invitation #${inv.id} changed a moment ago; \`/atlas pending\` shows where it stands.`);
    }
    audit(repos, actor, now, 'invitation.revoked', { type: 'invitation', id: inv.id });
    const snap = snapshotOf(repos, { ...inv, status: 'revoked' });
    tellPerson(repos, inv.inviteeId, { type: 'invitation_update', invitation: snap }, now);
    notifyAdmins(repos, settings, inv, { type: 'admin_invitation_event', event: 'revoked', invitation: snap, actorName: nameOf(actorPerson(repos, actor)) }, now);
    return { invitation: snap };
  });
}
