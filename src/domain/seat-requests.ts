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
import { sendLicenseInvitations, type InviteOutcome } from './invite-to-license.js';
import { formatDate } from './words.js';
import { releaseWaitingProjectInvitations } from './release-waiting-projects.js';

/**
 * "Ask an admin for a seat": a project owner whose invitation waits on someone without a seat asks
 * the license admins, in their channel, to invite that person to a seat.
 */
export async function requestSeat({ deps, actor, input }: VerbArgs<{ projectInvitationId: number }>): Promise<{ request: SeatRequest; alreadyAsked: boolean }> {
  return deps.store.transaction(async (repos) => {
    const now = deps.clock.now();
    const inv = await loadInvitation(repos, input.projectInvitationId);
    if (inv.kind !== 'project') throw new DomainError('INVALID_INPUT', 'Seats are asked for on behalf of a project invitation.');
    await requireAdminOrInviter(repos, deps.settings, inv, actor, 'ask a seat for');
    if (inv.status !== 'waiting_for_seat') {
      throw new DomainError('NOT_PENDING', `Invitation #${inv.id} is not waiting for a seat any more, so there is nothing to ask.`);
    }
    if (!deps.settings.hasAdminChannel) {
      throw new DomainError('INVALID_INPUT', 'No admin channel is set up, so I cannot pass the request on: please ask one of your license admins directly.');
    }
    const open = await repos.seatRequests.pendingForInvitation(inv.id);
    if (open) return { request: open, alreadyAsked: true };
    const me = await actorPerson(repos, actor);
    const request = await repos.seatRequests.insert({ personId: inv.inviteeId, email: inv.inviteeEmail ?? '', projectInvitationId: inv.id, requestedBy: me.id, createdAt: now });
    await audit(repos, actor, now, 'seat_request.created', { type: 'seat_request', id: request.id }, { invitationId: inv.id });
    const snap = await projectSnapshotOf(repos, inv);
    // the sharer's list of who waits for a seat no longer offers to ask for this one
    await announceInvitation(repos, snap, now, { seatRequestId: request.id });
    await repos.outbox.enqueue(
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

/** An open seat request, for an admin about to answer it (the deny form asks only then). */
export async function openSeatRequest({ deps, actor, input }: VerbArgs<{ requestId: number }>): Promise<SeatRequest> {
  return deps.store.transaction(async (repos) => {
    await requireAdmin(repos, deps.settings, actor, 'answer seat requests');
    const r = await repos.seatRequests.byId(input.requestId);
    if (!r) throw new DomainError('NOT_FOUND', `There is no seat request #${input.requestId}.`);
    if (r.status !== 'pending') throw new DomainError('NOT_PENDING', `Seat request #${r.id} was already ${r.status}${r.decidedAt ? ` on ${formatDate(r.decidedAt)}` : ''}.`);
    return r;
  });
}

/** An admin's reason on deny is kept to this many characters. */
export const DENY_NOTE_MAX = 500;

/**
 * An admin answers a seat request. Approving sends the license invitation (the ordinary verb, with
 * all its rules): for a person's own request it says that it answers their request and who
 * approved it; for a project owner's, the waiting project invitation goes out by itself once that
 * seat is accepted. Denying (with a reason, if the admin gives one) tells whoever asked.
 */
export async function decideSeatRequest({
  deps,
  actor,
  input,
}: VerbArgs<{ requestId: number; approve: boolean; licenseName?: string | null; note?: string | null }>): Promise<SeatDecision> {
  const { request, decider, ownPool } = await deps.store.transaction(async (repos) => {
    const admin = await requireAdmin(repos, deps.settings, actor, 'answer seat requests');
    const r = await repos.seatRequests.byId(input.requestId);
    if (!r) throw new DomainError('NOT_FOUND', `There is no seat request #${input.requestId}.`);
    if (r.status !== 'pending') throw new DomainError('NOT_PENDING', `Seat request #${r.id} was already ${r.status}${r.decidedAt ? ` on ${formatDate(r.decidedAt)}` : ''}.`);
    if (r.projectInvitationId !== null && (await repos.invitations.byId(r.projectInvitationId))?.status !== 'waiting_for_seat') {
      throw new DomainError('NOT_PENDING', `The project invitation behind seat request #${r.id} is no longer waiting for a seat, so there is nothing to approve.`);
    }
    // a person's own request names its pool (the admin may pick another in the approve form)
    const pool = r.projectInvitationId === null && r.licenseId !== null ? await repos.licenses.byId(r.licenseId) : undefined;
    if (pool?.retiredAt !== undefined && input.approve && !input.licenseName) {
      throw new DomainError('NOT_PENDING', `Seat request #${r.id} asks for a seat in "${pool.name}", which was retired. Deny it, or approve it into another pool from the form.`);
    }
    return { request: r, decider: nameOf(admin), ownPool: pool?.retiredAt === undefined ? pool?.name : undefined };
  });
  const self = request.projectInvitationId === null;
  const note = input.note?.trim() ? input.note.trim().slice(0, DENY_NOTE_MAX) : null;

  const finish = (status: 'approved' | 'denied', extra: { licenseId?: number; licenseInvitationId?: number; licenseName?: string; already?: 'holds' | 'pending' }) =>
    deps.store.transaction(async (repos) => {
      const now = deps.clock.now();
      const patch = { status, decidedBy: actor.personId, decidedAt: now, ...(extra.licenseId ? { licenseId: extra.licenseId } : {}), ...(extra.licenseInvitationId ? { licenseInvitationId: extra.licenseInvitationId } : {}), ...(note && status === 'denied' ? { decisionNote: note } : {}) };
      if (!await repos.seatRequests.decide(request.id, patch)) {
        throw new DomainError('NOT_PENDING', `Seat request #${request.id} was answered a moment ago by another admin.`);
      }
      await audit(repos, actor, now, `seat_request.${status}`, { type: 'seat_request', id: request.id }, note && status === 'denied' ? { note } : undefined);
      // the request's post in the admin channel says how it was answered, in place: no second post
      await announce(repos, { kind: 'seat_request', requestId: request.id, status, decidedBy: decider, ...(extra.licenseName ? { licenseName: extra.licenseName } : {}), ...(note && status === 'denied' ? { note } : {}) }, now);
      if (self) {
        // the person who asked hears the answer; an approval that sent an invitation says so in it
        const licenseName = extra.licenseName ?? ownPool ?? (await repos.licenses.byId(request.licenseId ?? 0))?.name ?? 'the license';
        if (status === 'denied' || extra.already) {
          await tellPerson(repos, request.personId, { type: 'seat_request_answer', requestId: request.id, status, licenseName, decidedBy: decider, ...(status === 'denied' && note ? { note } : {}), ...(extra.already ? { already: extra.already } : {}) }, now);
        }
        return (await repos.seatRequests.byId(request.id))!;
      }
      const inv = (await repos.invitations.byId(request.projectInvitationId!))!;
      const snap = await projectSnapshotOf(repos, inv);
      // denied: the sharer's waiting list offers to ask again
      if (status === 'denied') await announceInvitation(repos, snap, now, { seatRequestId: undefined });
      const event = { type: 'project_owner_event', event: status === 'approved' ? 'seat_request_approved' : 'seat_request_denied', invitation: snap, detail: note && status === 'denied' ? `${decider} (“${note}”)` : decider } as const;
      const ownerId = (await repos.projects.byId(inv.projectId ?? 0))?.ownerId ?? request.requestedBy;
      await tellPerson(repos, ownerId, event, now);
      if (request.requestedBy !== ownerId) await tellPerson(repos, request.requestedBy, event, now);
      return (await repos.seatRequests.byId(request.id))!;
    });

  if (!input.approve) return { outcome: 'denied', request: await finish('denied', {}) };

  const licenseName = input.licenseName ?? ownPool ?? null;
  const grant = self ? { requestId: request.id, decidedBy: decider, auto: false } : undefined;
  const result = await sendLicenseInvitations({ deps, actor, input: { licenseName, invitees: [{ personId: request.personId, email: request.email }] } }, grant);
  const invite = result.outcomes[0]!;
  const pool = result.license.license;
  if (invite.status === 'invited') {
    return { outcome: 'approved', request: await finish('approved', { licenseId: pool.id, licenseInvitationId: invite.invitationId, licenseName: pool.name }), invite, licenseName: pool.name };
  }
  if (invite.status === 'already_pending') {
    return { outcome: 'approved', request: await finish('approved', { licenseId: pool.id, licenseInvitationId: invite.invitationId, licenseName: pool.name, already: 'pending' }), invite, licenseName: pool.name };
  }
  if (invite.status === 'already_holds_seat') {
    const decided = await finish('approved', { licenseId: pool.id, licenseName: pool.name, already: 'holds' });
    if (!self) {
      // they hold a seat after all: the waiting invitation goes out if that seat's email is the
      // invited one exactly (otherwise the owner is told about the case difference)
      await deps.store.transaction(async (repos) => {
        const seat = (await repos.seats.occupiedBy(request.personId)).find((s) => s.licenseId === pool.id);
        await releaseWaitingProjectInvitations(repos, deps.settings, actor, request.personId, seat?.email ?? null, deps.clock.now());
      });
    }
    return { outcome: 'approved', request: decided, invite, licenseName: pool.name };
  }
  return { outcome: 'not_approved', request, invite, licenseName: pool.name };
}
