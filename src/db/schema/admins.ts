import { sqliteTable, integer } from 'drizzle-orm/sqlite-core';
import { people } from './people.js';

/** Admins added at run time (`/atlas admin add`), next to the ones named in ATLAS_ADMINS. */
export const admins = sqliteTable('admins', {
  personId: integer('person_id')
    .primaryKey()
    .references(() => people.id),
  addedBy: integer('added_by').references(() => people.id),
  createdAt: integer('created_at').notNull(),
});
