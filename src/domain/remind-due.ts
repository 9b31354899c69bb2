import type { DomainDeps } from './context.js';
import type { Repositories } from './ports.js';
import { SYSTEM_ACTOR, type AuditEntry, type License, type Person, type Project, type Seat } from './model.js';
import { audit } from './audit.js';
import { inReminderWindow } from './reminder-window.js';
import { snapshotOfAny } from './snapshot.js';
import { holdsSeatFor, isReachable } from './people.js';
import { tellPerson } from './notify.js';

/**
 * How many due invitations one round of the sweep reads, and reminds in one transaction (as a bulk
 * invitation's chunk). A batch is read and written with a dozen statements whatever its size, so a
 * sweep of 10,000 is twenty commits, not two hundred; a round holds the write lock (SQLite) for
 * tens of milliseconds, most of it the commit of the rows it changed.
 */
const BATCH = 500;

/**
 * The reminder sweep, a job: `(deps, now)`. Every pending invitation not answered for
 * REMINDER_AFTER since it was sent or last reminded gets a reminder, at most REMINDER_MAX, and only
 * inside REMINDER_WINDOW in the invitee's time zone (outside it, it waits for the next sweep in the
 * window). Each reminder is counted by a conditional update (`claimReminders`: still pending, with
 * the count read, still due) in the same transaction as its audit row and outbox row: a crash or a
 * second bot process running the same sweep can never send one twice.
 */
type Candidate = Awaited<ReturnType<Repositories['invitations']['dueForReminder']>>[number];

type Outcome = 'sent' | 'outside' | 'gone';

type Queued = Parameters<Repositories['outbox']['enqueueMany']>[0][number];

/** What a batch's messages show, read for the whole batch at once. */
interface Known {
  people: ReadonlyMap<number, Person>;
  licenses: ReadonlyMap<number, License>;
  projects: ReadonlyMap<number, Project>;
  /** the occupied seats of each person read (none: an empty list) */
  seats: ReadonlyMap<number, Seat[]>;
}

/**
 * The repositories as a batch of reminders sees them once it has read what it needs (the pattern of
 * a bulk invitation's chunk, invite-to-license.ts): the people, pools, projects and seats come from
 * memory, and audit rows and messages are collected in the order made, then written together
 * (`flush`): a few statements for the batch, not several per reminder. `audit`, `holdsSeatFor`,
 * `snapshotOfAny` and `tellPerson` run on it unchanged, so the reminder's rules stay in one place.
 * What was not read for the batch is read as usual. An id `enqueue` answers here is 0: nothing in a
 * batch reads it.
 */
function collected(repos: Repositories, known: Known): { view: Repositories; flush(): Promise<void> } {
  const entries: AuditEntry[] = [];
  const messages: Queued[] = [];
  const view: Repositories = {
    ...repos,
    people: { ...repos.people, byId: async (id) => (known.people.has(id) ? known.people.get(id) : await repos.people.byId(id)) },
    licenses: { ...repos.licenses, byId: async (id) => (known.licenses.has(id) ? known.licenses.get(id) : await repos.licenses.byId(id)) },
    projects: { ...repos.projects, byId: async (id) => (known.projects.has(id) ? known.projects.get(id) : await repos.projects.byId(id)) },
    seats: { ...repos.seats, occupiedBy: async (personId) => known.seats.get(personId) ?? (await repos.seats.occupiedBy(personId)) },
    audit: { ...repos.audit, record: async (e) => void entries.push(e) },
    outbox: { ...repos.outbox, enqueue: async (to, message, at, priority) => (messages.push({ to, message, at, ...(priority === undefined ? {} : { priority }) }), 0) },
  };
  return {
    view,
    flush: async () => {
      if (entries.length > 0) await repos.audit.recordMany(entries);
      if (messages.length > 0) await repos.outbox.enqueueMany(messages);
    },
  };
}

const unique = (ids: readonly (number | null)[]): number[] => [...new Set(ids.filter((id): id is number => id !== null))];

/**
 * One batch of reminders, each sent only if it is still due: the invitees are read at once, and
 * those the bot can reach inside the window are counted by conditional updates (from the count the
 * due list read), so what a second sweep (another instance) counted first is sent by it alone. Then
 * what the messages show is read at once, and each reminder is written as before, in the order due.
 */
async function remindBatch(repos: Repositories, deps: DomainDeps, candidates: readonly Candidate[], now: number): Promise<Map<number, Outcome>> {
  const { afterMs, max, window } = deps.settings.reminders;
  const outcomes = new Map<number, Outcome>();
  const people = new Map((await repos.people.byIds(unique(candidates.map((c) => c.inviteeId)))).map((p) => [p.id, p]));
  const claims: { id: number; sentSoFar: number }[] = [];
  for (const candidate of candidates) {
    const invitee = people.get(candidate.inviteeId);
    // someone the bot cannot message (invited by email, not in chat) cannot be reminded by it
    if (!invitee || !isReachable(invitee)) outcomes.set(candidate.id, 'gone');
    else if (!inReminderWindow(window, now, invitee.tz)) outcomes.set(candidate.id, 'outside');
    else claims.push({ id: candidate.id, sentSoFar: candidate.remindersSent });
  }
  if (claims.length === 0) return outcomes;
  // the count moves only from what was read: a sweep that got here first leaves nothing to send
  const counted = new Map((await repos.invitations.claimReminders(claims, now - afterMs, now)).map((i) => [i.id, i]));
  const reminded = claims.flatMap((claim) => {
    const invitation = counted.get(claim.id);
    if (!invitation) outcomes.set(claim.id, 'gone');
    return invitation ? [{ invitation, number: claim.sentSoFar + 1 }] : [];
  });
  if (reminded.length === 0) return outcomes;

  // what the messages show, each kind read once for the batch
  const invitations = reminded.map((r) => r.invitation);
  const projects = new Map((await repos.projects.byIds(unique(invitations.map((i) => (i.kind === 'project' ? i.projectId : null))))).map((p) => [p.id, p]));
  const licenses = new Map((await repos.licenses.byIds(unique(invitations.map((i) => (i.kind === 'license' ? i.licenseId : null))))).map((l) => [l.id, l]));
  const unknown = unique([...invitations.flatMap((i) => [i.inviteeId, i.inviterId]), ...[...projects.values()].map((p) => p.ownerId)]).filter((id) => !people.has(id));
  for (const p of await repos.people.byIds(unknown)) people.set(p.id, p);
  const seatHolders = unique(invitations.map((i) => (i.kind === 'project' ? i.inviteeId : null)));
  const seats = new Map<number, Seat[]>(seatHolders.map((id) => [id, []]));
  for (const seat of await repos.seats.occupiedAmong(seatHolders)) seats.get(seat.personId)?.push(seat);

  const { view, flush } = collected(repos, { people, licenses, projects, seats });
  for (const { invitation, number } of reminded) {
    const holdsSeat = invitation.kind === 'project' ? await holdsSeatFor(view, invitation.inviteeId, invitation.inviteeEmail) : null;
    await audit(view, SYSTEM_ACTOR, now, 'invitation.reminded', { type: 'invitation', id: invitation.id }, { number });
    await tellPerson(view, invitation.inviteeId, { type: 'reminder', invitation: await snapshotOfAny(view, invitation, { usage: false }), number, max, holdsSeat }, now);
    outcomes.set(invitation.id, 'sent');
  }
  await flush();
  return outcomes;
}

export async function remindDue(deps: DomainDeps, now: number): Promise<{ reminded: number; outsideWindow: number }> {
  const { afterMs, max } = deps.settings.reminders;
  let reminded = 0;
  let outsideWindow = 0;
  if (max <= 0) return { reminded, outsideWindow };
  const skipped = new Set<number>();
  for (;;) {
    // a round: the next due invitations, reminded in the same transaction
    const round = await deps.store.transaction(async (repos) => {
      const due = await repos.invitations.dueForReminder(now - afterMs, max, BATCH + skipped.size);
      const fresh = due.filter((i) => !skipped.has(i.id));
      // one past its expiry is the expiry sweep's business, not a reminder's
      const open = fresh.filter((candidate) => now < candidate.expiresAt);
      const outcomes = open.length > 0 ? await remindBatch(repos, deps, open, now) : new Map<number, Outcome>();
      return { fresh, outcomes };
    });
    for (const candidate of round.fresh) {
      const outcome = round.outcomes.get(candidate.id);
      if (outcome === 'sent') reminded++;
      else {
        if (outcome === 'outside') outsideWindow++;
        skipped.add(candidate.id);
      }
    }
    if (round.fresh.length < BATCH) break;
  }
  return { reminded, outsideWindow };
}
