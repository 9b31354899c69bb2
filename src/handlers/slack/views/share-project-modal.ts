/**
 * The share-a-project form. Problems with a field are answered inside the form
 * (response_action "errors", from the domain's own checks); then the form turns into a progress
 * note, the people are looked up and invited, and the form shows the result.
 */
import type { SlackListeners } from '../listeners.js';
import { isDomainError, message, shareProject, type Message } from '../../../domain/index.js';
import { readShareForm, slackFormValues } from '../../forms.js';
import { SHARE_MODAL, VIEWS } from '../action-ids.js';
import type { SlackHandlerContext } from '../context.js';

export function registerShareProjectModal(on: SlackListeners, ctx: SlackHandlerContext): void {
  on.view(VIEWS.shareProject, async ({ ack, body, view, client }) => {
    const teamId = body.user.team_id ?? body.team?.id ?? '';
    const values = slackFormValues(view.state.values);
    if (!values) {
      await ack({ response_action: 'errors', errors: { [SHARE_MODAL.users.block]: 'The form came back in a shape I did not expect. Please try again.' } });
      return;
    }
    let actor;
    let form;
    try {
      // a known person resolves from the database; only a first-time user costs a Slack call
      actor = await ctx.directory.actor(teamId, body.user.id);
      const read = await readShareForm(values, { deps: ctx.deps, actor });
      if ('errors' in read) {
        await ack({ response_action: 'errors', errors: read.errors });
        return;
      }
      form = read.form;
    } catch (e) {
      if (!isDomainError(e)) ctx.logger.error('share form check failed', e);
      await ack({ response_action: 'update', view: ctx.render.modalMessage('Share a project', ctx.views.error(e)) });
      return;
    }
    await ack({ response_action: 'update', view: ctx.render.modalMessage('Share a project', ctx.views.text('Sharing…', 'hourglass_flowing_sand')) });

    let result: Message;
    try {
      const invitees: { personId: number; email?: string | null }[] = [];
      const problems: string[] = [];
      for (const id of form.userIds) {
        const r = await ctx.directory.user(teamId, id);
        if (r.ok) invitees.push({ personId: r.person.id });
        else problems.push(`${r.label}: ${r.reason === 'bot' ? 'a bot, not a person' : r.reason === 'deactivated' ? 'has left the workspace' : 'not found'}.`);
      }
      for (const email of form.emails) invitees.push({ personId: (await ctx.directory.email(teamId, email)).id, email });
      const shared = await shareProject({
        deps: ctx.deps,
        actor,
        input: { project: form.project!, edition: form.edition, invitees, desktopLink: form.desktopLink, message: form.message },
      });
      result = ctx.views.shareResult(shared);
      if (problems.length) result = message(result.summary, [...result.blocks, ...ctx.views.text(`Not invited: ${problems.join(' ')}`, 'warning').blocks]);
    } catch (e) {
      if (!isDomainError(e)) ctx.logger.error('share form failed', e);
      result = ctx.views.error(e);
    }
    try {
      await client.views.update({ view_id: body.view.id, view: ctx.render.modalMessage('Share a project', result) });
    } catch {
      await client.chat.postMessage({ channel: body.user.id, ...ctx.render.message(result) }).catch((err: unknown) => ctx.logger.error('could not tell the result of the share form', err));
    }
  });
}
