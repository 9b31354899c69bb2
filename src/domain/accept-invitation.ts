import { closeOwnSeatRequests } from './ask-for-seat.js';
import type { VerbArgs } from './context.js';
import type { Invitation } from './model.js';
import type { Repositories } from './ports.js';
import type { DomainSettings } from './context.js';
import type { Actor } from './model.js';
import type { InvitationSnapshot, ProjectInvitationSnapshot } from './outbox-messages.js';
import { audit } from './audit.js';
import { DomainError } from './errors.js';
import { isExpired, loadInvitation, requireInvitee } from './invitation-guards.js';
import { notifyAdmins, tellPerson } from './notify.js';
import { announceInvitation } from './restate.js';
import { holdsSeatFor, nameOf } from './people.js';
import { projectSnapshotOf, snapshotOf } from './snapshot.js';
import { stateSentence } from './words.js';
import { canAccept } from './capacity.js';
import { sendLicenseLink } from './license-link.js';
import { provision } from './provisioning.js';
import { releaseWaitingProjectInvitations } from './release-waiting-projects.js';

export type AcceptResult =
  | { outcome: 'accepted'; invitation: InvitationSnapshot }
  | { outcome: 'already_accepted'; invitation: InvitationSnapshot }
  | { outcome: 'expired'; invitation: InvitationSnapshot }
  | { outcome: 'no_free_seat'; invitation: InvitationSnapshot }
  | { outcome: 'project_accepted'; invitation: ProjectInvitationSnapshot }
  | { outcome: 'project_already_accepted'; invitation: ProjectInvitationSnapshot }
  | { outcome: 'project_expired'; invitation: ProjectInvitationSnapshot }
  /** the invitee no longer holds a seat under the invited email: nothing changes until they do */
  | { outcome: 'project_needs_seat'; invitation: ProjectInvitationSnapshot };

/** Accepts either invitation; only its invitee may, and only while it is pending and not expired. */
export async function acceptInvitation({ deps, actor, input }: VerbArgs<{ invitationId: number }>): Promise<AcceptResult> {
  return deps.store.transaction(async (repos): Promise<AcceptResult> => {
    const now = deps.clock.now();
    const inv = await loadInvitation(repos, input.invitationId);
    requireInvitee(inv, actor);
    return inv.kind === 'project' ? await acceptProject(repos, deps.settings, actor, inv, now) : await acceptLicense(repos, deps.settings, actor, inv, now);
  });
}

function requireAnswerable(inv: Invitation): void {
  if (inv.status !== 'pending') {
    throw new DomainError('NOT_PENDING', `This invitation ${stateSentence(inv.status)}. If you still need it, ask for a new invitation.`, { status: inv.status });
  }
}

async function expire(repos: Repositories, actor: Actor, inv: Invitation, now: number): Promise<void> {
  // the link and the buttons stop working at expiry; a reserved seat goes back to the pool
  await repos.invitations.transition(inv.id, 'pending', { status: 'expired', decidedAt: now });
  await audit(repos, actor, now, 'invitation.expired', { type: 'invitation', id: inv.id }, { on: 'accept' });
}

async function acceptLicense(repos: Repositories, settings: DomainSettings, actor: Actor, inv: Invitation, now: number): Promise<AcceptResult> {
  // a double click lands here: the first click won, the second is told so, nothing else happens
  if (inv.status === 'accepted') return { outcome: 'already_accepted', invitation: await snapshotOf(repos, inv) };
  requireAnswerable(inv);
  if (isExpired(inv, now)) {
    await expire(repos, actor, inv, now);
    const expired = await snapshotOf(repos, { ...inv, status: 'expired' });
    await announceInvitation(repos, expired, now);
    return { outcome: 'expired', invitation: expired };
  }
  const licenseId = inv.licenseId ?? 0;
  // The pending invitation already reserves its place, but a pool can shrink under it: accepted
  // members are checked against the pool's limit here, inside the write transaction, so concurrent
  // accepts (in this process or another one on the same database) can never overfill it. The count
  // comes first: it locks the pool, so its size is read as it is once no one else can change it.
  const usage = await repos.licenses.usage(licenseId);
  const license = await repos.licenses.byId(licenseId);
  if (!license || !canAccept({ ...license, ...usage })) {
    const snap = await snapshotOf(repos, inv);
    await audit(repos, actor, now, 'invitation.accept_refused_no_seat', { type: 'invitation', id: inv.id });
    await notifyAdmins(repos, settings, inv, { type: 'admin_invitation_event', event: 'no_free_seat', invitation: snap, actorName: nameOf(await repos.people.byId(actor.personId)) }, now);
    return { outcome: 'no_free_seat', invitation: snap };
  }
  if (!await repos.invitations.transition(inv.id, 'pending', { status: 'accepted', decidedAt: now, decidedBy: actor.personId || null })) {
    // another click won while this one waited for the pool (another instance, on a database whose
    // reads do not wait for writers): a double click is told it is accepted, as when it came later
    const current = await repos.invitations.byId(inv.id);
    if (current?.status === 'accepted') return { outcome: 'already_accepted', invitation: await snapshotOf(repos, current) };
    throw new DomainError('NOT_PENDING', 'This invitation changed a moment ago. Please look at your latest message about it.');
  }
  // how ATLAS.ti learns of it: the pool's own link (sent to this person only, which hands it over),
  // the organisation's provisioning webhook, or else an admin in the account portal
  const sealedLink = await repos.licenses.sealedLink(licenseId);
  const via = sealedLink !== null ? 'link' : settings.hasProvisioningWebhook ? 'webhook' : 'admin';
  const seat = await repos.seats.occupy({ licenseId, personId: inv.inviteeId, email: inv.inviteeEmail, invitationId: inv.id, at: now, handoffVia: via });
  // a seat asked for in this pool is no longer needed
  await closeOwnSeatRequests(repos, { licenseId, personId: inv.inviteeId }, now, `${nameOf(await repos.people.byId(inv.inviteeId))} holds a seat there now`, false);
  if (sealedLink !== null) await repos.seats.handOver(seat.id, 0, now, 'link');
  if (via === 'webhook') await provision(repos, { type: 'seat.granted', email: seat.email, license: { id: license.id, name: license.name }, seatId: seat.id }, now);
  await audit(repos, actor, now, 'invitation.accepted', { type: 'invitation', id: inv.id });
  await audit(repos, actor, now, 'seat.occupied', { type: 'seat', id: seat.id }, { licenseId, invitationId: inv.id });
  const snap = await snapshotOf(repos, { ...inv, status: 'accepted' });
  // the DM, every reminder, the admins' post and the digest line now say it was accepted, in place
  await announceInvitation(repos, snap, now);
  // the link itself comes right after, as a message of its own in the invitee's DM
  if (sealedLink !== null) await sendLicenseLink(repos, seat, sealedLink, license.name, now, false);
  await notifyAdmins(repos, settings, inv, { type: 'admin_invitation_event', event: 'accepted', invitation: snap, actorName: snap.inviteeName }, now);
  // project invitations that waited for this seat go out now, in the same transaction
  await releaseWaitingProjectInvitations(repos, settings, actor, inv.inviteeId, inv.inviteeEmail, now);
  return { outcome: 'accepted', invitation: snap };
}

async function acceptProject(repos: Repositories, settings: DomainSettings, actor: Actor, inv: Invitation, now: number): Promise<AcceptResult> {
  const project = await repos.projects.byId(inv.projectId ?? 0);
  if (!project) throw new DomainError('NOT_FOUND', 'This project no longer exists. Ask its owner about it.');
  // only the invitee ever sees the Desktop link: in their own answer and their own DM
  if (inv.status === 'accepted') return { outcome: 'project_already_accepted', invitation: await projectSnapshotOf(repos, inv, true) };
  requireAnswerable(inv);
  if (isExpired(inv, now)) {
    await expire(repos, actor, inv, now);
    const expired = await projectSnapshotOf(repos, { ...inv, status: 'expired' });
    await announceInvitation(repos, expired, now);
    return { outcome: 'project_expired', invitation: expired };
  }
  // a project needs a seat under the same account email; it may have been released since sharing
  if (!await holdsSeatFor(repos, inv.inviteeId, inv.inviteeEmail)) return { outcome: 'project_needs_seat', invitation: await projectSnapshotOf(repos, inv) };
  if (!await repos.invitations.transition(inv.id, 'pending', { status: 'accepted', decidedAt: now, decidedBy: actor.personId || null })) {
    throw new DomainError('NOT_PENDING', 'This invitation changed a moment ago. Please look at your latest message about it.');
  }
  const access = await repos.projectAccess.grant({
    projectId: project.id,
    personId: inv.inviteeId,
    email: inv.inviteeEmail,
    kind: project.edition === 'web' ? 'member' : 'copy',
    invitationId: inv.id,
    createdAt: now,
    // a Web member is real only once the owner adds them in ATLAS.ti Web; a Desktop link is theirs now
    handoff: project.edition === 'web' ? 'awaiting' : 'handed_over',
  });
  await audit(repos, actor, now, 'invitation.accepted', { type: 'invitation', id: inv.id }, { projectId: project.id, access: project.edition === 'web' ? 'member' : 'copy' });
  // the organisation's system may add the member itself; the owner's Done counts as well, whichever comes first
  if (project.edition === 'web' && settings.hasProvisioningWebhook) {
    await provision(repos, { type: 'project.member_added', email: access.email, project: { id: project.id, name: project.name, edition: project.edition }, accessId: access.id }, now);
  }
  const accepted = { ...inv, status: 'accepted' as const };
  await announceInvitation(repos, await projectSnapshotOf(repos, accepted, true), now);
  await tellPerson(repos, project.ownerId, { type: 'project_owner_event', event: 'accepted', invitation: await projectSnapshotOf(repos, accepted) }, now);
  return { outcome: 'project_accepted', invitation: await projectSnapshotOf(repos, accepted, true) };
}
