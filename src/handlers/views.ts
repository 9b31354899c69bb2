/**
 * What the listeners of both platforms are given to say things: the views, pure functions from
 * domain results to the message model (src/domain/message.ts) and to form definitions
 * (src/domain/form.ts). They live in src/bot/messages; each platform renders what they return.
 */
import type {
  AcceptResult,
  AnyInvitationSnapshot,
  DigestPage,
  Diagnosis,
  EmailQuestion,
  ExportTable,
  Form,
  HandoffResult,
  History,
  Home,
  Icon,
  Inline,
  InviteResult,
  LicenseRetirement,
  LicenseUsage,
  MembersPage,
  Message,
  Project,
  ProjectHandoffResult,
  ReconcileReport,
  SeatDecision,
  SeatAsk,
  SeatRelease,
  ShareResult,
} from '../domain/index.js';

import type { FileDelivered } from './commands/types.js';

/** One `/atlas` subcommand as the help text shows it. */
export interface CommandHelp {
  usage: string;
  summary: string;
  adminOnly: boolean;
}

export interface Views {
  help(commands: CommandHelp[]): Message;
  licenses(usages: LicenseUsage[]): Message;
  licenseAdded(usage: LicenseUsage): Message;
  inviteResult(result: InviteResult): Message;
  /**
   * Emails that may be typos, put back before anything is sent; `retry` are the command again with
   * the emails on record (and, where a near miss may be someone new, as typed), each a button.
   */
  emailQuestions(questions: EmailQuestion[], retry: { onRecord: string | null; asTyped: string | null }): Message;
  /** one page of the pending-invitations review */
  digestPage(page: DigestPage): Message;
  acceptResult(result: AcceptResult): Message;
  invitationState(invitation: AnyInvitationSnapshot): Message;
  /** what an admin's Done on a hand-off to-do did */
  handoffResult(result: HandoffResult): Message;
  reconcileReport(report: ReconcileReport): Message;
  /** what an owner's Done on a Web member to-do did */
  projectHandoffResult(result: ProjectHandoffResult): Message;
  /** a short answer: plain words (a string is never read as markup), or marked words */
  text(words: string | Inline, icon?: Icon): Message;
  /** an error for a person: a domain error's words, or a generic apology */
  error(e: unknown): Message;
  shareResult(result: ShareResult): Message;
  seatDecision(decision: SeatDecision): Message;
  /** the answer to a person's own `request-seat` */
  seatAsk(result: SeatAsk): Message;
  /** "Release Alice's seat in Campus?": what follows, and one button to do it */
  seatReleaseQuestion(release: SeatRelease): Message;
  seatReleased(release: SeatRelease): Message;
  /** "Retire Campus?": whose seats end, which invitations are withdrawn, and one button to do it */
  retireQuestion(r: LicenseRetirement): Message;
  licenseRetired(r: LicenseRetirement): Message;
  /** the audit trail of a person or an invitation, in plain words */
  history(h: History): Message;
  /** one page of a pool's members and invitees, with Previous / Next */
  members(p: MembersPage): Message;
  diagnosis(d: Diagnosis): Message;
  /** the line a delivered export comes with */
  exportComment(table: ExportTable): string;
  /** the answer to an export: where the file went (a link, in Teams) */
  exported(table: ExportTable, delivered: FileDelivered): Message;
  /** the person's overview (Slack's App Home, the Teams welcome) */
  home(h: Home): Message;
  inviteForm(licenses: LicenseUsage[]): Form;
  shareForm(mine: Project[], allowedHosts: readonly string[]): Form;
  returnForm(copies: Project[], allowedHosts: readonly string[], preselect?: number): Form;
  approveSeatForm(requestId: number, usages: LicenseUsage[]): Form;
  denySeatForm(requestId: number): Form;
  requestSeatForm(usages: LicenseUsage[], email: string | null, prefill?: { licenseName?: string; reason?: string }): Form;
  supportForm(email: string | null): Form;
  reconcileForm(usages: LicenseUsage[]): Form;
}
