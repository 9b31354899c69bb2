/**
 * What Slack listeners are given by the bot: the domain's dependencies, a way to turn a Slack user
 * into an actor, the views (the message model, shared with Teams) and Slack's renderers for them,
 * which live in src/bot.
 */
import type { HomeView, KnownBlock, ModalView } from '@slack/types';
import type { Actor, DomainDeps, Form, Message, Person } from '../../domain/index.js';
import type { Views } from '../views.js';

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** The message model and the forms as Slack draws them. */
interface SlackRender {
  message(m: Message): SlackMessage;
  modal(form: Form): ModalView;
  /** the form replaced by a message (progress, then the result) */
  modalMessage(title: string, m: Message): ModalView;
  home(m: Message): HomeView;
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
  views: Views;
  render: SlackRender;
  logger: { warn(msg: string, extra?: unknown): void; error(msg: string, extra?: unknown): void };
}
