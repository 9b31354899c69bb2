/**
 * The PostgreSQL (drizzle, node-postgres) implementations of the domain's ports: the same behaviour
 * as the SQLite ones (src/db/repositories.ts), method by method. Built once per transaction, on its
 * `tx`: every statement here runs inside the caller's transaction.
 */
import { and, asc, count, desc, eq, getTableColumns, gt, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgDatabase, PgQueryResultHKT, PgTable } from 'drizzle-orm/pg-core';
import type {
  BulkRun,
  InviteRequest,
  OutboxMessage,
  OutboxRepository,
  Promised,
  Repositories,
  SecretBox,
  SubjectState,
} from '../../domain/index.js';
import { SEALED_LINK, carriesLink, isSealedLink, subjectsOf } from '../../domain/index.js';
import type * as schema from './schema.js';
import { toAuditEntry, toInvitation, toLicense, toPerson } from '../rows.js';
import { admins, auditLog, bulkRuns, downloads, inviteRequests, invitations, licenses, outbox, outboxSubjects, people, projectAccess, projects, returnedCopies, seatRequests, seats, subjectStates } from './schema.js';

/** The database or a transaction on it (`db.transaction(async (tx) => …)`): both take the same queries. */
export type PgDb = PgDatabase<PgQueryResultHKT, typeof schema>;

/** The row an INSERT … RETURNING or an UPDATE of a known row gives back. */
function only<T>(rows: T[]): T {
  const [row] = rows;
  if (row === undefined) throw new Error('expected a row, the statement returned none');
  return row;
}

/**
 * `column = ANY(…)` over a list sent as one array parameter: drizzle built a statement of 1,000
 * placeholders for each group anew (issue #19). Whole numbers are compared as bigint (an integer
 * column's index serves it), anything else as text.
 */
const anyOf = (column: PgColumn, values: readonly (number | string)[]): SQL =>
  column.dataType === 'number' ? sql`${column} = ANY(${sql.param(values)}::bigint[])` : sql`${column} = ANY(${sql.param(values)}::text[])`;

/** Ids looked up a thousand to a statement (PostgreSQL takes at most 65,535 parameters in one). */
async function inGroups<R, K extends number | string = number>(ids: readonly K[], read: (group: K[]) => Promise<R[]>): Promise<R[]> {
  const found: R[] = [];
  for (let from = 0; from < ids.length; from += 1000) found.push(...(await read(ids.slice(from, from + 1000))));
  return found;
}

/**
 * Many rows in one INSERT, sent as a single jsonb parameter that PostgreSQL unpacks
 * (jsonb_to_recordset). drizzle's `.values([...])` makes a parameter of every value: for a chunk of
 * 500 invitations building them took longer than running the statement (55 ms against 20 ms in
 * all), and a bulk run does that while it holds the pool. Every row must give the same columns (one
 * it leaves out is NULL there, not its default). `returning` names the columns given back, in
 * drizzle's shape, in the order of the rows.
 */
async function insertRows<T extends PgTable, K extends keyof T['$inferSelect'] & string = never>(
  db: PgDb,
  table: T,
  rows: readonly T['$inferInsert'][],
  returning: readonly K[] = [],
): Promise<Pick<T['$inferSelect'], K>[]> {
  if (rows.length === 0) return [];
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const given = Object.keys(columns).filter((key) => rows.some((row) => (row as Record<string, unknown>)[key] !== undefined));
  const column = (key: string) => columns[key]!;
  // a json column's value goes in as JSON, everything else as drizzle would send it
  const json = rows.map((row) =>
    Object.fromEntries(
      given.map((key) => {
        const value = (row as Record<string, unknown>)[key] ?? null;
        return [column(key).name, value === null || column(key).dataType === 'json' ? value : column(key).mapToDriverValue(value)];
      }),
    ),
  );
  const names = sql.join(given.map((key) => sql.identifier(column(key).name)), sql`, `);
  const shape = sql.join(given.map((key) => sql`${sql.identifier(column(key).name)} ${sql.raw(column(key).getSQLType())}`), sql`, `);
  const back = returning.length > 0 ? sql` RETURNING ${sql.join(returning.map((key) => sql`${sql.identifier(column(key).name)} AS ${sql.identifier(key)}`), sql`, `)}` : sql``;
  const result = await db.execute(sql`INSERT INTO ${table} (${names}) SELECT ${names} FROM jsonb_to_recordset(${JSON.stringify(json)}::jsonb) AS r(${shape})${back}`);
  return (result as { rows: Record<string, unknown>[] }).rows.map(
    (row) => Object.fromEntries(returning.map((key) => [key, row[key] === null ? null : column(key).mapFromDriverValue(row[key])])) as Pick<T['$inferSelect'], K>,
  );
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

/** every column of an invitation, to read back the ones just written */
const INVITATION_COLUMNS = Object.keys(getTableColumns(invitations)) as (keyof typeof invitations.$inferSelect)[];
const PERSON_COLUMNS = Object.keys(getTableColumns(people)) as (keyof typeof people.$inferSelect)[];

/**
 * Names sorted as SQLite sorts them (BINARY: by code point, capitals first), not by the database's
 * locale: lists come out in the same order on both engines.
 */
const byName = (column: typeof licenses.name | typeof projects.name) => sql`${column} COLLATE "C"`;





function peopleRepository(db: PgDb): Repositories['people'] {
  return {
    byId: async (id) => {
      const [r] = await db.select().from(people).where(eq(people.id, id));
      return r && toPerson(r);
    },
    bySlackId: async (teamId, userId) => {
      const [r] = await db
        .select()
        .from(people)
        .where(and(eq(people.slackTeamId, teamId), eq(people.slackUserId, userId)));
      return r && toPerson(r);
    },
    byTeamsId: async (tenantId, aadObjectId) => {
      const [r] = await db
        .select()
        .from(people)
        .where(and(eq(people.teamsTenantId, tenantId), eq(people.teamsAadId, aadObjectId)));
      return r && toPerson(r);
    },
    bySlackIds: (teamId, userIds) =>
      inGroups(userIds, async (group) => (await db.select().from(people).where(and(eq(people.slackTeamId, teamId), anyOf(people.slackUserId, group)))).map(toPerson)),
    byIds: (ids) => inGroups(ids, async (group) => (await db.select().from(people).where(anyOf(people.id, group))).map(toPerson)),
    byEmail: async (email) => (await db.select().from(people).where(eq(people.email, email)).orderBy(asc(people.id))).map(toPerson),
    byEmails: async (emails) => (await inGroups(emails, (group) => db.select().from(people).where(anyOf(people.email, group)))).sort((a, b) => a.id - b.id).map(toPerson),
    holdEmails: async (emails) => {
      if (emails.length === 0) return;
      // a lock on each email itself (there may be no row yet to lock), released when the transaction
      // ends; two emails sharing a hash only wait for each other. Taken in one order (of the keys), so
      // two transactions holding overlapping sets queue rather than deadlock (a deadlock is run again anyway).
      await db.execute(
        sql`SELECT COUNT(pg_advisory_xact_lock(k)) FROM (
              SELECT DISTINCT hashtext('person-email:' || e) AS k FROM jsonb_array_elements_text(${JSON.stringify(emails)}::jsonb) AS e ORDER BY k
            ) AS held`,
      );
    },
    knownEmails: async () => {
      // sorted as SQLite's UNION gives them (BINARY): the email check's suggestions do not depend on the engine
      const result = await db.execute<{ email: string }>(
        sql`SELECT email FROM (
              SELECT email FROM people WHERE email IS NOT NULL AND (slack_user_id IS NOT NULL OR teams_aad_id IS NOT NULL)
              UNION SELECT email FROM seats WHERE email IS NOT NULL
              UNION SELECT invitee_email FROM invitations WHERE kind = 'license' AND status = 'pending' AND invitee_email IS NOT NULL
            ) AS known ORDER BY email COLLATE "C"`,
      );
      // node-postgres answers with a QueryResult; the generic PgDatabase does not know its shape
      return (result as { rows: { email: string }[] }).rows.map((r) => r.email);
    },
    insert: async (p, at) => toPerson(only(await db.insert(people).values({ ...p, createdAt: at, updatedAt: at }).returning())),
    insertMany: async (ps, at) => (await insertRows(db, people, ps.map((p) => ({ ...p, createdAt: at, updatedAt: at })), PERSON_COLUMNS)).map(toPerson),
    update: async (id, patch, at) => toPerson(only(await db.update(people).set({ ...patch, updatedAt: at }).where(eq(people.id, id)).returning())),
  };
}

function adminRepository(db: PgDb): Repositories['admins'] {
  return {
    isAdmin: async (personId) => (await db.select({ id: admins.personId }).from(admins).where(eq(admins.personId, personId))).length > 0,
    add: async (personId, addedBy, at) =>
      (await db.insert(admins).values({ personId, addedBy: addedBy || null, createdAt: at }).onConflictDoNothing().returning({ id: admins.personId })).length > 0,
    remove: async (personId) => (await db.delete(admins).where(eq(admins.personId, personId)).returning({ id: admins.personId })).length > 0,
  };
}

function licenseRepository(db: PgDb): Repositories['licenses'] {
  const counted = async (licenseId: number) => {
    const [occupied] = await db
      .select({ n: count() })
      .from(seats)
      .where(and(eq(seats.licenseId, licenseId), eq(seats.status, 'occupied')));
    const [reserved] = await db
      .select({ n: count() })
      .from(invitations)
      .where(and(eq(invitations.licenseId, licenseId), eq(invitations.kind, 'license'), eq(invitations.status, 'pending')));
    return { occupied: occupied?.n ?? 0, reserved: reserved?.n ?? 0 };
  };
  const inUse = () => db.select().from(licenses).where(isNull(licenses.retiredAt)).orderBy(byName(licenses.name));
  return {
    insert: async (l) => toLicense(only(await db.insert(licenses).values(l).returning())),
    byId: async (id) => {
      const [r] = await db.select().from(licenses).where(eq(licenses.id, id));
      return r && toLicense(r);
    },
    byIds: (ids) => inGroups(ids, async (group) => (await db.select().from(licenses).where(anyOf(licenses.id, group))).map(toLicense)),
    byName: async (name) => {
      const [r] = await db
        .select()
        .from(licenses)
        .where(sql`lower(${licenses.name}) = lower(${name})`);
      return r && toLicense(r);
    },
    list: async () => (await inUse()).map(toLicense),
    sealedLink: async (licenseId) => (await db.select({ sealed: licenses.linkSealed }).from(licenses).where(eq(licenses.id, licenseId)))[0]?.sealed ?? null,
    setLink: async (licenseId, sealed, at) => {
      await db.update(licenses).set({ linkSealed: sealed, linkSetAt: at }).where(eq(licenses.id, licenseId));
    },
    update: async (licenseId, patch) => {
      await db.update(licenses).set(patch).where(eq(licenses.id, licenseId));
    },
    usage: async (licenseId) => {
      // the pool's row is locked until the transaction ends: what is counted here is what the caller
      // decides on (a free seat, room under the cap), and another instance counting the same pool
      // waits for this decision and its writes, so two of them can never both take the last seat
      // (SQLite gets this from BEGIN IMMEDIATE; PostgreSQL's READ COMMITTED does not serialize otherwise).
      // FOR NO KEY UPDATE, the lock an UPDATE of the row takes: two counts still take turns, while a
      // row that refers to the pool (a seat, a request) written before the count does not deadlock with it
      await db.select({ id: licenses.id }).from(licenses).where(eq(licenses.id, licenseId)).for('no key update');
      return counted(licenseId);
    },
    // a list to look at, not a decision: nothing locked
    listUsage: async () => {
      const usages = [];
      for (const r of await inUse()) usages.push({ license: toLicense(r), ...(await counted(r.id)) });
      return usages;
    },
  };
}

function invitationRepository(db: PgDb): Repositories['invitations'] {
  const one = async (where: SQL | undefined) => {
    const [r] = await db.select().from(invitations).where(where);
    return r && toInvitation(r);
  };
  const list = async (where: SQL | undefined, ...order: SQL[]) =>
    (
      await db
        .select()
        .from(invitations)
        .where(where)
        .orderBy(...order)
    ).map(toInvitation);
  return {
    insert: async (i) => toInvitation(only(await db.insert(invitations).values(i).returning())),
    insertMany: async (rows) => (await insertRows(db, invitations, rows, INVITATION_COLUMNS)).map(toInvitation),
    byId: (id) => one(eq(invitations.id, id)),
    openForProject: (projectId, inviteeId) => one(and(eq(invitations.projectId, projectId), eq(invitations.inviteeId, inviteeId), inArray(invitations.status, ['pending', 'waiting_for_seat']))),
    waitingForSeat: (inviteeId) => list(and(eq(invitations.inviteeId, inviteeId), eq(invitations.status, 'waiting_for_seat')), asc(invitations.id)),
    listForRun: (runId) => list(eq(invitations.runId, runId), asc(invitations.id)),
    toDecide: async (id) => {
      // FOR NO KEY UPDATE: the lock an UPDATE of the row takes; a second decision waits for this one
      const [r] = await db.select().from(invitations).where(eq(invitations.id, id)).for('no key update');
      return r && toInvitation(r);
    },
    byTokenHash: (hash) => one(eq(invitations.tokenHash, hash)),
    pendingFor: (licenseId, inviteeId) => one(and(eq(invitations.licenseId, licenseId), eq(invitations.inviteeId, inviteeId), eq(invitations.status, 'pending'))),
    // in invitee order, as SQLite reads them (from invitations_one_pending_license)
    pendingInvitees: async (licenseId) =>
      (
        await db
          .select({ inviteeId: invitations.inviteeId })
          .from(invitations)
          .where(and(eq(invitations.licenseId, licenseId), eq(invitations.kind, 'license'), eq(invitations.status, 'pending')))
          .orderBy(asc(invitations.inviteeId))
      ).map((r) => r.inviteeId),
    pendingAmong: (licenseId, inviteeIds) =>
      inGroups(inviteeIds, (group) =>
        list(and(eq(invitations.licenseId, licenseId), eq(invitations.kind, 'license'), eq(invitations.status, 'pending'), anyOf(invitations.inviteeId, group)), asc(invitations.inviteeId)),
      ),
    markReminded: async (id, sentSoFar, at) =>
      (
        await db
          .update(invitations)
          .set({ remindersSent: sentSoFar + 1, lastRemindedAt: at })
          .where(and(eq(invitations.id, id), eq(invitations.status, 'pending'), eq(invitations.remindersSent, sentSoFar)))
          .returning({ id: invitations.id })
      ).length === 1,
    // one conditional UPDATE … RETURNING per count read (a sweep's batch has at most REMINDER_MAX of
    // them). PostgreSQL re-checks the condition against a row another instance changed meanwhile: a
    // reminder that sweep counted first is not counted again here. The rows are found by id: `status
    // || ''` and `… + 0` keep the planner off invitations_reminder_due_covering, whose range it
    // misjudges as a row or two when it holds every due invitation (at a million stored it visited
    // 10,000 rows to update a batch's 500). The primary key's scan takes the ids in order, so two
    // sweeps of the same rows lock them in the same order: they queue, they do not deadlock.
    claimReminders: async (claims, cutoff, at) => {
      const claimed = [];
      for (const [sentSoFar, group] of groupBy(claims, (c) => c.sentSoFar)) {
        const ids = group.map((c) => c.id).sort((a, b) => a - b);
        claimed.push(
          ...(await inGroups(ids, async (part) =>
            (
              await db
                .update(invitations)
                .set({ remindersSent: sentSoFar + 1, lastRemindedAt: at })
                .where(
                  and(
                    anyOf(invitations.id, part),
                    sql`${invitations.status} || '' = 'pending'`,
                    eq(invitations.remindersSent, sentSoFar),
                    sql`COALESCE(${invitations.lastRemindedAt}, ${invitations.sentAt}) + 0 <= ${cutoff}`,
                  ),
                )
                .returning()
            ).map(toInvitation),
          )),
        );
      }
      return claimed;
    },
    // `… WHERE status = expected`: zero rows changed means someone else moved it first
    transition: async (id, expected, patch) =>
      (
        await db
          .update(invitations)
          .set(patch)
          .where(and(eq(invitations.id, id), eq(invitations.status, expected)))
          .returning({ id: invitations.id })
      ).length === 1,
    update: async (id, patch) => {
      await db.update(invitations).set(patch).where(eq(invitations.id, id));
    },
    // ties in time are broken by id, so the order is the same from one call to the next
    listForProjectWaiting: () => list(eq(invitations.status, 'waiting_for_seat'), asc(invitations.sentAt), asc(invitations.id)),
    dueForReminder: (cutoff, max, limit) =>
      db
        .select({ id: invitations.id, inviteeId: invitations.inviteeId, remindersSent: invitations.remindersSent, expiresAt: invitations.expiresAt })
        .from(invitations)
        .where(and(eq(invitations.status, 'pending'), sql`COALESCE(${invitations.lastRemindedAt}, ${invitations.sentAt}) <= ${cutoff}`, sql`${invitations.remindersSent} < ${max}`))
        // ties as SQLite reads them from invitations_reminder_due_covering: its columns in order, then the row
        .orderBy(sql`COALESCE(${invitations.lastRemindedAt}, ${invitations.sentAt})`, asc(invitations.remindersSent), asc(invitations.expiresAt), asc(invitations.inviteeId), asc(invitations.id))
        .limit(limit),
    overdue: async (now, limit) =>
      (
        await db
          .select()
          .from(invitations)
          .where(and(inArray(invitations.status, ['pending', 'waiting_for_seat']), lte(invitations.expiresAt, now)))
          .orderBy(asc(invitations.expiresAt), asc(invitations.id))
          .limit(limit)
      ).map(toInvitation),
    listPending: () => list(eq(invitations.status, 'pending'), asc(invitations.sentAt), asc(invitations.id)),
    all: (licenseId) => list(licenseId === undefined ? undefined : eq(invitations.licenseId, licenseId), asc(invitations.id)),
    listForInvitee: (personId) => list(eq(invitations.inviteeId, personId), asc(invitations.id)),
  };
}

function seatRepository(db: PgDb): Repositories['seats'] {
  /** `… WHERE` the seat is still as expected: one row changed, or someone else changed it first. */
  const changed = async (rows: Promise<{ id: number }[]>) => (await rows).length === 1;
  return {
    occupy: async (s) => {
      const r = only(
        await db
          .insert(seats)
          .values({ licenseId: s.licenseId, personId: s.personId, email: s.email, invitationId: s.invitationId, status: 'occupied', occupiedAt: s.at, handoffVia: s.handoffVia ?? 'admin' })
          .returning(),
      );
      return { ...r, status: 'occupied' };
    },
    // in pool order, as SQLite reads them (from seats_one_per_person)
    occupiedBy: (personId) =>
      db
        .select()
        .from(seats)
        .where(and(eq(seats.personId, personId), eq(seats.status, 'occupied')))
        .orderBy(asc(seats.licenseId), asc(seats.id)),
    occupiedAmong: (personIds) =>
      inGroups(personIds, (group) =>
        db
          .select()
          .from(seats)
          .where(and(anyOf(seats.personId, group), eq(seats.status, 'occupied'))),
      ),
    occupiedByEmailAnyCase: (email) =>
      db
        .select()
        .from(seats)
        .where(and(sql`lower(${seats.email}) = lower(${email})`, eq(seats.status, 'occupied')))
        .orderBy(asc(seats.licenseId), asc(seats.personId), asc(seats.id)),
    release: (id, at) =>
      changed(
        db
          .update(seats)
          .set({ status: 'released', releasedAt: at })
          .where(and(eq(seats.id, id), eq(seats.status, 'occupied')))
          .returning({ id: seats.id }),
      ),
    byId: async (id) => (await db.select().from(seats).where(eq(seats.id, id)))[0],
    byInvitation: async (invitationId) => (await db.select().from(seats).where(eq(seats.invitationId, invitationId)).orderBy(desc(seats.id)).limit(1))[0],
    handOver: (id, by, at, via) =>
      changed(
        db
          .update(seats)
          .set({ handoff: 'handed_over', handedOverAt: at, handedOverBy: by || null, ...(via ? { handoffVia: via } : {}) })
          .where(and(eq(seats.id, id), eq(seats.status, 'occupied'), eq(seats.handoff, 'awaiting')))
          .returning({ id: seats.id }),
      ),
    reopenHandoff: (id) =>
      changed(
        db
          .update(seats)
          .set({ handoff: 'awaiting', handedOverAt: null, handedOverBy: null })
          .where(and(eq(seats.id, id), eq(seats.status, 'occupied'), eq(seats.handoff, 'handed_over')))
          .returning({ id: seats.id }),
      ),
    awaitingAdmin: () =>
      db
        .select()
        .from(seats)
        .where(and(eq(seats.status, 'occupied'), eq(seats.handoff, 'awaiting'), eq(seats.handoffVia, 'admin')))
        .orderBy(asc(seats.licenseId), asc(seats.id)),
    rerouteHandoff: (id, via) =>
      changed(
        db
          .update(seats)
          .set({ handoffVia: via })
          .where(and(eq(seats.id, id), eq(seats.status, 'occupied'), eq(seats.handoff, 'awaiting')))
          .returning({ id: seats.id }),
      ),
    occupiedIn: (licenseId) =>
      db
        .select()
        .from(seats)
        .where(and(eq(seats.licenseId, licenseId), eq(seats.status, 'occupied')))
        .orderBy(asc(seats.id)),
    notJoined: (licenseId) =>
      db
        .select()
        .from(seats)
        .where(and(eq(seats.licenseId, licenseId), eq(seats.status, 'occupied'), inArray(seats.handoff, ['awaiting', 'handed_over'])))
        .orderBy(asc(seats.id)),
    markJoined: (id, at) =>
      changed(
        db
          .update(seats)
          .set({ handoff: 'joined', joinedAt: at })
          .where(and(eq(seats.id, id), eq(seats.status, 'occupied'), inArray(seats.handoff, ['awaiting', 'handed_over'])))
          .returning({ id: seats.id }),
      ),
    holds: async (licenseId, personId) =>
      (
        await db
          .select({ id: seats.id })
          .from(seats)
          .where(and(eq(seats.licenseId, licenseId), eq(seats.personId, personId), eq(seats.status, 'occupied')))
      ).length > 0,
    holdersAmong: (personIds, licenseId) =>
      inGroups(personIds, async (group) =>
        (
          await db
            .selectDistinct({ personId: seats.personId })
            .from(seats)
            .where(and(anyOf(seats.personId, group), eq(seats.status, 'occupied'), licenseId === undefined ? undefined : eq(seats.licenseId, licenseId)))
        ).map((r) => r.personId),
      ),
    // in person order, as SQLite reads them (from seats_one_per_person)
    holders: async (licenseId) =>
      (
        await db
          .select({ personId: seats.personId })
          .from(seats)
          .where(and(eq(seats.licenseId, licenseId), eq(seats.status, 'occupied')))
          .orderBy(asc(seats.personId))
      ).map((r) => r.personId),
  };
}

function projectRepository(db: PgDb): Repositories['projects'] {
  return {
    insert: async (p) => only(await db.insert(projects).values(p).returning()),
    byId: async (id) => (await db.select().from(projects).where(eq(projects.id, id)))[0],
    byIds: (ids) => inGroups(ids, (group) => db.select().from(projects).where(anyOf(projects.id, group))),
    byOwnerAndName: async (ownerId, name) => (await db.select().from(projects).where(and(eq(projects.ownerId, ownerId), sql`lower(${projects.name}) = lower(${name})`)))[0],
    listByOwner: (ownerId) => db.select().from(projects).where(eq(projects.ownerId, ownerId)).orderBy(byName(projects.name)),
  };
}

function projectAccessRepository(db: PgDb): Repositories['projectAccess'] {
  return {
    grant: async (a) => only(await db.insert(projectAccess).values({ ...a, handedOverAt: a.handoff === 'handed_over' ? a.createdAt : null }).returning()),
    byId: async (id) => (await db.select().from(projectAccess).where(eq(projectAccess.id, id)))[0],
    handOver: async (id, by, at) =>
      (
        await db
          .update(projectAccess)
          .set({ handoff: 'handed_over', handedOverAt: at, handedOverBy: by || null })
          .where(and(eq(projectAccess.id, id), eq(projectAccess.handoff, 'awaiting')))
          .returning({ id: projectAccess.id })
      ).length === 1,
    forPerson: (personId) => db.select().from(projectAccess).where(eq(projectAccess.personId, personId)).orderBy(asc(projectAccess.id)),
    forProject: (projectId) => db.select().from(projectAccess).where(eq(projectAccess.projectId, projectId)).orderBy(asc(projectAccess.id)),
    has: async (projectId, personId) =>
      (
        await db
          .select({ id: projectAccess.id })
          .from(projectAccess)
          .where(and(eq(projectAccess.projectId, projectId), eq(projectAccess.personId, personId)))
      ).length > 0,
  };
}

function returnedCopyRepository(db: PgDb): Repositories['returnedCopies'] {
  return {
    insert: async (c) => only(await db.insert(returnedCopies).values(c).returning()),
    fromPerson: (personId) => db.select().from(returnedCopies).where(eq(returnedCopies.fromPersonId, personId)).orderBy(asc(returnedCopies.id)),
  };
}

function seatRequestRepository(db: PgDb): Repositories['seatRequests'] {
  return {
    insert: async (r) =>
      only(
        await db
          .insert(seatRequests)
          .values({ ...r, status: 'pending' })
          .returning(),
      ),
    byId: async (id) => (await db.select().from(seatRequests).where(eq(seatRequests.id, id)))[0],
    // the oldest, should there be two (SQLite's first row)
    pendingForInvitation: async (id) =>
      (
        await db
          .select()
          .from(seatRequests)
          .where(and(eq(seatRequests.projectInvitationId, id), eq(seatRequests.status, 'pending')))
          .orderBy(asc(seatRequests.id))
          .limit(1)
      )[0],
    openOwn: async (personId, licenseId) =>
      (
        await db
          .select()
          .from(seatRequests)
          .where(and(eq(seatRequests.personId, personId), eq(seatRequests.status, 'pending'), isNull(seatRequests.projectInvitationId), eq(seatRequests.licenseId, licenseId)))
          .orderBy(asc(seatRequests.id))
          .limit(1)
      )[0],
    listPending: () => db.select().from(seatRequests).where(eq(seatRequests.status, 'pending')).orderBy(asc(seatRequests.id)),
    decide: async (id, patch) =>
      (
        await db
          .update(seatRequests)
          .set(patch)
          .where(and(eq(seatRequests.id, id), eq(seatRequests.status, 'pending')))
          .returning({ id: seatRequests.id })
      ).length === 1,
  };
}

function downloadRepository(db: PgDb): Repositories['downloads'] {
  return {
    insert: async (d) => {
      await db.insert(downloads).values(d);
    },
    take: async (hash, now) =>
      (
        await db
          .delete(downloads)
          .where(and(eq(downloads.tokenHash, hash), gt(downloads.expiresAt, now)))
          .returning({ personId: downloads.personId, filename: downloads.filename, sealedContent: downloads.sealedContent, expiresAt: downloads.expiresAt })
      )[0],
    purgeExpired: async (now) => (await db.delete(downloads).where(lte(downloads.expiresAt, now)).returning({ id: downloads.id })).length,
  };
}

function auditRepository(db: PgDb): Repositories['audit'] {
  return {
    record: async (e) => {
      await db.insert(auditLog).values({ ...e, details: e.details ?? null });
    },
    recordMany: async (entries) => {
      await insertRows(db, auditLog, entries.map((e) => ({ ...e, details: e.details ?? null })));
    },
    about: async (subjects) => {
      if (subjects.length === 0) return [];
      return (
        await db
          .select()
          .from(auditLog)
          .where(or(...subjects.map((s) => and(eq(auditLog.subjectType, s.type), eq(auditLog.subjectId, s.id)))))
          .orderBy(asc(auditLog.at), asc(auditLog.id))
      ).map(toAuditEntry);
    },
    all: async () => (await db.select().from(auditLog).orderBy(asc(auditLog.id))).map((r) => ({ id: r.id, ...toAuditEntry(r) })),
  };
}

function inviteRequestRepository(db: PgDb): Repositories['inviteRequests'] {
  const to = (r: typeof inviteRequests.$inferSelect): InviteRequest => ({ ...r, invitees: r.invitees as InviteRequest['invitees'] });
  return {
    insert: async (r) =>
      to(
        only(
          await db
            .insert(inviteRequests)
            .values({ ...r, status: 'pending' })
            .returning(),
        ),
      ),
    byId: async (id) => {
      const [r] = await db.select().from(inviteRequests).where(eq(inviteRequests.id, id));
      return r && to(r);
    },
    decide: async (id, status) =>
      (
        await db
          .update(inviteRequests)
          .set({ status })
          .where(and(eq(inviteRequests.id, id), eq(inviteRequests.status, 'pending')))
          .returning({ id: inviteRequests.id })
      ).length === 1,
  };
}

function bulkRunRepository(db: PgDb): Repositories['bulkRuns'] {
  const to = (r: typeof bulkRuns.$inferSelect): BulkRun => ({ id: r.id, requestedBy: r.requestedBy, licenseId: r.licenseId, total: r.total, startedAt: r.startedAt, finishedAt: r.finishedAt });
  return {
    insert: async (r) => to(only(await db.insert(bulkRuns).values(r).returning())),
    byId: async (id) => {
      const [r] = await db.select().from(bulkRuns).where(eq(bulkRuns.id, id));
      return r && to(r);
    },
    setTotal: async (id, total) => {
      await db.update(bulkRuns).set({ total }).where(eq(bulkRuns.id, id));
    },
    finish: async (id, at) => {
      await db.update(bulkRuns).set({ finishedAt: at }).where(eq(bulkRuns.id, id));
    },
  };
}

function outboxRepository(db: PgDb, secrets: SecretBox | undefined): Repositories['outbox'] {
  // a personal link is written sealed: no token reaches the database or its log in plain
  const sealed = (queued: OutboxMessage): OutboxMessage => (secrets && carriesLink(queued) && !isSealedLink(queued.link) ? { ...queued, link: `${SEALED_LINK}${secrets.seal(queued.link)}` } : queued);
  // one INSERT for the messages and one for their subjects, however many messages there are
  const enqueueMany: Promised<OutboxRepository>['enqueueMany'] = async (items) => {
    const messages = items.map((item) => sealed(item.message));
    const rows = await insertRows(
      db,
      outbox,
      items.map(({ to, at, priority = 0 }, n) => ({
        createdAt: at,
        recipientType: to.type,
        recipientId: to.type === 'person' ? to.personId : null,
        payload: messages[n]!,
        status: 'pending' as const,
        priority,
        // due at once: delivery runs on the wall clock, whatever clock the domain runs on
        nextAttemptAt: 0,
      })),
      ['id'],
    );
    // what each is about: an update of one of these waits for it, and then reaches it too
    const subjects = rows.flatMap(({ id }, n) => {
      const message = messages[n]!;
      return [...new Set(message.type === 'refresh' ? [message.subject] : subjectsOf(message))].map((subject) => ({ outboxId: id, subject }));
    });
    await insertRows(db, outboxSubjects, subjects);
    return rows.map((r) => r.id);
  };
  const enqueue: Promised<OutboxRepository>['enqueue'] = async (to, message, at, priority = 0) => only(await enqueueMany([{ to, message, at, priority }]));
  return {
    enqueue,
    enqueueMany,
    announce: async (subject, state, at) => {
      await db.insert(subjectStates).values({ subject, state, updatedAt: at }).onConflictDoUpdate({ target: subjectStates.subject, set: { state, updatedAt: at } });
      // after the messages someone is waiting for: an update is never news
      await enqueue({ type: 'updates' }, { type: 'refresh', subject }, at, 1);
    },
    stateOf: async (subject) => (await db.select({ state: subjectStates.state }).from(subjectStates).where(eq(subjectStates.subject, subject)))[0]?.state as SubjectState | undefined,
  };
}

/** The repositories of one transaction: call it with the transaction's `tx`, once per transaction. */
export function postgresRepositories(db: PgDb, secrets?: SecretBox): Repositories {
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
