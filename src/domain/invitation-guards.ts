import { cmd, t } from './message.js';
import type { Actor, Invitation } from './model.js';
import type { Repositories } from './ports.js';
import type { DomainSettings } from './context.js';
import { DomainError } from './errors.js';
import { isAdmin, actorPerson } from './authz.js';
import { stateSentence } from './words.js';

/** The invitation a verb is about to decide on, held by this transaction until it ends (see `toDecide`). */
export async function loadInvitation(repos: Repositories, id: number): Promise<Invitation> {
  const inv = await repos.invitations.toDecide(id);
  if (!inv) throw new DomainError('NOT_FOUND', t`There is no invitation #${id}. ${cmd('pending')} lists the open ones.`);
  return inv;
}

/**
 * Only the person an invitation was made for may answer it. The check is on the person the
 * clicker's platform identity maps to, never on anything the click carries.
 */
export function requireInvitee(inv: Invitation, actor: Actor): void {
  if (inv.inviteeId !== actor.personId) {
    throw new DomainError(
      'NOT_INVITEE',
      'This invitation was made for someone else, so only they can answer it. If you need a seat yourself, ask a license admin.',
    );
  }
}

/** Revoking and resending: an admin, whoever sent the invitation, or (a project) its owner. */
export async function requireAdminOrInviter(repos: Repositories, settings: DomainSettings, inv: Invitation, actor: Actor, doing: string): Promise<void> {
  if (actor.platform === 'system' || inv.inviterId === actor.personId) return;
  if (inv.kind === 'project' && (await repos.projects.byId(inv.projectId ?? 0))?.ownerId === actor.personId) return;
  if (await isAdmin(repos, settings, await actorPerson(repos, actor))) return;
  throw new DomainError('FORBIDDEN', `Only a license admin or the person who sent invitation #${inv.id} can ${doing} it.`);
}

export function requirePending(inv: Invitation): void {
  if (inv.status === 'expired') {
    throw new DomainError('EXPIRED', `Invitation #${inv.id} has expired. Invite the person again to send a new one.`, { status: inv.status });
  }
  if (inv.status !== 'pending') {
    throw new DomainError('NOT_PENDING', `Invitation #${inv.id} ${stateSentence(inv.status)}, so there is nothing to do.`, {
      status: inv.status,
    });
  }
}

/** A pending invitation past its expiry is expired, whether or not the sweep has marked it yet. */
export const isExpired = (inv: Invitation, now: number): boolean => inv.status === 'pending' && now >= inv.expiresAt;
