/** `/atlas` in Slack: acked at once, then the shared command table runs with Slack's ways to answer. */
import type { App, RespondFn, SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { runCommand } from '../commands/index.js';
import type { SlackHandlerContext, SlackMessage } from './context.js';
import { openSlackForm } from './open-forms.js';
import { sendSlackFile } from './send-file.js';

const SLASH_COMMAND = '/atlas';

/**
 * Commands answered from the database alone, in about a millisecond: their answer rides on the ack
 * itself (Slack shows an ack's message to the person only, as with an ephemeral response) instead
 * of a second request to the response_url after it. Anything that could be slow is acked first.
 */
const ANSWERED_IN_THE_ACK = new Set(['help', 'licenses']);
/** if an answer in the ack is not ready by then (a first-time user's profile is fetched from Slack), ack without it */
const ACK_WAIT_MS = 1000;

export function registerSlashCommand(app: App, ctx: SlackHandlerContext): void {
  app.command(SLASH_COMMAND, async ({ ack, command, respond, client, context }) => {
    const word = (command.text ?? '').trim().split(/\s+/)[0]?.toLowerCase() || 'help';
    // handled again after a restart: its ack went long ago, so every answer goes to the response_url
    let acked = context.resumed === true;
    const ackOnce = async (m?: SlackMessage) => {
      if (acked) return false;
      acked = true;
      await ack(m ? { response_type: 'ephemeral', text: m.text, blocks: m.blocks } : undefined);
      return true;
    };
    // ack first, unless the answer is instant: everything after this may be slow (Slack lookups, the database)
    let guard: NodeJS.Timeout | undefined;
    if (ANSWERED_IN_THE_ACK.has(word)) guard = setTimeout(() => void ackOnce().catch((e: unknown) => ctx.logger.error('could not ack the command', e)), ACK_WAIT_MS);
    else await ackOnce();
    try {
      await answer(ctx, command, respond, client, ackOnce);
    } finally {
      clearTimeout(guard);
      await ackOnce();
    }
  });
}

async function answer(
  ctx: SlackHandlerContext,
  command: SlashCommand,
  respond: RespondFn,
  client: WebClient,
  ackOnce: (m?: SlackMessage) => Promise<boolean>,
): Promise<void> {
  await runSlackCommand(ctx, client, { teamId: command.team_id, userId: command.user_id, text: command.text ?? '', triggerId: command.trigger_id }, async (m) => {
    if (await ackOnce(m)) return;
    await respond({ response_type: 'ephemeral', text: m.text, blocks: m.blocks });
  });
}

/** A command as someone in Slack gives it: typed after /atlas, or pressed (a corrected command's button). */
export async function runSlackCommand(
  ctx: SlackHandlerContext,
  client: WebClient,
  who: { teamId: string; userId: string; text: string; triggerId: string },
  reply: (m: SlackMessage) => Promise<void>,
): Promise<void> {
  let actor: Awaited<ReturnType<typeof ctx.directory.actor>> | undefined;
  await runCommand({
    deps: ctx.deps,
    views: ctx.views,
    logger: ctx.logger,
    text: who.text,
    actor: async () => (actor ??= await ctx.directory.actor(who.teamId, who.userId)),
    reply: (said) => reply(ctx.render.message(said)),
    people: {
      user: (userId) => ctx.directory.user(who.teamId, userId),
      email: (email) => ctx.directory.email(who.teamId, email),
      emails: (emails) => ctx.directory.emails(who.teamId, emails),
      groupMembers: (id) => ctx.directory.groupMembers(id),
      channelMembers: (id) => ctx.directory.channelMembers(id),
      users: (ids) => ctx.directory.users(who.teamId, ids),
    },
    openForm: (form, actor, prefill) => openSlackForm(ctx, client, actor, who.triggerId, form, prefill),
    sendFile: (file) => sendSlackFile(client, who.userId, file, ctx.logger),
  });
}
