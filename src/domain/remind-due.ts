import type { DomainDeps } from './context.js';
import { SYSTEM_ACTOR } from './model.js';
import { audit } from './audit.js';
import { inReminderWindow } from './reminder-window.js';
import { snapshotOfAny } from './snapshot.js';
import { holdsSeatFor, isReachable } from './people.js';
import { tellPerson } from './notify.js';

/** How many due invitations one sweep reads at a time. */
const BATCH = 500;

/**
 * The reminder sweep, a job: `(deps, now)`. Every pending invitation not answered for
 * REMINDER_AFTER since it was sent or last reminded gets a reminder, at most REMINDER_MAX, and only
 * inside REMINDER_WINDOW in the invitee's time zone (outside it, it waits for the next sweep in the
 * window). Each reminder is one conditional update plus its outbox row in one transaction: a crash
 * or a second bot process running the same sweep can never send one twice.
 */
export async function remindDue(deps: DomainDeps, now: number): Promise<{ reminded: number; outsideWindow: number }> {
  const { afterMs, max, window } = deps.settings.reminders;
  let reminded = 0;
  let outsideWindow = 0;
  if (max <= 0) return { reminded, outsideWindow };
  const skipped = new Set<number>();
  for (;;) {
    const due = await deps.store.transaction((repos) => repos.invitations.dueForReminder(now - afterMs, max, BATCH + skipped.size));
    const fresh = due.filter((i) => !skipped.has(i.id));
    if (fresh.length === 0) break;
    for (const candidate of fresh) {
      if (now >= candidate.expiresAt) {
        skipped.add(candidate.id); // the expiry sweep's business, not a reminder's
        continue;
      }
      const sent = await deps.store.transaction(async (repos) => {
        const invitee = await repos.people.byId(candidate.inviteeId);
        // someone the bot cannot message (invited by email, not in chat) cannot be reminded by it
        if (!invitee || !isReachable(invitee)) return 'gone';
        if (!inReminderWindow(window, now, invitee.tz)) return 'outside';
        // Re-read inside the write transaction (BEGIN IMMEDIATE): if another sweep reminded it since
        // it was listed, it is no longer due, and this one sends nothing.
        const still = await repos.invitations.byId(candidate.id);
        if (!still || still.status !== 'pending' || still.remindersSent !== candidate.remindersSent || (still.lastRemindedAt ?? still.sentAt) > now - afterMs) {
          return 'gone';
        }
        const number = still.remindersSent + 1;
        await repos.invitations.update(still.id, { remindersSent: number, lastRemindedAt: now });
        const holdsSeat = still.kind === 'project' ? await holdsSeatFor(repos, still.inviteeId, still.inviteeEmail) : null;
        await audit(repos, SYSTEM_ACTOR, now, 'invitation.reminded', { type: 'invitation', id: still.id }, { number });
        await tellPerson(repos, still.inviteeId, { type: 'reminder', invitation: await snapshotOfAny(repos, still, { usage: false }), number, max, holdsSeat }, now);
        return 'sent';
      });
      if (sent === 'sent') reminded++;
      else {
        if (sent === 'outside') outsideWindow++;
        skipped.add(candidate.id);
      }
    }
    if (fresh.length < BATCH) break;
  }
  return { reminded, outsideWindow };
}
