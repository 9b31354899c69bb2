/**
 * The PostgreSQL schema. The SQLite schema (src/db/schema) is the one documented; this mirrors it
 * column for column, with the same table, column and index names and the same exports, so code
 * switches engine by import. Any change goes into both, then `npm run db:generate` (both engines).
 * Times (epoch milliseconds) are bigint read as numbers; JSON is jsonb; autoincrement ids are
 * identity columns; a name unique whatever its letter case (SQLite's COLLATE NOCASE) is unique on
 * lower(name).
 */
import { bigint, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/** A time in epoch milliseconds: past 2^31 long ago, so not a (32-bit) integer; read back as a number. */
const ms = (name: string) => bigint(name, { mode: 'number' });
/** An id given by the database (SQLite's INTEGER PRIMARY KEY AUTOINCREMENT). */
const id = () => integer('id').primaryKey().generatedByDefaultAsIdentity();

export const people = pgTable(
  'people',
  {
    id: id(),
    email: text('email'),
    slackTeamId: text('slack_team_id'),
    slackUserId: text('slack_user_id'),
    slackDmChannel: text('slack_dm_channel'),
    teamsTenantId: text('teams_tenant_id'),
    teamsAadId: text('teams_aad_id'),
    teamsUserId: text('teams_user_id'),
    teamsConversation: jsonb('teams_conversation'),
    displayName: text('display_name'),
    tz: text('tz'),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('people_slack_identity').on(t.slackTeamId, t.slackUserId),
    uniqueIndex('people_teams_identity').on(t.teamsTenantId, t.teamsAadId),
    index('people_email').on(t.email),
  ],
);

export const admins = pgTable('admins', {
  personId: integer('person_id')
    .primaryKey()
    .references(() => people.id),
  addedBy: integer('added_by').references(() => people.id),
  createdAt: ms('created_at').notNull(),
});

export const licenses = pgTable(
  'licenses',
  {
    id: id(),
    name: text('name').notNull(),
    seats: integer('seats').notNull(),
    seatModel: text('seat_model', { enum: ['concurrent', 'assigned'] }).notNull().default('assigned'),
    memberCap: integer('member_cap'),
    linkSealed: text('link_sealed'),
    linkSetAt: ms('link_set_at'),
    createdBy: integer('created_by').references(() => people.id),
    createdAt: ms('created_at').notNull(),
    retiredAt: ms('retired_at'),
  },
  (t) => [uniqueIndex('licenses_name_nocase').on(sql`lower(${t.name})`)],
);

export const projects = pgTable(
  'projects',
  {
    id: id(),
    name: text('name').notNull(),
    ownerId: integer('owner_id')
      .notNull()
      .references(() => people.id),
    edition: text('edition', { enum: ['desktop', 'web'] }).notNull(),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [uniqueIndex('projects_owner_name_nocase').on(t.ownerId, sql`lower(${t.name})`)],
);

export const invitations = pgTable(
  'invitations',
  {
    id: id(),
    kind: text('kind', { enum: ['license', 'project'] }).notNull(),
    licenseId: integer('license_id').references(() => licenses.id),
    projectId: integer('project_id').references(() => projects.id),
    message: text('message'),
    desktopLink: text('desktop_link'),
    inviteeId: integer('invitee_id')
      .notNull()
      .references(() => people.id),
    inviteeEmail: text('invitee_email'),
    inviterId: integer('inviter_id')
      .notNull()
      .references(() => people.id),
    status: text('status', { enum: ['pending', 'waiting_for_seat', 'accepted', 'declined', 'revoked', 'expired'] }).notNull(),
    tokenHash: text('token_hash').notNull(),
    platform: text('platform').notNull(),
    createdAt: ms('created_at').notNull(),
    sentAt: ms('sent_at').notNull(),
    expiresAt: ms('expires_at').notNull(),
    remindersSent: integer('reminders_sent').notNull().default(0),
    lastRemindedAt: ms('last_reminded_at'),
    confirmRequestedAt: ms('confirm_requested_at'),
    decidedAt: ms('decided_at'),
    decidedBy: integer('decided_by').references(() => people.id),
    dmChannel: text('dm_channel'),
    dmTs: text('dm_ts'),
    deliveryProblem: text('delivery_problem'),
    runId: integer('run_id'),
  },
  (t) => [
    uniqueIndex('invitations_token_hash').on(t.tokenHash),
    uniqueIndex('invitations_one_pending_license')
      .on(t.licenseId, t.inviteeId)
      .where(sql`${t.status} = 'pending' AND ${t.kind} = 'license'`),
    uniqueIndex('invitations_one_open_project')
      .on(t.projectId, t.inviteeId)
      .where(sql`${t.status} IN ('pending', 'waiting_for_seat') AND ${t.kind} = 'project'`),
    index('invitations_status').on(t.status, t.sentAt),
    index('invitations_reminder_due_covering').on(t.status, sql`COALESCE(${t.lastRemindedAt}, ${t.sentAt})`, t.remindersSent, t.expiresAt, t.inviteeId),
    index('invitations_expiry_due').on(t.status, t.expiresAt),
    index('invitations_invitee').on(t.inviteeId),
    index('invitations_run').on(t.runId),
  ],
);

export const seats = pgTable(
  'seats',
  {
    id: id(),
    licenseId: integer('license_id')
      .notNull()
      .references(() => licenses.id),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    email: text('email'),
    invitationId: integer('invitation_id').references(() => invitations.id),
    status: text('status', { enum: ['occupied', 'released'] }).notNull(),
    occupiedAt: ms('occupied_at').notNull(),
    releasedAt: ms('released_at'),
    handoff: text('handoff', { enum: ['awaiting', 'handed_over', 'joined'] }).notNull().default('awaiting'),
    handedOverAt: ms('handed_over_at'),
    handedOverBy: integer('handed_over_by').references(() => people.id),
    joinedAt: ms('joined_at'),
    handoffVia: text('handoff_via', { enum: ['admin', 'link', 'webhook'] }).notNull().default('admin'),
  },
  (t) => [
    uniqueIndex('seats_one_per_person')
      .on(t.licenseId, t.personId)
      .where(sql`${t.status} = 'occupied'`),
    index('seats_license').on(t.licenseId, t.status),
  ],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: id(),
    at: ms('at').notNull(),
    platform: text('platform').notNull(),
    actorUserId: text('actor_user_id'),
    actorPersonId: integer('actor_person_id'),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: integer('subject_id'),
    details: jsonb('details'),
  },
  (t) => [index('audit_subject').on(t.subjectType, t.subjectId)],
);

export const outbox = pgTable(
  'outbox',
  {
    id: id(),
    createdAt: ms('created_at').notNull(),
    recipientType: text('recipient_type', { enum: ['person', 'admin_channel', 'support_channel', 'webhook', 'updates'] }).notNull(),
    recipientId: integer('recipient_id'),
    payload: jsonb('payload').notNull(),
    status: text('status', { enum: ['pending', 'sent', 'failed'] }).notNull(),
    priority: integer('priority').notNull().default(0),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ms('next_attempt_at').notNull(),
    leaseOwner: text('lease_owner'),
    leaseUntil: ms('lease_until'),
    sentAt: ms('sent_at'),
    lastError: text('last_error'),
  },
  (t) => [index('outbox_due').on(t.status, t.nextAttemptAt), index('outbox_recipient').on(t.recipientType, t.recipientId, t.status, t.id)],
);

export const projectAccess = pgTable(
  'project_access',
  {
    id: id(),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    email: text('email'),
    kind: text('kind', { enum: ['member', 'copy'] }).notNull(),
    invitationId: integer('invitation_id').references(() => invitations.id),
    createdAt: ms('created_at').notNull(),
    handoff: text('handoff', { enum: ['awaiting', 'handed_over'] }).notNull().default('awaiting'),
    handedOverAt: ms('handed_over_at'),
    handedOverBy: integer('handed_over_by').references(() => people.id),
  },
  (t) => [uniqueIndex('project_access_one').on(t.projectId, t.personId), index('project_access_person').on(t.personId)],
);

export const returnedCopies = pgTable(
  'returned_copies',
  {
    id: id(),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id),
    fromPersonId: integer('from_person_id')
      .notNull()
      .references(() => people.id),
    link: text('link').notNull(),
    note: text('note'),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [index('returned_copies_project').on(t.projectId)],
);

export const seatRequests = pgTable(
  'seat_requests',
  {
    id: id(),
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
    createdAt: ms('created_at').notNull(),
    decidedAt: ms('decided_at'),
  },
  (t) => [index('seat_requests_status').on(t.status), index('seat_requests_person').on(t.personId, t.status)],
);

export const jobLeases = pgTable('job_leases', {
  key: text('key').primaryKey(),
  owner: text('owner').notNull(),
  until: ms('until').notNull(),
});

/** When the next post may go out, for allowances every instance shares (see the SQLite schema). */
export const postPacing = pgTable('post_pacing', {
  key: text('key').primaryKey(),
  nextAt: ms('next_at').notNull(),
});

export const teamsConversations = pgTable('teams_conversations', {
  id: text('id').primaryKey(),
  ref: jsonb('ref').notNull(),
  updatedAt: ms('updated_at').notNull(),
});

export const teamsWelcomes = pgTable('teams_welcomes', {
  conversationId: text('conversation_id').primaryKey(),
  at: ms('at').notNull(),
});

export const inviteRequests = pgTable('invite_requests', {
  id: id(),
  requestedBy: integer('requested_by')
    .notNull()
    .references(() => people.id),
  licenseId: integer('license_id')
    .notNull()
    .references(() => licenses.id),
  invitees: jsonb('invitees').notNull(),
  status: text('status', { enum: ['pending', 'confirmed', 'cancelled'] }).notNull(),
  createdAt: ms('created_at').notNull(),
});

export const bulkRuns = pgTable('bulk_runs', {
  id: id(),
  requestedBy: integer('requested_by')
    .notNull()
    .references(() => people.id),
  licenseId: integer('license_id')
    .notNull()
    .references(() => licenses.id),
  total: integer('total').notNull(),
  startedAt: ms('started_at').notNull(),
  finishedAt: ms('finished_at'),
  messagePlatform: text('message_platform', { enum: ['slack', 'teams'] }),
  messageChannel: text('message_channel'),
  messageTs: text('message_ts'),
});

export const outboxSubjects = pgTable(
  'outbox_subjects',
  {
    outboxId: integer('outbox_id')
      .notNull()
      .references(() => outbox.id),
    subject: text('subject').notNull(),
  },
  (t) => [primaryKey({ columns: [t.outboxId, t.subject] }), index('outbox_subjects_subject').on(t.subject, t.outboxId)],
);

export const subjectStates = pgTable('subject_states', {
  subject: text('subject').primaryKey(),
  state: jsonb('state').notNull(),
  updatedAt: ms('updated_at').notNull(),
});

export const postedMessages = pgTable('posted_messages', {
  outboxId: integer('outbox_id')
    .primaryKey()
    .references(() => outbox.id),
  platform: text('platform', { enum: ['slack', 'teams'] }).notNull(),
  channel: text('channel').notNull(),
  messageId: text('message_id').notNull(),
  postedAt: ms('posted_at').notNull(),
  updatedAt: ms('updated_at'),
  renderedHash: text('rendered_hash'),
});

export const slackInbox = pgTable(
  'slack_inbox',
  {
    id: id(),
    key: text('key').notNull().unique(),
    eventId: text('event_id').unique(),
    receivedAt: ms('received_at').notNull(),
    status: text('status', { enum: ['received', 'acked', 'done', 'abandoned'] }).notNull(),
    contentType: text('content_type').notNull(),
    sealedBody: text('sealed_body'),
    doneAt: ms('done_at'),
    owner: text('owner'),
    leaseUntil: ms('lease_until'),
  },
  (t) => [index('slack_inbox_status').on(t.status, t.receivedAt)],
);

/** Not an autoincrement id in SQLite either: the health check writes id 1. */
export const healthProbe = pgTable('health_probe', {
  id: integer('id').primaryKey(),
});

export const downloads = pgTable(
  'downloads',
  {
    id: id(),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    tokenHash: text('token_hash').notNull().unique(),
    filename: text('filename').notNull(),
    sealedContent: text('sealed_content').notNull(),
    createdAt: ms('created_at').notNull(),
    expiresAt: ms('expires_at').notNull(),
  },
  (t) => [index('downloads_expires').on(t.expiresAt)],
);
