/**
 * What the domain asks to be told to people, platform-neutral. Renderers in src/bot turn each into
 * Block Kit (or an Adaptive Card); the deliverer sends it after the transaction that wrote it.
 */
import type { InvitationStatus } from './model.js';

export type OutboxRecipient = { type: 'person'; personId: number } | { type: 'admin_channel' };

export interface InvitationSnapshot {
  invitationId: number;
  status: InvitationStatus;
  licenseName: string;
  inviterName: string;
  inviteeName: string;
  inviteeEmail: string | null;
  expiresAt: number;
  occupied: number;
  reserved: number;
  seats: number;
}

export type OutboxMessage =
  /** the invitee's DM: what they got, what they did not get, their link, Accept / Decline */
  | { type: 'license_invitation'; invitation: InvitationSnapshot; link: string; resent: boolean }
  /** re-render the invitee's DM about this invitation in its new state (updated in place) */
  | { type: 'invitation_update'; invitation: InvitationSnapshot }
  /** a post to the admins about something that happened to an invitation */
  | {
      type: 'admin_invitation_event';
      event: 'created' | 'accepted' | 'declined' | 'revoked' | 'resent' | 'no_free_seat';
      invitation: InvitationSnapshot;
      actorName: string;
    }
  /** to the inviter, when the invitee cannot be reached in chat: the link to forward */
  | { type: 'forward_link'; invitation: InvitationSnapshot; link: string }
  /** to a person an admin tried to invite to a full license */
  | { type: 'license_full_notice'; licenseName: string; inviterName: string; seats: number }
  /** someone opened the personalized link and asked to accept: the invitee confirms in their DM */
  | { type: 'accept_confirmation'; invitation: InvitationSnapshot }
  /** a short notice to a person (an admin's result that is not an answer to a command) */
  | { type: 'notice'; text: string };

/** Messages that carry a personalized link are scrubbed of it once delivered. */
export const carriesLink = (m: OutboxMessage): m is Extract<OutboxMessage, { link: string }> =>
  'link' in m && typeof m.link === 'string';
