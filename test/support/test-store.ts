/**
 * The domain tests' store: the real SQLite repositories (src/db/repositories.ts) on a fresh
 * in-memory database with every migration applied, so a domain test exercises the same SQL,
 * constraints and foreign keys as the bot. Beside the Store port it reads back what a verb wrote
 * (`outbox()`, `invitation(id)`, `dump()` for "nothing was written") and can write an odd
 * situation no verb would make (`sql`).
 */
import { asc } from 'drizzle-orm';
import { openDatabase, type Database$ } from '../../src/db/connection.js';
import { sqliteStore } from '../../src/db/repositories.js';
import * as schema from '../../src/db/schema/index.js';
import { parseReminderWindow } from '../../src/domain/index.js';
import type {
  Actor,
  AuditEntry,
  Clock,
  DomainDeps,
  DomainSettings,
  Edition,
  Invitation,
  InvitationStatus,
  License,
  OutboxMessage,
  OutboxRecipient,
  Person,
  Platform,
  Project,
  ProjectAccess,
  Repositories,
  RepositoriesSync,
  ReturnedCopy,
  Seat,
  SeatModel,
  SeatRequest,
  Store,
  SubjectState,
} from '../../src/domain/index.js';
import { DomainError, inviteToLicense, mintToken } from '../../src/domain/index.js';

import type { NewPerson } from '../../src/domain/ports.js';

export interface OutboxEntry {
  id: number;
  to: OutboxRecipient;
  message: OutboxMessage;
  at: number;
}

/** Everything stored, table by table, for "nothing was written" comparisons (and a few reads). */
export interface StoreDump {
  lastId: Record<string, number>;
  people: unknown[];
  admins: { personId: number; addedBy: number | null; createdAt: number }[];
  licenses: (License & { createdBy: number | null })[];
  invitations: Invitation[];
  seats: (typeof schema.seats.$inferSelect)[];
  projects: unknown[];
  projectAccess: unknown[];
  returnedCopies: unknown[];
  seatRequests: SeatRequest[];
  inviteRequests: unknown[];
  bulkRuns: unknown[];
  audit: AuditEntry[];
  outbox: OutboxEntry[];
  /** the newest state of each subject (restate.ts) */
  subjects: Record<string, SubjectState>;
}

export interface TestStore extends Store {
  /** the database under it (its `sqlite` handle for a raw look) */
  readonly database: Database$;
  dump(): StoreDump;
  /** every outbox entry, oldest first */
  outbox(): OutboxEntry[];
  /** outbox entries whose message has the given type */
  messages<K extends OutboxMessage['type']>(type: K): (OutboxEntry & { message: Extract<OutboxMessage, { type: K }> })[];
  /** outbox entries addressed to one person */
  messagesTo(personId: number): OutboxEntry[];
  /** outbox entries addressed to the admin channel */
  messagesToAdminChannel(): OutboxEntry[];
  /** the newest state announced for an invitation (every message about it is updated to it), if any */
  announced(invitationId: number): Extract<SubjectState, { kind: 'invitation' }> | undefined;
  /** the subjects whose messages were asked to be brought up to date, in order */
  refreshed(): string[];
  auditLog(): AuditEntry[];
  invitation(id: number): Invitation;
  invitations(): Invitation[];
  seats(): Seat[];
  projects(): Project[];
  projectAccess(): ProjectAccess[];
  seatRequests(): SeatRequest[];
  returnedCopies(): ReturnedCopy[];
  /** how many transactions committed or rolled back */
  readonly stats: { committed: number; rolledBack: number };
  /** a transaction with the synchronous repositories (fixtures: no await needed to set a test up) */
  sync<T>(fn: (repos: RepositoriesSync) => T): T;
  /** a raw write, for odd situations that no verb would create; use sparingly */
  sql(statement: string, ...params: unknown[]): void;
}

const TABLE_IDS: Record<string, string> = {
  people: 'people',
  licenses: 'licenses',
  invitations: 'invitations',
  seats: 'seats',
  outbox: 'outbox',
  projects: 'projects',
  projectAccess: 'project_access',
  returnedCopies: 'returned_copies',
  seatRequests: 'seat_requests',
  inviteRequests: 'invite_requests',
  bulkRuns: 'bulk_runs',
};

function testStore(): TestStore {
  // a verb that began a transaction inside its own would wait for ever on SQLite: refused here at once
  const database = openDatabase(':memory:', { refuseNestedTurns: true });
  const real = sqliteStore(database);
  const { db, sqlite } = database;
  const stats = { committed: 0, rolledBack: 0 };
  const read = <T>(fn: (r: RepositoriesSync) => T): T => real.sync(fn);
  const outbox = (): OutboxEntry[] =>
    db
      .select()
      .from(schema.outbox)
      .orderBy(asc(schema.outbox.id))
      .all()
      .map((row) => ({
        id: row.id,
        to: (row.recipientType === 'person' ? { type: 'person', personId: row.recipientId! } : { type: row.recipientType }),
        message: row.payload as OutboxMessage,
        at: row.createdAt,
      }));
  const ids = (table: string): number[] => (sqlite.prepare(`SELECT id FROM ${table} ORDER BY id`).all() as { id: number }[]).map((r) => r.id);
  const subjects = (): Record<string, SubjectState> =>
    Object.fromEntries(db.select().from(schema.subjectStates).orderBy(asc(schema.subjectStates.subject)).all().map((r) => [r.subject, r.state as SubjectState]));
  const invitations = () => read((r) => r.invitations.all());
  const audit = () => read((r) => r.audit.all()).map(({ id: _id, ...e }) => e);

  const store: TestStore = {
    database,
    async transaction<T>(fn: (repos: Repositories) => Promise<T>): Promise<T> {
      try {
        const result = await real.transaction(fn);
        stats.committed++;
        return result;
      } catch (e) {
        stats.rolledBack++;
        throw e;
      }
    },
    sync: (fn) => real.sync(fn),
    dump: () => ({
      lastId: Object.fromEntries(Object.entries(TABLE_IDS).map(([k, table]) => [k, (sqlite.prepare(`SELECT COALESCE(MAX(id), 0) AS n FROM ${table}`).get() as { n: number }).n])),
      people: db.select().from(schema.people).orderBy(asc(schema.people.id)).all(),
      admins: db.select().from(schema.admins).all(),
      licenses: db
        .select()
        .from(schema.licenses)
        .orderBy(asc(schema.licenses.id))
        .all()
        .map((l) => ({
          id: l.id,
          name: l.name,
          seats: l.seats,
          seatModel: l.seatModel,
          memberCap: l.memberCap,
          createdAt: l.createdAt,
          createdBy: l.createdBy,
          ...Object.fromEntries(Object.entries(l).filter(([k, v]) => !['id', 'name', 'seats', 'seatModel', 'memberCap', 'createdAt', 'createdBy'].includes(k) && v !== null)),
        })),
      invitations: invitations(),
      seats: db.select().from(schema.seats).orderBy(asc(schema.seats.id)).all(),
      projects: db.select().from(schema.projects).orderBy(asc(schema.projects.id)).all(),
      projectAccess: db.select().from(schema.projectAccess).orderBy(asc(schema.projectAccess.id)).all(),
      returnedCopies: db.select().from(schema.returnedCopies).orderBy(asc(schema.returnedCopies.id)).all(),
      seatRequests: db.select().from(schema.seatRequests).orderBy(asc(schema.seatRequests.id)).all(),
      inviteRequests: db.select().from(schema.inviteRequests).orderBy(asc(schema.inviteRequests.id)).all(),
      bulkRuns: db.select().from(schema.bulkRuns).orderBy(asc(schema.bulkRuns.id)).all(),
      audit: audit(),
      outbox: outbox(),
      subjects: subjects(),
    }),
    outbox,
    messages: <K extends OutboxMessage['type']>(type: K) => outbox().filter((e): e is OutboxEntry & { message: Extract<OutboxMessage, { type: K }> } => e.message.type === type),
    messagesTo: (personId) => outbox().filter((e) => e.to.type === 'person' && e.to.personId === personId),
    messagesToAdminChannel: () => outbox().filter((e) => e.to.type === 'admin_channel'),
    announced: (invitationId) => {
      const s = subjects()[`invitation:${invitationId}`];
      return s?.kind === 'invitation' ? s : undefined;
    },
    refreshed: () => outbox().flatMap((e) => (e.message.type === 'refresh' ? [e.message.subject] : [])),
    auditLog: audit,
    invitation: (id) => {
      const inv = read((r) => r.invitations.byId(id));
      if (!inv) throw new Error(`no invitation #${id} in the store`);
      return inv;
    },
    invitations,
    seats: () => read((r) => ids('seats').map((id) => r.seats.byId(id)!)).map((seat) => {
      const { releasedAt: _released, ...rest } = seat as Seat & { releasedAt?: number | null };
      return rest;
    }),
    projects: () => read((r) => ids('projects').map((id) => r.projects.byId(id)!)),
    projectAccess: () => db.select().from(schema.projectAccess).orderBy(asc(schema.projectAccess.id)).all(),
    seatRequests: () => db.select().from(schema.seatRequests).orderBy(asc(schema.seatRequests.id)).all(),
    returnedCopies: () => db.select().from(schema.returnedCopies).orderBy(asc(schema.returnedCopies.id)).all(),
    stats,
    sql: (statement, ...params) => {
      if (sqlite.inTransaction) throw new Error('sql() inside a transaction');
      sqlite.prepare(statement).run(...params);
    },
  };
  return store;
}

// ---------------------------------------------------------------------------------------------
// clock

export interface FixedClock extends Clock {
  advance(ms: number): number;
  set(ms: number): void;
}

/** 2025-03-10 09:00 UTC: a fixed, unremarkable moment */
export const T0 = Date.UTC(2025, 2, 10, 9, 0, 0);

function fixedClock(start: number = T0): FixedClock {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => (t += ms),
    set: (ms) => {
      t = ms;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// deps

export const DAY_MS = 24 * 60 * 60 * 1000;

const defaultSettings = (): DomainSettings => ({
  inviteTtlMs: 14 * DAY_MS,
  publicBaseUrl: 'https://bot.example.edu',
  configuredAdmins: [],
  hasAdminChannel: true,
  hasSupportChannel: true,
  // LINK_ALLOWED_HOSTS' default in src/bot/config.ts
  linkAllowedHosts: ['atlasti.com', '*.atlasti.com'],
  // REMINDER_AFTER, REMINDER_MAX and REMINDER_WINDOW's defaults in src/bot/config.ts
  reminders: { afterMs: 3 * DAY_MS, max: 3, window: parseReminderWindow('Mon-Fri 09:00-18:00') },
});

export interface TestDeps extends DomainDeps {
  store: TestStore;
  clock: FixedClock;
}

export function domainDeps(opts: { store?: TestStore; clock?: FixedClock; settings?: Partial<DomainSettings> } = {}): TestDeps {
  return {
    store: opts.store ?? testStore(),
    clock: opts.clock ?? fixedClock(),
    settings: { ...defaultSettings(), ...opts.settings },
  };
}

// ---------------------------------------------------------------------------------------------
// mothers

export interface Someone {
  person: Person;
  actor: Actor;
}

export const actorOf = (person: Person, platform: Platform = 'slack'): Actor => ({
  platform,
  userId: person.slackUserId ?? `email:${person.email ?? person.id}`,
  personId: person.id,
});

const TEAM = 'T0TEAM';

/** A person known in Slack, with an account email; `overrides` may set any field (null included). */
export function aPerson(store: TestStore, overrides: Partial<NewPerson> = {}): Someone {
  const n = nextId(store, 'people');
  const person = store.sync((r) =>
    r.people.insert(
      {
        email: `person${n}@uni.example`,
        slackTeamId: TEAM,
        slackUserId: `U${String(n).padStart(4, '0')}`,
        slackDmChannel: null,
        displayName: `Person ${n}`,
        tz: 'UTC',
        ...overrides,
      },
      T0,
    ),
  );
  return { person, actor: actorOf(person) };
}

/** A person known only by an account email: not reachable in chat. */
export function anEmailOnlyPerson(store: TestStore, email: string): Someone {
  return aPerson(store, { email, slackTeamId: null, slackUserId: null, displayName: null, tz: null });
}

/** An admin added at run time (the admins table). */
export function anAdmin(store: TestStore, overrides: Partial<NewPerson> = {}): Someone {
  const someone = aPerson(store, overrides);
  store.sync((r) => r.admins.add(someone.person.id, 0, T0));
  return someone;
}

/** The id the next row of a table will get (ids are never given twice). */
const nextId = (store: TestStore, table: string): number =>
  (store.database.sqlite.prepare(`SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = ?), 0) + 1 AS n`).get(table) as { n: number }).n;

/** A license pool, written straight to the store (no creator, no audit row); assigned unless told otherwise. */
export function aLicense(
  store: TestStore,
  { name = 'Campus', seats = 5, seatModel = 'assigned', memberCap = null }: { name?: string; seats?: number; seatModel?: SeatModel; memberCap?: number | null } = {},
): License {
  const id = nextId(store, 'licenses');
  store.sql('INSERT INTO licenses (id, name, seats, seat_model, member_cap, created_by, created_at) VALUES (?, ?, ?, ?, ?, NULL, ?)', id, name, seats, seatModel, memberCap, T0);
  return { id, name, seats, seatModel, memberCap, createdAt: T0 };
}

/** A person given either way the mothers hand them out. */
export type PersonLike = Someone | Person;
const personOf = (p: PersonLike): Person => ('person' in p ? p.person : p);

/** A project, inserted through the repository (so the owner must exist and the name be free for them); no audit row. */
export function aProject(
  store: TestStore,
  { owner, name, edition = 'web', createdAt = T0 }: { owner: PersonLike; name?: string; edition?: Edition; createdAt?: number },
): Project {
  const n = nextId(store, 'projects');
  return store.sync((r) => r.projects.insert({ name: name ?? `Project ${n}`, ownerId: personOf(owner).id, edition, createdAt }));
}

/**
 * An occupied seat, as accepting a license invitation leaves it: an accepted invitation (from
 * `inviter`, by default the person themself) and the seat it took. No audit row, no messages.
 * `email` is the seat's account email, by default the person's.
 */
export function aSeat(
  store: TestStore,
  { license, person, email, inviter, at = T0, handoff = 'handed_over' }: { license: License; person: PersonLike; email?: string | null; inviter?: PersonLike; at?: number; handoff?: 'awaiting' | 'handed_over' },
): Seat {
  const p = personOf(person);
  const seatEmail = email === undefined ? p.email : email;
  return store.sync((r) => {
    const inv = r.invitations.insert({
      kind: 'license',
      licenseId: license.id,
      inviteeId: p.id,
      inviteeEmail: seatEmail,
      inviterId: personOf(inviter ?? p).id,
      status: 'accepted',
      tokenHash: mintToken().hash,
      platform: 'slack',
      createdAt: at,
      sentAt: at,
      expiresAt: at + 14 * DAY_MS,
    });
    r.invitations.update(inv.id, { decidedAt: at, decidedBy: p.id });
    const seat = r.seats.occupy({ licenseId: license.id, personId: p.id, email: seatEmail, invitationId: inv.id, at });
    // a fixture's seat is one ATLAS.ti has already (handed over) unless a test says otherwise
    if (handoff === 'handed_over' && r.seats.handOver(seat.id, 0, at, 'admin')) return r.seats.byId(seat.id)!;
    return seat;
  });
}

/**
 * A project invitation written straight through the repository (no messages, no audit row), with
 * the token of its personalized link. `inviter` defaults to the project's owner, `email` to the
 * invitee's, `status` to pending.
 */
export function aProjectInvitation(
  store: TestStore,
  opts: {
    project: Project;
    invitee: PersonLike;
    inviter?: PersonLike;
    email?: string | null;
    status?: InvitationStatus;
    message?: string | null;
    desktopLink?: string | null;
    at?: number;
    expiresAt?: number;
  },
): { invitation: Invitation; token: string } {
  const invitee = personOf(opts.invitee);
  const at = opts.at ?? T0;
  const { token, hash } = mintToken();
  const invitation = store.sync((r) =>
    r.invitations.insert({
      kind: 'project',
      projectId: opts.project.id,
      message: opts.message ?? null,
      desktopLink: opts.desktopLink ?? null,
      inviteeId: invitee.id,
      inviteeEmail: opts.email === undefined ? invitee.email : opts.email,
      inviterId: opts.inviter ? personOf(opts.inviter).id : opts.project.ownerId,
      status: opts.status ?? 'pending',
      tokenHash: hash,
      platform: 'slack',
      createdAt: at,
      sentAt: at,
      expiresAt: opts.expiresAt ?? at + 14 * DAY_MS,
    }),
  );
  return { invitation, token };
}

/** Access to a project: by default a member of a Web project, a copy of a Desktop one. */
export function aProjectAccess(
  store: TestStore,
  opts: { project: Project; person: PersonLike; kind?: ProjectAccess['kind']; email?: string | null; invitationId?: number | null; at?: number; handoff?: ProjectAccess['handoff'] },
): ProjectAccess {
  const p = personOf(opts.person);
  const kind = opts.kind ?? (opts.project.edition === 'web' ? 'member' : 'copy');
  return store.sync((r) =>
    r.projectAccess.grant({
      projectId: opts.project.id,
      personId: p.id,
      email: opts.email === undefined ? p.email : opts.email,
      kind,
      // a fixture's access is in place unless a test says it still waits for the owner
      handoff: opts.handoff ?? 'handed_over',
      invitationId: opts.invitationId ?? null,
      createdAt: opts.at ?? T0,
    }),
  );
}

/** A pending seat request for a project invitation, by default asked by its inviter for its invitee's email. */
export function aSeatRequest(
  store: TestStore,
  opts: { invitation: Invitation; requestedBy?: PersonLike; email?: string; at?: number },
): SeatRequest {
  const email = opts.email ?? opts.invitation.inviteeEmail;
  if (email === null) throw new Error(`invitation #${opts.invitation.id} has no email to ask a seat for`);
  return store.sync((r) =>
    r.seatRequests.insert({
      personId: opts.invitation.inviteeId,
      email,
      projectInvitationId: opts.invitation.id,
      requestedBy: opts.requestedBy ? personOf(opts.requestedBy).id : opts.invitation.inviterId,
      createdAt: opts.at ?? T0,
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// reading what a verb sent

const LINK = /\/invite\/([A-Za-z0-9_-]+)$/;

export function tokenOf(link: string): string {
  const m = LINK.exec(link);
  if (!m?.[1]) throw new Error(`not an invitation link: ${link}`);
  return m[1];
}

/** The newest link sent for an invitation (to the invitee, or to the inviter to forward). */
export function latestLink(store: TestStore, invitationId: number): { link: string; token: string; entry: OutboxEntry } {
  const entry = store
    .outbox()
    .filter((e) => (e.message.type === 'license_invitation' || e.message.type === 'forward_link') && e.message.invitation.invitationId === invitationId)
    .at(-1);
  if (!entry || !('link' in entry.message) || entry.message.link === undefined) throw new Error(`no link was sent for invitation #${invitationId}`);
  return { link: entry.message.link, token: tokenOf(entry.message.link), entry };
}

export const audited = (store: TestStore, action: string): AuditEntry[] => store.auditLog().filter((e) => e.action === action);

/** The DomainError a verb threw (fails the test when it resolved or threw something else). */
export async function domainErrorOf(run: Promise<unknown> | (() => unknown)): Promise<DomainError> {
  try {
    await (typeof run === 'function' ? run() : run);
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError, but the verb succeeded');
}

/** Invites one person through the real verb and returns the new invitation with its link. */
export async function invited(
  deps: TestDeps,
  inviter: Someone,
  invitee: Someone,
  input: { licenseName?: string; email?: string } = {},
): Promise<{ invitationId: number; link: string; token: string }> {
  const result = await inviteToLicense({
    deps,
    actor: inviter.actor,
    input: { licenseName: input.licenseName ?? null, invitees: [{ personId: invitee.person.id, ...(input.email !== undefined ? { email: input.email } : {}) }] },
  });
  const outcome = result.outcomes[0];
  if (outcome?.status !== 'invited') throw new Error(`expected an invitation, got ${JSON.stringify(outcome?.status)}`);
  const { link, token } = latestLink(deps.store, outcome.invitationId);
  return { invitationId: outcome.invitationId, link, token };
}

/**
 * `n` people, each with a pending license invitation sent at `at` (default T0), written straight
 * into the store (building them one verb at a time would take a transaction each).
 */
export function bulkPending(
  store: TestStore,
  n: number,
  opts: { licenseId: number; inviterId: number; at?: number; expiresAt?: number; tz?: string | null },
): number[] {
  const at = opts.at ?? T0;
  const ids: number[] = [];
  const sqlite = store.database.sqlite;
  sqlite.transaction(() => {
    const person = sqlite.prepare('INSERT INTO people (email, slack_team_id, slack_user_id, display_name, tz, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const invitation = sqlite.prepare(
      "INSERT INTO invitations (kind, license_id, invitee_id, invitee_email, inviter_id, status, token_hash, platform, created_at, sent_at, expires_at) VALUES ('license', ?, ?, ?, ?, 'pending', ?, 'slack', ?, ?, ?)",
    );
    for (let k = 0; k < n; k++) {
      const personId = Number(person.run(null, TEAM, null, null, opts.tz === undefined ? 'UTC' : opts.tz, at, at).lastInsertRowid);
      const email = `bulk${personId}@uni.example`;
      sqlite.prepare('UPDATE people SET email = ?, slack_user_id = ?, display_name = ? WHERE id = ?').run(email, `UB${personId}`, `Bulk ${personId}`, personId);
      const id = Number(invitation.run(opts.licenseId, personId, email, opts.inviterId, `bulk-token-hash-${personId}`, at, at, opts.expiresAt ?? at + 30 * DAY_MS).lastInsertRowid);
      ids.push(id);
    }
  })();
  return ids;
}
