/**
 * The buttons on invitation messages. Each click is acked at once; the domain then decides whether
 * this clicker may do this (the invitee answers, an admin or the inviter resends and revokes).
 */
import type { App, BlockButtonAction } from '@slack/bolt';
import { acceptInvitation, declineInvitation, isDomainError, resendInvitation, revokeInvitation } from '../../../domain/index.js';
import { ACTIONS, parseInvitationValue } from '../action-ids.js';
import type { SlackHandlerContext, SlackMessage } from '../context.js';

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
    return { message: ctx.views.text(`Withdrew invitation #${invitationId} (${r.invitation.inviteeName}); the seat is free again.`, 'wastebasket'), replace: false };
  },
};

export function registerInvitationButtons(app: App, ctx: SlackHandlerContext): void {
  for (const [key, actionId] of Object.entries(ACTIONS) as [keyof typeof ACTIONS, string][]) {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action, respond }) => {
      await ack();
      const answerClicker = (m: SlackMessage) =>
        respond({ response_type: 'ephemeral', replace_original: false, text: m.text, blocks: m.blocks });
      try {
        const invitationId = parseInvitationValue(action.value);
        if (invitationId === null) {
          await answerClicker(ctx.views.text('That button is from an older version of this message. Please use `/atlas status` to see where things stand.', 'thinking_face'));
          return;
        }
        const teamId = body.user.team_id ?? body.team?.id ?? '';
        const actor = await ctx.directory.actor(teamId, body.user.id);
        const { message, replace } = await VERBS[key](ctx, actor, invitationId);
        if (replace) await respond({ replace_original: true, text: message.text, blocks: message.blocks });
        else await answerClicker(message);
      } catch (e) {
        // a stranger, a second click, an expired invitation: the clicker is told, nothing changes
        if (!isDomainError(e)) ctx.logger.error(`button ${actionId} failed`, e);
        await answerClicker(ctx.views.error(e)).catch((err: unknown) => ctx.logger.error('could not answer the click', err));
      }
    });
  }
}
