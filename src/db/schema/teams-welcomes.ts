import { sqliteTable, integer, text } from 'drizzle-orm/sqlite-core';

/**
 * Teams conversations the bot has greeted: an install sends an installationUpdate and a
 * conversationUpdate (in either order, possibly to two processes), and the greeting goes out once.
 * Uninstalling forgets it, so a reinstall is greeted again.
 */
export const teamsWelcomes = sqliteTable('teams_welcomes', {
  conversationId: text('conversation_id').primaryKey(),
  at: integer('at').notNull(),
});
