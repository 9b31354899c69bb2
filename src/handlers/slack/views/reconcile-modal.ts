/** The reconcile form: the license and the portal's pasted user list; the report goes to the admin's DM. */
import type { SlackListeners } from '../listeners.js';
import { isDomainError, reconcileLicense } from '../../../domain/index.js';
import { readReconcileForm, slackFormValues } from '../../forms.js';
import { RECONCILE_MODAL, VIEWS } from '../action-ids.js';
import type { SlackHandlerContext } from '../context.js';

export function registerReconcileModal(on: SlackListeners, ctx: SlackHandlerContext): void {
  on.view(VIEWS.reconcile, async ({ ack, body, view }) => {
    const values = slackFormValues(view.state.values);
    const read = values ? readReconcileForm(values) : { errors: { [RECONCILE_MODAL.license.block]: 'Pick the license to compare.' } };
    if ('errors' in read) {
      await ack({ response_action: 'errors', errors: read.errors });
      return;
    }
    const { licenseName, csv } = read.form;
    try {
      const actor = await ctx.directory.actor(body.user.team_id ?? body.team?.id ?? '', body.user.id);
      const report = await reconcileLicense({ deps: ctx.deps, actor, input: { licenseName, csv } });
      // the whole report, with its Resend buttons, is in the admin's DM; the form says so
      await ack({
        response_action: 'update',
        view: ctx.render.modalMessage('Reconcile a license', ctx.views.text(`${ctx.views.reconcileReport(report).summary} The full report is in your messages from me.`, 'white_check_mark')),
      });
    } catch (e) {
      if (isDomainError(e) && e.details.field === 'csv') {
        await ack({ response_action: 'errors', errors: { [RECONCILE_MODAL.csv.block]: e.userMessage } });
        return;
      }
      if (!isDomainError(e)) ctx.logger.error('reconcile form failed', e);
      await ack({ response_action: 'update', view: ctx.render.modalMessage('Reconcile a license', ctx.views.error(e)) });
    }
  });
}
