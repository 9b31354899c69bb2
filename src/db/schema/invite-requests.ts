import { sqliteTable, integer, text } from 'drizzle-orm/sqlite-core';
import { people } from './people.js';
import { licenses } from './licenses.js';

/** A bulk invitation larger than the free seats, waiting for the admin to confirm the part that fits. */
export const inviteRequests = sqliteTable('invite_requests', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  requestedBy: integer('requested_by')
    .notNull()
    .references(() => people.id),
  licenseId: integer('license_id')
    .notNull()
    .references(() => licenses.id),
  invitees: text('invitees', { mode: 'json' }).notNull(),
  status: text('status', { enum: ['pending', 'confirmed', 'cancelled'] }).notNull(),
  createdAt: integer('created_at').notNull(),
});
