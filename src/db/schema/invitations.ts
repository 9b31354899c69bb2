import { sqliteTable, integer, text, uniqueIndex, index } from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';
import { people } from './people.js';
import { licenses } from './licenses.js';
import { projects } from './projects.js';

/** Invitations: `kind` says which of the two (a license seat, or a project). */
export const invitations = sqliteTable(
  'invitations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: ['license', 'project'] }).notNull(),
    licenseId: integer('license_id').references(() => licenses.id),
    projectId: integer('project_id').references(() => projects.id),
    // project invitations: the owner's words, and for Desktop the link revealed to the invitee on accepting
    message: text('message'),
    desktopLink: text('desktop_link'),
    inviteeId: integer('invitee_id')
      .notNull()
      .references(() => people.id),
    // the account email the seat is for, exact case
    inviteeEmail: text('invitee_email'),
    inviterId: integer('inviter_id')
      .notNull()
      .references(() => people.id),
    // waiting_for_seat: a project invitation held back until its invitee holds a seat
    status: text('status', { enum: ['pending', 'waiting_for_seat', 'accepted', 'declined', 'revoked', 'expired'] }).notNull(),
    // sha256 of the personalized link's token; the token itself is never stored
    tokenHash: text('token_hash').notNull(),
    platform: text('platform').notNull(),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    remindersSent: integer('reminders_sent').notNull().default(0),
    lastRemindedAt: integer('last_reminded_at'),
    confirmRequestedAt: integer('confirm_requested_at'),
    decidedAt: integer('decided_at'),
    decidedBy: integer('decided_by').references(() => people.id),
    // where the invitee's DM about this invitation is, so it can be updated in place
    dmChannel: text('dm_channel'),
    dmTs: text('dm_ts'),
    // why the last message to the invitee could not be delivered (they left, were deactivated …)
    deliveryProblem: text('delivery_problem'),
    // the bulk run this invitation was sent in, if any
    runId: integer('run_id'),
  },
  (t) => [
    uniqueIndex('invitations_token_hash').on(t.tokenHash),
    // one pending invitation per person and pool, enforced by the database too
    uniqueIndex('invitations_one_pending_license')
      .on(t.licenseId, t.inviteeId)
      .where(sql`${t.status} = 'pending' AND ${t.kind} = 'license'`),
    uniqueIndex('invitations_one_open_project')
      .on(t.projectId, t.inviteeId)
      .where(sql`${t.status} IN ('pending', 'waiting_for_seat') AND ${t.kind} = 'project'`),
    index('invitations_status').on(t.status, t.sentAt),
    // the sweeps read only what is due: cost grows with what is due, not with what is stored; the
    // reminder sweep's list is answered from this index alone (it covers every column the list reads)
    index('invitations_reminder_due_covering').on(t.status, sql`COALESCE(${t.lastRemindedAt}, ${t.sentAt})`, t.remindersSent, t.expiresAt, t.inviteeId),
    index('invitations_expiry_due').on(t.status, t.expiresAt),
    index('invitations_invitee').on(t.inviteeId),
    index('invitations_run').on(t.runId),
  ],
);
