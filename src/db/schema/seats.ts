import { sqliteTable, integer, text, uniqueIndex, index } from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';
import { people } from './people.js';
import { licenses } from './licenses.js';
import { invitations } from './invitations.js';

/**
 * An occupied (or formerly occupied) seat of a license pool. Accepting in chat records the seat;
 * ATLAS.ti learns of it only when it is handed over (an admin adds the person in the account
 * portal and presses Done): `awaiting` until then, `handed_over` after, `joined` once the person
 * says it works. Seats from before hand-offs were tracked are `awaiting`: nothing says otherwise.
 */
export const seats = sqliteTable(
  'seats',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    licenseId: integer('license_id')
      .notNull()
      .references(() => licenses.id),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    email: text('email'),
    invitationId: integer('invitation_id').references(() => invitations.id),
    status: text('status', { enum: ['occupied', 'released'] }).notNull(),
    occupiedAt: integer('occupied_at').notNull(),
    releasedAt: integer('released_at'),
    handoff: text('handoff', { enum: ['awaiting', 'handed_over', 'joined'] }).notNull().default('awaiting'),
    handedOverAt: integer('handed_over_at'),
    handedOverBy: integer('handed_over_by').references(() => people.id),
    joinedAt: integer('joined_at'),
    /** how it is (to be) handed over: an admin's Done, the license's own link, or the provisioning webhook */
    handoffVia: text('handoff_via', { enum: ['admin', 'link', 'webhook'] }).notNull().default('admin'),
  },
  (t) => [
    uniqueIndex('seats_one_per_person')
      .on(t.licenseId, t.personId)
      .where(sql`${t.status} = 'occupied'`),
    index('seats_license').on(t.licenseId, t.status),
  ],
);
