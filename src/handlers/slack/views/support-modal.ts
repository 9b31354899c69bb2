/** The support form: checked and sent before the ack (database work only), answered in the form. */
import type { SlackListeners } from '../listeners.js';
import { isDomainError, requestSupport } from '../../../domain/index.js';
import { readSupportForm, slackFormValues } from '../../forms.js';
import { SUPPORT_MODAL, VIEWS } from '../action-ids.js';
import type { SlackHandlerContext } from '../context.js';

export function registerSupportModal(on: SlackListeners, ctx: SlackHandlerContext): void {
  on.view(VIEWS.support, async ({ ack, body, view }) => {
    const values = slackFormValues(view.state.values);
    const read = values ? readSupportForm(values) : { errors: { [SUPPORT_MODAL.description.block]: 'The form came back in a shape I did not expect. Please try again.' } };
    if ('errors' in read) {
      await ack({ response_action: 'errors', errors: read.errors });
      return;
    }
    const input = read.form;
    try {
      const actor = await ctx.directory.actor(body.user.team_id ?? body.team?.id ?? '', body.user.id);
      await requestSupport({ deps: ctx.deps, actor, input });
      await ack({ response_action: 'update', view: ctx.render.modalMessage('Ask for support', ctx.views.text('Sent to support, with your seats and open invitations. I put a copy in your messages.', 'white_check_mark')) });
    } catch (e) {
      if (!isDomainError(e)) ctx.logger.error('support form failed', e);
      await ack({ response_action: 'update', view: ctx.render.modalMessage('Ask for support', ctx.views.error(e)) });
    }
  });
}
