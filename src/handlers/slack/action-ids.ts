/**
 * Every button's action_id and every modal's callback_id, with the value encoding, in one module
 * beside the views, so a button and its listener cannot drift apart.
 */
import { z } from 'zod';

export const ACTIONS = {
  accept: 'invitation_accept',
  decline: 'invitation_decline',
  resend: 'invitation_resend',
  revoke: 'invitation_revoke',
} as const;

/** Buttons that are not about answering an invitation. */
export const PROJECT_ACTIONS = {
  requestSeat: 'seat_request_ask',
  approveSeat: 'seat_request_approve',
  /** opens the deny form (a reason for the person who asked) */
  denySeat: 'seat_request_deny',
  /** "Request a seat": opens the request-seat form for the clicker themselves */
  askSeat: 'seat_request_open',
  returnCopy: 'project_return_copy',
  extend: 'invitation_extend',
  reinvite: 'invitation_reinvite',
  drop: 'invitation_drop',
  shareProject: 'project_share_open',
  confirmBulk: 'bulk_invite_confirm',
  cancelBulk: 'bulk_invite_cancel',
  /** an admin added the person in the ATLAS.ti account portal */
  handoffDone: 'seat_handoff_done',
  /** a grouped to-do of the digest: everyone in it was added in the portal */
  handoffDoneAll: 'seat_handoff_done_all',
  /** the person says ATLAS.ti works for them */
  joined: 'seat_joined',
  /** reconcile found them missing in the portal: hand the seat over again */
  resendHandoff: 'seat_handoff_resend',
  /** the owner added the person in ATLAS.ti Web's Project Settings */
  memberAdded: 'project_member_added',
  /** an admin confirmed releasing a seat (its value names the seat) */
  releaseSeat: 'seat_release',
  /** another page of a pool's members: `mem:<license id>:<page>:<filter>` */
  membersPage: 'members_page',
  /** an admin confirmed retiring a license pool (its value names the pool) */
  retireLicense: 'license_retire',
  /** the home (Slack's Home tab, the Teams welcome card) drawn again, as things stand now */
  homeRefresh: 'home_refresh',
  /** the home's "Show pending": the pending-invitations review, in the admin's messages */
  homePending: 'home_pending',
  /** a CSV of a pool's members in the admin's messages (its value names the pool) */
  exportMembers: 'export_members',
  /** run a command again, corrected (its value is the command text): "Use the email on record" */
  retryCommand: 'command_retry',
} as const;

export const SHORTCUTS = {
  shareProject: 'share_project',
} as const;

export const VIEWS = {
  inviteLicense: 'invite_license',
  shareProject: 'share_project_form',
  returnProject: 'return_project_form',
  approveSeat: 'approve_seat_form',
  support: 'support_form',
  reconcile: 'reconcile_form',
  requestSeat: 'request_seat_form',
  denySeat: 'deny_seat_form',
} as const;

export const REQUEST_SEAT_MODAL = {
  license: { block: 'license', action: 'license_select' },
  email: { block: 'email', action: 'email_input' },
  reason: { block: 'reason', action: 'reason_input' },
} as const;

export const DENY_SEAT_MODAL = {
  note: { block: 'note', action: 'note_input' },
} as const;

export const RECONCILE_MODAL = {
  license: { block: 'license', action: 'license_select' },
  csv: { block: 'csv', action: 'csv_text' },
} as const;

export const SUPPORT_MODAL = {
  email: { block: 'email', action: 'email_input' },
  topic: { block: 'topic', action: 'topic_select' },
  description: { block: 'description', action: 'description_input' },
  files: { block: 'screenshots', action: 'files_input' },
} as const;

/** Block ids and action ids inside the share-a-project modal. */
export const SHARE_MODAL = {
  existing: { block: 'project_existing', action: 'project_select' },
  newName: { block: 'project_new', action: 'project_name' },
  edition: { block: 'edition', action: 'edition_choice' },
  users: { block: 'users', action: 'users_select' },
  emails: { block: 'emails', action: 'emails_input' },
  desktopLink: { block: 'desktop_link', action: 'link_input' },
  message: { block: 'message', action: 'message_input' },
} as const;

export const RETURN_MODAL = {
  project: { block: 'project', action: 'project_select' },
  link: { block: 'link', action: 'link_input' },
  note: { block: 'note', action: 'note_input' },
} as const;

export const APPROVE_MODAL = {
  license: { block: 'license', action: 'license_select' },
} as const;

/** Values of buttons about seat requests, projects and seats: `req:<id>`, `prj:<id>`, `seat:<id>`. */
export const requestValue = (id: number): string => `req:${id}`;
export const projectValue = (id: number): string => `prj:${id}`;
export const seatValue = (id: number): string => `seat:${id}`;
export const accessValue = (id: number): string => `acc:${id}`;
export const licenseValue = (id: number): string => `lic:${id}`;

export const membersValue = (licenseId: number, page: number, filter: string): string => `mem:${licenseId}:${page}:${filter}`.slice(0, 1900);

export function parseMembersValue(value: unknown): { licenseId: number; page: number; filter: string } | null {
  const m = typeof value === 'string' ? /^mem:(\d{1,9}):(\d{1,6}):(.*)$/s.exec(value) : null;
  return m ? { licenseId: Number(m[1]), page: Number(m[2]), filter: m[3]! } : null;
}

export function parseLicenseValue(value: unknown): number | null {
  const r = prefixed('lic').safeParse(value);
  return r.success ? r.data : null;
}

export function parseAccessValue(value: unknown): number | null {
  const r = prefixed('acc').safeParse(value);
  return r.success ? r.data : null;
}

const prefixed = (prefix: string) =>
  z
    .string()
    .regex(new RegExp(`^${prefix}:\\d{1,12}$`))
    .transform((v) => Number(v.slice(prefix.length + 1)));

export function parseRequestValue(value: unknown): number | null {
  const r = prefixed('req').safeParse(value);
  return r.success ? r.data : null;
}

/** Several seats in one button value (a grouped to-do): `seats:1,2,3`, at most 100. */
export const seatsValue = (ids: number[]): string => `seats:${ids.slice(0, 100).join(',')}`;

export function parseSeatsValue(value: unknown): number[] | null {
  const r = z.string().max(1300).regex(/^seats:\d{1,12}(,\d{1,12}){0,99}$/).safeParse(value);
  return r.success ? r.data.slice(6).split(',').map(Number) : null;
}

export function parseSeatValue(value: unknown): number | null {
  const r = prefixed('seat').safeParse(value);
  return r.success ? r.data : null;
}

export function parseProjectValue(value: unknown): number | null {
  const r = prefixed('prj').safeParse(value);
  return r.success ? r.data : null;
}

/** Block ids and action ids inside the invite-license modal. */
export const INVITE_MODAL = {
  license: { block: 'license', action: 'license_select' },
  users: { block: 'users', action: 'users_select' },
  emails: { block: 'emails', action: 'emails_input' },
  csv: { block: 'csv', action: 'csv_input' },
  /** Teams dialogs take no file: the same block holds the CSV's content, pasted */
  csvText: { block: 'csv', action: 'csv_text' },
} as const;

/** Buttons carry only an invitation id; who may act is decided by the domain, never by the value. */
export const invitationValue = (invitationId: number): string => `inv:${invitationId}`;

const valueSchema = z
  .string()
  .regex(/^inv:\d{1,12}$/)
  .transform((v) => Number(v.slice(4)));

export function parseInvitationValue(value: unknown): number | null {
  const r = valueSchema.safeParse(value);
  return r.success ? r.data : null;
}
