/** An admin approving a seat request with several license pools picks the pool here. */
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { decideSeatRequest, isDomainError } from '../../../domain/index.js';
import { APPROVE_MODAL, VIEWS } from '../action-ids.js';
import type { SlackHandlerContext } from '../context.js';

const stateSchema = z.object({
  [APPROVE_MODAL.license.block]: z.object({ [APPROVE_MODAL.license.action]: z.object({ selected_option: z.object({ value: z.string() }).nullish() }) }),
});

export function registerApproveSeatModal(app: App, ctx: SlackHandlerContext): void {
  app.view(VIEWS.approveSeat, async ({ ack, body, view }) => {
    const parsed = stateSchema.safeParse(view.state.values);
    const licenseName = parsed.success ? parsed.data[APPROVE_MODAL.license.block][APPROVE_MODAL.license.action].selected_option?.value : undefined;
    const requestId = Number(view.private_metadata);
    if (!licenseName || !Number.isInteger(requestId)) {
      await ack({ response_action: 'errors', errors: { [APPROVE_MODAL.license.block]: 'Pick the license to invite them to.' } });
      return;
    }
    try {
      const actor = await ctx.directory.actor(body.user.team_id ?? body.team?.id ?? '', body.user.id);
      const d = await decideSeatRequest({ deps: ctx.deps, actor, input: { requestId, approve: true, licenseName } });
      await ack({ response_action: 'update', view: ctx.views.modalMessage('Approve a seat', ctx.views.seatDecision(d)) });
    } catch (e) {
      if (!isDomainError(e)) ctx.logger.error('approve form failed', e);
      await ack({ response_action: 'update', view: ctx.views.modalMessage('Approve a seat', ctx.views.error(e)) });
    }
  });
}
