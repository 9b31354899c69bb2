/** "Send my updated copy back": quick database work, so it is done before the ack and answered in the form. */
import type { SlackListeners } from '../listeners.js';
import { isDomainError, returnProjectCopy } from '../../../domain/index.js';
import { RETURN_FIELD_BLOCK, readReturnForm, slackFormValues } from '../../forms.js';
import { RETURN_MODAL, VIEWS } from '../action-ids.js';
import type { SlackHandlerContext } from '../context.js';

export function registerReturnProjectModal(on: SlackListeners, ctx: SlackHandlerContext): void {
  on.view(VIEWS.returnProject, async ({ ack, body, view }) => {
    const values = slackFormValues(view.state.values);
    const input = values ? readReturnForm(values) : undefined;
    if (!input || !Number.isInteger(input.projectId) || input.projectId <= 0) {
      await ack({ response_action: 'errors', errors: { [RETURN_MODAL.project.block]: 'Pick the project you worked on.' } });
      return;
    }
    try {
      const actor = await ctx.directory.actor(body.user.team_id ?? body.team?.id ?? '', body.user.id);
      const r = await returnProjectCopy({
        deps: ctx.deps,
        actor,
        input,
      });
      await ack({
        response_action: 'update',
        view: ctx.render.modalMessage('Send a copy back', ctx.views.text(`Sent. ${r.project.name}'s owner has your link and the steps to merge it into their project.`, 'outbox_tray')),
      });
    } catch (e) {
      const field = isDomainError(e) ? (e.details.field as string | undefined) : undefined;
      if (isDomainError(e) && field && Object.hasOwn(RETURN_FIELD_BLOCK, field)) {
        await ack({ response_action: 'errors', errors: { [RETURN_FIELD_BLOCK[field]!]: e.userMessage } });
        return;
      }
      if (!isDomainError(e)) ctx.logger.error('return form failed', e);
      await ack({ response_action: 'update', view: ctx.render.modalMessage('Send a copy back', ctx.views.error(e)) });
    }
  });
}
