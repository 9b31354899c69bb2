import type { Invitation } from './model.js';
import type { Repositories } from './ports.js';
import type { InvitationSnapshot } from './outbox-messages.js';
import { nameOf } from './people.js';

/** What a message about an invitation shows, taken inside the transaction that changed it. */
export function snapshotOf(repos: Repositories, inv: Invitation): InvitationSnapshot {
  const license = repos.licenses.byId(inv.licenseId);
  const usage = repos.licenses.usage(inv.licenseId);
  const invitee = repos.people.byId(inv.inviteeId);
  return {
    invitationId: inv.id,
    status: inv.status,
    licenseName: license?.name ?? 'a license',
    inviterName: nameOf(repos.people.byId(inv.inviterId)),
    inviteeName: nameOf(invitee),
    inviteeEmail: inv.inviteeEmail,
    expiresAt: inv.expiresAt,
    occupied: usage.occupied,
    reserved: usage.reserved,
    seats: license?.seats ?? 0,
  };
}
