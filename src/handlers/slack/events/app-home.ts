/** The bot's Home tab: published when a person opens it (app_home_opened → views.publish). */
import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { home } from '../../../domain/index.js';
import type { SlackHandlerContext } from '../context.js';

/** Draws the person's Home tab as things stand now (on opening it, and after a click on it). */
export async function publishHome(ctx: SlackHandlerContext, client: WebClient, teamId: string, userId: string): Promise<void> {
  try {
    const actor = await ctx.directory.actor(teamId, userId);
    await client.views.publish({ user_id: userId, view: ctx.render.home(ctx.views.home(await home({ deps: ctx.deps, actor, input: undefined }))) });
  } catch (e) {
    ctx.logger.error('could not publish the Home tab', e);
  }
}

export function registerAppHome(app: App, ctx: SlackHandlerContext): void {
  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    await publishHome(ctx, client, (body as { team_id?: string }).team_id ?? '', event.user);
  });
}
