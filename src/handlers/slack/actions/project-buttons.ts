/** Buttons about projects and seat requests: acked at once, decided by the domain. */
import type { App, BlockButtonAction } from '@slack/bolt';
import { decideSeatRequest, dropExpired, extendInvitation, formatDate, isDomainError, licenseInviteOptions, nameOf, reinvite, requestSeat } from '../../../domain/index.js';
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

  on(PROJECT_ACTIONS.extend, async ({ body, value, answer }) => {
    const invitationId = parseInvitationValue(value);
    if (invitationId === null) return answer(ctx.views.text(stale, 'thinking_face'));
    const r = await extendInvitation({ deps: ctx.deps, actor: await actorOf(body), input: { invitationId } });
    await answer(ctx.views.text(`Invitation #${invitationId} (${r.invitation.inviteeName}) now expires on ${formatDate(r.expiresAt)}. Its link keeps working.`, 'calendar'));
  });

  on(PROJECT_ACTIONS.reinvite, async ({ body, value, answer }) => {
    const invitationId = parseInvitationValue(value);
    if (invitationId === null) return answer(ctx.views.text(stale, 'thinking_face'));
    const { outcome } = await reinvite({ deps: ctx.deps, actor: await actorOf(body), input: { invitationId } });
    const words: Record<string, string> = {
      invited: `Invited ${nameOf(outcome.invitee)} again (invitation #${'invitationId' in outcome ? outcome.invitationId : ''}), with a new link.`,
      already_pending: `${nameOf(outcome.invitee)} already has an open invitation for this.`,
      already_holds_seat: `${nameOf(outcome.invitee)} holds a seat already.`,
      already_has_access: `${nameOf(outcome.invitee)} has the project already.`,
      no_free_seat: 'The license is full, so nothing was sent. Free a seat first.',
      waiting_for_seat: `${nameOf(outcome.invitee)} holds no seat now, so the invitation waits for one.`,
      email_case_mismatch: 'The email differs in letter case from the one on record, so nothing was sent; share again with the exact email.',
    };
    await answer(ctx.views.text(words[outcome.status] ?? 'Done.', 'repeat'), true);
  });

  on(PROJECT_ACTIONS.drop, async ({ body, value, answer }) => {
    const invitationId = parseInvitationValue(value);
    if (invitationId === null) return answer(ctx.views.text(stale, 'thinking_face'));
    // nothing to change: the invitation is already over; the notice is simply closed
    await dropExpired({ deps: ctx.deps, actor: await actorOf(body), input: { invitationId } });
    await answer(ctx.views.text(`Dropped: invitation #${invitationId} stays expired.`, 'white_check_mark'), true);
  });

  on(PROJECT_ACTIONS.returnCopy, async ({ body, value, client }) => {
    const projectId = parseProjectValue(value) ?? undefined;
    await openReturnForm(ctx, client, await actorOf(body), body.trigger_id, projectId);
  });
}
