import { sqliteTable, integer, text, index } from 'drizzle-orm/sqlite-core';
import { people } from './people.js';
import { invitations } from './invitations.js';
import { licenses } from './licenses.js';

/** A project owner asking the admins for a seat for someone their project invitation waits on. */
export const seatRequests = sqliteTable(
  'seat_requests',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    email: text('email').notNull(),
    projectInvitationId: integer('project_invitation_id')
      .notNull()
      .references(() => invitations.id),
    requestedBy: integer('requested_by')
      .notNull()
      .references(() => people.id),
    status: text('status', { enum: ['pending', 'approved', 'denied'] }).notNull(),
    decidedBy: integer('decided_by').references(() => people.id),
    licenseId: integer('license_id').references(() => licenses.id),
    licenseInvitationId: integer('license_invitation_id').references(() => invitations.id),
    createdAt: integer('created_at').notNull(),
    decidedAt: integer('decided_at'),
  },
  (t) => [index('seat_requests_status').on(t.status)],
);
