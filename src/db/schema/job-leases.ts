import { sqliteTable, integer, text } from 'drizzle-orm/sqlite-core';

/** Which process runs a scheduled job right now: node-cron's distributed run coordinator, on SQLite. */
export const jobLeases = sqliteTable('job_leases', {
  key: text('key').primaryKey(),
  owner: text('owner').notNull(),
  until: integer('until').notNull(),
});
