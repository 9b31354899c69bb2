/** The bot's Home tab: published when a person opens it (app_home_opened → views.publish). */
import type { App } from '@slack/bolt';
import { home } from '../../../domain/index.js';
import type { SlackHandlerContext } from '../context.js';

export function registerAppHome(app: App, ctx: SlackHandlerContext): void {
  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    try {
      const teamId = (body as { team_id?: string }).team_id ?? '';
      const actor = await ctx.directory.actor(teamId, event.user);
      await client.views.publish({ user_id: event.user, view: ctx.render.home(ctx.views.home(await home({ deps: ctx.deps, actor, input: undefined }))) });
    } catch (e) {
      ctx.logger.error('could not publish the Home tab', e);
    }
  });
}
