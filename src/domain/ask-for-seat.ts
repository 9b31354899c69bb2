import type { VerbArgs } from './context.js';
import type { DomainSettings } from './context.js';
import { SYSTEM_ACTOR, type License, type LicenseUsage, type SeatRequest } from './model.js';
import type { Repositories } from './ports.js';
import { actorPerson } from './authz.js';
import { audit } from './audit.js';
import { DomainError } from './errors.js';
import { isFull } from './capacity.js';
import { expireOverdue } from './expire-overdue.js';
import { nameOf } from './people.js';
import { pickLicense } from './pick-license.js';
import { announce } from './restate.js';
import { parseEmail } from './validation.js';
import { sendLicenseInvitations } from './invite-to-license.js';

/** What a person typed as their reason is kept to this many characters. */
export const SEAT_REASON_MAX = 500;

export type SeatAsk =
  /** with the admins now: `because` says why it was not approved at once */
  | { outcome: 'asked'; request: SeatRequest; licenseName: string; because: 'manual' | 'domain' | 'full' | 'other_email'; toChannel: boolean }
  | { outcome: 'already_asked'; request: SeatRequest; licenseName: string }
  /** approved by the policy (SEAT_REQUEST_APPROVAL=auto): the invitation is on its way to their DM */
  | { outcome: 'approved'; request: SeatRequest; licenseName: string; invitationId: number }
  | { outcome: 'already_holds_seat'; licenseName: string }
  | { outcome: 'already_invited'; licenseName: string; invitationId: number; expiresAt: number };

const domainOf = (email: string): string => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

/** Whether SEAT_REQUEST_DOMAINS lists this email's domain (an empty list lists every domain). */
function domainListed(settings: DomainSettings, email: string): boolean {
  const domains = settings.seatRequests?.domains ?? [];
  return domains.length === 0 || domains.includes(domainOf(email));
}

/** The admins' post; `flags`: what they should check before approving. */
async function seatRequestPost(repos: Repositories, request: SeatRequest, license: License, flags: { outsideDomains?: boolean; chatEmail?: string | null } = {}) {
  const person = await repos.people.byId(request.personId);
  return {
    type: 'seat_request' as const,
    requestId: request.id,
    personName: nameOf(person),
    email: request.email,
    licenseName: license.name,
    ...(request.reason ? { why: request.reason } : {}),
    ...(flags.outsideDomains ? { outsideDomains: true as const } : {}),
    ...(flags.chatEmail !== undefined ? { chatEmail: flags.chatEmail ?? 'none' } : {}),
    status: 'pending' as const,
  };
}

/**
 * A person's own open request for this pool is no longer needed (they hold a seat there now, or
 * the pool was retired): it is closed, its post says why and offers nothing to press, and the
 * person is told when it did not end by their own doing.
 */
export async function closeOwnSeatRequests(repos: Repositories, scope: { licenseId: number; personId?: number }, now: number, reason: string, tell: boolean): Promise<void> {
  const open = (await repos.seatRequests.listPending()).filter((r) => r.projectInvitationId === null && r.licenseId === scope.licenseId && (scope.personId === undefined || r.personId === scope.personId));
  const licenseName = (await repos.licenses.byId(scope.licenseId))?.name ?? 'the license';
  for (const r of open) {
    if (!await repos.seatRequests.decide(r.id, { status: 'denied', decidedBy: null, decidedAt: now })) continue;
    await audit(repos, SYSTEM_ACTOR, now, 'seat_request.closed', { type: 'seat_request', id: r.id }, { reason });
    await announce(repos, { kind: 'seat_request', requestId: r.id, status: 'closed', reason }, now);
    if (tell) await repos.outbox.enqueue({ type: 'person', personId: r.personId }, { type: 'seat_request_answer', requestId: r.id, status: 'closed', licenseName, decidedBy: 'the bot', note: reason }, now);
  }
}

/**
 * `request-seat`: a person asks for a seat for themselves. One open request per person and pool;
 * someone who holds a seat or has an invitation to one is told so instead. With
 * SEAT_REQUEST_APPROVAL=auto a request from a listed domain is approved at once when the pool has
 * room (the license invitation goes out as an admin's would, saying it answers their request);
 * anything else goes to the admins, who approve or deny it.
 */
export async function askForSeat({ deps, actor, input }: VerbArgs<{ licenseName?: string | null; email: string; reason?: string | null }>): Promise<SeatAsk> {
  const email = parseEmail(input.email.trim());
  if (!email) throw new DomainError('INVALID_INPUT', `"${input.email.trim().slice(0, 80)}" is not an email address. Give the exact email of your account.`, { field: 'email' });
  const reason = input.reason?.trim() ? input.reason.trim().slice(0, SEAT_REASON_MAX) : null;
  const policy = deps.settings.seatRequests?.approval ?? 'manual';

  const asked = await deps.store.transaction(async (repos) => {
    const now = deps.clock.now();
    const me = await actorPerson(repos, actor);
    const license = await pickLicense(repos, input.licenseName);
    await expireOverdue(repos, SYSTEM_ACTOR, now, { licenseId: license.id });
    // counted first: that holds the pool until this transaction ends, so a second click (on
    // another instance) waits, then finds this request and is told it was asked already
    const usage = await repos.licenses.usage(license.id);
    if (await repos.seats.holds(license.id, me.id)) return { outcome: 'already_holds_seat', licenseName: license.name } as const;
    const invited = await repos.invitations.pendingFor(license.id, me.id);
    if (invited) return { outcome: 'already_invited', licenseName: license.name, invitationId: invited.id, expiresAt: invited.expiresAt } as const;
    const open = await repos.seatRequests.openOwn(me.id, license.id);
    if (open) return { outcome: 'already_asked', request: open, licenseName: license.name } as const;

    // the policy trusts the email chat reports, never a typed one: someone else's address, or one
    // of a listed domain typed by a person from outside it, is for an admin to judge
    const own = me.email !== null && me.email.toLowerCase() === email.toLowerCase();
    const listed = domainListed(deps.settings, email) && (me.email === null || domainListed(deps.settings, me.email));
    const full = isFull({ ...license, ...usage });
    const because = policy === 'manual' ? 'manual' : !listed ? 'domain' : !own ? 'other_email' : full ? 'full' : null;
    const flags = { outsideDomains: !listed && (deps.settings.seatRequests?.domains.length ?? 0) > 0, ...(own ? {} : { chatEmail: me.email }) };
    const request = await repos.seatRequests.insert({ personId: me.id, email, projectInvitationId: null, requestedBy: me.id, licenseId: license.id, reason, createdAt: now });
    await audit(repos, actor, now, 'seat_request.created', { type: 'seat_request', id: request.id }, { licenseId: license.id, self: true });
    if (because === null) return { outcome: 'auto', request, license } as const;
    if (deps.settings.hasAdminChannel) await repos.outbox.enqueue({ type: 'admin_channel' }, await seatRequestPost(repos, request, license, flags), now);
    return { outcome: 'asked', request, licenseName: license.name, because, toChannel: deps.settings.hasAdminChannel } as const;
  });
  if (asked.outcome !== 'auto') return asked;

  // approved by the policy: the ordinary invitation, with every rule of inviting (a pool filled a
  // moment ago leaves the request with the admins instead)
  const { request, license } = asked;
  const result = await sendLicenseInvitations({ deps, actor, input: { licenseName: license.name, invitees: [{ personId: request.personId, email: request.email }] } }, { requestId: request.id, decidedBy: null, auto: true });
  const invite = result.outcomes[0];
  return deps.store.transaction(async (repos): Promise<SeatAsk> => {
    const now = deps.clock.now();
    if (invite?.status === 'invited' && await repos.seatRequests.decide(request.id, { status: 'approved', decidedBy: null, decidedAt: now, licenseInvitationId: invite.invitationId })) {
      await audit(repos, SYSTEM_ACTOR, now, 'seat_request.approved', { type: 'seat_request', id: request.id }, { auto: true, invitationId: invite.invitationId });
      // the admins see what the policy did, without a button to press
      if (deps.settings.hasAdminChannel) await repos.outbox.enqueue({ type: 'admin_channel' }, { ...await seatRequestPost(repos, request, license), status: 'approved' }, now);
      await announce(repos, { kind: 'seat_request', requestId: request.id, status: 'approved', licenseName: license.name }, now);
      return { outcome: 'approved', request: (await repos.seatRequests.byId(request.id))!, licenseName: license.name, invitationId: invite.invitationId };
    }
    // not invited after all (the pool filled a moment ago): the request waits for an admin
    const still = (await repos.seatRequests.byId(request.id))!;
    if (still.status !== 'pending') return { outcome: 'already_asked', request: still, licenseName: license.name };
    if (deps.settings.hasAdminChannel) await repos.outbox.enqueue({ type: 'admin_channel' }, await seatRequestPost(repos, request, license), now);
    return { outcome: 'asked', request, licenseName: license.name, because: 'full', toChannel: deps.settings.hasAdminChannel };
  });
}

/** What the request-seat form offers: the pools in use, and the person's email as chat reports it. */
export async function seatRequestOptions({ deps, actor }: VerbArgs<void>): Promise<{ licenses: LicenseUsage[]; email: string | null }> {
  return deps.store.transaction(async (repos) => {
    const me = await actorPerson(repos, actor);
    const licenses = await repos.licenses.listUsage();
    if (licenses.length === 0) throw new DomainError('NO_LICENSE', 'There is no license pool yet, so there is no seat to ask for. Ask one of your license admins.');
    return { licenses, email: me.email };
  });
}
