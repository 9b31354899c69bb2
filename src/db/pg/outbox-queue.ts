/**
 * The outbox as the deliverer works it, on PostgreSQL (see ../outbox-queue.ts for SQLite's, which
 * says what each call means). Any number of instances claim at once: a due row is taken with
 * `FOR UPDATE SKIP LOCKED` and leased in the same statement, so two never take the same row, and a
 * killed instance's rows are taken again once their lease runs out.
 */
import { and, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { OutboxMessage, SubjectState } from '../../domain/index.js';
import type { OutboxQueue, OutboxRow } from '../outbox-queue.js';
import type { PgDb } from './repositories.js';
import { bulkRuns, invitations, outbox, outboxSubjects, people, postedMessages, subjectStates } from './schema.js';

/** the row, still leased to `owner` and not yet done */
const heldBy = (owner: string, id: number) => and(eq(outbox.id, id), eq(outbox.leaseOwner, owner), eq(outbox.status, 'pending'));

/** the rows of a plain statement (node-postgres answers with its QueryResult) */
const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

export function postgresOutboxQueue(db: PgDb): OutboxQueue {
  return {
    claim: async (owner, now, leaseMs, limit) => {
      const claimed = await db.execute(sql`
        WITH due AS (
          SELECT o.id FROM outbox o
          WHERE o.status = 'pending' AND o.next_attempt_at <= ${now}
            AND (o.lease_until IS NULL OR o.lease_until < ${now})
            AND (
              -- a message waits for the earlier ones to its recipient, so one person's messages keep their order
              -- (the same recipient, null or not, asked as two questions the recipient index answers: one
              -- with an OR of both, or IS NOT DISTINCT FROM, read the whole backlog for every candidate)
              (o.recipient_type <> 'updates'
                AND NOT EXISTS (
                  SELECT 1 FROM outbox e
                  WHERE e.status = 'pending' AND e.id < o.id
                    AND e.recipient_type = o.recipient_type AND e.recipient_id = o.recipient_id)
                AND (o.recipient_id IS NOT NULL OR NOT EXISTS (
                  SELECT 1 FROM outbox e
                  WHERE e.status = 'pending' AND e.id < o.id
                    AND e.recipient_type = o.recipient_type AND e.recipient_id IS NULL)))
              -- an update waits for every earlier message about its subject, so it reaches them all once posted
              OR (o.recipient_type = 'updates' AND NOT EXISTS (
                SELECT 1 FROM outbox_subjects mine
                JOIN outbox_subjects theirs ON theirs.subject = mine.subject AND theirs.outbox_id < mine.outbox_id
                JOIN outbox e ON e.id = theirs.outbox_id AND e.status = 'pending'
                WHERE mine.outbox_id = o.id)))
          ORDER BY o.priority, o.id LIMIT ${limit}
          -- rows another instance is claiming right now are passed over, not waited for
          FOR UPDATE OF o SKIP LOCKED)
        -- each instance's own clock sets and reads lease_until: their clocks must agree (NTP)
        UPDATE outbox SET lease_owner = ${owner}, lease_until = ${now + leaseMs}, attempts = outbox.attempts + 1
        FROM due WHERE outbox.id = due.id
        RETURNING outbox.id, outbox.recipient_type AS "recipientType", outbox.recipient_id AS "recipientId", outbox.payload,
          outbox.attempts, outbox.created_at AS "createdAt", outbox.last_error AS "lastError", outbox.priority`);
      return rowsOf<OutboxRow & { priority: number }>(claimed)
        .sort((a, b) => a.priority - b.priority || a.id - b.id)
        .map((r) => ({ id: r.id, recipientType: r.recipientType, recipientId: r.recipientId, payload: r.payload, attempts: r.attempts, createdAt: Number(r.createdAt), lastError: r.lastError }));
    },
    extend: async (owner, ids, until) =>
      ids.length === 0
        ? []
        : (
            await db
              .update(outbox)
              .set({ leaseUntil: until })
              .where(and(inArray(outbox.id, ids), eq(outbox.leaseOwner, owner), eq(outbox.status, 'pending')))
              .returning({ id: outbox.id })
          ).map((r) => r.id),
    markSent: (owner, id, now, payload, at) =>
      db.transaction(async (tx) => {
        const applied =
          (
            await tx
              .update(outbox)
              .set({ status: 'sent', sentAt: now, leaseOwner: null, leaseUntil: null, lastError: null, ...(payload ? { payload } : {}) })
              .where(heldBy(owner, id))
              .returning({ id: outbox.id })
          ).length > 0;
        // a row taken over is the new holder's to record, with where its own send posted it
        if (applied && at) {
          const where = { platform: at.platform, channel: at.channel, messageId: at.messageId };
          await tx.insert(postedMessages).values({ outboxId: id, postedAt: now, ...where }).onConflictDoUpdate({ target: postedMessages.outboxId, set: where });
        }
        return applied;
      }),
    postedAbout: async (subject) =>
      (
        await db
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
      ).map((r) => ({ ...r, payload: r.payload as OutboxMessage })),
    statesFor: async (outboxId) =>
      new Map(
        (
          await db
            .select({ subject: subjectStates.subject, state: subjectStates.state })
            .from(outboxSubjects)
            .innerJoin(subjectStates, eq(subjectStates.subject, outboxSubjects.subject))
            .where(eq(outboxSubjects.outboxId, outboxId))
        ).map((r) => [r.subject, r.state as SubjectState]),
      ),
    updatedPosted: async (outboxId, now, renderedHash) => {
      await db.update(postedMessages).set({ updatedAt: now, renderedHash }).where(eq(postedMessages.outboxId, outboxId));
    },
    retryLater: async (owner, id, at, error) =>
      (await db.update(outbox).set({ nextAttemptAt: at, leaseOwner: null, leaseUntil: null, lastError: error }).where(heldBy(owner, id)).returning({ id: outbox.id })).length > 0,
    markFailed: async (owner, id, now, error, payload) =>
      (
        await db
          .update(outbox)
          .set({ status: 'failed', sentAt: now, leaseOwner: null, leaseUntil: null, lastError: error, ...(payload ? { payload } : {}) })
          .where(heldBy(owner, id))
          .returning({ id: outbox.id })
      ).length > 0,
    nextDueAt: async () => {
      const [row] = rowsOf<{ at: number | null }>(await db.execute(sql`SELECT MIN(GREATEST(next_attempt_at, COALESCE(lease_until, 0))) AS at FROM outbox WHERE status = 'pending'`));
      const at = row?.at;
      return at === null || at === undefined ? undefined : Number(at);
    },
    counts: async () => {
      const rows = rowsOf<{ status: string; n: number }>(await db.execute(sql`SELECT status, COUNT(*) AS n FROM outbox GROUP BY status`));
      return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    },
    setPersonDmChannel: async (personId, channel) => {
      await db.update(people).set({ slackDmChannel: channel }).where(eq(people.id, personId));
    },
    setInvitationDm: async (invitationId, channel, ts) => {
      await db.update(invitations).set({ dmChannel: channel, dmTs: ts }).where(eq(invitations.id, invitationId));
    },
    setRunMessage: async (runId, where) => {
      await db.update(bulkRuns).set({ messagePlatform: where.platform, messageChannel: where.channel, messageTs: where.ts }).where(eq(bulkRuns.id, runId));
    },
    activeRuns: async () =>
      (
        await db
          .select({ id: bulkRuns.id, requestedBy: bulkRuns.requestedBy, platform: bulkRuns.messagePlatform, channel: bulkRuns.messageChannel, ts: bulkRuns.messageTs })
          .from(bulkRuns)
          .where(and(isNull(bulkRuns.finishedAt), isNotNull(bulkRuns.messageTs)))
      ).map((r) => ({ id: r.id, requestedBy: r.requestedBy, platform: r.platform ?? 'slack', channel: r.channel ?? '', ts: r.ts ?? '' })),
    invitationDm: async (invitationId) => {
      const [r] = await db.select({ channel: invitations.dmChannel, ts: invitations.dmTs }).from(invitations).where(eq(invitations.id, invitationId));
      return r?.channel && r.ts ? { channel: r.channel, ts: r.ts } : undefined;
    },
  };
}
