/** "Send my updated copy back": quick database work, so it is done before the ack and answered in the form. */
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { isDomainError, returnProjectCopy } from '../../../domain/index.js';
import { RETURN_MODAL, VIEWS } from '../action-ids.js';
import type { SlackHandlerContext } from '../context.js';

const stateSchema = z.object({
  [RETURN_MODAL.project.block]: z.object({ [RETURN_MODAL.project.action]: z.object({ selected_option: z.object({ value: z.string() }).nullish() }) }),
  [RETURN_MODAL.link.block]: z.object({ [RETURN_MODAL.link.action]: z.object({ value: z.string().nullish() }) }),
  [RETURN_MODAL.note.block]: z.object({ [RETURN_MODAL.note.action]: z.object({ value: z.string().nullish() }) }).optional(),
});

const FIELD_BLOCK: Record<string, string> = { project: RETURN_MODAL.project.block, link: RETURN_MODAL.link.block, note: RETURN_MODAL.note.block };

export function registerReturnProjectModal(app: App, ctx: SlackHandlerContext): void {
  app.view(VIEWS.returnProject, async ({ ack, body, view }) => {
    const parsed = stateSchema.safeParse(view.state.values);
    const projectId = Number(parsed.success ? parsed.data[RETURN_MODAL.project.block][RETURN_MODAL.project.action].selected_option?.value : NaN);
    if (!parsed.success || !Number.isInteger(projectId)) {
      await ack({ response_action: 'errors', errors: { [RETURN_MODAL.project.block]: 'Pick the project you worked on.' } });
      return;
    }
    try {
      const actor = await ctx.directory.actor(body.user.team_id ?? body.team?.id ?? '', body.user.id);
      const r = await returnProjectCopy({
        deps: ctx.deps,
        actor,
        input: {
          projectId,
          link: parsed.data[RETURN_MODAL.link.block][RETURN_MODAL.link.action].value ?? '',
          note: parsed.data[RETURN_MODAL.note.block]?.[RETURN_MODAL.note.action]?.value ?? null,
        },
      });
      await ack({
        response_action: 'update',
        view: ctx.views.modalMessage('Send a copy back', ctx.views.text(`Sent. ${r.project.name}'s owner has your link and the steps to merge it into their project.`, 'outbox_tray')),
      });
    } catch (e) {
      const field = isDomainError(e) ? (e.details.field as string | undefined) : undefined;
      if (isDomainError(e) && field && FIELD_BLOCK[field]) {
        await ack({ response_action: 'errors', errors: { [FIELD_BLOCK[field]]: e.userMessage } });
        return;
      }
      if (!isDomainError(e)) ctx.logger.error('return form failed', e);
      await ack({ response_action: 'update', view: ctx.views.modalMessage('Send a copy back', ctx.views.error(e)) });
    }
  });
}
