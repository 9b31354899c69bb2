import type { VerbArgs } from './context.js';
import type { AnyInvitationSnapshot } from './outbox-messages.js';
import { audit } from './audit.js';
import { DomainError } from './errors.js';
import { expireIfOverdue } from './expire-overdue.js';
import { loadInvitation, requireAdminOrInviter, requirePending } from './invitation-guards.js';
import { notifyAdmins, tellPerson } from './notify.js';
import { announceInvitation } from './restate.js';
import { actorPerson } from './authz.js';
import { isReachable, nameOf } from './people.js';
import { projectSnapshotOf, snapshotOf } from './snapshot.js';
import { invitationLink, mintToken } from './tokens.js';
import { sendProjectInvitation } from './share-project.js';

export const RESEND_COOLDOWN_MS = 60_000;

/**
 * Sends a pending invitation again with a fresh link. The old link stops working at once (only the
 * new token's hash is kept), so a link that went astray is dead after a resend. The expiry stays.
 */
export async function resendInvitation({ deps, actor, input }: VerbArgs<{ invitationId: number }>): Promise<{ invitation: AnyInvitationSnapshot; reachable: boolean }> {
  const { store, clock, settings } = deps;
  await expireIfOverdue(deps, input.invitationId);
  return store.transaction(async (repos) => {
    const now = clock.now();
    const inv = await loadInvitation(repos, input.invitationId);
    await requireAdminOrInviter(repos, settings, inv, actor, 'resend');
    requirePending(inv);
    // a double click on Resend sends one fresh invitation, not two (the first link would be dead)
    if (now - inv.sentAt < RESEND_COOLDOWN_MS) {
      throw new DomainError('CONFLICT', `Invitation #${inv.id} was sent a moment ago; it is on its way. Try again in a minute if it still has not arrived.`);
    }
    const { token, hash } = mintToken();
    // a resend restarts the reminder clock: the next reminder comes REMINDER_AFTER from now
    await repos.invitations.update(inv.id, { tokenHash: hash, sentAt: now, deliveryProblem: null, ...(inv.lastRemindedAt !== null ? { lastRemindedAt: now } : {}) });
    await audit(repos, actor, now, 'invitation.resent', { type: 'invitation', id: inv.id });
    const link = invitationLink(settings.publicBaseUrl, token);
    const invitee = await repos.people.byId(inv.inviteeId);
    const reachable = invitee ? isReachable(invitee) : false;
    const forwarder = actor.personId || inv.inviterId;
    // the fresh copy carries the invitation from now on; the older ones say their link is dead and point to it
    if (inv.kind === 'project') {
      const copy = await sendProjectInvitation(repos, inv.id, link, reachable, forwarder, now, true);
      const snap = await projectSnapshotOf(repos, inv);
      await announceInvitation(repos, snap, now, reachable ? { current: copy } : {});
      return { invitation: snap, reachable };
    }
    const snap = await snapshotOf(repos, inv);
    if (reachable) await announceInvitation(repos, snap, now, { current: await tellPerson(repos, inv.inviteeId, { type: 'license_invitation', invitation: snap, link, resent: true }, now) });
    else await tellPerson(repos, forwarder, { type: 'forward_link', invitation: snap, link }, now);
    await notifyAdmins(repos, settings, inv, { type: 'admin_invitation_event', event: 'resent', invitation: snap, actorName: nameOf(await actorPerson(repos, actor)) }, now);
    return { invitation: snap, reachable };
  });
}
