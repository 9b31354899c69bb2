import { sqliteTable, integer, text, index } from 'drizzle-orm/sqlite-core';

/**
 * Messages to people and channels, written in the same transaction as the change that causes them
 * and delivered afterwards (see ARCHITECTURE.md).
 */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    createdAt: integer('created_at').notNull(),
    // 'person' (recipientId = people.id), 'admin_channel', 'support_channel', 'webhook' (PROVISIONING_WEBHOOK_URL), or 'updates' (messages already posted, updated in place)
    recipientType: text('recipient_type', { enum: ['person', 'admin_channel', 'support_channel', 'webhook', 'updates'] }).notNull(),
    recipientId: integer('recipient_id'),
    payload: text('payload', { mode: 'json' }).notNull(),
    status: text('status', { enum: ['pending', 'sent', 'failed'] }).notNull(),
    // 0: someone is waiting for it (an answer, one invitation); 1: part of a bulk run, sent after
    priority: integer('priority').notNull().default(0),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    leaseOwner: text('lease_owner'),
    leaseUntil: integer('lease_until'),
    sentAt: integer('sent_at'),
    lastError: text('last_error'),
  },
  (t) => [
    index('outbox_due').on(t.status, t.nextAttemptAt),
    // "an earlier message to the same recipient is still pending" is one index probe, whatever the backlog
    index('outbox_recipient').on(t.recipientType, t.recipientId, t.status, t.id),
  ],
);
