import type { Invitation } from './model.js';
import type { Repositories } from './ports.js';
import type { InvitationSnapshot, ProjectInvitationSnapshot } from './outbox-messages.js';
import { nameOf } from './people.js';

/**
 * What a message about a license invitation shows, taken inside the transaction that changed it.
 * Seat usage is counted only when the message shows it (`usage: false` for reminders and expiry,
 * whose sweeps must cost what is due, not what is stored), and only once per transaction when the
 * verb already knows it (a bulk run passes its running count).
 */
export async function snapshotOf(repos: Repositories, inv: Invitation, opts: { usage?: false | { occupied: number; reserved: number } } = {}): Promise<InvitationSnapshot> {
  const licenseId = inv.licenseId ?? 0;
  const license = await repos.licenses.byId(licenseId);
  // a verb that already counted the seats in this transaction passes its figure instead of counting again
  const usage = opts.usage === false ? { occupied: 0, reserved: 0 } : (opts.usage ?? await repos.licenses.usage(licenseId));
  const invitee = await repos.people.byId(inv.inviteeId);
  // an accepted invitation says only what was handed over to ATLAS.ti, read from its seat
  const seat = inv.status === 'accepted' ? await repos.seats.byInvitation(inv.id) : undefined;
  return {
    kind: 'license',
    invitationId: inv.id,
    status: inv.status,
    licenseName: license?.name ?? 'a license',
    inviterName: nameOf(await repos.people.byId(inv.inviterId)),
    inviteeName: nameOf(invitee),
    inviteeEmail: inv.inviteeEmail,
    expiresAt: inv.expiresAt,
    occupied: usage.occupied,
    reserved: usage.reserved,
    seats: license?.seats ?? 0,
    seatModel: license?.seatModel ?? 'assigned',
    memberCap: license?.memberCap ?? null,
    ...(opts.usage === false ? { uncounted: true as const } : {}),
    ...(seat ? { seatId: seat.id, handoff: seat.handoff, handoffBy: seat.handoffVia } : {}),
  };
}

/** The same for a project invitation. The Desktop link is included only when `revealLink` is set. */
export async function projectSnapshotOf(repos: Repositories, inv: Invitation, revealLink = false): Promise<ProjectInvitationSnapshot> {
  const project = inv.projectId === null ? undefined : await repos.projects.byId(inv.projectId);
  const access = inv.status === 'accepted' && project ? (await repos.projectAccess.forPerson(inv.inviteeId)).find((a) => a.projectId === project.id) : undefined;
  return {
    kind: 'project',
    invitationId: inv.id,
    status: inv.status,
    projectId: project?.id ?? 0,
    projectName: project?.name ?? 'a project',
    edition: project?.edition ?? 'web',
    ownerName: nameOf(await repos.people.byId(project?.ownerId ?? inv.inviterId)),
    inviterName: nameOf(await repos.people.byId(inv.inviterId)),
    inviteeName: nameOf(await repos.people.byId(inv.inviteeId)),
    inviteeEmail: inv.inviteeEmail,
    message: inv.message,
    expiresAt: inv.expiresAt,
    desktopLink: revealLink ? inv.desktopLink : null,
    ...(access ? { accessId: access.id, handoff: access.handoff } : {}),
  };
}

export const snapshotOfAny = async (repos: Repositories, inv: Invitation, opts: Parameters<typeof snapshotOf>[2] = {}): Promise<InvitationSnapshot | ProjectInvitationSnapshot> =>
  inv.kind === 'project' ? await projectSnapshotOf(repos, inv) : await snapshotOf(repos, inv, opts);
