/**
 * In-memory fakes of the domain's ports, for fast unit tests of src/domain. They keep the semantics
 * of the SQLite repositories (src/db/repositories.ts): `licenses.byName`, `projects.byOwnerAndName`
 * and `seats.occupiedByEmailAnyCase` ignore (ASCII) letter case like COLLATE NOCASE,
 * `people.byEmail` is exact-case, `invitations.transition`, `seats.release` and
 * `seatRequests.decide` are conditional updates, `invitations.openForProject` matches pending or
 * waiting_for_seat, `usage()` counts occupied seats and pending license invitations, and the unique
 * indexes and foreign keys of the schema throw as SQLite would. `transaction(fn)` rolls everything
 * back when `fn` throws. Rows are copied in and out, so a verb can never alias stored state.
 */
import { parseReminderWindow } from '../../src/domain/index.js';
import type {
  BulkRun,
  BulkRunRepository,
  InviteRequest,
  InviteRequestRepository,
  Actor,
  AdminRepository,
  AuditEntry,
  AuditRepository,
  DownloadRepository,
  Clock,
  DomainDeps,
  DomainSettings,
  Edition,
  Invitation,
  InvitationRepository,
  InvitationStatus,
  License,
  LicenseRepository,
  NewPerson,
  OutboxMessage,
  OutboxRecipient,
  OutboxRepository,
  PeopleRepository,
  Person,
  Platform,
  Project,
  ProjectAccess,
  ProjectAccessRepository,
  ProjectRepository,
  Repositories,
  ReturnedCopy,
  ReturnedCopyRepository,
  Seat,
  SeatModel,
  SeatRepository,
  SeatRequest,
  SeatRequestRepository,
  Store,
  SubjectState,
} from '../../src/domain/index.js';
import { DomainError, inviteToLicense, mintToken } from '../../src/domain/index.js';

// ---------------------------------------------------------------------------------------------
// state


/** What a new invitation has not had yet: no reminder, answer, delivery or problem. */
const UNTOUCHED = {
  remindersSent: 0,
  lastRemindedAt: null,
  confirmRequestedAt: null,
  decidedAt: null,
  decidedBy: null,
  dmChannel: null,
  dmTs: null,
  deliveryProblem: null,
} as const;

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
  /** only once a link was set */
  linkSealed?: string;
  linkSetAt?: number;
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
  lastId: {
    people: number;
    licenses: number;
    invitations: number;
    seats: number;
    outbox: number;
    projects: number;
    projectAccess: number;
    returnedCopies: number;
    seatRequests: number;
    inviteRequests: number;
    bulkRuns: number;
  };
  people: PersonRow[];
  admins: AdminRow[];
  licenses: LicenseRow[];
  invitations: Invitation[];
  seats: SeatRow[];
  projects: Project[];
  projectAccess: ProjectAccess[];
  returnedCopies: ReturnedCopy[];
  seatRequests: SeatRequest[];
  inviteRequests: InviteRequest[];
  bulkRuns: BulkRun[];
  audit: AuditEntry[];
  outbox: OutboxEntry[];
  /** the newest state of each subject (restate.ts) */
  subjects: Record<string, SubjectState>;
}

const emptyState = (): MemoryState => ({
  lastId: { people: 0, licenses: 0, invitations: 0, seats: 0, outbox: 0, projects: 0, projectAccess: 0, returnedCopies: 0, seatRequests: 0, inviteRequests: 0, bulkRuns: 0 },
  people: [],
  admins: [],
  licenses: [],
  invitations: [],
  seats: [],
  projects: [],
  projectAccess: [],
  returnedCopies: [],
  seatRequests: [],
  inviteRequests: [],
  bulkRuns: [],
  audit: [],
  outbox: [],
  subjects: {},
});

const copy = <T>(v: T): T => structuredClone(v);

/**
 * What a rollback restores. Stored rows are only ever changed at their top level (a patch replaces
 * a nested value with a copy, never edits it in place), so copying each row one level deep is a
 * faithful snapshot, and far cheaper than a deep clone of the whole state per transaction.
 */
function snapshot(state: MemoryState): MemoryState {
  const rows = <T extends object>(table: T[]): T[] => table.map((r) => ({ ...r }));
  return {
    lastId: { ...state.lastId },
    people: rows(state.people),
    admins: rows(state.admins),
    licenses: rows(state.licenses),
    invitations: rows(state.invitations),
    seats: rows(state.seats),
    projects: rows(state.projects),
    projectAccess: rows(state.projectAccess),
    returnedCopies: rows(state.returnedCopies),
    seatRequests: rows(state.seatRequests),
    inviteRequests: rows(state.inviteRequests),
    bulkRuns: rows(state.bulkRuns),
    audit: rows(state.audit),
    outbox: rows(state.outbox),
    subjects: { ...state.subjects },
  };
}

/** SQLite's NOCASE folds ASCII letters only. */
const nocase = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/**
 * drizzle's `.set(patch)` leaves keys whose value is undefined alone, and ignores keys that are not
 * columns (every row here carries all of its columns, so a key the row lacks is not one); the
 * primary key is never patched.
 */
function applyPatch<T extends object>(row: T, patch: Partial<T>): void {
  for (const [k, v] of Object.entries(patch)) if (v !== undefined && k !== 'id' && k in row) (row as Record<string, unknown>)[k] = copy(v);
}

/** Ascending by a text column in BINARY collation, then by id (SQLite leaves ties unordered). */
const byText =
  <T extends { id: number }>(key: (r: T) => string) =>
  (a: T, b: T): number =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id - b.id;
const byId = (a: { id: number }, b: { id: number }): number => a.id - b.id;

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
  const fkLicense = (id: number | null, column: string) => {
    if (id !== null && !state().licenses.some((l) => l.id === id)) throw new ConstraintError(`FOREIGN KEY constraint failed: ${column} = ${id}`);
  };
  const fkInvitation = (id: number | null, column: string) => {
    if (id !== null && !state().invitations.some((i) => i.id === id)) throw new ConstraintError(`FOREIGN KEY constraint failed: ${column} = ${id}`);
  };
  const fkProject = (id: number | null, column: string) => {
    if (id !== null && !state().projects.some((p) => p.id === id)) throw new ConstraintError(`FOREIGN KEY constraint failed: ${column} = ${id}`);
  };
  const toPerson = ({ createdAt: _c, updatedAt: _u, ...p }: PersonRow): Person => copy(p);
  const toLicense = ({ createdBy: _b, linkSealed: _s, linkSetAt: _a, ...l }: LicenseRow): License => copy(l);
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
    byTeamsId: (tenantId, aadObjectId) => {
      const r = state().people.find((p) => p.teamsTenantId === tenantId && p.teamsAadId === aadObjectId);
      return r && toPerson(r);
    },
    bySlackId: (teamId, userId) => {
      const r = state().people.find((p) => p.slackTeamId === teamId && p.slackUserId === userId);
      return r && toPerson(r);
    },
    byEmail: (email) => state().people.filter((p) => p.email === email).map(toPerson),
    knownEmails: () => [
      ...new Set([
        ...state().people.flatMap((p) => (p.email && (p.slackUserId || p.teamsAadId) ? [p.email] : [])),
        ...state().seats.flatMap((s) => (s.email ? [s.email] : [])),
        ...state().invitations.flatMap((i) => (i.kind === 'license' && i.status === 'pending' && i.inviteeEmail ? [i.inviteeEmail] : [])),
      ]),
    ],
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
  };

  const usage = (licenseId: number) => ({
    occupied: state().seats.filter((s) => s.licenseId === licenseId && s.status === 'occupied').length,
    reserved: state().invitations.filter((i) => i.licenseId === licenseId && i.kind === 'license' && i.status === 'pending').length,
  });
  const byNameOrder = byText<LicenseRow>((l) => l.name);

  const licenses: LicenseRepository = {
    insert: (l) => {
      if (state().licenses.some((o) => nocase(o.name) === nocase(l.name))) throw new ConstraintError('UNIQUE constraint failed: licenses_name_nocase');
      fkPerson(l.createdBy, 'licenses.created_by');
      const row: LicenseRow = { id: ++state().lastId.licenses, name: l.name, seats: l.seats, seatModel: l.seatModel, memberCap: l.memberCap, createdBy: l.createdBy, createdAt: l.createdAt };
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
    list: () => [...state().licenses].filter((l) => l.retiredAt === undefined).sort(byNameOrder).map(toLicense),
    sealedLink: (licenseId) => state().licenses.find((l) => l.id === licenseId)?.linkSealed ?? null,
    setLink: (licenseId, sealed, at) => {
      const row = state().licenses.find((l) => l.id === licenseId);
      if (row) Object.assign(row, { linkSealed: sealed, linkSetAt: at });
    },
    update: (licenseId, patch) => {
      if (patch.name !== undefined && state().licenses.some((o) => o.id !== licenseId && nocase(o.name) === nocase(patch.name!))) {
        throw new ConstraintError('UNIQUE constraint failed: licenses_name_nocase');
      }
      const row = state().licenses.find((l) => l.id === licenseId);
      if (row) Object.assign(row, copy(patch));
    },
    usage,
    listUsage: () => [...state().licenses].filter((l) => l.retiredAt === undefined).sort(byNameOrder).map((l) => ({ license: toLicense(l), ...usage(l.id) })),
  };

  // partial unique indexes: a row takes part only when it matches the WHERE; NULLs never collide
  const inOnePendingLicense = (i: Invitation) => i.kind === 'license' && i.status === 'pending' && i.licenseId !== null;
  const OPEN_PROJECT: readonly InvitationStatus[] = ['pending', 'waiting_for_seat'];
  const inOneOpenProject = (i: Invitation) => i.kind === 'project' && OPEN_PROJECT.includes(i.status) && i.projectId !== null;
  const checkInvitationUniques = (i: Invitation) => {
    const others = state().invitations.filter((o) => o.id !== i.id);
    if (others.some((o) => o.tokenHash === i.tokenHash)) throw new ConstraintError('UNIQUE constraint failed: invitations.token_hash');
    if (inOnePendingLicense(i) && others.some((o) => inOnePendingLicense(o) && o.licenseId === i.licenseId && o.inviteeId === i.inviteeId)) {
      throw new ConstraintError('UNIQUE constraint failed: invitations_one_pending_license');
    }
    if (inOneOpenProject(i) && others.some((o) => inOneOpenProject(o) && o.projectId === i.projectId && o.inviteeId === i.inviteeId)) {
      throw new ConstraintError('UNIQUE constraint failed: invitations_one_open_project');
    }
  };
  const checkInvitationFks = (i: Invitation) => {
    fkLicense(i.licenseId, 'invitations.license_id');
    fkProject(i.projectId, 'invitations.project_id');
    fkPerson(i.inviteeId, 'invitations.invitee_id');
    fkPerson(i.inviterId, 'invitations.inviter_id');
    fkPerson(i.decidedBy, 'invitations.decided_by');
  };
  const patchInvitation = (row: Invitation, patch: Partial<Invitation>) => {
    const next = { ...row };
    applyPatch(next, patch);
    checkInvitationUniques(next);
    checkInvitationFks(next);
    Object.assign(row, next);
  };
  const invitationsWhere = (pred: (i: Invitation) => boolean) =>
    state()
      .invitations.filter(pred)
      .sort(byId)
      .map((i) => copy(i));

  const invitations: InvitationRepository = {
    insert: (i) => {
      // only the table's columns, like drizzle's `.values(i)`; the nullable ones default to NULL
      const row: Invitation = {
        id: state().lastId.invitations + 1,
        kind: i.kind,
        licenseId: i.licenseId ?? null,
        projectId: i.projectId ?? null,
        message: i.message ?? null,
        desktopLink: i.desktopLink ?? null,
        inviteeId: i.inviteeId,
        inviteeEmail: i.inviteeEmail,
        inviterId: i.inviterId,
        status: i.status,
        tokenHash: i.tokenHash,
        platform: i.platform,
        createdAt: i.createdAt,
        sentAt: i.sentAt,
        expiresAt: i.expiresAt,
        ...UNTOUCHED,
        runId: i.runId ?? null,
      };
      checkInvitationUniques(row);
      checkInvitationFks(row);
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
    pendingInvitees: (licenseId) => state().invitations.filter((i) => i.licenseId === licenseId && i.kind === 'license' && i.status === 'pending').map((i) => i.inviteeId),
    openForProject: (projectId, inviteeId) => {
      const r = state().invitations.find((i) => i.projectId === projectId && i.inviteeId === inviteeId && OPEN_PROJECT.includes(i.status));
      return r && copy(r);
    },
    waitingForSeat: (inviteeId) => invitationsWhere((i) => i.inviteeId === inviteeId && i.status === 'waiting_for_seat'),
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
    all: (licenseId) => state().invitations.filter((i) => licenseId === undefined || i.licenseId === licenseId).sort(byId).map((i) => copy(i)),
    listPending: () =>
      state()
        .invitations.filter((i) => i.status === 'pending')
        .sort((a, b) => a.sentAt - b.sentAt || a.id - b.id)
        .map((i) => copy(i)),
    listForInvitee: (personId) => invitationsWhere((i) => i.inviteeId === personId),
    listForRun: (runId) => invitationsWhere((i) => i.runId === runId),
    listForProjectWaiting: () =>
      state()
        .invitations.filter((i) => i.status === 'waiting_for_seat')
        .sort((a, b) => a.sentAt - b.sentAt || a.id - b.id)
        .map((i) => copy(i)),
    dueForReminder: (cutoff, max, limit) =>
      state()
        .invitations.filter((i) => i.status === 'pending' && (i.lastRemindedAt ?? i.sentAt) <= cutoff && i.remindersSent < max)
        .sort((a, b) => (a.lastRemindedAt ?? a.sentAt) - (b.lastRemindedAt ?? b.sentAt) || a.id - b.id)
        .slice(0, limit)
        .map((i) => copy(i)),
    overdue: (now, limit) =>
      state()
        .invitations.filter((i) => (i.status === 'pending' || i.status === 'waiting_for_seat') && i.expiresAt <= now)
        .sort((a, b) => a.expiresAt - b.expiresAt || a.id - b.id)
        .slice(0, limit)
        .map((i) => copy(i)),
  };

  const seats: SeatRepository = {
    occupy: (s) => {
      if (state().seats.some((o) => o.licenseId === s.licenseId && o.personId === s.personId && o.status === 'occupied')) {
        throw new ConstraintError('UNIQUE constraint failed: seats_one_per_person');
      }
      fkLicense(s.licenseId, 'seats.license_id');
      fkPerson(s.personId, 'seats.person_id');
      fkInvitation(s.invitationId, 'seats.invitation_id');
      const row: SeatRow = {
        id: ++state().lastId.seats,
        licenseId: s.licenseId,
        personId: s.personId,
        email: s.email,
        invitationId: s.invitationId,
        status: 'occupied',
        occupiedAt: s.at,
        releasedAt: null,
        handoff: 'awaiting',
        handedOverAt: null,
        handedOverBy: null,
        joinedAt: null,
        handoffVia: s.handoffVia ?? 'admin',
      };
      state().seats.push(row);
      return toSeat(row);
    },
    occupiedBy: (personId) => state().seats.filter((s) => s.personId === personId && s.status === 'occupied').map(toSeat),
    holds: (licenseId, personId) => state().seats.some((s) => s.licenseId === licenseId && s.personId === personId && s.status === 'occupied'),
    holders: (licenseId) => state().seats.filter((s) => s.licenseId === licenseId && s.status === 'occupied').map((s) => s.personId),
    occupiedByEmailAnyCase: (email) =>
      state()
        .seats.filter((s) => s.status === 'occupied' && s.email !== null && nocase(s.email) === nocase(email))
        .map(toSeat),
    // `… WHERE status = 'occupied'`: false when it was released already (or never existed)
    release: (id, at) => {
      const row = state().seats.find((s) => s.id === id && s.status === 'occupied');
      if (!row) return false;
      row.status = 'released';
      row.releasedAt = at;
      return true;
    },
    byId: (id) => {
      const r = state().seats.find((s) => s.id === id);
      return r && toSeat(r);
    },
    byInvitation: (invitationId) => {
      const r = state().seats.filter((s) => s.invitationId === invitationId).at(-1);
      return r && toSeat(r);
    },
    handOver: (id, by, at, via) => {
      const row = state().seats.find((s) => s.id === id && s.status === 'occupied' && s.handoff === 'awaiting');
      if (!row) return false;
      Object.assign(row, { handoff: 'handed_over', handedOverAt: at, handedOverBy: by || null, ...(via ? { handoffVia: via } : {}) });
      return true;
    },
    reopenHandoff: (id) => {
      const row = state().seats.find((s) => s.id === id && s.status === 'occupied' && s.handoff === 'handed_over');
      if (!row) return false;
      Object.assign(row, { handoff: 'awaiting', handedOverAt: null, handedOverBy: null });
      return true;
    },
    awaitingAdmin: () =>
      state()
        .seats.filter((s) => s.status === 'occupied' && s.handoff === 'awaiting' && s.handoffVia === 'admin')
        .sort((a, b) => a.licenseId - b.licenseId || a.id - b.id)
        .map(toSeat),
    rerouteHandoff: (id, via) => {
      const row = state().seats.find((s) => s.id === id && s.status === 'occupied' && s.handoff === 'awaiting');
      if (!row) return false;
      row.handoffVia = via;
      return true;
    },
    occupiedIn: (licenseId) => state().seats.filter((s) => s.licenseId === licenseId && s.status === 'occupied').map(toSeat),
    notJoined: (licenseId) => state().seats.filter((s) => s.licenseId === licenseId && s.status === 'occupied' && s.handoff !== 'joined').map(toSeat),
    markJoined: (id, at) => {
      const row = state().seats.find((s) => s.id === id && s.status === 'occupied' && s.handoff !== 'joined');
      if (!row) return false;
      Object.assign(row, { handoff: 'joined', joinedAt: at });
      return true;
    },
  };

  const projects: ProjectRepository = {
    insert: (p) => {
      if (state().projects.some((o) => o.ownerId === p.ownerId && nocase(o.name) === nocase(p.name))) {
        throw new ConstraintError('UNIQUE constraint failed: projects_owner_name_nocase');
      }
      fkPerson(p.ownerId, 'projects.owner_id');
      const row: Project = { id: ++state().lastId.projects, name: p.name, ownerId: p.ownerId, edition: p.edition, createdAt: p.createdAt };
      state().projects.push(row);
      return copy(row);
    },
    byId: (id) => {
      const r = state().projects.find((p) => p.id === id);
      return r && copy(r);
    },
    byOwnerAndName: (ownerId, name) => {
      const r = state().projects.find((p) => p.ownerId === ownerId && nocase(p.name) === nocase(name));
      return r && copy(r);
    },
    listByOwner: (ownerId) =>
      state()
        .projects.filter((p) => p.ownerId === ownerId)
        .sort(byText((p) => p.name))
        .map((p) => copy(p)),
  };

  const accessWhere = (pred: (a: ProjectAccess) => boolean) =>
    state()
      .projectAccess.filter(pred)
      .sort(byId)
      .map((a) => copy(a));
  const projectAccess: ProjectAccessRepository = {
    grant: (a) => {
      if (state().projectAccess.some((o) => o.projectId === a.projectId && o.personId === a.personId)) {
        throw new ConstraintError('UNIQUE constraint failed: project_access.project_id, project_access.person_id');
      }
      fkProject(a.projectId, 'project_access.project_id');
      fkPerson(a.personId, 'project_access.person_id');
      fkInvitation(a.invitationId, 'project_access.invitation_id');
      const row: ProjectAccess = {
        id: ++state().lastId.projectAccess,
        projectId: a.projectId,
        personId: a.personId,
        email: a.email,
        kind: a.kind,
        invitationId: a.invitationId,
        createdAt: a.createdAt,
        handoff: a.handoff,
        handedOverAt: a.handoff === 'handed_over' ? a.createdAt : null,
        handedOverBy: null,
      };
      state().projectAccess.push(row);
      return copy(row);
    },
    byId: (id) => {
      const r = state().projectAccess.find((a) => a.id === id);
      return r && copy(r);
    },
    handOver: (id, by, at) => {
      const row = state().projectAccess.find((a) => a.id === id && a.handoff === 'awaiting');
      if (!row) return false;
      Object.assign(row, { handoff: 'handed_over', handedOverAt: at, handedOverBy: by || null });
      return true;
    },
    forPerson: (personId) => accessWhere((a) => a.personId === personId),
    forProject: (projectId) => accessWhere((a) => a.projectId === projectId),
    has: (projectId, personId) => state().projectAccess.some((a) => a.projectId === projectId && a.personId === personId),
  };

  const returnedCopies: ReturnedCopyRepository = {
    insert: (c) => {
      fkProject(c.projectId, 'returned_copies.project_id');
      fkPerson(c.fromPersonId, 'returned_copies.from_person_id');
      const row: ReturnedCopy = {
        id: ++state().lastId.returnedCopies,
        projectId: c.projectId,
        fromPersonId: c.fromPersonId,
        link: c.link,
        note: c.note,
        createdAt: c.createdAt,
      };
      state().returnedCopies.push(row);
      return copy(row);
    },
    fromPerson: (personId) =>
      state()
        .returnedCopies.filter((c) => c.fromPersonId === personId)
        .sort(byId)
        .map((c) => copy(c)),
  };

  const checkSeatRequestFks = (r: SeatRequest) => {
    fkPerson(r.personId, 'seat_requests.person_id');
    fkInvitation(r.projectInvitationId, 'seat_requests.project_invitation_id');
    fkPerson(r.requestedBy, 'seat_requests.requested_by');
    fkPerson(r.decidedBy, 'seat_requests.decided_by');
    fkLicense(r.licenseId, 'seat_requests.license_id');
    fkInvitation(r.licenseInvitationId, 'seat_requests.license_invitation_id');
  };
  const seatRequests: SeatRequestRepository = {
    insert: (r) => {
      const row: SeatRequest = {
        id: state().lastId.seatRequests + 1,
        personId: r.personId,
        email: r.email,
        projectInvitationId: r.projectInvitationId,
        requestedBy: r.requestedBy,
        status: 'pending',
        decidedBy: null,
        licenseId: r.licenseId ?? null,
        licenseInvitationId: null,
        reason: r.reason ?? null,
        decisionNote: null,
        createdAt: r.createdAt,
        decidedAt: null,
      };
      checkSeatRequestFks(row);
      state().lastId.seatRequests = row.id;
      state().seatRequests.push(row);
      return copy(row);
    },
    byId: (id) => {
      const r = state().seatRequests.find((q) => q.id === id);
      return r && copy(r);
    },
    pendingForInvitation: (projectInvitationId) => {
      const r = state().seatRequests.find((q) => q.projectInvitationId === projectInvitationId && q.status === 'pending');
      return r && copy(r);
    },
    openOwn: (personId, licenseId) => {
      const r = state().seatRequests.find((q) => q.personId === personId && q.licenseId === licenseId && q.projectInvitationId === null && q.status === 'pending');
      return r && copy(r);
    },
    listPending: () => state().seatRequests.filter((q) => q.status === 'pending').sort(byId).map((q) => copy(q)),
    // `… WHERE status = 'pending'`: false when someone decided it first
    decide: (id, patch) => {
      const row = state().seatRequests.find((q) => q.id === id && q.status === 'pending');
      if (!row) return false;
      const next = { ...row };
      applyPatch(next, patch);
      checkSeatRequestFks(next);
      Object.assign(row, next);
      return true;
    },
  };

  const audit: AuditRepository = {
    record: (e) => {
      state().audit.push(copy(e));
    },
    about: (subjects) => copy(state().audit.filter((e) => subjects.some((s) => s.type === e.subjectType && s.id === e.subjectId))).sort((a, b) => a.at - b.at),
    all: () => state().audit.map((e, i) => ({ id: i + 1, ...copy(e) })),
  };

  const inviteRequests: InviteRequestRepository = {
    insert: (r) => {
      const row: InviteRequest = { ...copy(r), id: ++state().lastId.inviteRequests, status: 'pending' };
      state().inviteRequests.push(row);
      return copy(row);
    },
    byId: (id) => {
      const r = state().inviteRequests.find((q) => q.id === id);
      return r && copy(r);
    },
    decide: (id, status) => {
      const row = state().inviteRequests.find((q) => q.id === id && q.status === 'pending');
      if (!row) return false;
      row.status = status;
      return true;
    },
  };

  const bulkRuns: BulkRunRepository = {
    insert: (r) => {
      const row: BulkRun = { ...copy(r), id: ++state().lastId.bulkRuns, finishedAt: null };
      state().bulkRuns.push(row);
      return copy(row);
    },
    byId: (id) => {
      const r = state().bulkRuns.find((q) => q.id === id);
      return r && copy(r);
    },
    setTotal: (id, total) => {
      const r = state().bulkRuns.find((q) => q.id === id);
      if (r) r.total = total;
    },
    finish: (id, at) => {
      const r = state().bulkRuns.find((q) => q.id === id);
      if (r) r.finishedAt = at;
    },
  };

  const enqueue: OutboxRepository['enqueue'] = (to, message, at) => {
    const id = ++state().lastId.outbox;
    state().outbox.push({ id, to: copy(to), message: copy(message), at });
    return id;
  };
  const outbox: OutboxRepository = {
    enqueue,
    announce: (subject, s, at) => {
      state().subjects[subject] = copy(s);
      enqueue({ type: 'updates' }, { type: 'refresh', subject }, at);
    },
    stateOf: (subject) => (Object.hasOwn(state().subjects, subject) ? copy(state().subjects[subject]) : undefined),
  };

  // downloads live only in the real store's tables: no domain test offers one
  const downloads: DownloadRepository = {
    insert: () => {
      throw new Error('memory store: downloads are not kept here');
    },
    take: () => undefined,
    purgeExpired: () => 0,
  };

  return { people, admins, licenses, invitations, seats, projects, projectAccess, returnedCopies, seatRequests, inviteRequests, bulkRuns, audit, downloads, outbox };
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
  /** raw access for building odd situations that no verb would create; use sparingly */
  tamper(fn: (state: MemoryState) => void): void;
}

function memoryStore(): MemoryStore {
  let state = emptyState();
  let depth = 0;
  const stats = { committed: 0, rolledBack: 0 };

  const store: MemoryStore = {
    transaction<T>(fn: (repos: Repositories) => T): T {
      const before = snapshot(state);
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
    announced: (invitationId) => {
      const s = state.subjects[`invitation:${invitationId}`];
      return s?.kind === 'invitation' ? copy(s) : undefined;
    },
    refreshed: () => state.outbox.flatMap((e) => (e.message.type === 'refresh' ? [e.message.subject] : [])),
    auditLog: () => copy(state.audit),
    invitation: (id) => {
      const inv = state.invitations.find((i) => i.id === id);
      if (!inv) throw new Error(`no invitation #${id} in the store`);
      return copy(inv);
    },
    invitations: () => copy(state.invitations),
    seats: () => copy(state.seats).map(({ releasedAt: _r, ...s }) => s),
    projects: () => copy(state.projects),
    projectAccess: () => copy(state.projectAccess),
    seatRequests: () => copy(state.seatRequests),
    returnedCopies: () => copy(state.returnedCopies),
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

const TEAM = 'T0TEAM';

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

/** A license pool, written straight to the store (no creator, no audit row); assigned unless told otherwise. */
export function aLicense(
  store: MemoryStore,
  { name = 'Campus', seats = 5, seatModel = 'assigned', memberCap = null }: { name?: string; seats?: number; seatModel?: SeatModel; memberCap?: number | null } = {},
): License {
  let license: License | undefined;
  store.tamper((s) => {
    const row = { id: ++s.lastId.licenses, name, seats, seatModel, memberCap, createdBy: null, createdAt: T0 };
    s.licenses.push(row);
    license = { id: row.id, name, seats, seatModel, memberCap, createdAt: T0 };
  });
  return license!;
}

/** A person given either way the mothers hand them out. */
export type PersonLike = Someone | Person;
const personOf = (p: PersonLike): Person => ('person' in p ? p.person : p);

/** A project, inserted through the repository (so the owner must exist and the name be free for them); no audit row. */
export function aProject(
  store: MemoryStore,
  { owner, name, edition = 'web', createdAt = T0 }: { owner: PersonLike; name?: string; edition?: Edition; createdAt?: number },
): Project {
  const n = store.dump().lastId.projects + 1;
  return store.transaction((r) => r.projects.insert({ name: name ?? `Project ${n}`, ownerId: personOf(owner).id, edition, createdAt }));
}

/**
 * An occupied seat, as accepting a license invitation leaves it: an accepted invitation (from
 * `inviter`, by default the person themself) and the seat it took. No audit row, no messages.
 * `email` is the seat's account email, by default the person's.
 */
export function aSeat(
  store: MemoryStore,
  { license, person, email, inviter, at = T0, handoff = 'handed_over' }: { license: License; person: PersonLike; email?: string | null; inviter?: PersonLike; at?: number; handoff?: 'awaiting' | 'handed_over' },
): Seat {
  const p = personOf(person);
  const seatEmail = email === undefined ? p.email : email;
  return store.transaction((r) => {
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
  store: MemoryStore,
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
  const invitation = store.transaction((r) =>
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
  store: MemoryStore,
  opts: { project: Project; person: PersonLike; kind?: ProjectAccess['kind']; email?: string | null; invitationId?: number | null; at?: number; handoff?: ProjectAccess['handoff'] },
): ProjectAccess {
  const p = personOf(opts.person);
  const kind = opts.kind ?? (opts.project.edition === 'web' ? 'member' : 'copy');
  return store.transaction((r) =>
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
  store: MemoryStore,
  opts: { invitation: Invitation; requestedBy?: PersonLike; email?: string; at?: number },
): SeatRequest {
  const email = opts.email ?? opts.invitation.inviteeEmail;
  if (email === null) throw new Error(`invitation #${opts.invitation.id} has no email to ask a seat for`);
  return store.transaction((r) =>
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
export function latestLink(store: MemoryStore, invitationId: number): { link: string; token: string; entry: OutboxEntry } {
  const entry = store
    .outbox()
    .filter((e) => (e.message.type === 'license_invitation' || e.message.type === 'forward_link') && e.message.invitation.invitationId === invitationId)
    .at(-1);
  if (!entry || !('link' in entry.message) || entry.message.link === undefined) throw new Error(`no link was sent for invitation #${invitationId}`);
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

/**
 * `n` people, each with a pending license invitation sent at `at` (default T0), written straight
 * into the store (building them one verb at a time would take a transaction each).
 */
export function bulkPending(
  store: MemoryStore,
  n: number,
  opts: { licenseId: number; inviterId: number; at?: number; expiresAt?: number; tz?: string | null },
): number[] {
  const at = opts.at ?? T0;
  const ids: number[] = [];
  store.tamper((s) => {
    for (let k = 0; k < n; k++) {
      const personId = ++s.lastId.people;
      const email = `bulk${personId}@uni.example`;
      s.people.push({
        id: personId,
        email,
        slackTeamId: TEAM,
        slackUserId: `UB${personId}`,
        slackDmChannel: null,
        displayName: `Bulk ${personId}`,
        tz: opts.tz === undefined ? 'UTC' : opts.tz,
        createdAt: at,
        updatedAt: at,
      });
      const id = ++s.lastId.invitations;
      const inv: Invitation = {
        id,
        kind: 'license',
        licenseId: opts.licenseId,
        projectId: null,
        message: null,
        desktopLink: null,
        inviteeId: personId,
        inviteeEmail: email,
        inviterId: opts.inviterId,
        status: 'pending',
        tokenHash: `bulk-token-hash-${id}`,
        platform: 'slack',
        createdAt: at,
        sentAt: at,
        expiresAt: opts.expiresAt ?? at + 30 * DAY_MS,
        ...UNTOUCHED,
        runId: null,
      };
      s.invitations.push(inv);
      ids.push(id);
    }
  });
  return ids;
}
