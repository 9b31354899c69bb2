import { sqliteTable, integer, text, uniqueIndex, index } from 'drizzle-orm/sqlite-core';

/** A person the bot knows: a chat identity, an account email, or both (linked when they meet). */
export const people = sqliteTable(
  'people',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    // the account email, exact case: ATLAS.ti account emails are case sensitive
    email: text('email'),
    slackTeamId: text('slack_team_id'),
    slackUserId: text('slack_user_id'),
    slackDmChannel: text('slack_dm_channel'),
    displayName: text('display_name'),
    tz: text('tz'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('people_slack_identity').on(t.slackTeamId, t.slackUserId),
    index('people_email').on(t.email),
  ],
);
