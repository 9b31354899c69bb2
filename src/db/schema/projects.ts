import { sqliteTable, integer, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';
import { people } from './people.js';

/** A project someone shares: its edition decides what sharing means (Web: members; Desktop: copies). */
export const projects = sqliteTable(
  'projects',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    ownerId: integer('owner_id')
      .notNull()
      .references(() => people.id),
    edition: text('edition', { enum: ['desktop', 'web'] }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('projects_owner_name_nocase').on(t.ownerId, sql`${t.name} COLLATE NOCASE`)],
);
