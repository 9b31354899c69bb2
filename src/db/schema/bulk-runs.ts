import { sqliteTable, integer, text } from 'drizzle-orm/sqlite-core';
import { people } from './people.js';
import { licenses } from './licenses.js';

/** A bulk invitation run: its admin sees a message that updates as delivery proceeds. */
export const bulkRuns = sqliteTable('bulk_runs', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  requestedBy: integer('requested_by')
    .notNull()
    .references(() => people.id),
  licenseId: integer('license_id')
    .notNull()
    .references(() => licenses.id),
  total: integer('total').notNull(),
  startedAt: integer('started_at').notNull(),
  finishedAt: integer('finished_at'),
  // where the progress message is, once posted: a Slack channel and ts, or a Teams conversation and
  // activity id; the platform says which API updates it in place
  messagePlatform: text('message_platform', { enum: ['slack', 'teams'] }),
  messageChannel: text('message_channel'),
  messageTs: text('message_ts'),
});
