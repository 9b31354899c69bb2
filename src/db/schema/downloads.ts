import { sqliteTable, integer, text, index } from 'drizzle-orm/sqlite-core';
import { people } from './people.js';

/**
 * A file offered by link (a Teams admin's export): only the link token's hash is kept, the content
 * is sealed with ATLAS_SECRET_KEY, and the row is gone once it expires (15 minutes).
 */
export const downloads = sqliteTable(
  'downloads',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    tokenHash: text('token_hash').notNull().unique(),
    filename: text('filename').notNull(),
    sealedContent: text('sealed_content').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('downloads_expires').on(t.expiresAt)],
);
