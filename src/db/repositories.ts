/** The SQLite (drizzle) implementations of the domain's ports. */
import { and, asc, count, desc, eq, getTableColumns, getTableName, gt, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type Database from 'better-sqlite3';
import { promisedMethods } from './promised.js';
import { toAuditEntry, toInvitation, toLicense, toPerson } from './rows.js';
import type {
  AdminRepository,
  AuditEntry,
  AuditRepository,
  DownloadRepository,
  InvitationRepository,
  LicenseRepository,
  OutboxMessage,
  OutboxRepository,
  PeopleRepository,
  BulkRun,
  BulkRunRepository,
  InviteRequest,
  InviteRequestRepository,
  ProjectAccessRepository,
  ProjectRepository,
  Repositories,
  RepositoriesSync,
  ReturnedCopyRepository,
  SeatRepository,
  SeatRequestRepository,
  Store,
  SubjectState,
  SecretBox,
} from '../domain/index.js';
import { DomainError, SEALED_LINK, carriesLink, isSealedLink, subjectsOf } from '../domain/index.js';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { DatabaseUnavailable, type Database$, type Db } from './connection.js';
import { databaseBusy, databaseDown } from './unavailable.js';
import { admins, auditLog, bulkRuns, downloads, inviteRequests, invitations, licenses, outbox, outboxSubjects, people, projectAccess, projects, returnedCopies, seatRequests, seats, subjectStates } from './schema/index.js';

/** A placeholder, filled in when a query built once is run (`.get({ id })`). */
const $ = (name: string) => sql.placeholder(name);

/**
 * `column IN (…)` over a list given as one JSON parameter (SQLite's json_each): the statement's text
 * is the same for any list, so it is compiled once (the statement cache keeps it), where a
 * parameter per value made drizzle build a new statement of 1,000 placeholders for each group
 * (a tenth of a bulk invitation's time, issue #19).
 */
const anyOf = (column: SQLiteColumn, values: readonly (number | string)[]): SQL => sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`;

/** ids looked up a thousand at a time: a statement takes at most 32,766 parameters */
function inGroups<T, K extends number | string = number>(ids: readonly K[], read: (group: K[]) => T[]): T[] {
  const found: T[] = [];
  for (let from = 0; from < ids.length; from += 1000) found.push(...read(ids.slice(from, from + 1000)));
  return found;
}

/** `items` by `key`, each group in the order given */
function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/**
 * Inserts built once per set of columns given and number of rows: one INSERT … VALUES (…), (…) …
 * per ROWS_PER_INSERT rows of one shape (the rest in runs of 64, 32 … 1, so a shape keeps eight
 * statements at most), its text made here once (drizzle would build the SQL again on every call,
 * and a statement of thousands of parameters for many rows), compiled outside the connection's
 * statement cache (it would push the hot statements out). Each value and each returned column is
 * mapped by the column itself (a JSON column to and from its text), as drizzle maps them; what a
 * row leaves out (or gives as undefined) takes the column's default. A bulk invitation writes
 * thousands of rows through the same few shapes.
 */
function insertOnce<T extends SQLiteTable>(db: Db, table: T) {
  const columns = getTableColumns(table) as Record<string, SQLiteColumn>;
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
  const returned = Object.entries(columns)
    .map(([k, c]) => `${quote(c.name)} AS ${quote(k)}`)
    .join(', ');
  const sqlite = db.$client;
  const built = new Map<string, Database.Statement>();
  // what a statement gives back: the whole rows, their ids only, or nothing
  type Back = 'rows' | 'ids' | 'nothing';
  const insertRows = (keys: string[], rows: Record<string, unknown>[], back: Back): Record<string, unknown>[] => {
    const cacheKey = `${back}|${keys.join(',')}|${rows.length}`;
    let stmt = built.get(cacheKey);
    if (stmt === undefined) {
      const one = `(${keys.map(() => '?').join(', ')})`;
      const returning = back === 'rows' ? ` RETURNING ${returned}` : back === 'ids' ? ' RETURNING "id" AS "id"' : '';
      // a row that gives no column at all (one row a statement: keysOf sets every such row apart)
      const values = keys.length === 0 ? 'DEFAULT VALUES' : `(${keys.map((k) => quote(columns[k]!.name)).join(', ')}) VALUES ${rows.map(() => one).join(', ')}`;
      stmt = (Object.getPrototypeOf(sqlite) as Database.Database).prepare.call(sqlite, `INSERT INTO ${quote(getTableName(table))} ${values}${returning}`);
      built.set(cacheKey, stmt);
    }
    const params: unknown[] = [];
    for (const r of rows) for (const k of keys) params.push(r[k] === null ? null : columns[k]!.mapToDriverValue(r[k]));
    if (back === 'nothing') {
      stmt.run(...params);
      return [];
    }
    // (SQLite makes every change of the statement at its first step, then hands the rows back)
    const out = stmt.all(...params) as Record<string, unknown>[];
    if (back === 'rows') for (const row of out) for (const k in row) if (row[k] !== null) row[k] = columns[k]!.mapFromDriverValue(row[k]);
    // in the order given: each new row's id is one more than the one before it (or the one given)
    if (!keys.includes('id')) return out.sort((x, y) => Number(x.id) - Number(y.id));
    const byId = new Map(out.map((row) => [Number(row.id), row]));
    return rows.map((r) => byId.get(Number(r.id))!);
  };
  /** the columns a row gives (drizzle leaves out an undefined value, and what is no column) */
  const keysOf = (row: Record<string, unknown>) => Object.keys(row).filter((k) => row[k] !== undefined && k in columns).sort();
  const insertMany = (rows: readonly Record<string, unknown>[], back: Back): Record<string, unknown>[] => {
    const out: Record<string, unknown>[] = [];
    for (let from = 0; from < rows.length; ) {
      const keys = keysOf(rows[from]!);
      const shape = keys.join(',');
      // the run of rows of the same shape that follows, ROWS_PER_INSERT at most (a row of no column alone)
      let to = from + 1;
      while (keys.length > 0 && to < rows.length && to - from < ROWS_PER_INSERT && keysOf(rows[to]!).join(',') === shape) to++;
      // 100, or the largest power of two that fits: 64, 32 … 1
      const size = to - from === ROWS_PER_INSERT ? ROWS_PER_INSERT : 2 ** Math.floor(Math.log2(to - from));
      out.push(...insertRows(keys, rows.slice(from, from + size), back));
      from += size;
    }
    return out;
  };
  return {
    returning: <R>(values: Record<string, unknown>): R => insertMany([values], 'rows')[0] as R,
    /** the rows inserted, in the order given */
    returningMany: <R>(rows: readonly Record<string, unknown>[]): R[] => insertMany(rows, 'rows') as R[],
    /** the new rows' ids, in the order given (a table whose key is `id`) */
    idsMany: (rows: readonly Record<string, unknown>[]): number[] => insertMany(rows, 'ids').map((r) => Number(r.id)),
    runMany: (rows: readonly Record<string, unknown>[]): void => void insertMany(rows, 'nothing'),
  };
}

/** rows to one multi-row INSERT: 100 rows of 20 columns is 2,000 parameters (SQLite takes 32,766) */
const ROWS_PER_INSERT = 100;



/**
 * The reminder sweep's list: only columns of the covering index invitations_reminder_due_covering,
 * so it is answered from the index without reading a row of the table (exported for the test that
 * checks the plan).
 */
export const dueForReminderQuery = (db: Db) =>
  db
    .select({ id: invitations.id, inviteeId: invitations.inviteeId, remindersSent: invitations.remindersSent, expiresAt: invitations.expiresAt })
    .from(invitations)
    .where(
      and(
        eq(invitations.status, 'pending'),
        sql`COALESCE(${invitations.lastRemindedAt}, ${invitations.sentAt}) <= ${$('cutoff')}`,
        sql`${invitations.remindersSent} < ${$('max')}`,
      ),
    )
    .orderBy(sql`COALESCE(${invitations.lastRemindedAt}, ${invitations.sentAt})`)
    .limit($('limit'));


function peopleRepository(db: Db): PeopleRepository {
  const byId = db.select().from(people).where(eq(people.id, $('id'))).prepare();
  const bySlackId = db.select().from(people).where(and(eq(people.slackTeamId, $('teamId')), eq(people.slackUserId, $('userId')))).prepare();
  const byEmail = db.select().from(people).where(eq(people.email, $('email'))).orderBy(asc(people.id)).prepare();
  const insert = insertOnce(db, people);
  return {
    byId: (id) => {
      const r = byId.get({ id });
      return r && toPerson(r);
    },
    bySlackId: (teamId, userId) => {
      const r = bySlackId.get({ teamId, userId });
      return r && toPerson(r);
    },
    byTeamsId: (tenantId, aadObjectId) => {
      const r = db.select().from(people).where(and(eq(people.teamsTenantId, tenantId), eq(people.teamsAadId, aadObjectId))).get();
      return r && toPerson(r);
    },
    bySlackIds: (teamId, userIds) =>
      inGroups(userIds, (group) => db.select().from(people).where(and(eq(people.slackTeamId, teamId), anyOf(people.slackUserId, group))).all().map(toPerson)),
    byIds: (ids) => inGroups(ids, (group) => db.select().from(people).where(anyOf(people.id, group)).all().map(toPerson)),
    byEmail: (email) => byEmail.all({ email }).map(toPerson),
    byEmails: (emails) => inGroups(emails, (group) => db.select().from(people).where(anyOf(people.email, group)).all()).sort((a, b) => a.id - b.id).map(toPerson),
    // the transaction's write lock (BEGIN IMMEDIATE) already holds every email
    holdEmails: () => undefined,
    knownEmails: () =>
      db
        .all<{ email: string }>(
          sql`SELECT email FROM people WHERE email IS NOT NULL AND (slack_user_id IS NOT NULL OR teams_aad_id IS NOT NULL)
              UNION SELECT email FROM seats WHERE email IS NOT NULL
              UNION SELECT invitee_email FROM invitations WHERE kind = 'license' AND status = 'pending' AND invitee_email IS NOT NULL`,
        )
        .map((r) => r.email),
    insert: (p, at) => toPerson(insert.returning<typeof people.$inferSelect>({ ...p, createdAt: at, updatedAt: at })),
    insertMany: (ps, at) => insert.returningMany<typeof people.$inferSelect>(ps.map((p) => ({ ...p, createdAt: at, updatedAt: at }))).map(toPerson),
    update: (id, patch, at) => toPerson(db.update(people).set({ ...patch, updatedAt: at }).where(eq(people.id, id)).returning().get()),
  };
}

function adminRepository(db: Db): AdminRepository {
  const isAdmin = db.select({ id: admins.personId }).from(admins).where(eq(admins.personId, $('personId'))).prepare();
  return {
    isAdmin: (personId) => isAdmin.get({ personId }) !== undefined,
    add: (personId, addedBy, at) =>
      db.insert(admins).values({ personId, addedBy: addedBy || null, createdAt: at }).onConflictDoNothing().run().changes > 0,
    remove: (personId) => db.delete(admins).where(eq(admins.personId, personId)).run().changes > 0,
  };
}

function licenseRepository(db: Db): LicenseRepository {
  const licenseById = db.select().from(licenses).where(eq(licenses.id, $('id'))).prepare();
  const occupiedQ = db.select({ n: count() }).from(seats).where(and(eq(seats.licenseId, $('licenseId')), eq(seats.status, 'occupied'))).prepare();
  const reservedQ = db
    .select({ n: count() })
    .from(invitations)
    .where(and(eq(invitations.licenseId, $('licenseId')), eq(invitations.kind, 'license'), eq(invitations.status, 'pending')))
    .prepare();
  const usage = (licenseId: number) => {
    const occupied = occupiedQ.get({ licenseId })?.n ?? 0;
    const reserved = reservedQ.get({ licenseId })?.n ?? 0;
    return { occupied, reserved };
  };
  return {
    insert: (l) => toLicense(db.insert(licenses).values(l).returning().get()),
    byId: (id) => {
      const r = licenseById.get({ id });
      return r && toLicense(r);
    },
    byIds: (ids) => inGroups(ids, (group) => db.select().from(licenses).where(anyOf(licenses.id, group)).all().map(toLicense)),
    byName: (name) => {
      const r = db.select().from(licenses).where(sql`${licenses.name} = ${name} COLLATE NOCASE`).get();
      return r && toLicense(r);
    },
    list: () => db.select().from(licenses).where(isNull(licenses.retiredAt)).orderBy(asc(licenses.name)).all().map(toLicense),
    sealedLink: (licenseId) => db.select({ sealed: licenses.linkSealed }).from(licenses).where(eq(licenses.id, licenseId)).get()?.sealed ?? null,
    setLink: (licenseId, sealed, at) => {
      db.update(licenses).set({ linkSealed: sealed, linkSetAt: at }).where(eq(licenses.id, licenseId)).run();
    },
    update: (licenseId, patch) => {
      db.update(licenses).set(patch).where(eq(licenses.id, licenseId)).run();
    },
    usage,
    listUsage: () =>
      db
        .select()
        .from(licenses)
        .where(isNull(licenses.retiredAt))
        .orderBy(asc(licenses.name))
        .all()
        .map((r) => ({ license: toLicense(r), ...usage(r.id) })),
  };
}

function invitationRepository(db: Db): InvitationRepository {
  const invitationById = db.select().from(invitations).where(eq(invitations.id, $('id'))).prepare();
  const pendingFor = db
    .select()
    .from(invitations)
    .where(and(eq(invitations.licenseId, $('licenseId')), eq(invitations.inviteeId, $('inviteeId')), eq(invitations.status, 'pending')))
    .prepare();
  const pendingInvitees = db
    .select({ inviteeId: invitations.inviteeId })
    .from(invitations)
    .where(and(eq(invitations.licenseId, $('licenseId')), eq(invitations.kind, 'license'), eq(invitations.status, 'pending')))
    .prepare();
  const insert = insertOnce(db, invitations);
  // every verb that counts seats asks this first (expireOverdue), so it is built once
  const overdue = db
    .select()
    .from(invitations)
    .where(and(inArray(invitations.status, ['pending', 'waiting_for_seat']), sql`${invitations.expiresAt} <= ${$('now')}`))
    .orderBy(asc(invitations.expiresAt))
    .limit($('limit'))
    .prepare();
  const dueForReminder = dueForReminderQuery(db).prepare();
  // the sweep runs this once per reminder: built once
  const markReminded = db
    .update(invitations)
    .set({ remindersSent: sql`${$('next')}`, lastRemindedAt: sql`${$('at')}` })
    .where(and(eq(invitations.id, $('id')), eq(invitations.status, 'pending'), eq(invitations.remindersSent, $('sentSoFar'))))
    .prepare();
  const byId = (id: number) => {
    const r = invitationById.get({ id });
    return r && toInvitation(r);
  };
  return {
    insert: (i) => toInvitation(insert.returning<typeof invitations.$inferSelect>(i)),
    insertMany: (rows) => insert.returningMany<typeof invitations.$inferSelect>(rows).map(toInvitation),
    byId,
    toDecide: byId,
    openForProject: (projectId, inviteeId) => {
      const r = db
        .select()
        .from(invitations)
        .where(and(eq(invitations.projectId, projectId), eq(invitations.inviteeId, inviteeId), inArray(invitations.status, ['pending', 'waiting_for_seat'])))
        .get();
      return r && toInvitation(r);
    },
    waitingForSeat: (inviteeId) =>
      db
        .select()
        .from(invitations)
        .where(and(eq(invitations.inviteeId, inviteeId), eq(invitations.status, 'waiting_for_seat')))
        .orderBy(asc(invitations.id))
        .all()
        .map(toInvitation),
    listForRun: (runId) => db.select().from(invitations).where(eq(invitations.runId, runId)).orderBy(asc(invitations.id)).all().map(toInvitation),
    byTokenHash: (hash) => {
      const r = db.select().from(invitations).where(eq(invitations.tokenHash, hash)).get();
      return r && toInvitation(r);
    },
    pendingFor: (licenseId, inviteeId) => {
      const r = pendingFor.get({ licenseId, inviteeId });
      return r && toInvitation(r);
    },
    pendingInvitees: (licenseId) => pendingInvitees.all({ licenseId }).map((r) => r.inviteeId),
    pendingAmong: (licenseId, inviteeIds) =>
      inGroups(inviteeIds, (group) =>
        db
          .select()
          .from(invitations)
          .where(and(eq(invitations.licenseId, licenseId), eq(invitations.kind, 'license'), eq(invitations.status, 'pending'), anyOf(invitations.inviteeId, group)))
          .all()
          .map(toInvitation),
      ),
    // `… WHERE status = expected`: zero rows changed means someone else moved it first
    transition: (id, expected, patch) =>
      db.update(invitations).set(patch).where(and(eq(invitations.id, id), eq(invitations.status, expected))).run().changes === 1,
    markReminded: (id, sentSoFar, at) => markReminded.run({ id, sentSoFar, next: sentSoFar + 1, at }).changes === 1,
    // one conditional UPDATE … RETURNING per count read (a sweep's batch has at most REMINDER_MAX of
    // them), found by id: `+status` keeps the planner off invitations_reminder_due_covering, whose
    // range holds every due invitation (10,000 at a million stored), not just the batch's
    claimReminders: (claims, cutoff, at) =>
      [...groupBy(claims, (c) => c.sentSoFar)].flatMap(([sentSoFar, group]) =>
        inGroups(
          group.map((c) => c.id),
          (ids) =>
            db
              .update(invitations)
              .set({ remindersSent: sentSoFar + 1, lastRemindedAt: at })
              .where(
                and(
                  anyOf(invitations.id, ids),
                  sql`+${invitations.status} = 'pending'`,
                  eq(invitations.remindersSent, sentSoFar),
                  sql`COALESCE(${invitations.lastRemindedAt}, ${invitations.sentAt}) <= ${cutoff}`,
                ),
              )
              .returning()
              .all()
              .map(toInvitation),
        ),
      ),
    update: (id, patch) => {
      db.update(invitations).set(patch).where(eq(invitations.id, id)).run();
    },
    listForProjectWaiting: () =>
      db.select().from(invitations).where(eq(invitations.status, 'waiting_for_seat')).orderBy(asc(invitations.sentAt)).all().map(toInvitation),
    dueForReminder: (cutoff, max, limit) => dueForReminder.all({ cutoff, max, limit }),
    overdue: (now, limit) => overdue.all({ now, limit }).map(toInvitation),
    listPending: () => db.select().from(invitations).where(eq(invitations.status, 'pending')).orderBy(asc(invitations.sentAt)).all().map(toInvitation),
    all: (licenseId) =>
      db
        .select()
        .from(invitations)
        .where(licenseId === undefined ? undefined : eq(invitations.licenseId, licenseId))
        .orderBy(asc(invitations.id))
        .all()
        .map(toInvitation),
    listForInvitee: (personId) =>
      db.select().from(invitations).where(eq(invitations.inviteeId, personId)).orderBy(asc(invitations.id)).all().map(toInvitation),
  };
}

function seatRepository(db: Db): SeatRepository {
  const holds = db
    .select({ id: seats.id })
    .from(seats)
    .where(and(eq(seats.licenseId, $('licenseId')), eq(seats.personId, $('personId')), eq(seats.status, 'occupied')))
    .prepare();
  const holders = db.select({ personId: seats.personId }).from(seats).where(and(eq(seats.licenseId, $('licenseId')), eq(seats.status, 'occupied'))).prepare();
  return {
    occupy: (s) => {
      const r = db
        .insert(seats)
        .values({ licenseId: s.licenseId, personId: s.personId, email: s.email, invitationId: s.invitationId, status: 'occupied', occupiedAt: s.at, handoffVia: s.handoffVia ?? 'admin' })
        .returning()
        .get();
      return { ...r, status: 'occupied' };
    },
    occupiedBy: (personId) =>
      db
        .select()
        .from(seats)
        .where(and(eq(seats.personId, personId), eq(seats.status, 'occupied')))
        .all()
        .map((r) => ({ ...r, status: r.status })),
    occupiedAmong: (personIds) =>
      inGroups(personIds, (group) =>
        db
          .select()
          .from(seats)
          .where(and(anyOf(seats.personId, group), eq(seats.status, 'occupied')))
          .all()
          .map((r) => ({ ...r, status: r.status })),
      ),
    occupiedByEmailAnyCase: (email) =>
      db
        .select()
        .from(seats)
        .where(and(sql`${seats.email} = ${email} COLLATE NOCASE`, eq(seats.status, 'occupied')))
        .all(),
    release: (id, at) =>
      db.update(seats).set({ status: 'released', releasedAt: at }).where(and(eq(seats.id, id), eq(seats.status, 'occupied'))).run().changes === 1,
    byId: (id) => db.select().from(seats).where(eq(seats.id, id)).get(),
    byInvitation: (invitationId) => db.select().from(seats).where(eq(seats.invitationId, invitationId)).orderBy(desc(seats.id)).get(),
    handOver: (id, by, at, via) =>
      db
        .update(seats)
        .set({ handoff: 'handed_over', handedOverAt: at, handedOverBy: by || null, ...(via ? { handoffVia: via } : {}) })
        .where(and(eq(seats.id, id), eq(seats.status, 'occupied'), eq(seats.handoff, 'awaiting')))
        .run().changes === 1,
    reopenHandoff: (id) =>
      db
        .update(seats)
        .set({ handoff: 'awaiting', handedOverAt: null, handedOverBy: null })
        .where(and(eq(seats.id, id), eq(seats.status, 'occupied'), eq(seats.handoff, 'handed_over')))
        .run().changes === 1,
    awaitingAdmin: () =>
      db
        .select()
        .from(seats)
        .where(and(eq(seats.status, 'occupied'), eq(seats.handoff, 'awaiting'), eq(seats.handoffVia, 'admin')))
        .orderBy(asc(seats.licenseId), asc(seats.id))
        .all(),
    rerouteHandoff: (id, via) =>
      db.update(seats).set({ handoffVia: via }).where(and(eq(seats.id, id), eq(seats.status, 'occupied'), eq(seats.handoff, 'awaiting'))).run().changes === 1,
    occupiedIn: (licenseId) => db.select().from(seats).where(and(eq(seats.licenseId, licenseId), eq(seats.status, 'occupied'))).orderBy(asc(seats.id)).all(),
    notJoined: (licenseId) =>
      db
        .select()
        .from(seats)
        .where(and(eq(seats.licenseId, licenseId), eq(seats.status, 'occupied'), inArray(seats.handoff, ['awaiting', 'handed_over'])))
        .orderBy(asc(seats.id))
        .all(),
    markJoined: (id, at) =>
      db
        .update(seats)
        .set({ handoff: 'joined', joinedAt: at })
        .where(and(eq(seats.id, id), eq(seats.status, 'occupied'), inArray(seats.handoff, ['awaiting', 'handed_over'])))
        .run().changes === 1,
    holds: (licenseId, personId) => holds.get({ licenseId, personId }) !== undefined,
    holders: (licenseId) => holders.all({ licenseId }).map((r) => r.personId),
    holdersAmong: (personIds, licenseId) =>
      inGroups(personIds, (group) =>
        db
          .selectDistinct({ personId: seats.personId })
          .from(seats)
          .where(and(anyOf(seats.personId, group), eq(seats.status, 'occupied'), licenseId === undefined ? undefined : eq(seats.licenseId, licenseId)))
          .all()
          .map((r) => r.personId),
      ),
  };
}

function projectRepository(db: Db): ProjectRepository {
  return {
    insert: (p) => db.insert(projects).values(p).returning().get(),
    byId: (id) => db.select().from(projects).where(eq(projects.id, id)).get(),
    byIds: (ids) => inGroups(ids, (group) => db.select().from(projects).where(anyOf(projects.id, group)).all()),
    byOwnerAndName: (ownerId, name) => db.select().from(projects).where(and(eq(projects.ownerId, ownerId), sql`${projects.name} = ${name} COLLATE NOCASE`)).get(),
    listByOwner: (ownerId) => db.select().from(projects).where(eq(projects.ownerId, ownerId)).orderBy(asc(projects.name)).all(),
  };
}

function projectAccessRepository(db: Db): ProjectAccessRepository {
  return {
    grant: (a) => db.insert(projectAccess).values({ ...a, handedOverAt: a.handoff === 'handed_over' ? a.createdAt : null }).returning().get(),
    byId: (id) => db.select().from(projectAccess).where(eq(projectAccess.id, id)).get(),
    handOver: (id, by, at) =>
      db
        .update(projectAccess)
        .set({ handoff: 'handed_over', handedOverAt: at, handedOverBy: by || null })
        .where(and(eq(projectAccess.id, id), eq(projectAccess.handoff, 'awaiting')))
        .run().changes === 1,
    forPerson: (personId) => db.select().from(projectAccess).where(eq(projectAccess.personId, personId)).orderBy(asc(projectAccess.id)).all(),
    forProject: (projectId) => db.select().from(projectAccess).where(eq(projectAccess.projectId, projectId)).orderBy(asc(projectAccess.id)).all(),
    has: (projectId, personId) =>
      db.select().from(projectAccess).where(and(eq(projectAccess.projectId, projectId), eq(projectAccess.personId, personId))).get() !== undefined,
  };
}

function returnedCopyRepository(db: Db): ReturnedCopyRepository {
  return {
    insert: (c) => db.insert(returnedCopies).values(c).returning().get(),
    fromPerson: (personId) => db.select().from(returnedCopies).where(eq(returnedCopies.fromPersonId, personId)).orderBy(asc(returnedCopies.id)).all(),
  };
}

function seatRequestRepository(db: Db): SeatRequestRepository {
  return {
    insert: (r) => db.insert(seatRequests).values({ ...r, status: 'pending' }).returning().get(),
    byId: (id) => db.select().from(seatRequests).where(eq(seatRequests.id, id)).get(),
    pendingForInvitation: (id) =>
      db.select().from(seatRequests).where(and(eq(seatRequests.projectInvitationId, id), eq(seatRequests.status, 'pending'))).get(),
    openOwn: (personId, licenseId) =>
      db
        .select()
        .from(seatRequests)
        .where(and(eq(seatRequests.personId, personId), eq(seatRequests.status, 'pending'), isNull(seatRequests.projectInvitationId), eq(seatRequests.licenseId, licenseId)))
        .get(),
    listPending: () => db.select().from(seatRequests).where(eq(seatRequests.status, 'pending')).orderBy(asc(seatRequests.id)).all(),
    decide: (id, patch) => db.update(seatRequests).set(patch).where(and(eq(seatRequests.id, id), eq(seatRequests.status, 'pending'))).run().changes === 1,
  };
}


function downloadRepository(db: Db): DownloadRepository {
  return {
    insert: (d) => {
      db.insert(downloads).values(d).run();
    },
    take: (hash, now) =>
      db
        .delete(downloads)
        .where(and(eq(downloads.tokenHash, hash), gt(downloads.expiresAt, now)))
        .returning({ personId: downloads.personId, filename: downloads.filename, sealedContent: downloads.sealedContent, expiresAt: downloads.expiresAt })
        .get(),
    purgeExpired: (now) => db.delete(downloads).where(lte(downloads.expiresAt, now)).run().changes,
  };
}

function auditRepository(db: Db): AuditRepository {
  // one shape for every entry, built once: a sweep writes thousands of them
  const insert = db
    .insert(auditLog)
    .values({
      at: $('at'),
      platform: $('platform'),
      actorUserId: $('actorUserId'),
      actorPersonId: $('actorPersonId'),
      action: $('action'),
      subjectType: $('subjectType'),
      subjectId: $('subjectId'),
      details: $('details'),
    })
    .prepare();
  const record = (e: AuditEntry) => {
    insert.run({ ...e, actorUserId: e.actorUserId ?? null, actorPersonId: e.actorPersonId ?? null, subjectId: e.subjectId ?? null, details: e.details ?? null });
  };
  return {
    record,
    recordMany: (entries) => {
      for (const e of entries) record(e);
    },
    about: (subjects) => {
      if (subjects.length === 0) return [];
      return db
        .select()
        .from(auditLog)
        .where(or(...subjects.map((s) => and(eq(auditLog.subjectType, s.type), eq(auditLog.subjectId, s.id)))))
        .orderBy(asc(auditLog.at), asc(auditLog.id))
        .all()
        .map(toAuditEntry);
    },
    all: () =>
      db
        .select()
        .from(auditLog)
        .orderBy(asc(auditLog.id))
        .all()
        .map((r) => ({ id: r.id, ...toAuditEntry(r) })),
  };
}

function inviteRequestRepository(db: Db): InviteRequestRepository {
  const to = (r: typeof inviteRequests.$inferSelect): InviteRequest => ({ ...r, invitees: r.invitees as InviteRequest['invitees'] });
  return {
    insert: (r) => to(db.insert(inviteRequests).values({ ...r, status: 'pending' }).returning().get()),
    byId: (id) => {
      const r = db.select().from(inviteRequests).where(eq(inviteRequests.id, id)).get();
      return r && to(r);
    },
    decide: (id, status) => db.update(inviteRequests).set({ status }).where(and(eq(inviteRequests.id, id), eq(inviteRequests.status, 'pending'))).run().changes === 1,
  };
}

function bulkRunRepository(db: Db): BulkRunRepository {
  const to = (r: typeof bulkRuns.$inferSelect): BulkRun => ({ id: r.id, requestedBy: r.requestedBy, licenseId: r.licenseId, total: r.total, startedAt: r.startedAt, finishedAt: r.finishedAt });
  return {
    insert: (r) => to(db.insert(bulkRuns).values(r).returning().get()),
    byId: (id) => {
      const r = db.select().from(bulkRuns).where(eq(bulkRuns.id, id)).get();
      return r && to(r);
    },
    setTotal: (id, total) => {
      db.update(bulkRuns).set({ total }).where(eq(bulkRuns.id, id)).run();
    },
    finish: (id, at) => {
      db.update(bulkRuns).set({ finishedAt: at }).where(eq(bulkRuns.id, id)).run();
    },
  };
}

function outboxRepository(db: Db, secrets: SecretBox | undefined): OutboxRepository {
  // built once (insertOnce), the ids read back rather than the rows: a sweep or a bulk run queues
  // thousands, and reading each row back cost three times the insert
  const rows = insertOnce(db, outbox);
  const subjectRows = insertOnce(db, outboxSubjects);
  // a personal link is written sealed: no token reaches the database file or its log in plain
  const sealedOf = (queued: OutboxMessage) => (secrets && carriesLink(queued) && !isSealedLink(queued.link) ? { ...queued, link: `${SEALED_LINK}${secrets.seal(queued.link)}` } : queued);
  // what it is about: an update of one of these waits for it, and then reaches it too
  const subjectsFor = (message: OutboxMessage) => [...new Set(message.type === 'refresh' ? [message.subject] : subjectsOf(message))];
  const enqueueMany: OutboxRepository['enqueueMany'] = (items) => {
    const messages = items.map((q) => sealedOf(q.message));
    const ids = rows.idsMany(
      items.map(({ to, at, priority = 0 }, i) => ({
        createdAt: at,
        recipientType: to.type,
        recipientId: to.type === 'person' ? to.personId : null,
        payload: messages[i],
        status: 'pending',
        priority,
        // due at once: delivery runs on the wall clock, whatever clock the domain runs on
        nextAttemptAt: 0,
      })),
    );
    subjectRows.runMany(messages.flatMap((message, i) => subjectsFor(message).map((subject) => ({ outboxId: ids[i], subject }))));
    return ids;
  };
  const enqueue: OutboxRepository['enqueue'] = (to, message, at, priority) => enqueueMany([{ to, message, at, ...(priority === undefined ? {} : { priority }) }])[0]!;
  return {
    enqueue,
    enqueueMany,
    announce: (subject, state, at) => {
      db.insert(subjectStates).values({ subject, state, updatedAt: at }).onConflictDoUpdate({ target: subjectStates.subject, set: { state, updatedAt: at } }).run();
      // after the messages someone is waiting for: an update is never news
      enqueue({ type: 'updates' }, { type: 'refresh', subject }, at, 1);
    },
    stateOf: (subject) => db.select({ state: subjectStates.state }).from(subjectStates).where(eq(subjectStates.subject, subject)).get()?.state as SubjectState | undefined,
  };
}

/** A lock held elsewhere past the busy timeout, a database gone, a full disk: a polite answer, nothing changed. */
function unavailable(e: unknown): DomainError | undefined {
  const code = (e as { code?: unknown }).code;
  const gone = e instanceof DatabaseUnavailable || code === 'SQLITE_FULL' || code === 'SQLITE_READONLY' || code === 'SQLITE_IOERR' || String(code).startsWith('SQLITE_IOERR') || String(code).startsWith('SQLITE_READONLY');
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || String(code).startsWith('SQLITE_BUSY')) {
    return databaseBusy();
  }
  if (gone) return databaseDown('written');
  return undefined;
}

function repositoriesFor(db: Db, secrets?: SecretBox): RepositoriesSync {
  return {
    people: peopleRepository(db),
    admins: adminRepository(db),
    licenses: licenseRepository(db),
    invitations: invitationRepository(db),
    seats: seatRepository(db),
    projects: projectRepository(db),
    projectAccess: projectAccessRepository(db),
    returnedCopies: returnedCopyRepository(db),
    seatRequests: seatRequestRepository(db),
    downloads: downloadRepository(db),
    inviteRequests: inviteRequestRepository(db),
    bulkRuns: bulkRunRepository(db),
    audit: auditRepository(db),
    outbox: outboxRepository(db, secrets),
  };
}

/** A transaction that could not begin: another process held the write lock (nothing was done). */
class NotBegun {
  constructor(readonly busy: DomainError) {}
}

/** How long a transaction keeps trying to take the write lock another process holds, before it says "busy". */
const BEGIN_PATIENCE_MS = 1200;

/** Each repository of `sync` with every method answering with a promise (the port every engine offers). */
function promised(sync: RepositoriesSync): Repositories {
  const now = <R>(call: () => R): Promise<R> => Promise.resolve().then(call);
  return Object.fromEntries(Object.entries(sync).map(([name, repo]) => [name, promisedMethods(repo as object, now)])) as unknown as Repositories;
}

/**
 * Each transaction is BEGIN IMMEDIATE: it takes SQLite's write lock before its first read, so a
 * capacity check and the insert that relies on it are one atomic step even across processes.
 * The transactions of one process run one after another (a queue): SQLite has one connection
 * here, and an await inside one transaction must never let another one's statements in. A
 * transaction must not begin another inside it (a verb calling a verb): it would wait for its own
 * end (the domain's tests refuse it: `refuseNestedTurns`).
 * `afterCommit` listeners hear of a commit that queued messages (the deliverer is woken by them):
 * a transaction that only read, or changed nothing to deliver, wakes nobody.
 */
export function sqliteStore(
  database: Database$,
  o: { secrets?: SecretBox } = {},
): Store & { afterCommit(listener: () => void): void; sync<T>(fn: (r: RepositoriesSync) => T): T } {
  const base = repositoriesFor(database.db, o.secrets);
  const listeners: (() => void)[] = [];
  let queued = false;
  const syncRepos: RepositoriesSync = {
    ...base,
    outbox: {
      ...base.outbox,
      enqueue: (...args) => {
        queued = true;
        return base.outbox.enqueue(...args);
      },
      enqueueMany: (items) => {
        queued ||= items.length > 0;
        return base.outbox.enqueueMany(items);
      },
    },
  };
  const repos = promised(syncRepos);
  const sqlite = database.sqlite;
  // one try: the transaction, or (another process holding the write lock) word that it did not begin
  const run = async <T>(fn: (r: Repositories) => Promise<T>): Promise<T | NotBegun> => {
    queued = false;
    try {
      // a write to a file that is no longer the one on disk would be reported as made, and lost
      database.check();
      sqlite.exec('BEGIN IMMEDIATE');
    } catch (e) {
      // held past the busy timeout: the next tries (this one's, and everyone's) do not wait again
      database.lockMet(e);
      const said = unavailable(e) ?? e;
      if (said instanceof DomainError && said.details.cause === 'busy') return new NotBegun(said);
      throw said;
    }
    let result: T;
    try {
      result = await fn(repos);
      sqlite.exec('COMMIT');
    } catch (e) {
      // a ROLLBACK that fails must not hide why, nor leave the connection inside the transaction
      try {
        if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      } catch (rollback) {
        throw unavailable(rollback) ?? rollback;
      }
      throw unavailable(e) ?? e;
    }
    if (queued) {
      queued = false;
      // the deliverer woken here takes turns of its own, after this one
      for (const l of listeners) l();
    }
    return result;
  };
  return {
    transaction<T>(fn: (r: Repositories) => Promise<T>): Promise<T> {
      // another process holds the write lock: tried again without stopping this process (a try
      // waits at most BUSY_TIMEOUT_MS synchronously, and not at all for a moment after one did in
      // vain: Database$.lockMet), with sleeps between the tries that give the connection's turn to
      // the others meanwhile, for BEGIN_PATIENCE_MS, before saying "busy"
      return (async () => {
        const giveUpAt = Date.now() + BEGIN_PATIENCE_MS;
        for (let attempt = 1; ; attempt++) {
          const r = await database.serialized(() => run(fn));
          if (!(r instanceof NotBegun)) return r;
          const sleep = Math.min(40 * attempt, 200);
          if (Date.now() + sleep >= giveUpAt) throw r.busy;
          await new Promise((wake) => setTimeout(wake, sleep));
        }
      })();
    },
    /** a synchronous transaction, for code that has no await in it (test fixtures); refused while another is open */
    sync: <T>(fn: (r: RepositoriesSync) => T): T => {
      if (sqlite.inTransaction) throw new Error('a synchronous transaction while another is open');
      return sqlite.transaction(() => fn(syncRepos)).immediate();
    },
    afterCommit: (listener) => {
      listeners.push(listener);
    },
  };
}
