/**
 * The buttons on invitation messages. Each click is acked at once; the domain then decides whether
 * this clicker may do this (the invitee answers, an admin or the inviter resends and revokes).
 */
import type { App, BlockButtonAction } from '@slack/bolt';
import { acceptInvitation, declineInvitation, isDomainError, resendInvitation, revokeInvitation } from '../../../domain/index.js';
import { ACTIONS, parseInvitationValue } from '../action-ids.js';
import type { SlackHandlerContext, SlackMessage } from '../context.js';
import { answerClicker } from '../answer.js';

type Verb = (ctx: SlackHandlerContext, actor: Awaited<ReturnType<SlackHandlerContext['directory']['actor']>>, invitationId: number) => Promise<{
  message: SlackMessage;
  /** replace the clicked message (the invitee's own DM), or answer only the clicker */
  replace: boolean;
}>;

const VERBS: Record<keyof typeof ACTIONS, Verb> = {
  accept: async (ctx, actor, invitationId) => {
    const r = await acceptInvitation({ deps: ctx.deps, actor, input: { invitationId } });
    return { message: ctx.views.acceptResult(r), replace: r.outcome !== 'no_free_seat' };
  },
  decline: async (ctx, actor, invitationId) => {
    const r = await declineInvitation({ deps: ctx.deps, actor, input: { invitationId } });
    return { message: ctx.views.invitationState(r.invitation), replace: true };
  },
  resend: async (ctx, actor, invitationId) => {
    const r = await resendInvitation({ deps: ctx.deps, actor, input: { invitationId } });
    return { message: ctx.views.text(`Sent a fresh invitation #${invitationId} to ${r.invitation.inviteeName}; the old link no longer works.`, 'repeat'), replace: false };
  },
  revoke: async (ctx, actor, invitationId) => {
    const r = await revokeInvitation({ deps: ctx.deps, actor, input: { invitationId } });
    const freed = r.invitation.kind === 'license' ? 'the seat is free again' : 'its link no longer works';
    return { message: ctx.views.text(`Withdrew invitation #${invitationId} (${r.invitation.inviteeName}); ${freed}.`, 'wastebasket'), replace: false };
  },
};

export function registerInvitationButtons(app: App, ctx: SlackHandlerContext): void {
  for (const [key, actionId] of Object.entries(ACTIONS) as [keyof typeof ACTIONS, string][]) {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action, respond, client }) => {
      await ack();
      const answer = answerClicker(body.response_url ? respond : undefined, client, body.user.id);
      try {
        const invitationId = parseInvitationValue(action.value);
        if (invitationId === null) {
          await answer(ctx.views.text('That button is from an older version of this message. Please use `/atlas status` to see where things stand.', 'thinking_face'));
          return;
        }
        const teamId = body.user.team_id ?? body.team?.id ?? '';
        const actor = await ctx.directory.actor(teamId, body.user.id);
        const { message, replace } = await VERBS[key](ctx, actor, invitationId);
        await answer(message, replace);
      } catch (e) {
        // a stranger, a second click, an expired invitation: the clicker is told, nothing changes
        if (!isDomainError(e)) ctx.logger.error(`button ${actionId} failed`, e);
        await answer(ctx.views.error(e)).catch((err: unknown) => ctx.logger.error('could not answer the click', err));
      }
    });
  }
}
