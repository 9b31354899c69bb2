/**
 * What Slack listeners are given by the bot: the domain's dependencies, a way to turn a Slack user
 * into an actor, and the views (Block Kit renderers) that live in src/bot.
 */
import type { HomeView, KnownBlock, ModalView } from '@slack/types';
import type {
  AcceptResult,
  Actor,
  AnyInvitationSnapshot,
  DomainDeps,
  InviteResult,
  LicenseUsage,
  DigestPage,
  Diagnosis,
  HandoffResult,
  ReconcileReport,
  ProjectHandoffResult,
  Home,
  Person,
  Project,
  SeatDecision,
  ShareResult,
} from '../../domain/index.js';

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** One `/atlas` subcommand as the help text shows it. */
export interface CommandHelp {
  usage: string;
  summary: string;
  adminOnly: boolean;
}

export interface SlackViews {
  help(commands: CommandHelp[]): SlackMessage;
  licenses(usages: LicenseUsage[]): SlackMessage;
  licenseAdded(usage: LicenseUsage): SlackMessage;
  inviteResult(result: InviteResult): SlackMessage;
  /** one page of the pending-invitations review */
  digestPage(page: DigestPage): SlackMessage;
  acceptResult(result: AcceptResult): SlackMessage;
  invitationState(invitation: AnyInvitationSnapshot): SlackMessage;
  /** what an admin's Done on a hand-off to-do did */
  handoffResult(result: HandoffResult): SlackMessage;
  reconcileModal(usages: LicenseUsage[]): ModalView;
  reconcileReport(report: ReconcileReport): SlackMessage;
  /** what an owner's Done on a Web member to-do did */
  projectHandoffResult(result: ProjectHandoffResult): SlackMessage;
  /** a short answer: the words are escaped by the view */
  text(words: string, emoji?: string): SlackMessage;
  /** an error for a person: a domain error's words, or a generic apology */
  error(e: unknown): SlackMessage;
  inviteModal(licenses: LicenseUsage[]): ModalView;
  /** the form replaced by a message (progress, then the result) */
  modalMessage(title: string, message: SlackMessage): ModalView;
  shareModal(mine: Project[], allowedHosts: readonly string[]): ModalView;
  shareResult(result: ShareResult): SlackMessage;
  returnModal(copies: Project[], allowedHosts: readonly string[], preselect?: number): ModalView;
  approveSeatModal(requestId: number, usages: LicenseUsage[]): ModalView;
  seatDecision(decision: SeatDecision): SlackMessage;
  diagnosis(d: Diagnosis): SlackMessage;
  supportModal(email: string | null): ModalView;
  homeView(h: Home): HomeView;
}

/** A Slack user id resolved to a person, or the reason it could not be. */
export type UserLookup = { ok: true; person: Person } | { ok: false; reason: 'not_found' | 'bot' | 'deactivated'; label: string };

export interface SlackDirectoryPort {
  /** the person behind a Slack user, fetched from Slack the first time and remembered */
  actor(teamId: string, userId: string): Promise<Actor>;
  user(teamId: string, userId: string): Promise<UserLookup>;
  /** an account email: the Slack user with that email when there is one, else a person known by the email only */
  email(teamId: string, email: string): Promise<Person>;
  /** many emails at once (a CSV): the same answer as email() for each, without a Slack call each */
  emails(teamId: string, emails: string[]): Promise<Person[]>;
  groupMembers(groupId: string): Promise<string[]>;
  users(teamId: string, userIds: string[]): Promise<UserLookup[]>;
  /** a file uploaded in a form, as text */
  downloadText(url: string): Promise<string>;
  channelMembers(channelId: string): Promise<string[]>;
}

export interface SlackHandlerContext {
  deps: DomainDeps;
  directory: SlackDirectoryPort;
  views: SlackViews;
  logger: { warn(msg: string, extra?: unknown): void; error(msg: string, extra?: unknown): void };
}
