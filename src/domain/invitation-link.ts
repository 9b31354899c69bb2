/**
 * The personalized link. Opening it shows what the invitation is; it redeems nothing by itself.
 * Accepting from the page sends a confirmation into the invitee's own chat DM, so a forwarded or
 * leaked link is useless to anyone else.
 */
import type { DomainDeps } from './context.js';
import type { Invitation, Person } from './model.js';
import type { AnyInvitationSnapshot } from './outbox-messages.js';
import type { Repositories } from './ports.js';
import { audit } from './audit.js';
import { isExpired } from './invitation-guards.js';
import { isReachable } from './people.js';
import { snapshotOfAny } from './snapshot.js';
import { hashToken, TOKEN_PATTERN, tokenMatches } from './tokens.js';
import { tellPerson } from './notify.js';

/** Between two confirmations asked from the page, so a link cannot be used to flood someone's DMs. */
export const CONFIRMATION_COOLDOWN_MS = 2 * 60_000;

export interface InvitationPage {
  invitation: AnyInvitationSnapshot;
  /** the status a person should see: a pending invitation past its expiry shows as expired */
  status: AnyInvitationSnapshot['status'];
  inviteeReachable: boolean;
  inviteeEmail: string | null;
}

async function byToken(repos: Repositories, token: string): Promise<Invitation | undefined> {
  if (!TOKEN_PATTERN.test(token)) return undefined;
  const inv = await repos.invitations.byTokenHash(hashToken(token));
  // the lookup is by hash; the final comparison is constant-time all the same
  return inv && tokenMatches(token, inv.tokenHash) ? inv : undefined;
}

async function pageOf(repos: Repositories, inv: Invitation, now: number): Promise<InvitationPage> {
  const invitee = await repos.people.byId(inv.inviteeId);
  return {
    invitation: await snapshotOfAny(repos, inv),
    status: isExpired(inv, now) ? 'expired' : inv.status,
    inviteeReachable: invitee ? isReachable(invitee) : false,
    inviteeEmail: inv.inviteeEmail,
  };
}

export async function openInvitationLink(deps: DomainDeps, token: string): Promise<InvitationPage | undefined> {
  return await deps.store.transaction(async (repos) => {
    const inv = await byToken(repos, token);
    return inv ? await pageOf(repos, inv, deps.clock.now()) : undefined;
  });
}

/** Who the link's invitee is, so the edge can look them up in chat when they were invited by email. */
export async function inviteeOfLink(deps: DomainDeps, token: string): Promise<Person | undefined> {
  return await deps.store.transaction(async (repos) => {
    const inv = await byToken(repos, token);
    return inv ? await repos.people.byId(inv.inviteeId) : undefined;
  });
}

export type ConfirmationOutcome =
  | { outcome: 'sent'; page: InvitationPage }
  | { outcome: 'recently_sent'; page: InvitationPage }
  | { outcome: 'not_pending'; page: InvitationPage }
  | { outcome: 'not_reachable'; page: InvitationPage }
  | { outcome: 'not_found' };

export async function requestAcceptConfirmation(deps: DomainDeps, token: string): Promise<ConfirmationOutcome> {
  return await deps.store.transaction(async (repos): Promise<ConfirmationOutcome> => {
    const now = deps.clock.now();
    const found = await byToken(repos, token);
    // held while deciding: two clicks at once (on two instances) send one confirmation, not two
    const inv = found && (await repos.invitations.toDecide(found.id));
    if (!inv) return { outcome: 'not_found' };
    const page = await pageOf(repos, inv, now);
    if (page.status !== 'pending') return { outcome: 'not_pending', page };
    if (!page.inviteeReachable) return { outcome: 'not_reachable', page };
    if (inv.confirmRequestedAt !== null && now - inv.confirmRequestedAt < CONFIRMATION_COOLDOWN_MS) {
      return { outcome: 'recently_sent', page };
    }
    await repos.invitations.update(inv.id, { confirmRequestedAt: now });
    await audit(repos, { platform: 'system', userId: 'link-page', personId: 0 }, now, 'invitation.confirmation_requested', { type: 'invitation', id: inv.id });
    await tellPerson(repos, inv.inviteeId, { type: 'accept_confirmation', invitation: page.invitation }, now);
    return { outcome: 'sent', page };
  });
}
