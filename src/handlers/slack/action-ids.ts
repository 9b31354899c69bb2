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

export type InvitationAction = keyof typeof ACTIONS;

export const VIEWS = {
  inviteLicense: 'invite_license',
} as const;

/** Block ids and action ids inside the invite-license modal. */
export const INVITE_MODAL = {
  license: { block: 'license', action: 'license_select' },
  users: { block: 'users', action: 'users_select' },
  emails: { block: 'emails', action: 'emails_input' },
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
