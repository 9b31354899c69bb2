/** Every button in Slack: acked at once, then the shared button table, answered in Slack's way. */
import { isDomainError, licenseInviteOptions } from '../../../domain/index.js';
import { BUTTONS } from '../../buttons.js';
import { answerClicker } from '../answer.js';
import type { SlackHandlerContext } from '../context.js';
import { openRequestSeatForm, openReturnForm, openShareForm } from '../open-forms.js';
import { runSlackCommand } from '../slash-command.js';
import { sendSlackFile } from '../send-file.js';
import { publishHome } from '../events/app-home.js';
import { PROJECT_ACTIONS } from '../action-ids.js';
import type { SlackListeners } from '../listeners.js';

export function registerButtons(on: SlackListeners, ctx: SlackHandlerContext): void {
  for (const [actionId, press] of Object.entries(BUTTONS)) {
    on.action(actionId, async ({ ack, body, action, respond, client }) => {
      await ack();
      const answer = answerClicker(body.response_url ? respond : undefined, client, body.user.id);
      const fromHome = (body.view as { type?: string } | undefined)?.type === 'home';
      try {
        const teamId = body.user.team_id ?? body.team?.id ?? '';
        const actor = await ctx.directory.actor(teamId, body.user.id);
        const result = await press({
          deps: ctx.deps,
          views: ctx.views,
          actor,
          value: action.value,
          openForm: async (f) => {
            if (f.form === 'return_project') await openReturnForm(ctx, client, actor, body.trigger_id, f.projectId);
            else if (f.form === 'share_project') await openShareForm(ctx, client, actor, body.trigger_id);
            else if (f.form === 'request_seat') await openRequestSeatForm(ctx, client, actor, body.trigger_id);
            else if (f.form === 'deny_seat') await client.views.open({ trigger_id: body.trigger_id, view: ctx.render.modal(ctx.views.denySeatForm(f.requestId)) });
            else await client.views.open({ trigger_id: body.trigger_id, view: ctx.render.modal(ctx.views.approveSeatForm(f.requestId, await licenseInviteOptions({ deps: ctx.deps, actor, input: undefined }))) });
          },
          sendFile: (file) => sendSlackFile(client, body.user.id, file, ctx.logger),
          // the answer replaces the message with the question: its buttons are done with
          runCommand: (text) => {
            let first = true;
            return runSlackCommand(ctx, client, { teamId, userId: body.user.id, text, triggerId: body.trigger_id }, (m) => {
              const replace = first;
              first = false;
              return answer(m, replace);
            });
          },
        });
        // on the Home tab the home is the message: it is drawn again; any other answer goes to the DM
        if ('message' in result && !(fromHome && actionId === PROJECT_ACTIONS.homeRefresh)) await answer(ctx.render.message(result.message), result.replace && !fromHome);
      } catch (e) {
        // a stranger, a second click, an expired invitation: the clicker is told, nothing changes
        if (!isDomainError(e)) ctx.logger.error(`button ${actionId} failed`, e);
        await answer(ctx.render.message(ctx.views.error(e))).catch((err: unknown) => ctx.logger.error('could not answer the click', err));
      }
      if (fromHome) await publishHome(ctx, client, body.user.team_id ?? body.team?.id ?? '', body.user.id);
    });
  }
}
