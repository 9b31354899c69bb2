import type { VerbArgs } from './context.js';
import { DomainError } from './errors.js';
import { audit } from './audit.js';
import { inviteToLicense, type InviteOutcome } from './invite-to-license.js';
import { loadInvitation, requireAdminOrInviter } from './invitation-guards.js';
import { shareProject, type ShareOutcome } from './share-project.js';

/**
 * "Re-invite" on an expired (or declined, or withdrawn) invitation: the same person, the same
 * pool or project, through the ordinary verbs and all their rules, with a new link.
 */
export async function reinvite({ deps, actor, input }: VerbArgs<{ invitationId: number }>): Promise<{ outcome: InviteOutcome | ShareOutcome }> {
  const inv = deps.store.transaction((repos) => {
    const found = loadInvitation(repos, input.invitationId);
    requireAdminOrInviter(repos, deps.settings, found, actor, 're-invite');
    if (found.status === 'pending' || found.status === 'waiting_for_seat' || found.status === 'accepted') {
      throw new DomainError('NOT_PENDING', `Invitation #${found.id} is still open or was accepted; there is nothing to re-invite.`);
    }
    return { ...found, licenseName: found.licenseId ? repos.licenses.byId(found.licenseId)?.name : undefined };
  });
  if (inv.kind === 'license') {
    const r = await inviteToLicense({ deps, actor, input: { licenseName: inv.licenseName ?? null, invitees: [{ personId: inv.inviteeId, email: inv.inviteeEmail }] } });
    return { outcome: r.outcomes[0]! };
  }
  const r = await shareProject({
    deps,
    actor,
    input: { project: { id: inv.projectId ?? 0 }, invitees: [{ personId: inv.inviteeId, email: inv.inviteeEmail }], desktopLink: inv.desktopLink, message: inv.message },
  });
  return { outcome: r.outcomes[0]! };
}

/** "Drop" on an expiry notice: only whoever may re-invite may close it; the invitation stays as it is. */
export async function dropExpired({ deps, actor, input }: VerbArgs<{ invitationId: number }>): Promise<void> {
  deps.store.transaction((repos) => {
    const inv = loadInvitation(repos, input.invitationId);
    requireAdminOrInviter(repos, deps.settings, inv, actor, 'drop');
    audit(repos, actor, deps.clock.now(), 'invitation.dropped', { type: 'invitation', id: inv.id });
  });
}
