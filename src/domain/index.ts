export * from './model.js';
export * from './errors.js';
export * from './ports.js';
export * from './context.js';
export * from './outbox-messages.js';
export * from './words.js';
export * from './capacity.js';
export * from './tokens.js';
export * from './validation.js';
export * from './message.js';
export * from './form.js';
export { identifySlackUser, identifyEmail, identifyEmails, identifyTeamsUser, nameOf, rememberSlackUsers, claimEmailInvitations } from './people.js';
export { addLicense } from './add-license.js';
export { listLicenses } from './list-licenses.js';
export { inviteToLicense, licenseInviteOptions, confirmInviteRequest, type InviteOutcome, type InviteResult } from './invite-to-license.js';
export { acceptInvitation, type AcceptResult } from './accept-invitation.js';
export { declineInvitation } from './decline-invitation.js';
export { revokeInvitation } from './revoke-invitation.js';
export { resendInvitation, RESEND_COOLDOWN_MS } from './resend-invitation.js';
export type { PersonStatus } from './person-status.js';
export { addAdmin, removeAdmin } from './manage-admins.js';
export {
  openInvitationLink,
  inviteeOfLink,
  requestAcceptConfirmation,
  CONFIRMATION_COOLDOWN_MS,
  type InvitationPage,
  type ConfirmationOutcome,
} from './invitation-link.js';
export { shareProject, shareOptions, shareFormProblems, type ShareOutcome, type ShareResult, type ShareProjectInput, type ShareField } from './share-project.js';
export { requestSeat, decideSeatRequest, openSeatRequest, DENY_NOTE_MAX, type SeatDecision } from './seat-requests.js';
export { askForSeat, seatRequestOptions, SEAT_REASON_MAX, type SeatAsk } from './ask-for-seat.js';
export { returnProjectCopy, returnOptions } from './return-project-copy.js';
export { releaseSeat, previewSeatRelease, type SeatRelease } from './release-seat.js';
export { setLicenseLink } from './license-link.js';
export { reconcileLicense, type ReconcileReport } from './reconcile.js';
export { provisioningAcknowledged } from './provisioning.js';
export { confirmHandoff, confirmHandoffs, confirmJoined, confirmProjectHandoff, resendHandoff, type HandoffResult, type ProjectHandoffResult } from './handoff.js';
export { checkAdmin } from './check-admin.js';
export { reportUndeliverable } from './report-undeliverable.js';
export { remindDue } from './remind-due.js';
export { expireDue } from './expire-overdue.js';
export { postDigest, reviewPending, buildDigest, ENTRIES_PER_PAGE, type DigestPage, type DigestEntry, type DigestItem } from './digest.js';
export { extendInvitation } from './extend-invitation.js';
export { reinvite, dropExpired } from './reinvite.js';
export { parseReminderWindow, inReminderWindow, type ReminderWindow } from './reminder-window.js';
export { diagnose, type Diagnosis, type Finding } from './diagnose.js';
export { requestSupport, supportProblems, SUPPORT_TOPICS, SUPPORT_DESCRIPTION_MAX, type SupportRequest, type SupportTopic, type SupportField } from './support.js';
export { home, type Home } from './home.js';
export { bulkProgress, finishBulkRun, type BulkProgress } from './bulk-progress.js';
export { restate, subjectsOf, expiredItems, type SubjectState } from './restate.js';
export { checkEmails, emailQuestions, mixesScripts, type EmailQuestion } from './email-check.js';
export { resizeLicense, renameLicense, previewRetireLicense, retireLicense, type LicenseRetirement } from './change-license.js';
export { historyOf, type History } from './history.js';
export { membersOf, type MembersPage } from './members.js';
export { exportTable, EXPORT_KINDS, type ExportKind, type ExportTable } from './export.js';
export { offerDownload, openDownload, purgeDownloads } from './download.js';
