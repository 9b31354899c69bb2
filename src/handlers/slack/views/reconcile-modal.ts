/** The reconcile form: the license and the portal's pasted user list; the report goes to the admin's DM. */
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { isDomainError, reconcileLicense } from '../../../domain/index.js';
import { RECONCILE_MODAL, VIEWS } from '../action-ids.js';
import type { SlackHandlerContext } from '../context.js';

const stateSchema = z.object({
  [RECONCILE_MODAL.license.block]: z.object({ [RECONCILE_MODAL.license.action]: z.object({ selected_option: z.object({ value: z.string() }).nullish() }) }).optional(),
  [RECONCILE_MODAL.csv.block]: z.object({ [RECONCILE_MODAL.csv.action]: z.object({ value: z.string().nullish() }) }).optional(),
});

export function registerReconcileModal(app: App, ctx: SlackHandlerContext): void {
  app.view(VIEWS.reconcile, async ({ ack, body, view }) => {
    const parsed = stateSchema.safeParse(view.state.values);
    const s = parsed.success ? parsed.data : {};
    const licenseName = s[RECONCILE_MODAL.license.block]?.[RECONCILE_MODAL.license.action].selected_option?.value;
    const csv = s[RECONCILE_MODAL.csv.block]?.[RECONCILE_MODAL.csv.action].value ?? '';
    if (!licenseName) {
      await ack({ response_action: 'errors', errors: { [RECONCILE_MODAL.license.block]: 'Pick the license to compare.' } });
      return;
    }
    try {
      const actor = await ctx.directory.actor(body.user.team_id ?? body.team?.id ?? '', body.user.id);
      const report = await reconcileLicense({ deps: ctx.deps, actor, input: { licenseName, csv } });
      // the whole report, with its Resend buttons, is in the admin's DM; the form says so
      await ack({
        response_action: 'update',
        view: ctx.views.modalMessage('Reconcile a license', ctx.views.text(`${ctx.views.reconcileReport(report).text} The full report is in your messages from me.`, 'white_check_mark')),
      });
    } catch (e) {
      if (isDomainError(e) && e.details.field === 'csv') {
        await ack({ response_action: 'errors', errors: { [RECONCILE_MODAL.csv.block]: e.userMessage } });
        return;
      }
      if (!isDomainError(e)) ctx.logger.error('reconcile form failed', e);
      await ack({ response_action: 'update', view: ctx.views.modalMessage('Reconcile a license', ctx.views.error(e)) });
    }
  });
}
