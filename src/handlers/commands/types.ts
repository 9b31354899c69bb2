import type { Actor, DomainDeps, Message } from '../../domain/index.js';
import type { CommandHelp, Views } from '../views.js';
import type { PeopleLookup } from '../people.js';
import type { Token } from '../parse.js';

/** The forms a command can open: a Slack modal, or a Teams dialog. */
export type FormName = 'invite_license' | 'share_project' | 'return_project' | 'support' | 'reconcile' | 'request_seat';

/** What a command already knows, filled into the form it opens (request-seat: the pool and the reason typed). */
export interface FormPrefill {
  licenseName?: string;
  reason?: string;
}

/** A file for the person (an export): Slack attaches it in their DM; Teams offers a download link that lasts 15 minutes. */
export interface FileToSend {
  filename: string;
  content: string;
  /** a line shown with it */
  comment: string;
}

export type FileDelivered = { how: 'file' } | { how: 'link'; link: string; expiresAt: number };

/**
 * What a command gets, the same on every platform: the words after it, the person typing, a way
 * to answer them, to look people up, and to open a form. Each platform binds these to its own API.
 */
export interface CommandArgs {
  deps: DomainDeps;
  views: Views;
  tokens: Token[];
  actor(): Promise<Actor>;
  reply(message: Message): Promise<void>;
  people: PeopleLookup;
  openForm(form: FormName, actor: Actor, prefill?: FormPrefill): Promise<void>;
  /** delivers a file to the person giving the command */
  sendFile(file: FileToSend): Promise<FileDelivered>;
}

/** A subcommand of `/atlas` (in Teams, the same words typed to the bot). One file each; the table is in index.ts. */
export interface SubCommand extends CommandHelp {
  name: string;
  run(args: CommandArgs): Promise<void>;
}
