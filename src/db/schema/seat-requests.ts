import { sqliteTable, integer, text, index } from 'drizzle-orm/sqlite-core';
import { people } from './people.js';
import { invitations } from './invitations.js';
import { licenses } from './licenses.js';

/**
 * A seat asked of the admins: by a project owner for someone their project invitation waits on
 * (`project_invitation_id` set), or by a person for themselves (`request-seat`: none, the license
 * asked for in `license_id`, their reason in `reason`). `decision_note` is the admin's reason on deny.
 */
export const seatRequests = sqliteTable(
  'seat_requests',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    email: text('email').notNull(),
    projectInvitationId: integer('project_invitation_id').references(() => invitations.id),
    requestedBy: integer('requested_by')
      .notNull()
      .references(() => people.id),
    status: text('status', { enum: ['pending', 'approved', 'denied'] }).notNull(),
    decidedBy: integer('decided_by').references(() => people.id),
    licenseId: integer('license_id').references(() => licenses.id),
    licenseInvitationId: integer('license_invitation_id').references(() => invitations.id),
    reason: text('reason'),
    decisionNote: text('decision_note'),
    createdAt: integer('created_at').notNull(),
    decidedAt: integer('decided_at'),
  },
  (t) => [index('seat_requests_status').on(t.status), index('seat_requests_person').on(t.personId, t.status)],
);
