/**
 * What the domain needs from the outside, declared here and implemented in src/db, once per engine
 * (SQLite, PostgreSQL). Every verb runs inside one `store.transaction`, and every repository call
 * answers with a promise. A check and the write that depends on it never interleave with another
 * writer, in this process or another one: SQLite opens each transaction with BEGIN IMMEDIATE;
 * PostgreSQL locks the pool's row where seats are counted (`licenses.usage`) and makes every state
 * change a conditional update.
 */
import type {
  AuditEntry,
  Invitation,
  InvitationStatus,
  License,
  LicenseUsage,
  Person,
  Project,
  ProjectAccess,
  ReturnedCopy,
  Seat,
  SeatModel,
  SeatRequest,
} from './model.js';
import type { OutboxMessage, OutboxRecipient } from './outbox-messages.js';
import type { SubjectState } from './restate.js';

export interface Clock {
  now(): number;
}

export type NewPerson = Omit<Person, 'id'>;

export interface PeopleRepository {
  byId(id: number): Person | undefined;
  /** those of these people who exist, in any order: a bulk run reads its people in one go */
  byIds(ids: readonly number[]): Person[];
  bySlackId(teamId: string, userId: string): Person | undefined;
  /** those of these Slack users who are known, in any order: a bulk run identifies its people in one go */
  bySlackIds(teamId: string, userIds: readonly string[]): Person[];
  byTeamsId(tenantId: string, aadObjectId: string): Person | undefined;
  /** exact, case-sensitive match */
  byEmail(email: string): Person[];
  /** everyone under any of these emails (exact, case-sensitive), oldest first */
  byEmails(emails: readonly string[]): Person[];
  /**
   * Holds this account email for the rest of the transaction: a second transaction deciding who has
   * it (another instance meeting the same unknown email) waits for this one and then reads what it
   * recorded, so one email never becomes two people. (SQLite's write lock already serializes them.)
   * Many at once are held in one step.
   */
  holdEmails(emails: readonly string[]): void;
  /** the account emails of real people: those known in chat, those a seat was recorded under, those a seat is on its way to */
  knownEmails(): string[];
  insert(p: NewPerson, at: number): Person;
  /** in the order given */
  insertMany(ps: readonly NewPerson[], at: number): Person[];
  update(id: number, patch: Partial<NewPerson>, at: number): Person;
}

export interface AdminRepository {
  isAdmin(personId: number): boolean;
  add(personId: number, addedBy: number, at: number): boolean;
  remove(personId: number): boolean;
}

export interface LicenseRepository {
  insert(l: { name: string; seats: number; seatModel: SeatModel; memberCap: number | null; createdBy: number; createdAt: number }): License;
  byId(id: number): License | undefined;
  /** those of these pools that exist (retired ones too), in any order: a sweep reads its pools in one go */
  byIds(ids: readonly number[]): License[];
  /** case-insensitive; a retired pool too (to say so) */
  byName(name: string): License | undefined;
  /** the pools in use (not retired), and below their usage */
  list(): License[];
  usage(licenseId: number): { occupied: number; reserved: number };
  listUsage(): LicenseUsage[];
  /** the license's own invitation link, sealed (see SecretBox); null when it has none */
  sealedLink(licenseId: number): string | null;
  setLink(licenseId: number, sealed: string, at: number): void;
  /** a new size or name (a name may not clash with another pool's, whatever its letter case) */
  update(licenseId: number, patch: Partial<Pick<License, 'name' | 'seats' | 'retiredAt'>>): void;
}

type NewInvitation = Omit<
  Invitation,
  'id' | 'remindersSent' | 'lastRemindedAt' | 'confirmRequestedAt' | 'decidedAt' | 'decidedBy' | 'dmChannel' | 'dmTs' | 'projectId' | 'message' | 'desktopLink' | 'licenseId' | 'deliveryProblem' | 'runId'
> &
  Partial<Pick<Invitation, 'projectId' | 'message' | 'desktopLink' | 'licenseId' | 'runId'>>;

export interface InvitationRepository {
  insert(i: NewInvitation): Invitation;
  /** several at once, returned in the order given (on PostgreSQL one statement, not one round trip each) */
  insertMany(rows: readonly NewInvitation[]): Invitation[];
  byId(id: number): Invitation | undefined;
  byTokenHash(hash: string): Invitation | undefined;
  /**
   * The invitation, read to decide on it: its row stays this transaction's until it ends, so a
   * second decision on it (a double click, another admin, another instance) waits and then reads
   * what the first one wrote. (SQLite's write lock already covers every row.)
   */
  toDecide(id: number): Invitation | undefined;
  pendingFor(licenseId: number, inviteeId: number): Invitation | undefined;
  /** everyone with a pending invitation to this pool */
  pendingInvitees(licenseId: number): number[];
  /** the pending invitations to this pool of any of these people */
  pendingAmong(licenseId: number, inviteeIds: readonly number[]): Invitation[];
  /** a project invitation still open for this person: pending or waiting for a seat */
  openForProject(projectId: number, inviteeId: number): Invitation | undefined;
  /** project invitations held back until this person holds a seat */
  waitingForSeat(inviteeId: number): Invitation[];
  listForRun(runId: number): Invitation[];
  /**
   * Applies `patch` only if the invitation is still in `expected` state; false when it was not
   * (a double click, a race with another admin, an expiry sweep).
   */
  transition(id: number, expected: InvitationStatus, patch: Partial<Invitation>): boolean;
  /**
   * Counts one more reminder, only if the invitation is still pending with `sentSoFar` reminders:
   * false when another sweep (another instance) reminded it first.
   */
  markReminded(id: number, sentSoFar: number, at: number): boolean;
  /**
   * markReminded for many at once: counts one more reminder on each of these invitations that is
   * still pending with `sentSoFar` reminders and was last sent or reminded at or before `cutoff`,
   * with a few conditional updates (one per distinct `sentSoFar`), not one per invitation. Answers
   * those it counted, as they now are (`remindersSent` is already the new count), in any order: one
   * that another sweep (another instance) reminded first, or that was answered meanwhile, is not
   * among them.
   */
  claimReminders(claims: readonly { id: number; sentSoFar: number }[], cutoff: number, at: number): Invitation[];
  update(id: number, patch: Partial<Invitation>): void;
  listPending(): Invitation[];
  /** project invitations held back until their invitee holds a seat, all of them */
  listForProjectWaiting(): Invitation[];
  /** pending invitations last sent or reminded at or before `cutoff`, with fewer than `max` reminders, oldest first */
  /** pending invitations due for a reminder, oldest first: just what the sweep needs to pick them (it re-reads each one it reminds) */
  dueForReminder(cutoff: number, max: number, limit: number): DueReminder[];
  /** pending invitations whose expiry is at or before `now`, soonest first */
  overdue(now: number, limit: number): Invitation[];
  listForInvitee(personId: number): Invitation[];
  /** every invitation (of one pool, when given), oldest first: an export */
  all(licenseId?: number): Invitation[];
}

export interface SeatRepository {
  occupy(s: { licenseId: number; personId: number; email: string | null; invitationId: number; at: number; handoffVia?: Seat['handoffVia'] }): Seat;
  occupiedBy(personId: number): Seat[];
  holds(licenseId: number, personId: number): boolean;
  /** everyone holding a seat of this pool (a bulk run checks thousands of people against it at once) */
  holders(licenseId: number): number[];
  /** which of these people hold a seat: of this pool, or of any pool when none is given */
  holdersAmong(personIds: readonly number[], licenseId?: number): number[];
  /** the occupied seats of any of these people, in any order: what occupiedBy gives for each, read in one go */
  occupiedAmong(personIds: readonly number[]): Seat[];
  /** occupied seats whose account email equals this one ignoring letter case (the caller compares exactly) */
  occupiedByEmailAnyCase(email: string): Seat[];
  release(id: number, at: number): boolean;
  byId(id: number): Seat | undefined;
  /** the seat an accepted license invitation gave (occupied or since released) */
  byInvitation(invitationId: number): Seat | undefined;
  /** `awaiting` → `handed_over`, only for an occupied seat; false when it was handed over (or released) already */
  handOver(id: number, by: number, at: number, via?: Seat['handoffVia']): boolean;
  /** `awaiting` or `handed_over` → `joined`, only for an occupied seat */
  markJoined(id: number, at: number): boolean;
  /** `handed_over` → `awaiting` again: the portal does not have them after all */
  reopenHandoff(id: number): boolean;
  /** occupied seats waiting for an admin to add them in the portal (all pools) */
  awaitingAdmin(): Seat[];
  /** a seat still awaiting its hand-off changes route (the webhook refused it: an admin does it instead) */
  rerouteHandoff(id: number, via: Seat['handoffVia']): boolean;
  /** every occupied seat of a pool */
  occupiedIn(licenseId: number): Seat[];
  /** occupied seats of a pool whose holder has not yet said they joined */
  notJoined(licenseId: number): Seat[];
}

export interface ProjectRepository {
  insert(p: Omit<Project, 'id'>): Project;
  byId(id: number): Project | undefined;
  /** those of these projects that exist, in any order */
  byIds(ids: readonly number[]): Project[];
  /** case-insensitive, among one owner's projects */
  byOwnerAndName(ownerId: number, name: string): Project | undefined;
  listByOwner(ownerId: number): Project[];
}

export interface ProjectAccessRepository {
  grant(a: Omit<ProjectAccess, 'id' | 'handedOverAt' | 'handedOverBy'>): ProjectAccess;
  byId(id: number): ProjectAccess | undefined;
  /** `awaiting` → `handed_over`; false when it was already */
  handOver(id: number, by: number, at: number): boolean;
  forPerson(personId: number): ProjectAccess[];
  forProject(projectId: number): ProjectAccess[];
  has(projectId: number, personId: number): boolean;
}

export interface ReturnedCopyRepository {
  insert(c: Omit<ReturnedCopy, 'id'>): ReturnedCopy;
  fromPerson(personId: number): ReturnedCopy[];
}

export interface SeatRequestRepository {
  insert(r: Pick<SeatRequest, 'personId' | 'email' | 'projectInvitationId' | 'requestedBy' | 'createdAt'> & Partial<Pick<SeatRequest, 'licenseId' | 'reason'>>): SeatRequest;
  byId(id: number): SeatRequest | undefined;
  pendingForInvitation(projectInvitationId: number): SeatRequest | undefined;
  /** a person's own open request for a seat in this pool (there is at most one) */
  openOwn(personId: number, licenseId: number): SeatRequest | undefined;
  /** every open request, oldest first */
  listPending(): SeatRequest[];
  /** conditional, like invitations: false when it was already decided */
  decide(id: number, patch: Pick<SeatRequest, 'status' | 'decidedBy' | 'decidedAt'> & Partial<Pick<SeatRequest, 'licenseId' | 'licenseInvitationId' | 'decisionNote'>>): boolean;
}

/** Files offered by link for a short while (an export in Teams): the token's hash and the sealed content. */
export interface DownloadRepository {
  insert(d: { personId: number; tokenHash: string; filename: string; sealedContent: string; createdAt: number; expiresAt: number }): void;
  /** an unexpired download, removed as it is taken: a link works once (expired ones are never returned) */
  take(hash: string, now: number): { personId: number; filename: string; sealedContent: string; expiresAt: number } | undefined;
  /** forgets every download expired by `now`; how many */
  purgeExpired(now: number): number;
}

export interface AuditRepository {
  record(e: AuditEntry): void;
  /** several entries, in the order given */
  recordMany(entries: readonly AuditEntry[]): void;
  /** what happened to these subjects, oldest first */
  about(subjects: readonly { type: AuditEntry['subjectType']; id: number }[]): AuditEntry[];
  /** every entry, in the order written, with its row id (an export) */
  all(): (AuditEntry & { id: number })[];
}

/** One message to queue, as `enqueue` takes it. */
interface QueuedMessage {
  to: OutboxRecipient;
  message: OutboxMessage;
  at: number;
  priority?: 0 | 1;
}

export interface OutboxRepository {
  /** priority 0: someone waits for it; 1: part of a bulk run, sent after everything else */
  enqueue(to: OutboxRecipient, message: OutboxMessage, at: number, priority?: 0 | 1): number;
  /** several messages, queued in the order given (as many enqueues would); their ids */
  enqueueMany(items: readonly QueuedMessage[]): number[];
  /** records a subject's newest state and queues the update of every message about it */
  announce(subject: string, state: SubjectState, at: number): void;
  stateOf(subject: string): SubjectState | undefined;
}

export interface InviteRequest {
  id: number;
  requestedBy: number;
  licenseId: number;
  invitees: { personId: number; email?: string | null }[];
  status: 'pending' | 'confirmed' | 'cancelled';
  createdAt: number;
}

export interface BulkRun {
  id: number;
  requestedBy: number;
  licenseId: number;
  total: number;
  startedAt: number;
  finishedAt: number | null;
}

export interface BulkRunRepository {
  insert(r: Omit<BulkRun, 'id' | 'finishedAt'>): BulkRun;
  byId(id: number): BulkRun | undefined;
  setTotal(id: number, total: number): void;
  finish(id: number, at: number): void;
}

export interface InviteRequestRepository {
  insert(r: Omit<InviteRequest, 'id' | 'status'>): InviteRequest;
  byId(id: number): InviteRequest | undefined;
  /** conditional: false when it was already confirmed or cancelled */
  decide(id: number, status: 'confirmed' | 'cancelled'): boolean;
}

/** The repositories as one engine writes them synchronously (better-sqlite3); the domain sees them through `Repositories`. */
export interface RepositoriesSync {
  people: PeopleRepository;
  admins: AdminRepository;
  licenses: LicenseRepository;
  invitations: InvitationRepository;
  seats: SeatRepository;
  projects: ProjectRepository;
  projectAccess: ProjectAccessRepository;
  returnedCopies: ReturnedCopyRepository;
  seatRequests: SeatRequestRepository;
  inviteRequests: InviteRequestRepository;
  bulkRuns: BulkRunRepository;
  audit: AuditRepository;
  downloads: DownloadRepository;
  outbox: OutboxRepository;
}

/** Seals secrets kept at rest (a license's own invitation link) and opens them for delivery. */
export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

/** Every method of a repository, answering with a promise (an engine behind a network answers later). */
export type Promised<T> = { [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : T[K] };

/** What a verb reads and writes, on any engine: every call answers with a promise. */
export type Repositories = { [K in keyof RepositoriesSync]: Promised<RepositoriesSync[K]> };

export interface Store {
  /**
   * Runs `fn` atomically; a throw rolls everything back (invitation, seat, audit and outbox rows
   * alike). Transactions of one store never interleave.
   */
  transaction<T>(fn: (repos: Repositories) => Promise<T>): Promise<T>;
}

/** A line of the reminder sweep's list, read from its covering index alone. */
type DueReminder = Pick<Invitation, 'id' | 'inviteeId' | 'remindersSent' | 'expiresAt'>;
