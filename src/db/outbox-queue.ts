/**
 * The deliverer's side of the outbox: claim due rows under a lease, then record what happened.
 * A lease lets two bot processes share one database without sending a message twice, and lets a
 * crashed process's rows be picked up again once the lease runs out.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { promisedMethods } from './promised.js';
import type { OutboxMessage, Promised, SubjectState } from '../domain/index.js';
import type { Database$ } from './connection.js';
import { bulkRuns, invitations, outbox, outboxSubjects, people, postedMessages, subjectStates } from './schema/index.js';

export interface OutboxRow {
  id: number;
  recipientType: 'person' | 'admin_channel' | 'support_channel' | 'webhook' | 'updates';
  recipientId: number | null;
  payload: OutboxMessage;
  attempts: number;
  createdAt: number;
  /** what the previous attempt ended with; null after a crash mid-attempt (or before any) */
  lastError: string | null;
}

export interface RunMessage {
  platform: 'slack' | 'teams';
  channel: string;
  ts: string;
}

/** Where a delivered chat message is: a Slack channel and ts, or a Teams conversation and activity id. */
export interface PostedAt {
  platform: 'slack' | 'teams';
  channel: string;
  messageId: string;
}

/** A message posted about a subject, as it was queued (its link, if it had one, long removed). */
export interface PostedMessage extends PostedAt {
  outboxId: number;
  recipientType: OutboxRow['recipientType'];
  recipientId: number | null;
  payload: OutboxMessage;
  /** a digest of what it shows now (null: as first posted) */
  renderedHash: string | null;
}

/**
 * A lease is `lease_until`, a time on the clock of the instance that took it, compared with the
 * clock of the instance that would take it over: instances on several machines need their clocks
 * synchronized (NTP), since a lease lasts tens of seconds and a clock that far off would take rows
 * still being sent (or leave a crashed instance's rows waiting that much longer).
 *
 * The marks (markSent, retryLater, markFailed) apply only while `owner` still holds the row's lease,
 * and say whether they did: once another instance has taken the row over, its outcome is the one
 * recorded.
 */
interface OutboxQueueSync {
  /** Due rows, at most one per recipient (the oldest), so one person's messages keep their order. */
  claim(owner: string, now: number, leaseMs: number, limit: number): OutboxRow[];
  /** Moves the leases of the rows among `ids` that `owner` still holds to `until`; the ids it renewed. */
  extend(owner: string, ids: number[], until: number): number[];
  /** `at`: where the chat message now is, so it can be updated when its subjects change */
  markSent(owner: string, id: number, now: number, payload?: OutboxMessage, at?: PostedAt): boolean;
  /** the messages already posted about a subject, oldest first */
  postedAbout(subject: string): PostedMessage[];
  /** the subjects a message is about, with their newest recorded states */
  statesFor(outboxId: number): Map<string, SubjectState>;
  /** it was updated to show what `renderedHash` digests */
  updatedPosted(outboxId: number, now: number, renderedHash: string): void;
  retryLater(owner: string, id: number, at: number, error: string): boolean;
  markFailed(owner: string, id: number, now: number, error: string, payload?: OutboxMessage): boolean;
  nextDueAt(): number | undefined;
  counts(): Record<string, number>;
  /** delivery facts the Slack sender keeps */
  setPersonDmChannel(personId: number, channel: string): void;
  setInvitationDm(invitationId: number, channel: string, ts: string): void;
  invitationDm(invitationId: number): { channel: string; ts: string } | undefined;
  /** bulk runs: where each progress message is (a Slack channel and ts, or a Teams conversation and activity id), and which runs are still going */
  setRunMessage(runId: number, where: RunMessage): void;
  activeRuns(): ({ id: number; requestedBy: number } & RunMessage)[];
}

/** The outbox as the deliverer works it; each call takes its turn on the connection (see Database$.serialized). */
export type OutboxQueue = Promised<OutboxQueueSync>;

export function outboxQueue(database: Database$): OutboxQueue {
  return promisedMethods(outboxQueueSync(database), (call) => database.serialized(call));
}

/** the row, still leased to `owner` and not yet done */
const heldBy = (owner: string, id: number) => and(eq(outbox.id, id), eq(outbox.leaseOwner, owner), eq(outbox.status, 'pending'));

function outboxQueueSync(database: Database$): OutboxQueueSync {
  const { db, sqlite } = database;
  const claimTx = sqlite.transaction((owner: string, now: number, leaseMs: number, limit: number): OutboxRow[] => {
    const rows = db.all<{ id: number }>(sql`
      SELECT o.id FROM outbox o
      WHERE o.status = 'pending' AND o.next_attempt_at <= ${now}
        AND (o.lease_until IS NULL OR o.lease_until < ${now})
        AND (
          -- a message waits for the earlier ones to its recipient, so one person's messages keep their order
          (o.recipient_type <> 'updates' AND NOT EXISTS (
            SELECT 1 FROM outbox e
            WHERE e.status = 'pending' AND e.id < o.id
              AND e.recipient_type = o.recipient_type
              AND e.recipient_id IS o.recipient_id))
          -- an update waits for every earlier message about its subject, so it reaches them all once posted
          OR (o.recipient_type = 'updates' AND NOT EXISTS (
            SELECT 1 FROM outbox_subjects mine
            JOIN outbox_subjects theirs ON theirs.subject = mine.subject AND theirs.outbox_id < mine.outbox_id
            JOIN outbox e ON e.id = theirs.outbox_id AND e.status = 'pending'
            WHERE mine.outbox_id = o.id)))
      ORDER BY o.priority, o.id LIMIT ${limit}`);
    const claimed: OutboxRow[] = [];
    for (const { id } of rows) {
      const r = db
        .update(outbox)
        .set({ leaseOwner: owner, leaseUntil: now + leaseMs, attempts: sql`${outbox.attempts} + 1` })
        .where(eq(outbox.id, id))
        .returning()
        .get();
      claimed.push({
        id: r.id,
        recipientType: r.recipientType,
        recipientId: r.recipientId,
        payload: r.payload as OutboxMessage,
        attempts: r.attempts,
        createdAt: r.createdAt,
        lastError: r.lastError,
      });
    }
    return claimed;
  });
  return {
    claim: (owner, now, leaseMs, limit) => claimTx.immediate(owner, now, leaseMs, limit),
    extend: (owner, ids, until) =>
      ids.length === 0
        ? []
        : db
            .update(outbox)
            .set({ leaseUntil: until })
            .where(and(inArray(outbox.id, ids), eq(outbox.leaseOwner, owner), eq(outbox.status, 'pending')))
            .returning({ id: outbox.id })
            .all()
            .map((r) => r.id),
    markSent: (owner, id, now, payload, at) =>
      sqlite.transaction(() => {
        const applied =
          db
            .update(outbox)
            .set({ status: 'sent', sentAt: now, leaseOwner: null, leaseUntil: null, lastError: null, ...(payload ? { payload } : {}) })
            .where(heldBy(owner, id))
            .run().changes > 0;
        // a row taken over is the new holder's to record, with where its own send posted it
        if (applied && at) {
          const where = { platform: at.platform, channel: at.channel, messageId: at.messageId };
          db.insert(postedMessages).values({ outboxId: id, postedAt: now, ...where }).onConflictDoUpdate({ target: postedMessages.outboxId, set: where }).run();
        }
        return applied;
      }).immediate(),
    postedAbout: (subject) =>
      db
        .select({
          outboxId: postedMessages.outboxId,
          platform: postedMessages.platform,
          channel: postedMessages.channel,
          messageId: postedMessages.messageId,
          renderedHash: postedMessages.renderedHash,
          recipientType: outbox.recipientType,
          recipientId: outbox.recipientId,
          payload: outbox.payload,
        })
        .from(outboxSubjects)
        .innerJoin(postedMessages, eq(postedMessages.outboxId, outboxSubjects.outboxId))
        .innerJoin(outbox, eq(outbox.id, outboxSubjects.outboxId))
        .where(eq(outboxSubjects.subject, subject))
        .orderBy(outboxSubjects.outboxId)
        .all()
        .map((r) => ({ ...r, payload: r.payload as OutboxMessage })),
    statesFor: (outboxId) =>
      new Map(
        db
          .select({ subject: subjectStates.subject, state: subjectStates.state })
          .from(outboxSubjects)
          .innerJoin(subjectStates, eq(subjectStates.subject, outboxSubjects.subject))
          .where(eq(outboxSubjects.outboxId, outboxId))
          .all()
          .map((r) => [r.subject, r.state as SubjectState]),
      ),
    updatedPosted: (outboxId, now, renderedHash) => {
      db.update(postedMessages).set({ updatedAt: now, renderedHash }).where(eq(postedMessages.outboxId, outboxId)).run();
    },
    retryLater: (owner, id, at, error) =>
      db.update(outbox).set({ nextAttemptAt: at, leaseOwner: null, leaseUntil: null, lastError: error }).where(heldBy(owner, id)).run().changes > 0,
    markFailed: (owner, id, now, error, payload) =>
      db
        .update(outbox)
        .set({ status: 'failed', sentAt: now, leaseOwner: null, leaseUntil: null, lastError: error, ...(payload ? { payload } : {}) })
        .where(heldBy(owner, id))
        .run().changes > 0,
    nextDueAt: () =>
      db.get<{ at: number | null }>(sql`SELECT MIN(MAX(next_attempt_at, IFNULL(lease_until, 0))) AS at FROM outbox WHERE status = 'pending'`)?.at ??
      undefined,
    counts: () =>
      Object.fromEntries(
        db
          .all<{ status: string; n: number }>(sql`SELECT status, COUNT(*) AS n FROM outbox GROUP BY status`)
          .map((r) => [r.status, r.n]),
      ),
    setPersonDmChannel: (personId, channel) => {
      db.update(people).set({ slackDmChannel: channel }).where(eq(people.id, personId)).run();
    },
    setInvitationDm: (invitationId, channel, ts) => {
      db.update(invitations).set({ dmChannel: channel, dmTs: ts }).where(eq(invitations.id, invitationId)).run();
    },
    setRunMessage: (runId, where) => {
      db.update(bulkRuns).set({ messagePlatform: where.platform, messageChannel: where.channel, messageTs: where.ts }).where(eq(bulkRuns.id, runId)).run();
    },
    activeRuns: () =>
      db
        .select({ id: bulkRuns.id, requestedBy: bulkRuns.requestedBy, platform: bulkRuns.messagePlatform, channel: bulkRuns.messageChannel, ts: bulkRuns.messageTs })
        .from(bulkRuns)
        .where(sql`${bulkRuns.finishedAt} IS NULL AND ${bulkRuns.messageTs} IS NOT NULL`)
        .all()
        // runs from before the platform was recorded were all Slack's
        .map((r) => ({ id: r.id, requestedBy: r.requestedBy, platform: r.platform ?? 'slack', channel: r.channel ?? '', ts: r.ts ?? '' })),
    invitationDm: (invitationId) => {
      const r = db
        .select({ channel: invitations.dmChannel, ts: invitations.dmTs })
        .from(invitations)
        .where(and(eq(invitations.id, invitationId)))
        .get();
      return r?.channel && r.ts ? { channel: r.channel, ts: r.ts } : undefined;
    },
  };
}
