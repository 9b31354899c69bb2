import { sqliteTable, integer, text, index, primaryKey } from 'drizzle-orm/sqlite-core';
import { outbox } from './outbox.js';

/**
 * What each outbox message is about (`invitation:12`, `seat_request:3`), written with the message.
 * A message about a subject is updated in place whenever the subject changes.
 */
export const outboxSubjects = sqliteTable(
  'outbox_subjects',
  {
    outboxId: integer('outbox_id')
      .notNull()
      .references(() => outbox.id),
    subject: text('subject').notNull(),
  },
  (t) => [primaryKey({ columns: [t.outboxId, t.subject] }), index('outbox_subjects_subject').on(t.subject, t.outboxId)],
);

/**
 * The newest state of each subject, as its messages should show it: written in the same
 * transaction as the change, read when a message about it is posted or updated.
 */
export const subjectStates = sqliteTable('subject_states', {
  subject: text('subject').primaryKey(),
  state: text('state', { mode: 'json' }).notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** Where each delivered chat message is (a Slack channel and ts, a Teams conversation and activity id), so it can be updated. */
export const postedMessages = sqliteTable('posted_messages', {
  outboxId: integer('outbox_id')
    .primaryKey()
    .references(() => outbox.id),
  platform: text('platform', { enum: ['slack', 'teams'] }).notNull(),
  channel: text('channel').notNull(),
  messageId: text('message_id').notNull(),
  postedAt: integer('posted_at').notNull(),
  updatedAt: integer('updated_at'),
  // a digest of what it shows now: an update that would show the same is not sent
  renderedHash: text('rendered_hash'),
});
