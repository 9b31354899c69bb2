/** A person's own seat request, and an admin's deny with a reason: checked and answered in the form (database work only). */
import type { SlackListeners } from '../listeners.js';
import { askForSeat, decideSeatRequest, isDomainError } from '../../../domain/index.js';
import { readDenyForm, readSeatRequestForm, slackFormValues } from '../../forms.js';
import { REQUEST_SEAT_MODAL, VIEWS } from '../action-ids.js';
import type { SlackHandlerContext } from '../context.js';

export function registerSeatRequestModals(on: SlackListeners, ctx: SlackHandlerContext): void {
  on.view(VIEWS.requestSeat, async ({ ack, body, view }) => {
    const values = slackFormValues(view.state.values);
    const read = values ? await readSeatRequestForm(values, ctx.deps) : { errors: { [REQUEST_SEAT_MODAL.license.block]: 'The form came back in a shape I did not expect. Please try again.' } };
    if ('errors' in read) {
      await ack({ response_action: 'errors', errors: read.errors });
      return;
    }
    try {
      const actor = await ctx.directory.actor(body.user.team_id ?? body.team?.id ?? '', body.user.id);
      const r = await askForSeat({ deps: ctx.deps, actor, input: read.form });
      await ack({ response_action: 'update', view: ctx.render.modalMessage('Request a seat', ctx.views.seatAsk(r)) });
    } catch (e) {
      if (isDomainError(e) && e.details.field === 'email') {
        await ack({ response_action: 'errors', errors: { [REQUEST_SEAT_MODAL.email.block]: e.userMessage } });
        return;
      }
      if (!isDomainError(e)) ctx.logger.error('request-seat form failed', e);
      await ack({ response_action: 'update', view: ctx.render.modalMessage('Request a seat', ctx.views.error(e)) });
    }
  });

  on.view(VIEWS.denySeat, async ({ ack, body, view }) => {
    const values = slackFormValues(view.state.values);
    const requestId = Number(view.private_metadata);
    try {
      const actor = await ctx.directory.actor(body.user.team_id ?? body.team?.id ?? '', body.user.id);
      const d = await decideSeatRequest({ deps: ctx.deps, actor, input: { requestId, approve: false, note: values ? readDenyForm(values).note : null } });
      await ack({ response_action: 'update', view: ctx.render.modalMessage('Deny a seat request', ctx.views.seatDecision(d)) });
    } catch (e) {
      if (!isDomainError(e)) ctx.logger.error('deny form failed', e);
      await ack({ response_action: 'update', view: ctx.render.modalMessage('Deny a seat request', ctx.views.error(e)) });
    }
  });
}
