import { sqliteTable, integer, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';
import { people } from './people.js';

/**
 * A license pool: a number of seats of the software. `concurrent` (ATLAS.ti's multi-user and campus
 * licenses): any number of members, `seats` of them using the software at the same time, with an
 * optional cap on members; `assigned`: one seat per member. Pools from before the choice existed
 * stay `assigned` (the column's default); new ones are `concurrent` unless the admin says otherwise.
 */
export const licenses = sqliteTable(
  'licenses',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    seats: integer('seats').notNull(),
    seatModel: text('seat_model', { enum: ['concurrent', 'assigned'] }).notNull().default('assigned'),
    memberCap: integer('member_cap'),
    /** the license's own invitation link or code from the ATLAS.ti account portal, sealed (secret-box.ts); never stored plain */
    linkSealed: text('link_sealed'),
    linkSetAt: integer('link_set_at'),
    createdBy: integer('created_by').references(() => people.id),
    createdAt: integer('created_at').notNull(),
    // a retired pool takes no invitations and holds no seats; it is kept for the audit and exports
    retiredAt: integer('retired_at'),
  },
  // names are picked by people typing them, so two pools may not differ only in letter case
  (t) => [uniqueIndex('licenses_name_nocase').on(sql`${t.name} COLLATE NOCASE`)],
);
