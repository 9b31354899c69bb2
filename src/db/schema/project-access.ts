import { sqliteTable, integer, text, uniqueIndex, index } from 'drizzle-orm/sqlite-core';
import { people } from './people.js';
import { projects } from './projects.js';
import { invitations } from './invitations.js';

/**
 * Who has a project: a Web member, or the holder of a Desktop copy. Kept when a seat is revoked
 * (the access is then unusable until the person holds a seat again), never deleted silently.
 */
export const projectAccess = sqliteTable(
  'project_access',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    email: text('email'),
    kind: text('kind', { enum: ['member', 'copy'] }).notNull(),
    invitationId: integer('invitation_id').references(() => invitations.id),
    createdAt: integer('created_at').notNull(),
    /**
     * Web: `awaiting` until the owner added the person in ATLAS.ti Web's Project Settings (Done);
     * Desktop: `handed_over` at once, since accepting reveals the owner's link to them.
     */
    handoff: text('handoff', { enum: ['awaiting', 'handed_over'] }).notNull().default('awaiting'),
    handedOverAt: integer('handed_over_at'),
    handedOverBy: integer('handed_over_by').references(() => people.id),
  },
  (t) => [uniqueIndex('project_access_one').on(t.projectId, t.personId), index('project_access_person').on(t.personId)],
);
