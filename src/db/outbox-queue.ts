/**
 * The deliverer's side of the outbox: claim due rows under a lease, then record what happened.
 * A lease lets two bot processes share one database without sending a message twice, and lets a
 * crashed process's rows be picked up again once the lease runs out.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { OutboxMessage } from '../domain/index.js';
import type { Database$ } from './connection.js';
import { bulkRuns, invitations, outbox, people } from './schema/index.js';

export interface OutboxRow {
  id: number;
  recipientType: 'person' | 'admin_channel' | 'support_channel' | 'webhook';
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

export interface OutboxQueue {
  /** Due rows, at most one per recipient (the oldest), so one person's messages keep their order. */
  claim(owner: string, now: number, leaseMs: number, limit: number): OutboxRow[];
  markSent(id: number, now: number, payload?: OutboxMessage): void;
  retryLater(id: number, at: number, error: string): void;
  markFailed(id: number, now: number, error: string, payload?: OutboxMessage): void;
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

export function outboxQueue(database: Database$): OutboxQueue {
  const { db, sqlite } = database;
  const claimTx = sqlite.transaction((owner: string, now: number, leaseMs: number, limit: number): OutboxRow[] => {
    const rows = db.all<{ id: number }>(sql`
      SELECT o.id FROM outbox o
      WHERE o.status = 'pending' AND o.next_attempt_at <= ${now}
        AND (o.lease_until IS NULL OR o.lease_until < ${now})
        AND NOT EXISTS (
          SELECT 1 FROM outbox e
          WHERE e.status = 'pending' AND e.id < o.id
            AND e.recipient_type = o.recipient_type
            AND e.recipient_id IS o.recipient_id)
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
    markSent: (id, now, payload) => {
      db.update(outbox)
        .set({ status: 'sent', sentAt: now, leaseOwner: null, leaseUntil: null, lastError: null, ...(payload ? { payload } : {}) })
        .where(eq(outbox.id, id))
        .run();
    },
    retryLater: (id, at, error) => {
      db.update(outbox).set({ nextAttemptAt: at, leaseOwner: null, leaseUntil: null, lastError: error }).where(eq(outbox.id, id)).run();
    },
    markFailed: (id, now, error, payload) => {
      db.update(outbox)
        .set({ status: 'failed', sentAt: now, leaseOwner: null, leaseUntil: null, lastError: error, ...(payload ? { payload } : {}) })
        .where(eq(outbox.id, id))
        .run();
    },
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
