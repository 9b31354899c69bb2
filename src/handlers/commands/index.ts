/**
 * `/atlas` and its subcommands. The table below is the whole command set, and the help text is
 * made from it.
 */
import { distance } from 'fastest-levenshtein';
import { cmd, isDomainError, t } from '../../domain/index.js';
import { tokenize, textOf } from '../parse.js';
import { adminCommand } from './admin.js';
import { helpCommand } from './help.js';
import { inviteLicenseCommand } from './invite-license.js';
import { licenseCommand } from './license.js';
import { licensesCommand } from './licenses.js';
import { pendingCommand } from './pending.js';
import { resendCommand } from './resend.js';
import { revokeCommand } from './revoke.js';
import { statusCommand } from './status.js';
import type { CommandArgs, SubCommand } from './types.js';
import { shareProjectCommand } from './share-project.js';
import { returnProjectCommand } from './return-project.js';
import { seatCommand } from './seat.js';
import { supportCommand } from './support.js';
import { reconcileCommand } from './reconcile.js';
import { historyCommand } from './history.js';
import { seatsCommand } from './seats.js';
import { requestSeatCommand } from './request-seat.js';
import { exportCommand } from './export.js';


export const COMMANDS: SubCommand[] = [
  helpCommand(() => COMMANDS),
  shareProjectCommand,
  returnProjectCommand,
  statusCommand,
  historyCommand,
  licensesCommand,
  requestSeatCommand,
  supportCommand,
  inviteLicenseCommand,
  pendingCommand,
  licenseCommand,
  reconcileCommand,
  resendCommand,
  revokeCommand,
  seatCommand,
  seatsCommand,
  exportCommand,
  adminCommand,
];

const byName = new Map(COMMANDS.map((c) => [c.name, c]));

/** The closest command name, for a typo ("invite-lisence" → "invite-license"). */
function closest(word: string): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of byName.keys()) {
    const d = distance(word, name);
    if (!best || d < best.d) best = { name, d };
  }
  return best && best.d <= Math.max(2, Math.floor(word.length / 3)) ? best.name : undefined;
}

export interface CommandRun extends Omit<CommandArgs, 'tokens'> {
  /** the whole text after `/atlas` (or typed to the bot in Teams) */
  text: string;
  logger: { error(msg: string, extra?: unknown): void };
}

/**
 * Runs one line of command words, on any platform: the table's command, or, for an unknown word,
 * a "did you mean" and the help. Every problem becomes a polite answer; nothing is thrown.
 */
export async function runCommand(run: CommandRun): Promise<void> {
  const { views, reply, logger } = run;
  const [first, ...rest] = tokenize(run.text);
  const word = first ? textOf(first).toLowerCase() : 'help';
  const sub = byName.get(word);
  try {
    if (!sub) {
      const guess = closest(word);
      await reply(views.text(t`I don't know the command "${word}".${guess ? t` Did you mean ${cmd(guess)}?` : ''} Here is what I can do:`, 'thinking_face'));
      await reply(views.help(COMMANDS));
      return;
    }
    await sub.run({ ...run, tokens: rest });
  } catch (e) {
    if (!isDomainError(e)) logger.error(`command ${word} failed`, e);
    await reply(views.error(e)).catch((err: unknown) => logger.error('could not answer the command', err));
  }
}
