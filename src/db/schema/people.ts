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
    // Teams: the AAD object id and tenant identify the person; the conversation reference lets the
    // bot message them (captured on install and on every message)
    teamsTenantId: text('teams_tenant_id'),
    teamsAadId: text('teams_aad_id'),
    teamsUserId: text('teams_user_id'),
    teamsConversation: text('teams_conversation', { mode: 'json' }),
    displayName: text('display_name'),
    tz: text('tz'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('people_slack_identity').on(t.slackTeamId, t.slackUserId),
    uniqueIndex('people_teams_identity').on(t.teamsTenantId, t.teamsAadId),
    index('people_email').on(t.email),
  ],
);
