/** The support form: checked and sent before the ack (database work only), answered in the form. */
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { isDomainError, requestSupport, supportProblems, type SupportField } from '../../../domain/index.js';
import { SUPPORT_MODAL, VIEWS } from '../action-ids.js';
import type { SlackHandlerContext } from '../context.js';

const stateSchema = z.object({
  [SUPPORT_MODAL.email.block]: z.object({ [SUPPORT_MODAL.email.action]: z.object({ value: z.string().nullish() }) }),
  [SUPPORT_MODAL.topic.block]: z.object({ [SUPPORT_MODAL.topic.action]: z.object({ selected_option: z.object({ value: z.string() }).nullish() }) }),
  [SUPPORT_MODAL.description.block]: z.object({ [SUPPORT_MODAL.description.action]: z.object({ value: z.string().nullish() }) }),
  [SUPPORT_MODAL.files.block]: z
    .object({ [SUPPORT_MODAL.files.action]: z.object({ files: z.array(z.object({ name: z.string().optional(), title: z.string().optional(), permalink: z.string().optional(), url_private: z.string().optional() })).nullish() }) })
    .optional(),
});

const FIELD_BLOCK: Record<SupportField, string> = {
  email: SUPPORT_MODAL.email.block,
  topic: SUPPORT_MODAL.topic.block,
  description: SUPPORT_MODAL.description.block,
  files: SUPPORT_MODAL.files.block,
};

export function registerSupportModal(app: App, ctx: SlackHandlerContext): void {
  app.view(VIEWS.support, async ({ ack, body, view }) => {
    const parsed = stateSchema.safeParse(view.state.values);
    if (!parsed.success) {
      await ack({ response_action: 'errors', errors: { [SUPPORT_MODAL.description.block]: 'The form came back in a shape I did not expect. Please try again.' } });
      return;
    }
    const v = parsed.data;
    const input = {
      email: v[SUPPORT_MODAL.email.block][SUPPORT_MODAL.email.action].value ?? '',
      topic: v[SUPPORT_MODAL.topic.block][SUPPORT_MODAL.topic.action].selected_option?.value ?? '',
      description: v[SUPPORT_MODAL.description.block][SUPPORT_MODAL.description.action].value ?? '',
      // screenshots travel as links to the files the person uploaded
      files: (v[SUPPORT_MODAL.files.block]?.[SUPPORT_MODAL.files.action].files ?? []).flatMap((f) => {
        const url = f.permalink ?? f.url_private;
        return url ? [{ name: f.name ?? f.title ?? 'screenshot', url }] : [];
      }),
    };
    const problems = supportProblems(input);
    if (Object.keys(problems).length) {
      await ack({ response_action: 'errors', errors: Object.fromEntries(Object.entries(problems).map(([f, w]) => [FIELD_BLOCK[f as SupportField], String(w)])) });
      return;
    }
    try {
      const actor = await ctx.directory.actor(body.user.team_id ?? body.team?.id ?? '', body.user.id);
      await requestSupport({ deps: ctx.deps, actor, input });
      await ack({ response_action: 'update', view: ctx.views.modalMessage('Ask for support', ctx.views.text('Sent to support, with your seats and open invitations. I put a copy in your messages.', 'white_check_mark')) });
    } catch (e) {
      if (!isDomainError(e)) ctx.logger.error('support form failed', e);
      await ack({ response_action: 'update', view: ctx.views.modalMessage('Ask for support', ctx.views.error(e)) });
    }
  });
}
