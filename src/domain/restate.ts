/**
 * One message, one truth. Every message the bot posts names what it is about (its subjects: an
 * invitation, a seat request). When a subject changes, the verb that changed it records the new
 * state in the same transaction (`announce`); the deliverer then updates every message already
 * posted about it, in place, and a message posted later shows the newest state straight away.
 * Buttons follow the state: a message about something that is over offers nothing to press.
 */
import type { AnyInvitationSnapshot, OutboxMessage } from './outbox-messages.js';
import type { InvitationStatus } from './model.js';
import type { Repositories } from './ports.js';

export type SubjectState =
  | {
      kind: 'invitation';
      invitation: AnyInvitationSnapshot;
      /** the invitee's message that carries the live state (a fresh copy, or news); their other messages about it point to it */
      current?: number;
      /** what its inviter did with it after it expired */
      followUp?: { action: 'reinvited' | 'dropped'; by: string; invitationId?: number };
      /** a seat request made for the invitee of this (waiting) project invitation */
      seatRequestId?: number;
    }
  /** `closed`: no longer needed (its project invitation expired or was withdrawn), `reason` says why */
  | { kind: 'seat_request'; requestId: number; status: 'pending' | 'approved' | 'denied' | 'closed'; decidedBy?: string; licenseName?: string; note?: string; reason?: string };

const invitationSubject = (invitationId: number): string => `invitation:${invitationId}`;
const seatRequestSubject = (requestId: number): string => `seat_request:${requestId}`;

const subjectOf = (s: SubjectState): string => (s.kind === 'invitation' ? invitationSubject(s.invitation.invitationId) : seatRequestSubject(s.requestId));

/** What a message is about: its posted copy is updated whenever one of these changes. */
export function subjectsOf(m: OutboxMessage): string[] {
  switch (m.type) {
    case 'license_invitation':
    case 'invitation_update':
    case 'project_invitation':
    case 'project_invitation_update':
    case 'admin_invitation_event':
    case 'forward_link':
    case 'project_owner_event':
    case 'reminder':
    case 'accept_confirmation':
      return [invitationSubject(m.invitation.invitationId)];
    case 'expired_notice':
      return expiredItems(m).map((e) => invitationSubject(e.invitation.invitationId));
    case 'share_attention':
      return m.waiting.map((w) => invitationSubject(w.invitationId));
    case 'seat_request':
      return [seatRequestSubject(m.requestId)];
    case 'digest_page':
      return m.page.entries.flatMap((e) => (e.kind === 'item' ? [invitationSubject(e.item.invitationId)] : []));
    default:
      return [];
  }
}

/** Expiry notices list one or more invitations (older ones held exactly one). */
export const expiredItems = (m: Extract<OutboxMessage, { type: 'expired_notice' }>): NonNullable<Extract<OutboxMessage, { type: 'expired_notice' }>['items']> =>
  m.items ?? (m.invitation ? [{ invitation: m.invitation }] : []);

/** What a change is, for comparing a message's snapshot with the newest state (usage counts drift and do not count). */
const stateKey = (i: AnyInvitationSnapshot): string =>
  JSON.stringify([i.status, i.expiresAt, i.kind === 'license' ? [i.handoff ?? null, i.seatId ?? null] : [i.handoff ?? null, i.accessId ?? null, i.desktopLink]]);

type Lookup = (subject: string) => SubjectState | undefined;

function invitationState(states: Lookup, invitationId: number): Extract<SubjectState, { kind: 'invitation' }> | undefined {
  const s = states(invitationSubject(invitationId));
  return s?.kind === 'invitation' ? s : undefined;
}

/**
 * The message as it should read now: `m` brought up to the newest state of its subjects, or
 * undefined when it already says what is true. `ownId` is its outbox id (an invitee's older copy
 * points to the newer one instead of repeating it).
 */
export function restate(m: OutboxMessage, states: Lookup, ownId: number): OutboxMessage | undefined {
  switch (m.type) {
    case 'license_invitation':
    case 'project_invitation':
    case 'invitation_update':
    case 'project_invitation_update': {
      const s = invitationState(states, m.invitation.invitationId);
      if (!s) return undefined;
      const superseded = s.current !== undefined && s.current !== ownId;
      const isCopy = m.type === 'license_invitation' || m.type === 'project_invitation';
      // the message that carries the live state, unchanged since: as it is (with its link, while it has one)
      if (!superseded && stateKey(s.invitation) === stateKey(m.invitation) && (isCopy || !('superseded' in m && m.superseded))) return undefined;
      // still open, and this copy is the live one: the same invitation with its new dates, its link kept (sealed at rest)
      const open = s.invitation.status === 'pending' && !superseded;
      if (open && isCopy && m.link !== '[removed]' && s.invitation.kind === m.invitation.kind) return { ...m, invitation: s.invitation } as OutboxMessage;
      if (s.invitation.kind === 'license') return { type: 'invitation_update', invitation: s.invitation, ...(superseded ? { superseded: true } : {}) };
      // a Desktop link stays in the invitee's own messages once revealed
      const invitation = m.invitation.kind === 'project' && m.invitation.desktopLink && !s.invitation.desktopLink ? { ...s.invitation, desktopLink: m.invitation.desktopLink } : s.invitation;
      return { type: 'project_invitation_update', invitation, ...(superseded ? { superseded: true } : {}) };
    }
    case 'reminder':
    case 'accept_confirmation': {
      const s = invitationState(states, m.invitation.invitationId);
      if (!s || stateKey(s.invitation) === stateKey(m.invitation)) return undefined;
      return { ...m, invitation: s.invitation };
    }
    case 'admin_invitation_event':
    case 'forward_link':
    case 'project_owner_event': {
      // to the admins, the inviter, the owner: never the invitee's Desktop link
      const s = invitationState(states, m.invitation.invitationId);
      if (!s || s.invitation.kind !== m.invitation.kind) return undefined;
      // a link to forward that was scrubbed (older rows) is left alone while it may still be needed
      if (m.type === 'forward_link' && m.link === '[removed]' && s.invitation.status === 'pending') return undefined;
      const invitation =
        s.invitation.kind === 'project'
          ? { ...s.invitation, desktopLink: null }
          : // a sweep does not count seats: the figures the message had stay
            s.invitation.uncounted && m.invitation.kind === 'license'
            ? { ...s.invitation, occupied: m.invitation.occupied, reserved: m.invitation.reserved, uncounted: undefined }
            : s.invitation;
      if (stateKey(invitation) === stateKey(m.invitation)) return undefined;
      return { ...m, invitation } as OutboxMessage;
    }
    case 'expired_notice': {
      let changed = false;
      const items = expiredItems(m).map((e) => {
        const s = invitationState(states, e.invitation.invitationId);
        if (!s?.followUp || JSON.stringify(s.followUp) === JSON.stringify(e.followUp)) return e;
        changed = true;
        return { ...e, followUp: s.followUp };
      });
      return changed ? { type: 'expired_notice', items } : undefined;
    }
    case 'share_attention': {
      let changed = false;
      const waiting = m.waiting.map((w) => {
        const s = invitationState(states, w.invitationId);
        if (!s) return w;
        const next = { ...w, status: s.invitation.status, ...(s.seatRequestId !== undefined ? { seatRequestId: s.seatRequestId } : {}) };
        if (next.status === (w.status ?? 'waiting_for_seat') && next.seatRequestId === w.seatRequestId) return w;
        changed = true;
        return next;
      });
      return changed ? { ...m, waiting } : undefined;
    }
    case 'seat_request': {
      const s = states(seatRequestSubject(m.requestId));
      if (s?.kind !== 'seat_request' || s.status === m.status) return undefined;
      return { ...m, status: s.status, ...(s.decidedBy ? { decidedBy: s.decidedBy } : {}), ...(s.licenseName ? { licenseName: s.licenseName } : {}), ...(s.note ? { note: s.note } : {}), ...(s.reason ? { reason: s.reason } : {}) };
    }
    case 'digest_page': {
      let changed = false;
      const entries = m.page.entries.map((e) => {
        if (e.kind !== 'item') return e;
        const s = invitationState(states, e.item.invitationId);
        if (!s) return e;
        // an item without a status is open, as listed; once answered (or over) it says what became of it
        const status: InvitationStatus | undefined = s.invitation.status === 'pending' || s.invitation.status === 'waiting_for_seat' ? undefined : s.invitation.status;
        if (status === e.item.status && e.item.expiresAt === s.invitation.expiresAt) return e;
        changed = true;
        return { ...e, item: { ...e.item, expiresAt: s.invitation.expiresAt, ...(status ? { status } : {}) } };
      });
      return changed ? { ...m, page: { ...m.page, entries } } : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Records a subject's new state and asks for every message about it to be brought up to date.
 * Call it in the transaction that made the change; the updates happen after it commits.
 */
export async function announce(repos: Repositories, state: SubjectState, at: number): Promise<void> {
  await repos.outbox.announce(subjectOf(state), state, at);
}

type InvitationState = Extract<SubjectState, { kind: 'invitation' }>;

/**
 * News about an invitation for its invitee (their seat is ready, they were added to a project):
 * one new message tells them, and carries the live state from now on; their older messages about
 * it are brought up to date and point to it.
 */
export async function tellNews(repos: Repositories, invitation: AnyInvitationSnapshot, at: number, inviteeId: number): Promise<void> {
  const id = await repos.outbox.enqueue(
    { type: 'person', personId: inviteeId },
    invitation.kind === 'license' ? { type: 'invitation_update', invitation } : { type: 'project_invitation_update', invitation },
    at,
  );
  await announceInvitation(repos, invitation, at, { current: id });
}

/**
 * An invitation changed: every message about it is brought up to `invitation`. What was recorded
 * before (which message carries the live state, a seat request) is kept unless `extra` replaces it.
 */
export async function announceInvitation(repos: Repositories, invitation: AnyInvitationSnapshot, at: number, extra: Partial<Omit<InvitationState, 'kind' | 'invitation'>> = {}): Promise<void> {
  const before = await repos.outbox.stateOf(invitationSubject(invitation.invitationId));
  const kept = before?.kind === 'invitation' ? before : undefined;
  await announce(repos, { ...kept, ...extra, kind: 'invitation', invitation }, at);
}
