import type { Actor } from './model.js';
import type { Repositories } from './ports.js';
import type { DomainSettings } from './context.js';
import { audit } from './audit.js';
import { isReachable } from './people.js';
import { projectSnapshotOf } from './snapshot.js';
import { invitationLink, mintToken } from './tokens.js';
import { sendProjectInvitation } from './share-project.js';
import { tellPerson } from './notify.js';
import { announce, announceInvitation } from './restate.js';

/**
 * Someone just took a seat: the project invitations that waited for it go out now, each with a
 * fresh link and a fresh expiry, and their owners hear so. Only an exact email match counts, as at
 * sharing time; a near match is put to the owner instead of being guessed at.
 */
export async function releaseWaitingProjectInvitations(repos: Repositories, settings: DomainSettings, actor: Actor, personId: number, seatEmail: string | null, now: number): Promise<number> {
  let sent = 0;
  const person = await repos.people.byId(personId);
  for (const inv of await repos.invitations.waitingForSeat(personId)) {
    if (inv.inviteeEmail !== seatEmail) {
      // a seat under a different address altogether is another account: nothing to say about it
      if (!seatEmail || inv.inviteeEmail?.toLowerCase() !== seatEmail.toLowerCase()) continue;
      await tellPerson(
        repos,
        (await repos.projects.byId(inv.projectId ?? 0))?.ownerId ?? inv.inviterId,
        { type: 'project_owner_event', event: 'case_mismatch_after_seat', invitation: await projectSnapshotOf(repos, inv), detail: seatEmail ?? '' },
        now,
      );
      continue;
    }
    const { token, hash } = mintToken();
    if (!await repos.invitations.transition(inv.id, 'waiting_for_seat', { status: 'pending', tokenHash: hash, sentAt: now, expiresAt: now + settings.inviteTtlMs })) continue;
    await audit(repos, actor, now, 'invitation.sent_after_seat', { type: 'invitation', id: inv.id });
    await sendProjectInvitation(repos, inv.id, invitationLink(settings.publicBaseUrl, token), person ? isReachable(person) : false, inv.inviterId, now, false);
    const snap = await projectSnapshotOf(repos, { ...inv, status: 'pending', expiresAt: now + settings.inviteTtlMs });
    await announceInvitation(repos, snap, now);
    // a seat asked for it is no longer needed: its post says so, with nothing left to press
    const request = await repos.seatRequests.pendingForInvitation(inv.id);
    if (request && await repos.seatRequests.decide(request.id, { status: 'approved', decidedBy: null, decidedAt: now })) {
      await announce(repos, { kind: 'seat_request', requestId: request.id, status: 'closed', reason: `${snap.inviteeName} holds a seat now, and the project invitation went out` }, now);
    }
    await tellPerson(repos, (await repos.projects.byId(inv.projectId ?? 0))?.ownerId ?? inv.inviterId, { type: 'project_owner_event', event: 'sent_after_seat', invitation: snap }, now);
    sent++;
  }
  return sent;
}
