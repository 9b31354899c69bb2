/** `/atlas` in Slack: acked at once, then the shared command table runs with Slack's ways to answer. */
import type { App } from '@slack/bolt';
import { runCommand } from '../commands/index.js';
import type { SlackHandlerContext, SlackMessage } from './context.js';
import { openSlackForm } from './open-forms.js';

export const SLASH_COMMAND = '/atlas';

export function registerSlashCommand(app: App, ctx: SlackHandlerContext): void {
  app.command(SLASH_COMMAND, async ({ ack, command, respond, client }) => {
    // ack first, always: everything after this may be slow (Slack lookups, the database)
    await ack();
    let actor: Awaited<ReturnType<typeof ctx.directory.actor>> | undefined;
    await runCommand({
      deps: ctx.deps,
      views: ctx.views,
      logger: ctx.logger,
      text: command.text ?? '',
      actor: async () => (actor ??= await ctx.directory.actor(command.team_id, command.user_id)),
      reply: async (m: SlackMessage) => {
        await respond({ response_type: 'ephemeral', text: m.text, blocks: m.blocks });
      },
      people: {
        user: (userId) => ctx.directory.user(command.team_id, userId),
        email: (email) => ctx.directory.email(command.team_id, email),
        groupMembers: (id) => ctx.directory.groupMembers(id),
        channelMembers: (id) => ctx.directory.channelMembers(id),
        users: (ids) => ctx.directory.users(command.team_id, ids),
      },
      openForm: (form, who) => openSlackForm(ctx, client, who, command.trigger_id, form),
    });
  });
}
