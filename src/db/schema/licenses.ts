import { sqliteTable, integer, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';
import { people } from './people.js';

/** A license pool: a number of seats of the software. */
export const licenses = sqliteTable(
  'licenses',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    seats: integer('seats').notNull(),
    createdBy: integer('created_by').references(() => people.id),
    createdAt: integer('created_at').notNull(),
  },
  // names are picked by people typing them, so two pools may not differ only in letter case
  (t) => [uniqueIndex('licenses_name_nocase').on(sql`${t.name} COLLATE NOCASE`)],
);
