/**
 * What the Teams listeners are given by the bot. The Teams side only translates: the same domain
 * verbs, the same command table, the same views (rendered as Adaptive Cards).
 */
import type { TurnContext } from 'botbuilder';
import type { Actor, DomainDeps, Form, Message, Person } from '../../domain/index.js';
import type { UserLookup } from '../slack/context.js';
import type { Views } from '../views.js';

export interface TeamsDirectoryPort {
  /** the person behind the sender of this activity (remembering where to message them) */
  actor(context: TurnContext): Promise<Actor>;
  /** a Teams user named in a mention */
  user(context: TurnContext, teamsUserId: string): Promise<UserLookup>;
  /** an account email: a member of this team or chat with it, else a person known by the email only */
  email(context: TurnContext, email: string): Promise<Person>;
  /** many emails at once (a pasted CSV): the team's roster is read once, not once per email */
  emails(context: TurnContext, emails: string[]): Promise<Person[]>;
  /** remembers this conversation when it is the admin channel */
  rememberConversation(context: TurnContext): Promise<void>;
  /** true the first time for this conversation (per install): the greeting goes out once */
  claimWelcome(context: TurnContext): Promise<boolean>;
  /** the app was uninstalled here: a reinstall is greeted again */
  forgetWelcome(context: TurnContext): Promise<void>;
  /** whether the activity comes from the organisation the bot serves (TEAMS_TENANT_ID) */
  servesTenantOf(context: TurnContext): boolean;
}

export interface TeamsHandlerContext {
  deps: DomainDeps;
  views: Views;
  /** a message as a Teams activity with its Adaptive Card */
  toActivity(message: Message): { type: 'message'; summary: string; attachments: { contentType: string; content: unknown }[] };
  /** a message as a bare Adaptive Card (an invoke's answer) */
  toCard(message: Message): unknown;
  /** a form (the same one Slack shows as a modal) as a dialog's card; `data` comes back on submit */
  toForm(form: Form, errors?: Record<string, string>, data?: Record<string, unknown>): unknown;
  directory: TeamsDirectoryPort;
  logger: { info(msg: string, extra?: unknown): void; warn(msg: string, extra?: unknown): void; error(msg: string, extra?: unknown): void };
}
