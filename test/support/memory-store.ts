/**
 * In-memory fakes of the domain's ports, for fast unit tests of src/domain. They keep the semantics
 * of the SQLite repositories (src/db/repositories.ts): `licenses.byName` ignores (ASCII) letter case
 * like COLLATE NOCASE, `people.byEmail` is exact-case, `invitations.transition` is a conditional
 * update, `usage()` counts occupied seats and pending license invitations, and the unique indexes
 * and foreign keys of the schema throw as SQLite would. `transaction(fn)` rolls everything back
 * when `fn` throws. Rows are copied in and out, so a verb can never alias stored state.
 */
import type {
  Actor,
  AdminRepository,
  AuditEntry,
  AuditRepository,
  Clock,
  DomainDeps,
  DomainSettings,
  Invitation,
  InvitationRepository,
  License,
  LicenseRepository,
  NewPerson,
  OutboxMessage,
  OutboxRecipient,
  OutboxRepository,
  PeopleRepository,
  Person,
  Platform,
  Repositories,
  Seat,
  SeatRepository,
  Store,
} from '../../src/domain/index.js';
import { DomainError, inviteToLicense } from '../../src/domain/index.js';

// ---------------------------------------------------------------------------------------------
// state

export interface OutboxEntry {
  id: number;
  to: OutboxRecipient;
  message: OutboxMessage;
  at: number;
}

interface PersonRow extends Person {
  createdAt: number;
  updatedAt: number;
}
interface LicenseRow extends License {
  createdBy: number | null;
}
interface SeatRow extends Seat {
  releasedAt: number | null;
}
interface AdminRow {
  personId: number;
  addedBy: number | null;
  createdAt: number;
}

export interface MemoryState {
  lastId: { people: number; licenses: number; invitations: number; seats: number; outbox: number };
  people: PersonRow[];
  admins: AdminRow[];
  licenses: LicenseRow[];
  invitations: Invitation[];
  seats: SeatRow[];
  audit: AuditEntry[];
  outbox: OutboxEntry[];
}

const emptyState = (): MemoryState => ({
  lastId: { people: 0, licenses: 0, invitations: 0, seats: 0, outbox: 0 },
  people: [],
  admins: [],
  licenses: [],
  invitations: [],
  seats: [],
  audit: [],
  outbox: [],
});

const copy = <T>(v: T): T => structuredClone(v);

/** SQLite's NOCASE folds ASCII letters only. */
const nocase = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** drizzle's `.set(patch)` leaves keys whose value is undefined alone. */
function applyPatch<T extends object>(row: T, patch: Partial<T>): void {
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) (row as Record<string, unknown>)[k] = copy(v);
}

class ConstraintError extends Error {
  constructor(what: string) {
    super(`${what} (in-memory store)`);
    this.name = 'ConstraintError';
  }
}

// ---------------------------------------------------------------------------------------------
// repositories over a state

function repositoriesOver(state: () => MemoryState): Repositories {
  const fkPerson = (id: number | null, column: string) => {
    if (id !== null && !state().people.some((p) => p.id === id)) throw new ConstraintError(`FOREIGN KEY constraint failed: ${column} = ${id}`);
  };
  const fkLicense = (id: number, column: string) => {
    if (!state().licenses.some((l) => l.id === id)) throw new ConstraintError(`FOREIGN KEY constraint failed: ${column} = ${id}`);
  };
  const toPerson = ({ createdAt: _c, updatedAt: _u, ...p }: PersonRow): Person => copy(p);
  const toLicense = ({ createdBy: _b, ...l }: LicenseRow): License => copy(l);
  const toSeat = ({ releasedAt: _r, ...s }: SeatRow): Seat => copy(s);
  const checkSlackIdentity = (p: Pick<Person, 'slackTeamId' | 'slackUserId'>, exceptId: number) => {
    if (p.slackTeamId === null || p.slackUserId === null) return;
    if (state().people.some((o) => o.id !== exceptId && o.slackTeamId === p.slackTeamId && o.slackUserId === p.slackUserId)) {
      throw new ConstraintError('UNIQUE constraint failed: people.slack_team_id, people.slack_user_id');
    }
  };

  const people: PeopleRepository = {
    byId: (id) => {
      const r = state().people.find((p) => p.id === id);
      return r && toPerson(r);
    },
    bySlackId: (teamId, userId) => {
      const r = state().people.find((p) => p.slackTeamId === teamId && p.slackUserId === userId);
      return r && toPerson(r);
    },
    byEmail: (email) => state().people.filter((p) => p.email === email).map(toPerson),
    insert: (p, at) => {
      checkSlackIdentity(p, 0);
      const row: PersonRow = { ...copy(p), id: ++state().lastId.people, createdAt: at, updatedAt: at };
      state().people.push(row);
      return toPerson(row);
    },
    update: (id, patch, at) => {
      const row = state().people.find((p) => p.id === id);
      if (!row) throw new ConstraintError(`no person ${id} to update`);
      checkSlackIdentity({ slackTeamId: patch.slackTeamId ?? row.slackTeamId, slackUserId: patch.slackUserId ?? row.slackUserId }, id);
      applyPatch(row, { ...patch, updatedAt: at });
      return toPerson(row);
    },
  };

  const admins: AdminRepository = {
    isAdmin: (personId) => state().admins.some((a) => a.personId === personId),
    add: (personId, addedBy, at) => {
      if (state().admins.some((a) => a.personId === personId)) return false; // ON CONFLICT DO NOTHING
      fkPerson(personId, 'admins.person_id');
      fkPerson(addedBy || null, 'admins.added_by');
      state().admins.push({ personId, addedBy: addedBy || null, createdAt: at });
      return true;
    },
    remove: (personId) => {
      const before = state().admins.length;
      state().admins = state().admins.filter((a) => a.personId !== personId);
      return state().admins.length < before;
    },
    list: () => state().admins.map((a) => a.personId),
  };

  const usage = (licenseId: number) => ({
    occupied: state().seats.filter((s) => s.licenseId === licenseId && s.status === 'occupied').length,
    reserved: state().invitations.filter((i) => i.licenseId === licenseId && i.kind === 'license' && i.status === 'pending').length,
  });
  const byNameOrder = (a: LicenseRow, b: LicenseRow) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id);

  const licenses: LicenseRepository = {
    insert: (l) => {
      if (state().licenses.some((o) => nocase(o.name) === nocase(l.name))) throw new ConstraintError('UNIQUE constraint failed: licenses_name_nocase');
      fkPerson(l.createdBy, 'licenses.created_by');
      const row: LicenseRow = { id: ++state().lastId.licenses, name: l.name, seats: l.seats, createdBy: l.createdBy, createdAt: l.createdAt };
      state().licenses.push(row);
      return toLicense(row);
    },
    byId: (id) => {
      const r = state().licenses.find((l) => l.id === id);
      return r && toLicense(r);
    },
    byName: (name) => {
      const r = state().licenses.find((l) => nocase(l.name) === nocase(name));
      return r && toLicense(r);
    },
    list: () => [...state().licenses].sort(byNameOrder).map(toLicense),
    usage,
    listUsage: () => [...state().licenses].sort(byNameOrder).map((l) => ({ license: toLicense(l), ...usage(l.id) })),
  };

  const checkInvitationUniques = (i: Invitation) => {
    if (state().invitations.some((o) => o.id !== i.id && o.tokenHash === i.tokenHash)) throw new ConstraintError('UNIQUE constraint failed: invitations.token_hash');
    if (
      i.status === 'pending' &&
      state().invitations.some((o) => o.id !== i.id && o.status === 'pending' && o.kind === 'license' && o.licenseId === i.licenseId && o.inviteeId === i.inviteeId)
    ) {
      throw new ConstraintError('UNIQUE constraint failed: invitations_one_pending_license');
    }
  };
  const patchInvitation = (row: Invitation, patch: Partial<Invitation>) => {
    const next = { ...row };
    applyPatch(next, patch);
    checkInvitationUniques(next);
    fkPerson(next.decidedBy, 'invitations.decided_by');
    Object.assign(row, next);
  };

  const invitations: InvitationRepository = {
    insert: (i) => {
      fkLicense(i.licenseId, 'invitations.license_id');
      fkPerson(i.inviteeId, 'invitations.invitee_id');
      fkPerson(i.inviterId, 'invitations.inviter_id');
      const row: Invitation = {
        ...copy(i),
        id: state().lastId.invitations + 1,
        remindersSent: 0,
        lastRemindedAt: null,
        confirmRequestedAt: null,
        decidedAt: null,
        decidedBy: null,
        dmChannel: null,
        dmTs: null,
      };
      checkInvitationUniques(row);
      state().lastId.invitations = row.id;
      state().invitations.push(row);
      return copy(row);
    },
    byId: (id) => {
      const r = state().invitations.find((i) => i.id === id);
      return r && copy(r);
    },
    byTokenHash: (hash) => {
      const r = state().invitations.find((i) => i.tokenHash === hash);
      return r && copy(r);
    },
    pendingFor: (licenseId, inviteeId) => {
      const r = state().invitations.find((i) => i.licenseId === licenseId && i.inviteeId === inviteeId && i.status === 'pending');
      return r && copy(r);
    },
    transition: (id, expected, patch) => {
      const row = state().invitations.find((i) => i.id === id && i.status === expected);
      if (!row) return false;
      patchInvitation(row, patch);
      return true;
    },
    update: (id, patch) => {
      const row = state().invitations.find((i) => i.id === id);
      if (row) patchInvitation(row, patch);
    },
    listPending: () =>
      state()
        .invitations.filter((i) => i.status === 'pending')
        .sort((a, b) => a.sentAt - b.sentAt || a.id - b.id)
        .map((i) => copy(i)),
    listForInvitee: (personId) =>
      state()
        .invitations.filter((i) => i.inviteeId === personId)
        .sort((a, b) => a.id - b.id)
        .map((i) => copy(i)),
  };

  const seats: SeatRepository = {
    occupy: (s) => {
      fkLicense(s.licenseId, 'seats.license_id');
      fkPerson(s.personId, 'seats.person_id');
      if (!state().invitations.some((i) => i.id === s.invitationId)) throw new ConstraintError(`FOREIGN KEY constraint failed: seats.invitation_id = ${s.invitationId}`);
      if (state().seats.some((o) => o.licenseId === s.licenseId && o.personId === s.personId && o.status === 'occupied')) {
        throw new ConstraintError('UNIQUE constraint failed: seats_one_per_person');
      }
      const row: SeatRow = {
        id: ++state().lastId.seats,
        licenseId: s.licenseId,
        personId: s.personId,
        email: s.email,
        invitationId: s.invitationId,
        status: 'occupied',
        occupiedAt: s.at,
        releasedAt: null,
      };
      state().seats.push(row);
      return toSeat(row);
    },
    occupiedBy: (personId) => state().seats.filter((s) => s.personId === personId && s.status === 'occupied').map(toSeat),
    holds: (licenseId, personId) => state().seats.some((s) => s.licenseId === licenseId && s.personId === personId && s.status === 'occupied'),
  };

  const audit: AuditRepository = {
    record: (e) => {
      state().audit.push(copy(e));
    },
    list: (subjectType, subjectId) =>
      state()
        .audit.filter((e) => subjectType === undefined || (e.subjectType === subjectType && (subjectId === undefined || e.subjectId === subjectId)))
        .map((e) => copy(e)),
  };

  const outbox: OutboxRepository = {
    enqueue: (to, message, at) => {
      const id = ++state().lastId.outbox;
      state().outbox.push({ id, to: copy(to), message: copy(message), at });
      return id;
    },
  };

  return { people, admins, licenses, invitations, seats, audit, outbox };
}

// ---------------------------------------------------------------------------------------------
// the store

export interface MemoryStore extends Store {
  /** a deep copy of everything stored, for "nothing was written" comparisons */
  dump(): MemoryState;
  /** every outbox entry, oldest first */
  outbox(): OutboxEntry[];
  /** outbox entries whose message has the given type */
  messages<K extends OutboxMessage['type']>(type: K): (OutboxEntry & { message: Extract<OutboxMessage, { type: K }> })[];
  /** outbox entries addressed to one person */
  messagesTo(personId: number): OutboxEntry[];
  /** outbox entries addressed to the admin channel */
  messagesToAdminChannel(): OutboxEntry[];
  auditLog(): AuditEntry[];
  invitation(id: number): Invitation;
  invitations(): Invitation[];
  seats(): Seat[];
  /** how many transactions committed or rolled back */
  readonly stats: { committed: number; rolledBack: number };
  /** raw access for building odd situations that no verb would create; use sparingly */
  tamper(fn: (state: MemoryState) => void): void;
}

export function memoryStore(): MemoryStore {
  let state = emptyState();
  let depth = 0;
  const stats = { committed: 0, rolledBack: 0 };

  const store: MemoryStore = {
    transaction<T>(fn: (repos: Repositories) => T): T {
      const before = copy(state);
      // the handle works only while its transaction is open, as a leaked reference would be a bug
      let open = true;
      const repos = repositoriesOver(() => {
        if (!open) throw new Error('a repository was used after its transaction ended');
        return state;
      });
      depth++;
      try {
        const result = fn(repos);
        if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
          // better-sqlite3 would commit before the promise settles; a verb must not do this
          throw new TypeError('a transaction function returned a promise');
        }
        stats.committed++;
        return result;
      } catch (e) {
        state = before;
        stats.rolledBack++;
        throw e;
      } finally {
        open = false;
        depth--;
      }
    },
    dump: () => copy(state),
    outbox: () => copy(state.outbox),
    messages: <K extends OutboxMessage['type']>(type: K) =>
      copy(state.outbox).filter((e): e is OutboxEntry & { message: Extract<OutboxMessage, { type: K }> } => e.message.type === type),
    messagesTo: (personId) => copy(state.outbox).filter((e) => e.to.type === 'person' && e.to.personId === personId),
    messagesToAdminChannel: () => copy(state.outbox).filter((e) => e.to.type === 'admin_channel'),
    auditLog: () => copy(state.audit),
    invitation: (id) => {
      const inv = state.invitations.find((i) => i.id === id);
      if (!inv) throw new Error(`no invitation #${id} in the store`);
      return copy(inv);
    },
    invitations: () => copy(state.invitations),
    seats: () => copy(state.seats).map(({ releasedAt: _r, ...s }) => s),
    stats,
    tamper: (fn) => {
      if (depth > 0) throw new Error('tamper() inside a transaction');
      fn(state);
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

export function fixedClock(start: number = T0): FixedClock {
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

export const defaultSettings = (): DomainSettings => ({
  inviteTtlMs: 14 * DAY_MS,
  publicBaseUrl: 'https://bot.example.edu',
  configuredAdmins: [],
  hasAdminChannel: true,
});

export interface TestDeps extends DomainDeps {
  store: MemoryStore;
  clock: FixedClock;
}

export function domainDeps(opts: { store?: MemoryStore; clock?: FixedClock; settings?: Partial<DomainSettings> } = {}): TestDeps {
  return {
    store: opts.store ?? memoryStore(),
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

export const TEAM = 'T0TEAM';

/** A person known in Slack, with an account email; `overrides` may set any field (null included). */
export function aPerson(store: MemoryStore, overrides: Partial<NewPerson> = {}): Someone {
  const n = store.dump().lastId.people + 1;
  const person = store.transaction((r) =>
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
export function anEmailOnlyPerson(store: MemoryStore, email: string): Someone {
  return aPerson(store, { email, slackTeamId: null, slackUserId: null, displayName: null, tz: null });
}

/** An admin added at run time (the admins table). */
export function anAdmin(store: MemoryStore, overrides: Partial<NewPerson> = {}): Someone {
  const someone = aPerson(store, overrides);
  store.transaction((r) => r.admins.add(someone.person.id, 0, T0));
  return someone;
}

/** A license pool, written straight to the store (no creator, no audit row). */
export function aLicense(store: MemoryStore, { name = 'Campus', seats = 5 }: { name?: string; seats?: number } = {}): License {
  let license: License | undefined;
  store.tamper((s) => {
    const row = { id: ++s.lastId.licenses, name, seats, createdBy: null, createdAt: T0 };
    s.licenses.push(row);
    license = { id: row.id, name, seats, createdAt: T0 };
  });
  return license!;
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
export function latestLink(store: MemoryStore, invitationId: number): { link: string; token: string; entry: OutboxEntry } {
  const entry = store
    .outbox()
    .filter((e) => (e.message.type === 'license_invitation' || e.message.type === 'forward_link') && e.message.invitation.invitationId === invitationId)
    .at(-1);
  if (!entry || !('link' in entry.message)) throw new Error(`no link was sent for invitation #${invitationId}`);
  return { link: entry.message.link, token: tokenOf(entry.message.link), entry };
}

export const audited = (store: MemoryStore, action: string): AuditEntry[] => store.auditLog().filter((e) => e.action === action);

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
