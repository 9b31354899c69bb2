import type { App } from '@slack/bolt';
import { isDomainError } from '../../../domain/index.js';
import { SHORTCUTS } from '../action-ids.js';
import type { SlackHandlerContext } from '../context.js';
import { openShareForm } from '../open-forms.js';

/** The global shortcut "Share a project": the same form as `/atlas share-project`. */
export function registerShareProjectShortcut(app: App, ctx: SlackHandlerContext): void {
  app.shortcut(SHORTCUTS.shareProject, async ({ ack, body, client }) => {
    await ack();
    try {
      const actor = await ctx.directory.actor(body.user.team_id ?? body.team?.id ?? '', body.user.id);
      await openShareForm(ctx, client, actor, body.trigger_id);
    } catch (e) {
      if (!isDomainError(e)) ctx.logger.error('share_project shortcut failed', e);
      const m = ctx.render.message(ctx.views.error(e));
      await client.chat.postMessage({ channel: body.user.id, text: m.text, blocks: m.blocks }).catch((err: unknown) => ctx.logger.error('could not answer the shortcut', err));
    }
  });
}
