import { sqliteTable, integer, text, index } from 'drizzle-orm/sqlite-core';
import { people } from './people.js';
import { projects } from './projects.js';

/** A Desktop invitee's updated copy, sent back to the owner to merge. */
export const returnedCopies = sqliteTable(
  'returned_copies',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id),
    fromPersonId: integer('from_person_id')
      .notNull()
      .references(() => people.id),
    link: text('link').notNull(),
    note: text('note'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('returned_copies_project').on(t.projectId)],
);
