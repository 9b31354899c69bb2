/** An admin approving a seat request with several license pools picks the pool here. */
import type { SlackListeners } from '../listeners.js';
import { decideSeatRequest, isDomainError } from '../../../domain/index.js';
import { readApproveForm, slackFormValues } from '../../forms.js';
import { APPROVE_MODAL, VIEWS } from '../action-ids.js';
import type { SlackHandlerContext } from '../context.js';

export function registerApproveSeatModal(on: SlackListeners, ctx: SlackHandlerContext): void {
  on.view(VIEWS.approveSeat, async ({ ack, body, view }) => {
    const values = slackFormValues(view.state.values);
    const read = values ? readApproveForm(values) : undefined;
    const licenseName = read && 'form' in read ? read.form.licenseName : undefined;
    const requestId = Number(view.private_metadata);
    if (!licenseName || !Number.isInteger(requestId)) {
      await ack({ response_action: 'errors', errors: { [APPROVE_MODAL.license.block]: 'Pick the license to invite them to.' } });
      return;
    }
    try {
      const actor = await ctx.directory.actor(body.user.team_id ?? body.team?.id ?? '', body.user.id);
      const d = await decideSeatRequest({ deps: ctx.deps, actor, input: { requestId, approve: true, licenseName } });
      await ack({ response_action: 'update', view: ctx.render.modalMessage('Approve a seat', ctx.views.seatDecision(d)) });
    } catch (e) {
      if (!isDomainError(e)) ctx.logger.error('approve form failed', e);
      await ack({ response_action: 'update', view: ctx.render.modalMessage('Approve a seat', ctx.views.error(e)) });
    }
  });
}
