/** What each outbox message says, as the message model; each platform's sender renders it. */
import type { Message, OutboxMessage } from '../../domain/index.js';
import {
  acceptConfirmation,
  adminInvitationEvent,
  forwardLink,
  invitationStateDm,
  licenseFullNotice,
  licenseInvitationDm,
  notice,
  licenseLinkDm,
} from './invitations.js';
import { bulkProgressMessage, digestPage, expiredNotice, reminderDm } from './review.js';
import { supportRequestPost, supportSent } from './support-home.js';
import { reconcileReport } from './reconcile.js';
import { copyReturned, projectInvitationDm, projectOwnerEvent, projectStateDm, seatReleased, shareAttention } from './projects.js';
import { seatRequestAnswer, seatRequestPost } from './seat-requests.js';

export function renderOutbox(m: OutboxMessage): Message {
  switch (m.type) {
    case 'license_invitation':
      return licenseInvitationDm(m.invitation, m.link, m.resent, m.grant);
    case 'invitation_update':
      return invitationStateDm(m.invitation, m.superseded);
    case 'admin_invitation_event':
      return adminInvitationEvent(m);
    case 'forward_link':
      return forwardLink(m.invitation, m.link, m.reason);
    case 'license_link':
      return licenseLinkDm(m);
    case 'reconcile_report':
      return reconcileReport(m.report);
    case 'provisioning_event':
      // routed to the webhook sender (RoutingSender), never rendered for a chat
      throw new Error('a provisioning event is not a chat message');
    case 'refresh':
      // handled by the updater, which renders the messages it updates
      throw new Error('a refresh is not a chat message');
    case 'license_full_notice':
      return licenseFullNotice(m);
    case 'accept_confirmation':
      return acceptConfirmation(m.invitation);
    case 'notice':
      return notice(m.text);
    case 'project_invitation':
      return projectInvitationDm(m.invitation, m.link, m.resent);
    case 'project_invitation_update':
      return projectStateDm(m.invitation, m.superseded);
    case 'project_owner_event':
      return projectOwnerEvent(m);
    case 'seat_request':
      return seatRequestPost(m);
    case 'seat_request_answer':
      return seatRequestAnswer(m);
    case 'copy_returned':
      return copyReturned(m);
    case 'seat_released':
      return seatReleased(m);
    case 'share_attention':
      return shareAttention(m);
    case 'reminder':
      return reminderDm(m);
    case 'expired_notice':
      return expiredNotice(m);
    case 'digest_page':
      return digestPage(m.page);
    case 'support_request':
      return supportRequestPost(m);
    case 'support_sent':
      return supportSent(m);
    case 'bulk_progress':
      return bulkProgressMessage(m.progress);
  }
}
