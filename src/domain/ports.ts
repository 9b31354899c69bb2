/**
 * What the domain needs from the outside, declared here and implemented in src/db (SQLite) and in
 * test fakes. Repositories are synchronous: every verb runs inside one `store.transaction`, which
 * the SQLite implementation opens with BEGIN IMMEDIATE, so a check and the write that depends on it
 * can never interleave with another writer, in this process or another one.
 */
import type { AuditEntry, Invitation, InvitationStatus, License, LicenseUsage, Person, Seat } from './model.js';
import type { OutboxMessage, OutboxRecipient } from './outbox-messages.js';

export interface Clock {
  now(): number;
}

export type NewPerson = Omit<Person, 'id'>;

export interface PeopleRepository {
  byId(id: number): Person | undefined;
  bySlackId(teamId: string, userId: string): Person | undefined;
  /** exact, case-sensitive match */
  byEmail(email: string): Person[];
  insert(p: NewPerson, at: number): Person;
  update(id: number, patch: Partial<NewPerson>, at: number): Person;
}

export interface AdminRepository {
  isAdmin(personId: number): boolean;
  add(personId: number, addedBy: number, at: number): boolean;
  remove(personId: number): boolean;
  list(): number[];
}

export interface LicenseRepository {
  insert(l: { name: string; seats: number; createdBy: number; createdAt: number }): License;
  byId(id: number): License | undefined;
  /** case-insensitive */
  byName(name: string): License | undefined;
  list(): License[];
  usage(licenseId: number): { occupied: number; reserved: number };
  listUsage(): LicenseUsage[];
}

export type NewInvitation = Omit<Invitation, 'id' | 'remindersSent' | 'lastRemindedAt' | 'confirmRequestedAt' | 'decidedAt' | 'decidedBy' | 'dmChannel' | 'dmTs'>;

export interface InvitationRepository {
  insert(i: NewInvitation): Invitation;
  byId(id: number): Invitation | undefined;
  byTokenHash(hash: string): Invitation | undefined;
  pendingFor(licenseId: number, inviteeId: number): Invitation | undefined;
  /**
   * Applies `patch` only if the invitation is still in `expected` state; false when it was not
   * (a double click, a race with another admin, an expiry sweep).
   */
  transition(id: number, expected: InvitationStatus, patch: Partial<Invitation>): boolean;
  update(id: number, patch: Partial<Invitation>): void;
  listPending(): Invitation[];
  listForInvitee(personId: number): Invitation[];
}

export interface SeatRepository {
  occupy(s: { licenseId: number; personId: number; email: string | null; invitationId: number; at: number }): Seat;
  occupiedBy(personId: number): Seat[];
  holds(licenseId: number, personId: number): boolean;
}

export interface AuditRepository {
  record(e: AuditEntry): void;
  list(subjectType?: AuditEntry['subjectType'], subjectId?: number): AuditEntry[];
}

export interface OutboxRepository {
  enqueue(to: OutboxRecipient, message: OutboxMessage, at: number): number;
}

export interface Repositories {
  people: PeopleRepository;
  admins: AdminRepository;
  licenses: LicenseRepository;
  invitations: InvitationRepository;
  seats: SeatRepository;
  audit: AuditRepository;
  outbox: OutboxRepository;
}

export interface Store {
  /** Runs `fn` atomically; a throw rolls everything back (invitation, seat, audit and outbox rows alike). */
  transaction<T>(fn: (repos: Repositories) => T): T;
}
