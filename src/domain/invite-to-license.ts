import { filterAsync, someAsync } from './each.js';
import type { VerbArgs } from './context.js';
import { cmd, t } from './message.js';
import type { Repositories } from './ports.js';
import { SYSTEM_ACTOR, type LicenseUsage, type Person } from './model.js';
import { actorPerson, requireAdmin } from './authz.js';
import { audit } from './audit.js';
import { DomainError } from './errors.js';
import { isReachable, nameOf } from './people.js';
import { pickLicense } from './pick-license.js';
import { snapshotOf } from './snapshot.js';
import { invitationLink, mintToken } from './tokens.js';
import { notifyAdmins, tellPerson } from './notify.js';
import { expireOverdue } from './expire-overdue.js';
import { isFull, placesLeft } from './capacity.js';
import { progressOf } from './bulk-progress.js';

export interface InviteeInput {
  personId: number;
  /** the account email as the admin typed it (exact case); defaults to the person's chat email */
  email?: string | null;
}

export type InviteOutcome =
  | { status: 'invited'; invitee: Person; invitationId: number; reachable: boolean }
  | { status: 'already_pending'; invitee: Person; invitationId: number; since: number }
  | { status: 'already_holds_seat'; invitee: Person }
  | { status: 'no_free_seat'; invitee: Person }
  | { status: 'no_email'; invitee: Person };

export interface InviteResult {
  license: LicenseUsage;
  outcomes: InviteOutcome[];
  /**
   * more newcomers than free seats: nothing was sent yet; the admin confirms the part that fits, or
   * cancels. `invite` and `cut` name who would and would not be invited (people with no seat in any
   * pool first, `reordered` when that changed the order given).
   */
  confirmation?: { requestId: number; newcomers: number; free: number; invite: string[]; cut: string[]; reordered: boolean };
}

/** An invitation of more people than this is a bulk run: its messages go after everyone else's. */
const BULK_THRESHOLD = 20;

/**
 * A bulk run is written a few hundred invitations per transaction: one transaction per person
 * made 5,000 cost 15 s; one for all would hold the database's write lock for as long as the whole
 * run takes, keeping every other write (an ack, a click) waiting behind it.
 */
const INVITES_PER_TRANSACTION = 500;

/**
 * Whether a person holds a seat of the pool or has a pending invitation to it. A few people are
 * looked up one by one; a bulk run reads the pool's holders and invitees once, rather than asking
 * twice for each of thousands of people.
 */
async function standingIn(repos: Repositories, licenseId: number, people: number): Promise<{ holds(id: number): Promise<boolean>; pending(id: number): Promise<boolean> }> {
  if (people <= BULK_THRESHOLD) {
    return { holds: (id) => repos.seats.holds(licenseId, id), pending: async (id) => (await repos.invitations.pendingFor(licenseId, id)) !== undefined };
  }
  const holders = new Set(await repos.seats.holders(licenseId));
  const invited = new Set(await repos.invitations.pendingInvitees(licenseId));
  return { holds: (id) => Promise.resolve(holders.has(id)), pending: (id) => Promise.resolve(invited.has(id)) };
}

/**
 * Invites people to a seat of one license pool. In an assigned pool a pending invitation reserves
 * its seat, so an admin can never hand out more invitations than there are seats, and whoever
 * accepts in time is sure to get one; a concurrent pool takes any number of members (up to its
 * member limit, if it has one: see capacity.ts). A full pool or a duplicate is an outcome for that person, not an error, so it
 * never undoes the others.
 */
export function inviteToLicense(args: VerbArgs<{ licenseName?: string | null; invitees: InviteeInput[]; confirmed?: boolean }>): Promise<InviteResult> {
  return sendLicenseInvitations(args);
}

/**
 * A seat request answered yes: the invitation says so ("Ada approved your seat request"). `auto`:
 * approved by the policy (SEAT_REQUEST_APPROVAL=auto), not by an admin: the person who asked is the
 * inviter of record and no admin rights are needed. Only the seat request verbs pass one.
 */
export interface SeatGrant {
  requestId: number;
  /** the admin's name; null when approved automatically */
  decidedBy: string | null;
  auto: boolean;
}

export async function sendLicenseInvitations(
  { deps, actor, input }: VerbArgs<{ licenseName?: string | null; invitees: InviteeInput[]; confirmed?: boolean }>,
  grant?: SeatGrant,
): Promise<InviteResult> {
  const { store, clock, settings } = deps;
  const authorize = async (repos: Repositories): Promise<Person> => (grant?.auto ? await actorPerson(repos, actor) : await requireAdmin(repos, settings, actor, 'invite people to a license'));
  if (input.invitees.length === 0) {
    throw new DomainError('INVALID_INPUT', 'Tell me who to invite: mention people (@alice) or give their account emails.');
  }
  const license = await store.transaction(async (repos) => {
    await authorize(repos);
    // everyone named must be known before anything is written, so a bad id cannot leave half a batch
    if (await someAsync(input.invitees, async ({ personId }) => !(await repos.people.byId(personId)))) {
      throw new DomainError('NOT_FOUND', 'I could not find one of the people you named; nobody was invited. Please try again.');
    }
    return pickLicense(repos, input.licenseName);
  });

  // Capacity before anything is sent: when the newcomers do not all fit but some do, the admin
  // decides ("120 people, 78 seats free: invite 78, in the order given, or cancel?").
  if (!input.confirmed) {
    const plan = await store.transaction(async (repos) => {
      await expireOverdue(repos, SYSTEM_ACTOR, clock.now(), { licenseId: license.id });
      const standing = await standingIn(repos, license.id, input.invitees.length);
      const fresh = await filterAsync([...new Set(input.invitees.map((i) => i.personId))], async (id) => !(await standing.holds(id)) && !(await standing.pending(id)));
      const usage = await repos.licenses.usage(license.id);
      // an uncapped concurrent pool has no limit (Infinity): everyone fits
      const free = placesLeft({ ...license, ...usage });
      if (free === 0 || fresh.length <= free) return undefined;
      // fair, and said so: who holds no seat in any pool comes first, in the order given; then the others
      const seatless = new Set(await filterAsync(fresh, async (id) => (await repos.seats.occupiedBy(id)).length === 0));
      const ordered = [...input.invitees.filter((i) => seatless.has(i.personId)), ...input.invitees.filter((i) => !seatless.has(i.personId))];
      const reordered = ordered.some((i, n) => i !== input.invitees[n]);
      const request = await repos.inviteRequests.insert({ requestedBy: actor.personId, licenseId: license.id, invitees: ordered, createdAt: clock.now() });
      const order = [...fresh.filter((id) => seatless.has(id)), ...fresh.filter((id) => !seatless.has(id))];
      // the question names at most this many on each side (a bulk run counts the rest)
      const NAMED = 50;
      const name = async (id: number) => nameOf(await repos.people.byId(id));
      return { requestId: request.id, newcomers: fresh.length, free, usage, invite: (await Promise.all(order.slice(0, Math.min(free, NAMED)).map(name))), cut: (await Promise.all(order.slice(free, free + NAMED).map(name))), reordered };
    });
    if (plan) {
      const { usage: planned, ...confirmation } = plan;
      return { license: { license, ...planned }, outcomes: [], confirmation };
    }
  }
  const priority = input.invitees.length > BULK_THRESHOLD ? 1 : 0;
  // a bulk run gets a progress message, kept up to date as its invitations are delivered
  const runId = priority ? await store.transaction(async (repos) => (await repos.bulkRuns.insert({ requestedBy: actor.personId, licenseId: license.id, total: 0, startedAt: clock.now() })).id) : null;

  // the same person named twice is invited once
  const seen = new Set<number>();
  const unique = input.invitees.filter(({ personId }) => !seen.has(personId) && Boolean(seen.add(personId)));
  const outcomes: InviteOutcome[] = [];
  for (let from = 0; from < unique.length; from += INVITES_PER_TRANSACTION) {
    const chunk = unique.slice(from, from + INVITES_PER_TRANSACTION);
    outcomes.push(
      ...await store.transaction(async (repos): Promise<InviteOutcome[]> => {
        const now = clock.now();
        const inviter = await authorize(repos);
        await expireOverdue(repos, SYSTEM_ACTOR, now, { licenseId: license.id });
        // seats are counted once per transaction and the count kept as each invitation reserves
        // one: inside this write transaction nobody else can change it, so it is the figure a
        // recount would give, without recounting every pending invitation for every person
        const usage = await repos.licenses.usage(license.id);
        const standing = await standingIn(repos, license.id, chunk.length);
        // one after another: each invitation counts the seat the one before it reserved
        const decided: InviteOutcome[] = [];
        for (const { personId, email } of chunk) decided.push(await inviteOne(personId, email));
        return decided;
        async function inviteOne(personId: number, email: string | null | undefined): Promise<InviteOutcome> {
          const invitee = (await repos.people.byId(personId))!;
          // the seat is for the account email as the chat platform reports it, never a typed
          // spelling of it (chat platforms find people by email whatever the letter case)
          const reported = isReachable(invitee) ? invitee.email : null;
          const accountEmail = email && reported && email !== reported && email.toLowerCase() === reported.toLowerCase() ? reported : (email ?? invitee.email);
          if (!accountEmail) return { status: 'no_email', invitee };
          if (await standing.holds(invitee.id)) return { status: 'already_holds_seat', invitee };
          const pending = (await standing.pending(invitee.id)) ? await repos.invitations.pendingFor(license.id, invitee.id) : undefined;
          if (pending) return { status: 'already_pending', invitee, invitationId: pending.id, since: pending.sentAt };

          if (isFull({ ...license, ...usage })) {
            await audit(repos, actor, now, 'invitation.refused_no_seat', { type: 'license', id: license.id }, { inviteeId: invitee.id });
            // the invitee hears it too: someone meant to give them a seat, and it is not lost on them
            // (after a confirmed partial run: that they were not among those who fit, and why)
            if (isReachable(invitee)) {
              await tellPerson(
                repos,
                invitee.id,
                { type: 'license_full_notice', licenseName: license.name, inviterName: nameOf(inviter), seats: license.seats, seatModel: license.seatModel, memberCap: license.memberCap, ...(input.confirmed ? { cut: true } : {}) },
                now,
                priority,
              );
            }
            return { status: 'no_free_seat', invitee };
          }

          const { token, hash } = mintToken();
          const inv = await repos.invitations.insert({
            kind: 'license',
            licenseId: license.id,
            inviteeId: invitee.id,
            inviteeEmail: accountEmail,
            inviterId: inviter.id,
            status: 'pending',
            tokenHash: hash,
            platform: actor.platform,
            createdAt: now,
            sentAt: now,
            expiresAt: now + settings.inviteTtlMs,
            runId,
          });
          usage.reserved++;
          await audit(repos, actor, now, 'invitation.created', { type: 'invitation', id: inv.id }, { licenseId: license.id, inviteeId: invitee.id });
          const snapshot = await snapshotOf(repos, inv, { usage });
          const link = invitationLink(settings.publicBaseUrl, token);
          const reachable = isReachable(invitee);
          const granted = grant ? { grant: { requestId: grant.requestId, decidedBy: grant.decidedBy } } : {};
          if (reachable) await tellPerson(repos, invitee.id, { type: 'license_invitation', invitation: snapshot, link, resent: false, ...granted }, now, priority);
          else await tellPerson(repos, inviter.id, { type: 'forward_link', invitation: snapshot, link }, now, priority);
          // a bulk run is told to the admins once, at its end, not once per person
          const actorName = grant?.auto ? `Automatic approval (seat request #${grant.requestId})` : nameOf(inviter);
          if (!runId) await notifyAdmins(repos, settings, inv, { type: 'admin_invitation_event', event: 'created', invitation: snapshot, actorName }, now);
          return { status: 'invited', invitee, invitationId: inv.id, reachable };
        }
      }),
    );
  }
  const usage = await store.transaction(async (repos) => {
    if (runId !== null) {
      const total = outcomes.filter((o) => o.status === 'invited').length;
      await repos.bulkRuns.setTotal(runId, total);
      const progress = await progressOf(repos, runId, clock.now());
      if (total > 0 && progress) {
        await tellPerson(repos, actor.personId, { type: 'bulk_progress', progress }, clock.now());
        if (settings.hasAdminChannel) await repos.outbox.enqueue(
          { type: 'admin_channel' },
          { type: 'notice', text: t`${nameOf(await repos.people.byId(actor.personId))} invited ${total} people to a seat in ${license.name} (bulk run #${runId}); ${cmd('pending')} lists them.` },
          clock.now(),
        );
      } else await repos.bulkRuns.finish(runId, clock.now());
    }
    return repos.licenses.usage(license.id);
  });
  return { license: { license, ...usage }, outcomes };
}

/** What the invite form offers: the pools, for an admin only (a non-admin never sees the form). */
export async function licenseInviteOptions({ deps, actor }: VerbArgs<void>): Promise<LicenseUsage[]> {
  return deps.store.transaction(async (repos) => {
    await requireAdmin(repos, deps.settings, actor, 'invite people to a license');
    const usages = await repos.licenses.listUsage();
    if (usages.length === 0) {
      throw new DomainError('NO_LICENSE', t`There is no license pool yet. Create one first: ${cmd('license add "<name>" <seats>')}.`);
    }
    return usages;
  });
}

/** The admin's answer to "only N of them fit": invite those N, in the order given, or nothing. */
export async function confirmInviteRequest({ deps, actor, input }: VerbArgs<{ requestId: number; confirm: boolean }>): Promise<InviteResult | { cancelled: true }> {
  const request = await deps.store.transaction(async (repos) => {
    await requireAdmin(repos, deps.settings, actor, 'invite people to a license');
    const r = await repos.inviteRequests.byId(input.requestId);
    if (!r) throw new DomainError('NOT_FOUND', 'That invitation request no longer exists. Run the invite again.');
    if (!await repos.inviteRequests.decide(r.id, input.confirm ? 'confirmed' : 'cancelled')) {
      throw new DomainError('NOT_PENDING', 'That invitation request was already answered.');
    }
    return { ...r, licenseName: (await repos.licenses.byId(r.licenseId))?.name ?? null };
  });
  if (!input.confirm) return { cancelled: true };
  return inviteToLicense({ deps, actor, input: { licenseName: request.licenseName, invitees: request.invitees, confirmed: true } });
}
