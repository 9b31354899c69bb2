import type { VerbArgs } from './context.js';
import { cmd, t } from './message.js';
import type { Repositories } from './ports.js';
import { SYSTEM_ACTOR, type AuditEntry, type License, type LicenseUsage, type Person } from './model.js';
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
 * made 5,000 cost 15 s; one for all would hold the database's write lock (on PostgreSQL the pool's
 * row) for as long as the whole run takes, keeping every other write (an ack, a click) waiting.
 */
const INVITES_PER_TRANSACTION = 500;

/**
 * The pool as it is once `usage` has locked it: its size or state may have changed since it was
 * picked, and what is decided now must rest on what nobody else can change any more.
 */
async function lockedPool(repos: Repositories, licenseId: number): Promise<License> {
  const pool = await repos.licenses.byId(licenseId);
  if (!pool) throw new DomainError('NOT_FOUND', 'That license no longer exists.');
  if (pool.retiredAt !== undefined) throw new DomainError('NOT_PENDING', `"${pool.name}" was retired a moment ago: it takes no invitations any more.`);
  return pool;
}

type Queued = Parameters<Repositories['outbox']['enqueueMany']>[0][number];

/**
 * The repositories as a chunk of invitations sees them once it has read what it needs: the pool and
 * the people come from memory, and audit rows and messages are collected in the order made, then
 * written together (`flush`): a few statements for the chunk, not several round trips per person.
 * `audit`, `snapshotOf`, `tellPerson` and `notifyAdmins` run on it unchanged, so their rules stay in
 * one place. An id `enqueue` answers here is 0: nothing in a chunk reads it.
 */
function collected(repos: Repositories, pool: License, people: ReadonlyMap<number, Person>): { view: Repositories; flush(): Promise<void> } {
  const entries: AuditEntry[] = [];
  const messages: Queued[] = [];
  const view: Repositories = {
    ...repos,
    licenses: { ...repos.licenses, byId: async (id) => (id === pool.id ? pool : await repos.licenses.byId(id)) },
    people: { ...repos.people, byId: async (id) => people.get(id) ?? (await repos.people.byId(id)) },
    audit: { ...repos.audit, record: async (e) => void entries.push(e) },
    outbox: { ...repos.outbox, enqueue: async (to, message, at, priority) => (messages.push({ to, message, at, ...(priority === undefined ? {} : { priority }) }), 0) },
  };
  return {
    view,
    flush: async () => {
      await repos.audit.recordMany(entries);
      await repos.outbox.enqueueMany(messages);
    },
  };
}

/** Those of `ids` who neither hold a seat of the pool nor have a pending invitation to it. */
async function newcomers(repos: Repositories, licenseId: number, ids: number[]): Promise<number[]> {
  const holders = new Set(await repos.seats.holdersAmong(ids, licenseId));
  const invited = new Set((await repos.invitations.pendingAmong(licenseId, ids)).map((i) => i.inviteeId));
  return ids.filter((id) => !holders.has(id) && !invited.has(id));
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
    const named = [...new Set(input.invitees.map((i) => i.personId))];
    if ((await repos.people.byIds(named)).length < named.length) {
      throw new DomainError('NOT_FOUND', 'I could not find one of the people you named; nobody was invited. Please try again.');
    }
    return pickLicense(repos, input.licenseName);
  });

  // Capacity before anything is sent: when the newcomers do not all fit but some do, the admin
  // decides ("120 people, 78 seats free: invite 78, in the order given, or cancel?").
  if (!input.confirmed) {
    const plan = await store.transaction(async (repos) => {
      await expireOverdue(repos, SYSTEM_ACTOR, clock.now(), { licenseId: license.id });
      const fresh = await newcomers(repos, license.id, [...new Set(input.invitees.map((i) => i.personId))]);
      const usage = await repos.licenses.usage(license.id);
      const pool = await lockedPool(repos, license.id);
      // an uncapped concurrent pool has no limit (Infinity): everyone fits
      const free = placesLeft({ ...pool, ...usage });
      if (free === 0 || fresh.length <= free) return undefined;
      // fair, and said so: who holds no seat in any pool comes first, in the order given; then the others
      const seated = new Set(await repos.seats.holdersAmong(fresh));
      const seatless = new Set(fresh.filter((id) => !seated.has(id)));
      const ordered = [...input.invitees.filter((i) => seatless.has(i.personId)), ...input.invitees.filter((i) => !seatless.has(i.personId))];
      const reordered = ordered.some((i, n) => i !== input.invitees[n]);
      const request = await repos.inviteRequests.insert({ requestedBy: actor.personId, licenseId: license.id, invitees: ordered, createdAt: clock.now() });
      const order = [...fresh.filter((id) => seatless.has(id)), ...fresh.filter((id) => !seatless.has(id))];
      // the question names at most this many on each side (a bulk run counts the rest)
      const NAMED = 50;
      const [invite, cut] = [order.slice(0, Math.min(free, NAMED)), order.slice(free, free + NAMED)];
      const names = new Map((await repos.people.byIds([...invite, ...cut])).map((p) => [p.id, nameOf(p)]));
      const name = (id: number) => names.get(id) ?? nameOf(undefined);
      return { requestId: request.id, newcomers: fresh.length, free, pool, usage, invite: invite.map(name), cut: cut.map(name), reordered };
    });
    if (plan) {
      const { pool, usage: planned, ...confirmation } = plan;
      return { license: { license: pool, ...planned }, outcomes: [], confirmation };
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
        // read before the pool is locked: the lock guards seats and invitations, not people
        const ids = chunk.map((i) => i.personId);
        const people = new Map((await repos.people.byIds(ids)).map((p) => [p.id, p]));
        people.set(inviter.id, inviter);
        await expireOverdue(repos, SYSTEM_ACTOR, now, { licenseId: license.id });
        // seats are counted once per transaction and the count kept as each invitation reserves
        // one: the pool is locked from here to the commit, so it is the figure a recount would
        // give, without recounting every pending invitation for every person
        const usage = await repos.licenses.usage(license.id);
        const pool = await lockedPool(repos, license.id);
        // the chunk's seats and pending invitations, each read once for all of them
        const holders = new Set(await repos.seats.holdersAmong(ids, license.id));
        const pending = new Map((await repos.invitations.pendingAmong(license.id, ids)).map((i) => [i.inviteeId, i]));

        // decided one after another: each invitation counts the seat the one before it reserved
        type Decision = { outcome: InviteOutcome } | { refused: Person } | { invite: Person; email: string; token: string; hash: string; usage: { occupied: number; reserved: number } };
        const decisions = chunk.map(({ personId, email }): Decision => {
          const invitee = people.get(personId)!;
          // the seat is for the account email as the chat platform reports it, never a typed
          // spelling of it (chat platforms find people by email whatever the letter case)
          const reported = isReachable(invitee) ? invitee.email : null;
          const accountEmail = email && reported && email !== reported && email.toLowerCase() === reported.toLowerCase() ? reported : (email ?? invitee.email);
          if (!accountEmail) return { outcome: { status: 'no_email', invitee } };
          if (holders.has(invitee.id)) return { outcome: { status: 'already_holds_seat', invitee } };
          const open = pending.get(invitee.id);
          if (open) return { outcome: { status: 'already_pending', invitee, invitationId: open.id, since: open.sentAt } };
          if (isFull({ ...pool, ...usage })) return { refused: invitee };
          usage.reserved++;
          // the DM shows the seat count as it stands once this invitation holds its seat
          return { invite: invitee, email: accountEmail, ...mintToken(), usage: { ...usage } };
        });
        const invites = decisions.filter((d) => 'invite' in d);
        const made = await repos.invitations.insertMany(
          invites.map((d) => ({
            kind: 'license' as const,
            licenseId: license.id,
            inviteeId: d.invite.id,
            inviteeEmail: d.email,
            inviterId: inviter.id,
            status: 'pending' as const,
            tokenHash: d.hash,
            platform: actor.platform,
            createdAt: now,
            sentAt: now,
            expiresAt: now + settings.inviteTtlMs,
            runId,
          })),
        );

        // then each person's audit row and messages, in the order given, written together at the end
        const { view, flush } = collected(repos, pool, people);
        const outcomes: InviteOutcome[] = [];
        let k = 0;
        for (const d of decisions) {
          if ('outcome' in d) {
            outcomes.push(d.outcome);
          } else if ('refused' in d) {
            const invitee = d.refused;
            await audit(view, actor, now, 'invitation.refused_no_seat', { type: 'license', id: license.id }, { inviteeId: invitee.id });
            // the invitee hears it too: someone meant to give them a seat, and it is not lost on them
            // (after a confirmed partial run: that they were not among those who fit, and why)
            if (isReachable(invitee)) {
              await tellPerson(
                view,
                invitee.id,
                { type: 'license_full_notice', licenseName: pool.name, inviterName: nameOf(inviter), seats: pool.seats, seatModel: pool.seatModel, memberCap: pool.memberCap, ...(input.confirmed ? { cut: true } : {}) },
                now,
                priority,
              );
            }
            outcomes.push({ status: 'no_free_seat', invitee });
          } else {
            const { invite: invitee, token } = d;
            const inv = made[k++]!;
            await audit(view, actor, now, 'invitation.created', { type: 'invitation', id: inv.id }, { licenseId: license.id, inviteeId: invitee.id });
            const snapshot = await snapshotOf(view, inv, { usage: d.usage });
            const link = invitationLink(settings.publicBaseUrl, token);
            const reachable = isReachable(invitee);
            const granted = grant ? { grant: { requestId: grant.requestId, decidedBy: grant.decidedBy } } : {};
            if (reachable) await tellPerson(view, invitee.id, { type: 'license_invitation', invitation: snapshot, link, resent: false, ...granted }, now, priority);
            else await tellPerson(view, inviter.id, { type: 'forward_link', invitation: snapshot, link }, now, priority);
            // a bulk run is told to the admins once, at its end, not once per person
            const actorName = grant?.auto ? `Automatic approval (seat request #${grant.requestId})` : nameOf(inviter);
            if (!runId) await notifyAdmins(view, settings, inv, { type: 'admin_invitation_event', event: 'created', invitation: snapshot, actorName }, now);
            outcomes.push({ status: 'invited', invitee, invitationId: inv.id, reachable });
          }
        }
        await flush();
        return outcomes;
      }),
    );
  }
  const final = await store.transaction(async (repos) => {
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
    const usage = await repos.licenses.usage(license.id);
    return { pool: (await repos.licenses.byId(license.id)) ?? license, usage };
  });
  return { license: { license: final.pool, ...final.usage }, outcomes };
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
