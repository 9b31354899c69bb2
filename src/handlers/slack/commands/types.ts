import type { SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Actor } from '../../../domain/index.js';
import type { CommandHelp, SlackHandlerContext, SlackMessage } from '../context.js';
import type { Token } from '../parse.js';

export interface CommandArgs {
  ctx: SlackHandlerContext;
  command: SlashCommand;
  /** the words after the subcommand, as tokens */
  tokens: Token[];
  client: WebClient;
  /** the person typing, resolved once and on demand */
  actor(): Promise<Actor>;
  reply(message: SlackMessage): Promise<void>;
}

/** A `/atlas` subcommand: its help entry and what it does. One file each; the table is in index.ts. */
export interface SubCommand extends CommandHelp {
  name: string;
  run(args: CommandArgs): Promise<void>;
}
