/** Buttons about projects and seat requests: acked at once, decided by the domain. */
import type { App, BlockButtonAction } from '@slack/bolt';
import { decideSeatRequest, isDomainError, licenseInviteOptions, requestSeat } from '../../../domain/index.js';
import { PROJECT_ACTIONS, parseInvitationValue, parseProjectValue, parseRequestValue } from '../action-ids.js';
import { answerClicker } from '../answer.js';
import type { SlackHandlerContext } from '../context.js';
import { openReturnForm } from '../open-forms.js';

export function registerProjectButtons(app: App, ctx: SlackHandlerContext): void {
  const on = (actionId: string, run: (a: { ctx: SlackHandlerContext; body: BlockButtonAction; value: string | undefined; client: Parameters<Parameters<App['action']>[1]>[0]['client']; answer: ReturnType<typeof answerClicker> }) => Promise<void>) =>
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action, respond, client }) => {
      await ack();
      const answer = answerClicker(body.response_url ? respond : undefined, client, body.user.id);
      try {
        await run({ ctx, body, value: action.value, client, answer });
      } catch (e) {
        if (!isDomainError(e)) ctx.logger.error(`button ${actionId} failed`, e);
        await answer(ctx.views.error(e)).catch((err: unknown) => ctx.logger.error('could not answer the click', err));
      }
    });
  const actorOf = (body: BlockButtonAction) => ctx.directory.actor(body.user.team_id ?? body.team?.id ?? '', body.user.id);
  const stale = 'That button is from an older version of this message. Please use `/atlas status` to see where things stand.';

  on(PROJECT_ACTIONS.requestSeat, async ({ body, value, answer }) => {
    const invitationId = parseInvitationValue(value);
    if (invitationId === null) return answer(ctx.views.text(stale, 'thinking_face'));
    const r = await requestSeat({ deps: ctx.deps, actor: await actorOf(body), input: { projectInvitationId: invitationId } });
    await answer(
      ctx.views.text(
        r.alreadyAsked ? `You already asked (seat request #${r.request.id}); the admins have it.` : `Asked the license admins for a seat for ${r.request.email} (request #${r.request.id}). You will hear their answer here.`,
        'raising_hand',
      ),
    );
  });

  on(PROJECT_ACTIONS.approveSeat, async ({ body, value, client, answer }) => {
    const requestId = parseRequestValue(value);
    if (requestId === null) return answer(ctx.views.text(stale, 'thinking_face'));
    const actor = await actorOf(body);
    // with several pools the admin picks one in a form; with one, approving is one click
    const usages = await licenseInviteOptions({ deps: ctx.deps, actor, input: undefined });
    if (usages.length > 1) {
      await client.views.open({ trigger_id: body.trigger_id, view: ctx.views.approveSeatModal(requestId, usages) });
      return;
    }
    await answer(ctx.views.seatDecision(await decideSeatRequest({ deps: ctx.deps, actor, input: { requestId, approve: true } })));
  });

  on(PROJECT_ACTIONS.denySeat, async ({ body, value, answer }) => {
    const requestId = parseRequestValue(value);
    if (requestId === null) return answer(ctx.views.text(stale, 'thinking_face'));
    await answer(ctx.views.seatDecision(await decideSeatRequest({ deps: ctx.deps, actor: await actorOf(body), input: { requestId, approve: false } })));
  });

  on(PROJECT_ACTIONS.returnCopy, async ({ body, value, client }) => {
    const projectId = parseProjectValue(value) ?? undefined;
    await openReturnForm(ctx, client, await actorOf(body), body.trigger_id, projectId);
  });
}
