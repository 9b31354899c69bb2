import type { VerbArgs } from './context.js';
import type { InvitationSnapshot } from './outbox-messages.js';
import { audit } from './audit.js';
import { DomainError } from './errors.js';
import { isExpired, loadInvitation, requireInvitee } from './invitation-guards.js';
import { notifyAdmins, tellPerson } from './notify.js';
import { nameOf } from './people.js';
import { snapshotOf } from './snapshot.js';
import { stateSentence } from './words.js';

export type AcceptResult =
  | { outcome: 'accepted'; invitation: InvitationSnapshot }
  | { outcome: 'already_accepted'; invitation: InvitationSnapshot }
  | { outcome: 'expired'; invitation: InvitationSnapshot }
  | { outcome: 'no_free_seat'; invitation: InvitationSnapshot };

export async function acceptInvitation({ deps, actor, input }: VerbArgs<{ invitationId: number }>): Promise<AcceptResult> {
  const { store, clock, settings } = deps;
  return store.transaction((repos): AcceptResult => {
    const now = clock.now();
    const inv = loadInvitation(repos, input.invitationId);
    requireInvitee(inv, actor);
    // a double click lands here: the first click won, the second is told so, nothing else happens
    if (inv.status === 'accepted') return { outcome: 'already_accepted', invitation: snapshotOf(repos, inv) };
    if (inv.status !== 'pending') {
      throw new DomainError('NOT_PENDING', `This invitation ${stateSentence(inv.status)}. If you still need a seat, ask a license admin for a new invitation.`, { status: inv.status });
    }
    if (isExpired(inv, now)) {
      // the link and the buttons stop working at expiry; the reserved seat goes back to the pool
      repos.invitations.transition(inv.id, 'pending', { status: 'expired', decidedAt: now });
      audit(repos, actor, now, 'invitation.expired', { type: 'invitation', id: inv.id }, { on: 'accept' });
      const expired = snapshotOf(repos, { ...inv, status: 'expired' });
      tellPerson(repos, inv.inviteeId, { type: 'invitation_update', invitation: expired }, now);
      return { outcome: 'expired', invitation: expired };
    }

    const license = repos.licenses.byId(inv.licenseId);
    const usage = repos.licenses.usage(inv.licenseId);
    // The pending invitation already reserves this seat, but a pool can shrink under it: occupied
    // seats are checked against the pool size here, inside the write transaction, so concurrent
    // accepts (in this process or another one on the same database) can never overfill it.
    if (!license || usage.occupied >= license.seats) {
      const snap = snapshotOf(repos, inv);
      audit(repos, actor, now, 'invitation.accept_refused_no_seat', { type: 'invitation', id: inv.id });
      notifyAdmins(repos, settings, inv, { type: 'admin_invitation_event', event: 'no_free_seat', invitation: snap, actorName: nameOf(repos.people.byId(actor.personId)) }, now);
      return { outcome: 'no_free_seat', invitation: snap };
    }
    if (!repos.invitations.transition(inv.id, 'pending', { status: 'accepted', decidedAt: now, decidedBy: actor.personId || null })) {
      throw new DomainError('NOT_PENDING', 'This invitation changed a moment ago. Please look at your latest message about it.');
    }
    const seat = repos.seats.occupy({ licenseId: inv.licenseId, personId: inv.inviteeId, email: inv.inviteeEmail, invitationId: inv.id, at: now });
    audit(repos, actor, now, 'invitation.accepted', { type: 'invitation', id: inv.id });
    audit(repos, actor, now, 'seat.occupied', { type: 'seat', id: seat.id }, { licenseId: inv.licenseId, invitationId: inv.id });
    const snap = snapshotOf(repos, { ...inv, status: 'accepted' });
    tellPerson(repos, inv.inviteeId, { type: 'invitation_update', invitation: snap }, now);
    notifyAdmins(repos, settings, inv, { type: 'admin_invitation_event', event: 'accepted', invitation: snap, actorName: snap.inviteeName }, now);
    return { outcome: 'accepted', invitation: snap };
  });
}
