import { sqliteTable, integer, text } from 'drizzle-orm/sqlite-core';

/** Teams conversations the bot can post into (an admin channel): captured when the bot is added or spoken to there. */
export const teamsConversations = sqliteTable('teams_conversations', {
  id: text('id').primaryKey(),
  ref: text('ref', { mode: 'json' }).notNull(),
  updatedAt: integer('updated_at').notNull(),
});
