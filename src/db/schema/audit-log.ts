import { sqliteTable, integer, text, index } from 'drizzle-orm/sqlite-core';

/** Who did what, when, from which platform: one row per change of an invitation, a seat or a pool. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    platform: text('platform').notNull(),
    actorUserId: text('actor_user_id'),
    actorPersonId: integer('actor_person_id'),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: integer('subject_id'),
    details: text('details', { mode: 'json' }),
  },
  (t) => [index('audit_subject').on(t.subjectType, t.subjectId)],
);
