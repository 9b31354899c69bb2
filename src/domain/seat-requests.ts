import type { VerbArgs } from './context.js';
import type { SeatRequest } from './model.js';
import { actorPerson, requireAdmin } from './authz.js';
import { audit } from './audit.js';
import { DomainError } from './errors.js';
import { loadInvitation, requireAdminOrInviter } from './invitation-guards.js';
import { nameOf } from './people.js';
import { projectSnapshotOf } from './snapshot.js';
import { tellPerson } from './notify.js';
import { announce, announceInvitation } from './restate.js';
import { inviteToLicense, type InviteOutcome } from './invite-to-license.js';
import { releaseWaitingProjectInvitations } from './release-waiting-projects.js';

/**
 * "Ask an admin for a seat": a project owner whose invitation waits on someone without a seat asks
 * the license admins, in their channel, to invite that person to a seat.
 */
export async function requestSeat({ deps, actor, input }: VerbArgs<{ projectInvitationId: number }>): Promise<{ request: SeatRequest; alreadyAsked: boolean }> {
  return deps.store.transaction((repos) => {
    const now = deps.clock.now();
    const inv = loadInvitation(repos, input.projectInvitationId);
    if (inv.kind !== 'project') throw new DomainError('INVALID_INPUT', 'Seats are asked for on behalf of a project invitation.');
    requireAdminOrInviter(repos, deps.settings, inv, actor, 'ask a seat for');
    if (inv.status !== 'waiting_for_seat') {
      throw new DomainError('NOT_PENDING', `Invitation #${inv.id} is not waiting for a seat any more, so there is nothing to ask.`);
    }
    if (!deps.settings.hasAdminChannel) {
      throw new DomainError('INVALID_INPUT', 'No admin channel is set up, so I cannot pass the request on: please ask one of your license admins directly.');
    }
    const open = repos.seatRequests.pendingForInvitation(inv.id);
    if (open) return { request: open, alreadyAsked: true };
    const me = actorPerson(repos, actor);
    const request = repos.seatRequests.insert({ personId: inv.inviteeId, email: inv.inviteeEmail ?? '', projectInvitationId: inv.id, requestedBy: me.id, createdAt: now });
    audit(repos, actor, now, 'seat_request.created', { type: 'seat_request', id: request.id }, { invitationId: inv.id });
    const snap = projectSnapshotOf(repos, inv);
    // the sharer's list of who waits for a seat no longer offers to ask for this one
    announceInvitation(repos, snap, now, { seatRequestId: request.id });
    repos.outbox.enqueue(
      { type: 'admin_channel' },
      { type: 'seat_request', requestId: request.id, personName: snap.inviteeName, email: request.email, projectName: snap.projectName, ownerName: nameOf(me), status: 'pending' },
      now,
    );
    return { request, alreadyAsked: false };
  });
}

export type SeatDecision =
  | { outcome: 'approved'; request: SeatRequest; invite: InviteOutcome; licenseName: string }
  | { outcome: 'denied'; request: SeatRequest }
  /** nothing changed: say why (the pool is full, a pool must be picked …) */
  | { outcome: 'not_approved'; request: SeatRequest; invite: InviteOutcome; licenseName: string };

/**
 * An admin answers a seat request. Approving sends the license invitation (the ordinary verb, with
 * all its rules); when that seat is accepted, the waiting project invitation goes out by itself.
 */
export async function decideSeatRequest({ deps, actor, input }: VerbArgs<{ requestId: number; approve: boolean; licenseName?: string | null }>): Promise<SeatDecision> {
  const request = deps.store.transaction((repos) => {
    requireAdmin(repos, deps.settings, actor, 'answer seat requests');
    const r = repos.seatRequests.byId(input.requestId);
    if (!r) throw new DomainError('NOT_FOUND', `There is no seat request #${input.requestId}.`);
    if (r.status !== 'pending') throw new DomainError('NOT_PENDING', `Seat request #${r.id} was already ${r.status}.`);
    if (repos.invitations.byId(r.projectInvitationId)?.status !== 'waiting_for_seat') {
      throw new DomainError('NOT_PENDING', `The project invitation behind seat request #${r.id} is no longer waiting for a seat, so there is nothing to approve.`);
    }
    return r;
  });

  const finish = (status: 'approved' | 'denied', extra: { licenseId?: number; licenseInvitationId?: number; licenseName?: string }) =>
    deps.store.transaction((repos) => {
      const now = deps.clock.now();
      if (!repos.seatRequests.decide(request.id, { status, decidedBy: actor.personId, decidedAt: now, ...(extra.licenseId ? { licenseId: extra.licenseId } : {}), ...(extra.licenseInvitationId ? { licenseInvitationId: extra.licenseInvitationId } : {}) })) {
        throw new DomainError('NOT_PENDING', `Seat request #${request.id} was answered a moment ago by another admin.`);
      }
      audit(repos, actor, now, `seat_request.${status}`, { type: 'seat_request', id: request.id });
      const inv = repos.invitations.byId(request.projectInvitationId)!;
      const decider = nameOf(actorPerson(repos, actor));
      const snap = projectSnapshotOf(repos, inv);
      // the request's post in the admin channel says how it was answered, in place: no second post
      announce(repos, { kind: 'seat_request', requestId: request.id, status, decidedBy: decider, ...(extra.licenseName ? { licenseName: extra.licenseName } : {}) }, now);
      // denied: the sharer's waiting list offers to ask again
      if (status === 'denied') announceInvitation(repos, snap, now, { seatRequestId: undefined });
      const event = { type: 'project_owner_event', event: status === 'approved' ? 'seat_request_approved' : 'seat_request_denied', invitation: snap, detail: decider } as const;
      const ownerId = repos.projects.byId(inv.projectId ?? 0)?.ownerId ?? request.requestedBy;
      tellPerson(repos, ownerId, event, now);
      if (request.requestedBy !== ownerId) tellPerson(repos, request.requestedBy, event, now);
      return repos.seatRequests.byId(request.id)!;
    });

  if (!input.approve) return { outcome: 'denied', request: finish('denied', {}) };

  const result = await inviteToLicense({ deps, actor, input: { licenseName: input.licenseName ?? null, invitees: [{ personId: request.personId, email: request.email }] } });
  const invite = result.outcomes[0]!;
  const licenseName = result.license.license.name;
  if (invite.status === 'invited' || invite.status === 'already_pending') {
    return { outcome: 'approved', request: finish('approved', { licenseId: result.license.license.id, licenseInvitationId: invite.invitationId, licenseName }), invite, licenseName };
  }
  if (invite.status === 'already_holds_seat') {
    // they hold a seat after all: the waiting invitation goes out if that seat's email is the
    // invited one exactly (otherwise the owner is told about the case difference)
    const decided = finish('approved', { licenseId: result.license.license.id, licenseName });
    deps.store.transaction((repos) => {
      const seat = repos.seats.occupiedBy(request.personId).find((s) => s.licenseId === result.license.license.id);
      releaseWaitingProjectInvitations(repos, deps.settings, actor, request.personId, seat?.email ?? null, deps.clock.now());
    });
    return { outcome: 'approved', request: decided, invite, licenseName };
  }
  return { outcome: 'not_approved', request, invite, licenseName };
}
