import { SYSTEM_ACTOR, type Actor } from './model.js';
import type { Repositories } from './ports.js';
import type { DomainDeps } from './context.js';
import { audit } from './audit.js';
import { projectSnapshotOf, snapshotOf, snapshotOfAny } from './snapshot.js';
import { tellPerson } from './notify.js';

/**
 * Marks pending invitations past their expiry as expired, frees their reserved seats and tells
 * each invitee. Verbs that count seats call it first, so an invitation nobody answered in time can
 * never hold a seat or block a new invitation, whether or not a scheduled sweep has run.
 */
export function expireOverdue(
  repos: Repositories,
  actor: Actor,
  now: number,
  scope: { licenseId?: number; inviteeId?: number; invitationId?: number } = {},
  limit = 10_000,
): number {
  let expired = 0;
  const candidates =
    scope.invitationId !== undefined ? [repos.invitations.byId(scope.invitationId)].filter((i) => i !== undefined) : repos.invitations.overdue(now, limit);
  for (const inv of candidates) {
    if (inv.status !== 'pending' || now < inv.expiresAt) continue;
    if (scope.licenseId !== undefined && inv.licenseId !== scope.licenseId) continue;
    if (scope.inviteeId !== undefined && inv.inviteeId !== scope.inviteeId) continue;
    if (scope.invitationId !== undefined && inv.id !== scope.invitationId) continue;
    if (!repos.invitations.transition(inv.id, 'pending', { status: 'expired', decidedAt: now })) continue;
    audit(repos, actor, now, 'invitation.expired', { type: 'invitation', id: inv.id });
    const done = { ...inv, status: 'expired' as const };
    tellPerson(
      repos,
      inv.inviteeId,
      inv.kind === 'project'
        ? { type: 'project_invitation_update', invitation: projectSnapshotOf(repos, done) }
        : { type: 'invitation_update', invitation: snapshotOf(repos, done) },
      now,
    );
    // whoever sent it decides what next: Re-invite or Drop
    tellPerson(repos, inv.inviterId, { type: 'expired_notice', invitation: snapshotOfAny(repos, done) }, now);
    expired++;
  }
  return expired;
}

/** For verbs about one invitation: expire it first (committed on its own), then act on what is left. */
export function expireIfOverdue(deps: DomainDeps, invitationId: number): void {
  // time expired it, not whoever happened to touch it: the audit row says "system"
  deps.store.transaction((repos) => expireOverdue(repos, SYSTEM_ACTOR, deps.clock.now(), { invitationId }));
}

/** The expiry sweep, a job: `(deps, now)`. Expires what is overdue, a batch per transaction. */
export function expireDue(deps: DomainDeps, now: number): { expired: number } {
  let expired = 0;
  for (;;) {
    const n = deps.store.transaction((repos) => expireOverdue(repos, SYSTEM_ACTOR, now, {}, 500));
    expired += n;
    if (n < 500) return { expired };
  }
}
