import { SYSTEM_ACTOR, type Actor } from './model.js';
import type { Repositories } from './ports.js';
import type { DomainDeps } from './context.js';
import { audit } from './audit.js';
import { snapshotOfAny } from './snapshot.js';
import { announce, announceInvitation } from './restate.js';
import type { AnyInvitationSnapshot } from './outbox-messages.js';
import { tellPerson } from './notify.js';

/**
 * Marks open invitations past their expiry as expired (pending ones, and project invitations still
 * waiting for a seat), frees their reserved seats, brings every message about them up to date, and
 * tells each inviter once: one list per inviter for everything that expired in this call.
 * Verbs that count seats call it first, so an invitation nobody answered in time can never hold a
 * seat or block a new invitation, whether or not a scheduled sweep has run.
 */
export async function expireOverdue(
  repos: Repositories,
  actor: Actor,
  now: number,
  scope: { licenseId?: number; inviteeId?: number; invitationId?: number } = {},
  limit = 10_000,
): Promise<number> {
  let expired = 0;
  const byInviter = new Map<number, AnyInvitationSnapshot[]>();
  const candidates =
    scope.invitationId !== undefined ? [await repos.invitations.byId(scope.invitationId)].filter((i) => i !== undefined) : await repos.invitations.overdue(now, limit);
  for (const inv of candidates) {
    if ((inv.status !== 'pending' && inv.status !== 'waiting_for_seat') || now < inv.expiresAt) continue;
    if (scope.licenseId !== undefined && inv.licenseId !== scope.licenseId) continue;
    if (scope.inviteeId !== undefined && inv.inviteeId !== scope.inviteeId) continue;
    if (scope.invitationId !== undefined && inv.id !== scope.invitationId) continue;
    if (!await repos.invitations.transition(inv.id, inv.status, { status: 'expired', decidedAt: now })) continue;
    await audit(repos, actor, now, 'invitation.expired', { type: 'invitation', id: inv.id }, inv.status === 'waiting_for_seat' ? { was: 'waiting_for_seat' } : undefined);
    const done = { ...inv, status: 'expired' as const };
    const snap = await snapshotOfAny(repos, done, { usage: false });
    await announceInvitation(repos, snap, now);
    // a seat asked for it is no longer needed: the request's post says so, and offers nothing to press
    const request = inv.kind === 'project' ? await repos.seatRequests.pendingForInvitation(inv.id) : undefined;
    if (request && await repos.seatRequests.decide(request.id, { status: 'denied', decidedBy: null, decidedAt: now })) {
      await announce(repos, { kind: 'seat_request', requestId: request.id, status: 'closed', reason: 'the project invitation expired' }, now);
    }
    byInviter.set(inv.inviterId, [...(byInviter.get(inv.inviterId) ?? []), snap]);
    expired++;
  }
  // whoever sent them decides what next, in one message: Re-invite or Drop for each
  for (const [inviterId, snaps] of byInviter) await tellPerson(repos, inviterId, { type: 'expired_notice', items: snaps.map((invitation) => ({ invitation })) }, now);
  return expired;
}

/** For verbs about one invitation: expire it first (committed on its own), then act on what is left. */
export async function expireIfOverdue(deps: DomainDeps, invitationId: number): Promise<void> {
  // time expired it, not whoever happened to touch it: the audit row says "system"
  await deps.store.transaction((repos) => expireOverdue(repos, SYSTEM_ACTOR, deps.clock.now(), { invitationId }));
}

/** The expiry sweep, a job: `(deps, now)`. Expires what is overdue, a batch per transaction. */
export async function expireDue(deps: DomainDeps, now: number): Promise<{ expired: number }> {
  let expired = 0;
  for (;;) {
    const n = await deps.store.transaction((repos) => expireOverdue(repos, SYSTEM_ACTOR, now, {}, 500));
    expired += n;
    if (n < 500) return { expired };
  }
}
