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
    // an Events API delivery, also by its event id: Slack signs its own retries anew
    eventId: text('event_id').unique(),
    receivedAt: integer('received_at').notNull(),
    // received → acked (its 2xx answer went out) → done; only acked ones are handled again after a restart
    status: text('status', { enum: ['received', 'acked', 'done', 'abandoned'] }).notNull(),
    contentType: text('content_type').notNull(),
    sealedBody: text('sealed_body'),
    doneAt: integer('done_at'),
    // the instance handling it, while its lease (renewed as it works) runs: another instance takes
    // an acknowledged request over only once the lease lapsed (its owner stopped or died)
    owner: text('owner'),
    leaseUntil: integer('lease_until'),
  },
  (t) => [index('slack_inbox_status').on(t.status, t.receivedAt)],
);

/** One row the health check writes (and rolls back): it proves the file takes a write. */
export const healthProbe = sqliteTable('health_probe', {
  id: integer('id').primaryKey(),
});
