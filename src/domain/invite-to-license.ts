import type { VerbArgs } from './context.js';
import { SYSTEM_ACTOR, type LicenseUsage, type Person } from './model.js';
import { requireAdmin } from './authz.js';
import { audit } from './audit.js';
import { DomainError } from './errors.js';
import { isReachable, nameOf } from './people.js';
import { pickLicense } from './pick-license.js';
import { snapshotOf } from './snapshot.js';
import { invitationLink, mintToken } from './tokens.js';
import { notifyAdmins, tellPerson } from './notify.js';
import { expireOverdue } from './expire-overdue.js';
import { isFull } from './words.js';

export interface InviteeInput {
  personId: number;
  /** the account email as the admin typed it (exact case); defaults to the person's chat email */
  email?: string | null;
}

export type InviteOutcome =
  | { status: 'invited'; invitee: Person; invitationId: number; reachable: boolean }
  | { status: 'already_pending'; invitee: Person; invitationId: number; since: number }
  | { status: 'already_holds_seat'; invitee: Person }
  | { status: 'no_free_seat'; invitee: Person }
  | { status: 'no_email'; invitee: Person };

export interface InviteResult {
  license: LicenseUsage;
  outcomes: InviteOutcome[];
}

/**
 * Invites people to a seat of one license pool. A pending invitation reserves its seat, so an
 * admin can never hand out more invitations than there are seats, and whoever accepts in time is
 * sure to get one. Each invitee is decided in a transaction of its own: one full pool or one
 * duplicate does not undo the others.
 */
export async function inviteToLicense({
  deps,
  actor,
  input,
}: VerbArgs<{ licenseName?: string | null; invitees: InviteeInput[] }>): Promise<InviteResult> {
  const { store, clock, settings } = deps;
  if (input.invitees.length === 0) {
    throw new DomainError('INVALID_INPUT', 'Tell me who to invite: mention people (@alice) or give their account emails.');
  }
  const license = store.transaction((repos) => {
    requireAdmin(repos, settings, actor, 'invite people to a license');
    // everyone named must be known before anything is written, so a bad id cannot leave half a batch
    if (input.invitees.some(({ personId }) => !repos.people.byId(personId))) {
      throw new DomainError('NOT_FOUND', 'I could not find one of the people you named; nobody was invited. Please try again.');
    }
    return pickLicense(repos, input.licenseName);
  });

  const outcomes: InviteOutcome[] = [];
  const seen = new Set<number>();
  for (const { personId, email } of input.invitees) {
    if (seen.has(personId)) continue; // the same person named twice is invited once
    seen.add(personId);
    outcomes.push(
      store.transaction((repos): InviteOutcome => {
        const now = clock.now();
        const inviter = requireAdmin(repos, settings, actor, 'invite people to a license');
        const invitee = repos.people.byId(personId)!;
        expireOverdue(repos, SYSTEM_ACTOR, now, { licenseId: license.id });
        const accountEmail = email ?? invitee.email;
        if (!accountEmail) return { status: 'no_email', invitee };
        if (repos.seats.holds(license.id, invitee.id)) return { status: 'already_holds_seat', invitee };
        const pending = repos.invitations.pendingFor(license.id, invitee.id);
        if (pending) return { status: 'already_pending', invitee, invitationId: pending.id, since: pending.sentAt };

        const usage = repos.licenses.usage(license.id);
        if (isFull({ ...usage, seats: license.seats })) {
          audit(repos, actor, now, 'invitation.refused_no_seat', { type: 'license', id: license.id }, { inviteeId: invitee.id });
          // the invitee hears it too: someone meant to give them a seat, and it is not lost on them
          if (isReachable(invitee)) {
            tellPerson(repos, invitee.id, { type: 'license_full_notice', licenseName: license.name, inviterName: nameOf(inviter), seats: license.seats }, now);
          }
          return { status: 'no_free_seat', invitee };
        }

        const { token, hash } = mintToken();
        const inv = repos.invitations.insert({
          kind: 'license',
          licenseId: license.id,
          inviteeId: invitee.id,
          inviteeEmail: accountEmail,
          inviterId: inviter.id,
          status: 'pending',
          tokenHash: hash,
          platform: actor.platform,
          createdAt: now,
          sentAt: now,
          expiresAt: now + settings.inviteTtlMs,
        });
        audit(repos, actor, now, 'invitation.created', { type: 'invitation', id: inv.id }, { licenseId: license.id, inviteeId: invitee.id });
        const snapshot = snapshotOf(repos, inv);
        const link = invitationLink(settings.publicBaseUrl, token);
        const reachable = isReachable(invitee);
        if (reachable) tellPerson(repos, invitee.id, { type: 'license_invitation', invitation: snapshot, link, resent: false }, now);
        else tellPerson(repos, inviter.id, { type: 'forward_link', invitation: snapshot, link }, now);
        notifyAdmins(repos, settings, inv, { type: 'admin_invitation_event', event: 'created', invitation: snapshot, actorName: nameOf(inviter) }, now);
        return { status: 'invited', invitee, invitationId: inv.id, reachable };
      }),
    );
  }
  const usage = store.transaction((repos) => repos.licenses.usage(license.id));
  return { license: { license, ...usage }, outcomes };
}

/** What the invite form offers: the pools, for an admin only (a non-admin never sees the form). */
export async function licenseInviteOptions({ deps, actor }: VerbArgs<void>): Promise<LicenseUsage[]> {
  return deps.store.transaction((repos) => {
    requireAdmin(repos, deps.settings, actor, 'invite people to a license');
    const usages = repos.licenses.listUsage();
    if (usages.length === 0) {
      throw new DomainError('NO_LICENSE', 'There is no license pool yet. Create one first: `/atlas license add "<name>" <seats>`.');
    }
    return usages;
  });
}
