import type { VerbArgs } from './context.js';
import { DomainError } from './errors.js';
import { announceInvitation } from './restate.js';
import { snapshotOfAny } from './snapshot.js';
import { nameOf } from './people.js';
import { actorPerson } from './authz.js';
import { audit } from './audit.js';
import { inviteToLicense, type InviteOutcome } from './invite-to-license.js';
import { loadInvitation, requireAdminOrInviter } from './invitation-guards.js';
import { shareProject, type ShareOutcome } from './share-project.js';

/**
 * "Re-invite" on an expired (or declined, or withdrawn) invitation: the same person, the same
 * pool or project, through the ordinary verbs and all their rules, with a new link.
 */
export async function reinvite({ deps, actor, input }: VerbArgs<{ invitationId: number }>): Promise<{ outcome: InviteOutcome | ShareOutcome }> {
  const inv = await deps.store.transaction(async (repos) => {
    const found = await loadInvitation(repos, input.invitationId);
    await requireAdminOrInviter(repos, deps.settings, found, actor, 're-invite');
    if (found.status === 'pending' || found.status === 'waiting_for_seat' || found.status === 'accepted') {
      throw new DomainError('NOT_PENDING', `Invitation #${found.id} is still open or was accepted; there is nothing to re-invite.`);
    }
    return { ...found, licenseName: found.licenseId ? (await repos.licenses.byId(found.licenseId))?.name : undefined };
  });
  let outcome: InviteOutcome | ShareOutcome;
  if (inv.kind === 'license') {
    const r = await inviteToLicense({ deps, actor, input: { licenseName: inv.licenseName ?? null, invitees: [{ personId: inv.inviteeId, email: inv.inviteeEmail }] } });
    outcome = r.outcomes[0]!;
  } else {
    const r = await shareProject({
      deps,
      actor,
      input: { project: { id: inv.projectId ?? 0 }, invitees: [{ personId: inv.inviteeId, email: inv.inviteeEmail }], desktopLink: inv.desktopLink, message: inv.message },
    });
    outcome = r.outcomes[0]!;
  }
  // the expiry notice says it was re-invited, and no longer offers Re-invite / Drop for it
  if (outcome.status === 'invited' || outcome.status === 'waiting_for_seat') {
    const newId = 'invitationId' in outcome ? outcome.invitationId : undefined;
    await followUp(deps, actor, input.invitationId, { action: 'reinvited', ...(newId !== undefined ? { invitationId: newId } : {}) });
  }
  return { outcome };
}

async function followUp(deps: VerbArgs<unknown>['deps'], actor: VerbArgs<unknown>['actor'], invitationId: number, what: { action: 'reinvited' | 'dropped'; invitationId?: number }): Promise<void> {
  await deps.store.transaction(async (repos) => {
    const inv = await repos.invitations.byId(invitationId);
    if (!inv) return;
    await announceInvitation(repos, await snapshotOfAny(repos, inv, { usage: false }), deps.clock.now(), { followUp: { ...what, by: nameOf(await actorPerson(repos, actor)) } });
  });
}

/** "Drop" on an expiry notice: only whoever may re-invite may close it; the invitation stays as it is. */
export async function dropExpired({ deps, actor, input }: VerbArgs<{ invitationId: number }>): Promise<void> {
  await deps.store.transaction(async (repos) => {
    const inv = await loadInvitation(repos, input.invitationId);
    await requireAdminOrInviter(repos, deps.settings, inv, actor, 'drop');
    await audit(repos, actor, deps.clock.now(), 'invitation.dropped', { type: 'invitation', id: inv.id });
  });
  await followUp(deps, actor, input.invitationId, { action: 'dropped' });
}
