import type { DomainDeps } from './context.js';
import type { Repositories } from './ports.js';
import { SYSTEM_ACTOR } from './model.js';
import { audit } from './audit.js';
import { inReminderWindow } from './reminder-window.js';
import { snapshotOfAny } from './snapshot.js';
import { holdsSeatFor, isReachable } from './people.js';
import { tellPerson } from './notify.js';

/** How many due invitations one sweep reads at a time. */
const BATCH = 500;
/** how many reminders one transaction writes */
const PER_TRANSACTION = 50;

/**
 * The reminder sweep, a job: `(deps, now)`. Every pending invitation not answered for
 * REMINDER_AFTER since it was sent or last reminded gets a reminder, at most REMINDER_MAX, and only
 * inside REMINDER_WINDOW in the invitee's time zone (outside it, it waits for the next sweep in the
 * window). Each reminder is one conditional update plus its outbox row, written with its audit in
 * the same transaction: a crash or a second bot process running the same sweep can never send one
 * twice.
 */
type Candidate = Awaited<ReturnType<Repositories['invitations']['dueForReminder']>>[number];

/** One reminder, if it is still due: re-read, and counted by a conditional update, so a second sweep (another instance) sends nothing. */
async function remindOne(repos: Repositories, deps: DomainDeps, candidate: Candidate, now: number): Promise<'sent' | 'outside' | 'gone'> {
  const { afterMs, max, window } = deps.settings.reminders;
  const invitee = await repos.people.byId(candidate.inviteeId);
  // someone the bot cannot message (invited by email, not in chat) cannot be reminded by it
  if (!invitee || !isReachable(invitee)) return 'gone';
  if (!inReminderWindow(window, now, invitee.tz)) return 'outside';
  const still = await repos.invitations.byId(candidate.id);
  if (!still || still.status !== 'pending' || still.remindersSent !== candidate.remindersSent || (still.lastRemindedAt ?? still.sentAt) > now - afterMs) return 'gone';
  // the count moves only from what was read: a sweep that got here first leaves nothing to send
  if (!(await repos.invitations.markReminded(still.id, still.remindersSent, now))) return 'gone';
  const number = still.remindersSent + 1;
  const holdsSeat = still.kind === 'project' ? await holdsSeatFor(repos, still.inviteeId, still.inviteeEmail) : null;
  await audit(repos, SYSTEM_ACTOR, now, 'invitation.reminded', { type: 'invitation', id: still.id }, { number });
  await tellPerson(repos, still.inviteeId, { type: 'reminder', invitation: await snapshotOfAny(repos, still, { usage: false }), number, max, holdsSeat }, now);
  return 'sent';
}

export async function remindDue(deps: DomainDeps, now: number): Promise<{ reminded: number; outsideWindow: number }> {
  const { afterMs, max } = deps.settings.reminders;
  let reminded = 0;
  let outsideWindow = 0;
  if (max <= 0) return { reminded, outsideWindow };
  const skipped = new Set<number>();
  for (;;) {
    const due = await deps.store.transaction((repos) => repos.invitations.dueForReminder(now - afterMs, max, BATCH + skipped.size));
    const fresh = due.filter((i) => !skipped.has(i.id));
    if (fresh.length === 0) break;
    // reminders are written a few dozen to a transaction: each is still checked and counted on its
    // own (a conditional update), but a sweep of thousands is not thousands of commits
    const open = fresh.filter((candidate) => {
      if (now < candidate.expiresAt) return true;
      skipped.add(candidate.id); // the expiry sweep's business, not a reminder's
      return false;
    });
    for (let from = 0; from < open.length; from += PER_TRANSACTION) {
      const outcomes = await deps.store.transaction(async (repos) => {
        const said: { id: number; outcome: 'sent' | 'outside' | 'gone' }[] = [];
        for (const candidate of open.slice(from, from + PER_TRANSACTION)) {
          said.push({ id: candidate.id, outcome: await remindOne(repos, deps, candidate, now) });
        }
        return said;
      });
      for (const { id, outcome } of outcomes) {
        if (outcome === 'sent') reminded++;
        else {
          if (outcome === 'outside') outsideWindow++;
          skipped.add(id);
        }
      }
    }
    if (fresh.length < BATCH) break;
  }
  return { reminded, outsideWindow };
}
