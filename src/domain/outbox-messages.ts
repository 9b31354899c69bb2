/**
 * What the domain asks to be told to people, platform-neutral. Renderers in src/bot turn each into
 * Block Kit (or an Adaptive Card); the deliverer sends it after the transaction that wrote it.
 */
import type { Inline } from './message.js';
import type { Edition, HandoffState, InvitationStatus, SeatModel } from './model.js';
import type { DigestPage } from './digest.js';
import type { SupportRequest } from './support.js';
import type { BulkProgress } from './bulk-progress.js';
import type { ReconcileReport } from './reconcile.js';

/** `updates`: no one new; messages already posted about a subject are brought up to date (see restate.ts) */
export type OutboxRecipient = { type: 'person'; personId: number } | { type: 'admin_channel' } | { type: 'support_channel' } | { type: 'webhook' } | { type: 'updates' };

/** What the provisioning webhook is told: a seat given or taken back, a Web project member added or removed. */
export interface ProvisioningEvent {
  type: 'seat.granted' | 'seat.released' | 'project.member_added' | 'project.member_removed';
  /** the same on every retry of this event: receivers use it to act once */
  deliveryId: string;
  occurredAt: string;
  email: string | null;
  license?: { id: number; name: string };
  project?: { id: number; name: string; edition: Edition };
  seatId?: number;
  accessId?: number;
}

export interface InvitationSnapshot {
  kind: 'license';
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
  /** set when the seats were not counted (a sweep's snapshot): `occupied` and `reserved` mean nothing then */
  uncounted?: true;
  /** absent in messages queued before pools had a model (they were all assigned) */
  seatModel?: SeatModel;
  memberCap?: number | null;
  /** accepted invitations: the seat it gave, and whether ATLAS.ti has it yet (absent: nothing handed it over) */
  seatId?: number;
  handoff?: HandoffState;
  /** how it is (to be) handed over: an admin's Done, the license's own link, or the provisioning webhook */
  handoffBy?: 'admin' | 'link' | 'webhook';
}

export interface ProjectInvitationSnapshot {
  kind: 'project';
  invitationId: number;
  status: InvitationStatus;
  projectId: number;
  projectName: string;
  edition: Edition;
  ownerName: string;
  inviterName: string;
  inviteeName: string;
  inviteeEmail: string | null;
  /** the owner's personal message, as typed (escaped by the renderers) */
  message: string | null;
  expiresAt: number;
  /** Desktop: the owner's link, present only in what goes to the invitee after they accepted */
  desktopLink: string | null;
  /** accepted: the access it gave, and whether the owner added them in ATLAS.ti Web yet */
  accessId?: number;
  handoff?: 'awaiting' | 'handed_over';
}

export type AnyInvitationSnapshot = InvitationSnapshot | ProjectInvitationSnapshot;

export type OutboxMessage =
  /** the invitee's DM: what they got, what they did not get, their link, Accept / Decline */
  | {
      type: 'license_invitation';
      invitation: InvitationSnapshot;
      link: string;
      resent: boolean;
      /** it answers the person's own seat request: who approved it (null: approved automatically) */
      grant?: { requestId: number; decidedBy: string | null };
    }
  /** re-render the invitee's DM about this invitation in its new state (updated in place) */
  | { type: 'invitation_update'; invitation: InvitationSnapshot; superseded?: boolean }
  /** a post to the admins about something that happened to an invitation */
  | {
      type: 'admin_invitation_event';
      event: 'created' | 'accepted' | 'declined' | 'revoked' | 'resent' | 'no_free_seat';
      invitation: InvitationSnapshot;
      actorName: string;
    }
  /** to the inviter, when the invitee cannot be reached in chat (not in it, or chat refused the DM: `reason`): the link to forward */
  | { type: 'forward_link'; invitation: AnyInvitationSnapshot; link: string; reason?: string }
  /** the invitee's DM for a project: who shares what, the edition explained, their link, Accept / Decline */
  | { type: 'project_invitation'; invitation: ProjectInvitationSnapshot; link: string; resent: boolean }
  /** re-render the invitee's DM about a project invitation (accepted Desktop: with the owner's link) */
  | { type: 'project_invitation_update'; invitation: ProjectInvitationSnapshot; superseded?: boolean }
  /** to the project's owner: what happened to one of their invitations */
  | { type: 'project_owner_event'; event: 'accepted' | 'declined' | 'sent_after_seat' | 'case_mismatch_after_seat' | 'seat_request_denied' | 'seat_request_approved'; invitation: ProjectInvitationSnapshot; detail?: string }
  /**
   * to the admins: an owner asks for a seat for someone their project invitation waits on
   * (`projectName`, `ownerName`), or a person asks for themselves (`why`: their reason;
   * `outsideDomains`: the email's domain is not in SEAT_REQUEST_DOMAINS)
   */
  | {
      type: 'seat_request';
      requestId: number;
      personName: string;
      email: string;
      projectName?: string;
      ownerName?: string;
      why?: string;
      outsideDomains?: true;
      /** the email asked for is not the one chat reports for the person (that one, or 'none') */
      chatEmail?: string;
      /** updated in place: approved (no `decidedBy`: automatically) or denied (`note`: the admin's reason), or closed when no longer needed (`reason`) */
      status: 'pending' | 'approved' | 'denied' | 'closed';
      decidedBy?: string;
      licenseName?: string;
      note?: string;
      reason?: string;
    }
  /**
   * to a person who asked for a seat themselves: denied (with the admin's `note`), or approved
   * while they already hold a seat or an invitation (`already`); an approval that sends the
   * invitation says so in the invitation itself
   */
  | { type: 'seat_request_answer'; requestId: number; status: 'approved' | 'denied' | 'closed'; licenseName: string; decidedBy: string; note?: string; already?: 'holds' | 'pending' }
  /** to a project's owner: an updated Desktop copy came back, with the steps to merge it */
  | { type: 'copy_returned'; projectName: string; fromName: string; link: string; note: string | null }
  /** to whoever shared a project: invitees who hold no seat (Ask an admin), and emails that differ only in case */
  | {
      type: 'share_attention';
      projectName: string;
      edition: Edition;
      /** `status` and `seatRequestId` once they changed since (the message is updated in place) */
      waiting: { invitationId: number; name: string; email: string; status?: InvitationStatus; seatRequestId?: number }[];
      mismatches: { name: string; typed: string; onRecord: string }[];
    }
  /** a reminder to an invitee who has not answered, written for its case */
  | {
      type: 'reminder';
      invitation: AnyInvitationSnapshot;
      number: number;
      max: number;
      /** project invitations: whether the invitee holds a seat under the invited email right now */
      holdsSeat: boolean | null;
    }
  /**
   * to the inviter: invitations that expired unanswered in one sweep, each with Re-invite / Drop
   * until the inviter chose (`followUp`). Messages queued before lists held one `invitation`.
   */
  | {
      type: 'expired_notice';
      items?: { invitation: AnyInvitationSnapshot; followUp?: { action: 'reinvited' | 'dropped'; by: string; invitationId?: number } }[];
      invitation?: AnyInvitationSnapshot;
    }
  /** bring every posted message about `subject` up to its newest state (recipient `updates`) */
  | { type: 'refresh'; subject: string }
  /** one page of the admins' review of pending invitations (scheduled digest or /atlas pending) */
  | { type: 'digest_page'; page: DigestPage }
  /** to the support channel: what a person needs help with, with their seats and invitations */
  | { type: 'support_request'; request: SupportRequest }
  /** to that person: what was sent to support */
  | { type: 'support_sent'; request: SupportRequest }
  /** to the admin running a bulk invitation: its progress (the message is then updated in place) */
  | { type: 'bulk_progress'; progress: BulkProgress }
  /** to a person whose seat was released: what that means for their projects */
  | { type: 'seat_released'; licenseName: string; projectNames: string[] }
  /** to a person an admin tried to invite to a full license */
  /** to the admin who reconciled a pool with the ATLAS.ti portal: what matched and what did not */
  | { type: 'reconcile_report'; report: ReconcileReport }
  /** to the provisioning webhook (PROVISIONING_WEBHOOK_URL), signed by the sender */
  | { type: 'provisioning_event'; event: ProvisioningEvent }
  /**
   * to a person who accepted a seat of a pool with its own invitation link: the link and the steps.
   * Stored sealed; the deliverer opens it into `link` just before rendering, so no plain copy is kept.
   */
  | { type: 'license_link'; licenseName: string; email: string | null; seatId: number; sealedLink: string; rotated: boolean; link?: string }
  /** `cut`: the admin invited only as many as fit, and this person was not among them */
  | { type: 'license_full_notice'; licenseName: string; inviterName: string; seats: number; seatModel?: SeatModel; memberCap?: number | null; cut?: boolean }
  /** someone opened the personalized link and asked to accept: the invitee confirms in their DM */
  | { type: 'accept_confirmation'; invitation: AnyInvitationSnapshot }
  /** a short notice to a person (an admin's result that is not an answer to a command) */
  | { type: 'notice'; text: string | Inline };

/**
 * A personal link as the database keeps it: sealed with the secret key (see SecretBox), never
 * plain, so neither the outbox nor its write-ahead log holds a token. Opened just before rendering.
 */
export const SEALED_LINK = 'sealed:';
export const isSealedLink = (link: string): boolean => link.startsWith(SEALED_LINK);

/** Messages that carry a personalized link (sealed at rest, opened to render; a plain one is scrubbed once delivered). */
export const carriesLink = (m: OutboxMessage): m is Extract<OutboxMessage, { link: string }> =>
  'link' in m && typeof m.link === 'string';
