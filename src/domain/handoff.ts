/**
 * The hand-off: accepting in chat records a seat, but ATLAS.ti learns of it only when an admin adds
 * the person in the ATLAS.ti account portal. Until an admin says so (Done), nobody is told the seat
 * is ready; the person may then say it works ("I'm in").
 */
import type { VerbArgs } from './context.js';
import { cmd, t } from './message.js';
import type { InvitationSnapshot } from './outbox-messages.js';
import { actorPerson, isAdmin, requireAdmin } from './authz.js';
import { audit } from './audit.js';
import { DomainError } from './errors.js';
import { announceInvitation, tellNews } from './restate.js';
import { nameOf } from './people.js';
import { projectSnapshotOf, snapshotOf } from './snapshot.js';
import { notifyAdmins } from './notify.js';
import { sendLicenseLink } from './license-link.js';
import { provision } from './provisioning.js';

export type HandoffResult =
  | { outcome: 'handed_over'; personName: string; email: string | null; licenseName: string; byName: string }
  /** someone pressed Done first, or the person already said they are in */
  | { outcome: 'already_handed_over'; personName: string; email: string | null; licenseName: string; byName: string | null }
  /** the seat was released before anyone added the person */
  | { outcome: 'released'; personName: string; licenseName: string };

/** An admin says the person was added in the ATLAS.ti portal; the person hears their seat is ready. */
export async function confirmHandoff({ deps, actor, input }: VerbArgs<{ seatId: number }>): Promise<HandoffResult> {
  return deps.store.transaction(async (repos): Promise<HandoffResult> => {
    const admin = await requireAdmin(repos, deps.settings, actor, 'mark people as added in the ATLAS.ti account portal');
    const now = deps.clock.now();
    const seat = await repos.seats.byId(input.seatId);
    if (!seat) throw new DomainError('NOT_FOUND', t`That seat no longer exists. ${cmd('pending')} shows what is still to do.`);
    const personName = nameOf(await repos.people.byId(seat.personId));
    const licenseName = (await repos.licenses.byId(seat.licenseId))?.name ?? 'a license';
    if (seat.status !== 'occupied') return { outcome: 'released', personName, licenseName };
    if (!await repos.seats.handOver(seat.id, admin.id, now, 'admin')) {
      const by = seat.handedOverBy === null ? null : nameOf(await repos.people.byId(seat.handedOverBy));
      return { outcome: 'already_handed_over', personName, email: seat.email, licenseName, byName: by };
    }
    await audit(repos, actor, now, 'seat.handed_over', { type: 'seat', id: seat.id }, { licenseId: seat.licenseId, how: 'admin' });
    const inv = seat.invitationId === null ? undefined : await repos.invitations.byId(seat.invitationId);
    // news for the invitee: one new message says the seat is ready; the older ones point to it
    if (inv) await tellNews(repos, await snapshotOf(repos, inv), now, inv.inviteeId);
    return { outcome: 'handed_over', personName, email: seat.email, licenseName, byName: nameOf(admin) };
  });
}

/** The person says ATLAS.ti works for them ("I'm in"): only they can say so, about their own seat. */
export async function confirmJoined({ deps, actor, input }: VerbArgs<{ seatId: number }>): Promise<InvitationSnapshot> {
  return deps.store.transaction(async (repos) => {
    const me = await actorPerson(repos, actor);
    const now = deps.clock.now();
    const seat = await repos.seats.byId(input.seatId);
    if (!seat || seat.personId !== me.id) {
      throw new DomainError('FORBIDDEN', t`Only the person who holds this seat can say they are in. ${cmd('status')} shows your own seats.`);
    }
    if (seat.status !== 'occupied') throw new DomainError('NOT_PENDING', t`This seat was released, so there is nothing to confirm. ${cmd('status')} shows where you stand.`);
    if (await repos.seats.markJoined(seat.id, now)) await audit(repos, actor, now, 'seat.joined', { type: 'seat', id: seat.id }, { licenseId: seat.licenseId });
    const inv = seat.invitationId === null ? undefined : await repos.invitations.byId(seat.invitationId);
    if (!inv) throw new DomainError('NOT_FOUND', t`I could not find the invitation behind this seat. ${cmd('status')} shows where you stand.`);
    const snap = await snapshotOf(repos, inv);
    await announceInvitation(repos, snap, now);
    return snap;
  });
}

export type ProjectHandoffResult =
  | { outcome: 'handed_over'; personName: string; email: string | null; projectName: string; byName: string }
  | { outcome: 'already_handed_over'; personName: string; email: string | null; projectName: string; byName: string | null };

/**
 * The owner (or an admin) added the person in ATLAS.ti Web's Project Settings: from now on the bot
 * calls them a member, and tells them to confirm ATLAS.ti Web's own invitation email.
 */
export async function confirmProjectHandoff({ deps, actor, input }: VerbArgs<{ accessId: number }>): Promise<ProjectHandoffResult> {
  return deps.store.transaction(async (repos): Promise<ProjectHandoffResult> => {
    const me = await actorPerson(repos, actor);
    const now = deps.clock.now();
    const access = await repos.projectAccess.byId(input.accessId);
    const project = access ? await repos.projects.byId(access.projectId) : undefined;
    if (!access || !project) throw new DomainError('NOT_FOUND', t`That project member no longer exists. ${cmd('status')} shows where things stand.`);
    if (project.ownerId !== me.id && !await isAdmin(repos, deps.settings, me)) {
      throw new DomainError('FORBIDDEN', `Only the owner of "${project.name}" (or a license admin) adds members in ATLAS.ti Web.`);
    }
    const personName = nameOf(await repos.people.byId(access.personId));
    if (!await repos.projectAccess.handOver(access.id, me.id, now)) {
      const by = access.handedOverBy === null ? null : nameOf(await repos.people.byId(access.handedOverBy));
      return { outcome: 'already_handed_over', personName, email: access.email, projectName: project.name, byName: by };
    }
    await audit(repos, actor, now, 'project.member_added', { type: 'project', id: project.id }, { personId: access.personId, how: 'owner' });
    const inv = access.invitationId === null ? undefined : await repos.invitations.byId(access.invitationId);
    if (inv) await tellNews(repos, await projectSnapshotOf(repos, inv, true), now, inv.inviteeId);
    return { outcome: 'handed_over', personName, email: access.email, projectName: project.name, byName: nameOf(me) };
  });
}

/**
 * The portal does not have someone the bot thought handed over (reconcile found them missing): the
 * hand-off starts again the way the pool hands over: its link to them, the webhook, or a fresh
 * admin to-do.
 */
export async function resendHandoff({ deps, actor, input }: VerbArgs<{ seatId: number }>): Promise<{ personName: string; licenseName: string; how: 'link' | 'webhook' | 'admin' }> {
  return deps.store.transaction(async (repos) => {
    await requireAdmin(repos, deps.settings, actor, 'hand seats over again');
    const now = deps.clock.now();
    const seat = await repos.seats.byId(input.seatId);
    if (!seat || seat.status !== 'occupied') throw new DomainError('NOT_PENDING', 'That seat was released since, so there is nothing to hand over.');
    const license = await repos.licenses.byId(seat.licenseId);
    const licenseName = license?.name ?? 'a license';
    const personName = nameOf(await repos.people.byId(seat.personId));
    const sealed = await repos.licenses.sealedLink(seat.licenseId);
    await audit(repos, actor, now, 'seat.handoff_resent', { type: 'seat', id: seat.id }, { licenseId: seat.licenseId });
    if (sealed !== null) {
      await sendLicenseLink(repos, seat, sealed, licenseName, now, false);
      return { personName, licenseName, how: 'link' };
    }
    await repos.seats.reopenHandoff(seat.id);
    if (deps.settings.hasProvisioningWebhook) {
      await provision(repos, { type: 'seat.granted', email: seat.email, license: { id: seat.licenseId, name: licenseName }, seatId: seat.id }, now);
      return { personName, licenseName, how: 'webhook' };
    }
    const inv = seat.invitationId === null ? undefined : await repos.invitations.byId(seat.invitationId);
    if (inv) await notifyAdmins(repos, deps.settings, inv, { type: 'admin_invitation_event', event: 'accepted', invitation: await snapshotOf(repos, inv), actorName: personName }, now);
    return { personName, licenseName, how: 'admin' };
  });
}

/** Done for a grouped to-do: every seat in it, each handed over once (those done already are counted, not repeated). */
export async function confirmHandoffs({ deps, actor, input }: VerbArgs<{ seatIds: number[] }>): Promise<{ handedOver: string[]; already: number; released: number }> {
  const out = { handedOver: [] as string[], already: 0, released: 0 };
  for (const seatId of input.seatIds) {
    const r = await confirmHandoff({ deps, actor, input: { seatId } });
    if (r.outcome === 'handed_over') out.handedOver.push(r.personName);
    else if (r.outcome === 'already_handed_over') out.already++;
    else out.released++;
  }
  return out;
}
