import { sqliteTable, integer, text } from 'drizzle-orm/sqlite-core';

/**
 * When the next post may go out, for allowances shared by every instance of the bot (Slack's
 * posts a minute are per workspace, not per process): each post takes the next slot here.
 */
export const postPacing = sqliteTable('post_pacing', {
  key: text('key').primaryKey(),
  nextAt: integer('next_at').notNull(),
});
