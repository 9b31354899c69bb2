import { sqliteTable, integer, text, index } from 'drizzle-orm/sqlite-core';

/**
 * Every signed Slack request the bot accepted, recorded before it is acknowledged. `key` is the
 * request's signature (the same bytes delivered again have the same one), or the event id for an
 * Events API delivery (Slack's own retries are signed anew). The body is kept, sealed, only until
 * the request was handled: a restart in between handles it then. Done rows stay for the replay
 * window, without their body.
 */
export const slackInbox = sqliteTable(
  'slack_inbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    key: text('key').notNull().unique(),
    receivedAt: integer('received_at').notNull(),
    status: text('status', { enum: ['received', 'done', 'abandoned'] }).notNull(),
    contentType: text('content_type').notNull(),
    sealedBody: text('sealed_body'),
    doneAt: integer('done_at'),
  },
  (t) => [index('slack_inbox_status').on(t.status, t.receivedAt)],
);
