import type { VerbArgs } from './context.js';
import type { AnyInvitationSnapshot } from './outbox-messages.js';
import { audit } from './audit.js';
import { expireIfOverdue } from './expire-overdue.js';
import { DomainError } from './errors.js';
import { loadInvitation, requireInvitee, requirePending } from './invitation-guards.js';
import { notifyAdmins, tellPerson } from './notify.js';
import { announceInvitation } from './restate.js';
import { projectSnapshotOf, snapshotOf } from './snapshot.js';

/** The invitee says no. A license seat is freed for someone else; a project's owner is told. */
export async function declineInvitation({ deps, actor, input }: VerbArgs<{ invitationId: number }>): Promise<{ invitation: AnyInvitationSnapshot }> {
  const { store, clock, settings } = deps;
  await expireIfOverdue(deps, input.invitationId);
  return store.transaction(async (repos) => {
    const now = clock.now();
    const inv = await loadInvitation(repos, input.invitationId);
    requireInvitee(inv, actor);
    requirePending(inv);
    if (!await repos.invitations.transition(inv.id, 'pending', { status: 'declined', decidedAt: now, decidedBy: actor.personId || null })) {
      throw new DomainError('NOT_PENDING', 'This invitation changed a moment ago. Please look at your latest message about it.');
    }
    await audit(repos, actor, now, 'invitation.declined', { type: 'invitation', id: inv.id });
    const declined = { ...inv, status: 'declined' as const };
    if (inv.kind === 'project') {
      const snap = await projectSnapshotOf(repos, declined);
      await announceInvitation(repos, snap, now);
      await tellPerson(repos, (await repos.projects.byId(inv.projectId ?? 0))?.ownerId ?? inv.inviterId, { type: 'project_owner_event', event: 'declined', invitation: snap }, now);
      return { invitation: snap };
    }
    const snap = await snapshotOf(repos, declined);
    await announceInvitation(repos, snap, now);
    await notifyAdmins(repos, settings, inv, { type: 'admin_invitation_event', event: 'declined', invitation: snap, actorName: snap.inviteeName }, now);
    return { invitation: snap };
  });
}
