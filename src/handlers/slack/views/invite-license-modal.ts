/**
 * The invite-to-license form. Field problems are answered inside the form (response_action:
 * "errors"); once it is valid the form closes at once and the invitations are made after the ack.
 */
import type { SlackListeners } from '../listeners.js';
import { checkEmails, csvEmails, inviteToLicense, isDomainError, message, unusableWords, type Message } from '../../../domain/index.js';
import { readInviteForm, slackFormValues } from '../../forms.js';
import { INVITE_MODAL, VIEWS } from '../action-ids.js';
import type { SlackHandlerContext } from '../context.js';

export function registerInviteLicenseModal(on: SlackListeners, ctx: SlackHandlerContext): void {
  on.view(VIEWS.inviteLicense, async ({ ack, body, view, client }) => {
    const values = slackFormValues(view.state.values);
    const read = values ? await readInviteForm(values, true, ctx.deps) : { errors: { [INVITE_MODAL.users.block]: 'The form came back in a shape I did not expect. Please try again.' } };
    if ('errors' in read) {
      await ack({ response_action: 'errors', errors: read.errors });
      return;
    }
    // the form turns into a progress note at once, and into the result when the work is done
    await ack({ response_action: 'update', view: ctx.render.modalMessage('Invite to a license', ctx.views.text('Sending the invitations…', 'hourglass_flowing_sand')) });
    const teamId = body.user.team_id ?? body.team?.id ?? '';
    const shown: Message[] = [];
    const show = (m: Message) => shown.push(m);
    try {
      const actor = await ctx.directory.actor(teamId, body.user.id);
      const invitees = [];
      const problems: string[] = [];
      for (const id of read.form.userIds) {
        const r = await ctx.directory.user(teamId, id);
        if (r.ok) invitees.push({ personId: r.person.id });
        else problems.push(`${r.label}: ${r.reason === 'bot' ? 'a bot, not a person' : r.reason === 'deactivated' ? 'has left the workspace' : 'not found'}.`);
      }
      const emails = [...read.form.emails];
      const uploaded: string[] = [];
      const unusable: string[] = [];
      for (const url of read.form.csvUrls) {
        const csv = csvEmails(await ctx.directory.downloadText(url));
        if (csv.emails.length === 0) problems.push('The CSV file holds no email address.');
        if (csv.unusable.length) unusable.push(unusableWords(csv.unusable));
        uploaded.push(...csv.emails.filter((e) => !emails.includes(e) && !uploaded.includes(e)));
      }
      // an uploaded list is read after the form closed: its lines and typos are answered here, before anything is sent
      const questions = await checkEmails({ deps: ctx.deps, actor, input: { emails: uploaded } });
      if (unusable.length || questions.length) {
        if (unusable.length) show(ctx.views.text(`Nothing sent yet: the CSV has lines I cannot use. ${unusable.join(' ')} Fix the file and upload it again.`, 'warning'));
        if (questions.length) {
          const fixed = uploaded.map((e) => questions.find((q) => q.typed === e)?.suggestion ?? e);
          const target = read.form.licenseName ? ` to "${read.form.licenseName}"` : '';
          const answer = ctx.views.emailQuestions(questions, { onRecord: unusable.length ? null : `invite-license ${[...read.form.userIds.map((id) => `<@${id}>`), ...emails, ...fixed].join(' ')}${target}`, asTyped: null });
          show(answer);
          // its button cannot live in a form: the question goes to the admin's DM too
          await client.chat.postMessage({ channel: body.user.id, ...ctx.render.message(answer) });
        }
      } else {
        emails.push(...uploaded);
        const found = await ctx.directory.emails(teamId, emails);
        emails.forEach((email, i) => invitees.push({ personId: found[i]!.id, email }));
        const result = await inviteToLicense({ deps: ctx.deps, actor, input: { licenseName: read.form.licenseName, invitees } });
        const answer = ctx.views.inviteResult(result);
        show(answer);
        // the question "invite the first N?" has buttons, which a modal cannot carry: it goes to the admin's DM
        if (result.confirmation) await client.chat.postMessage({ channel: body.user.id, ...ctx.render.message(answer) });
      }
      if (problems.length) show(ctx.views.text(`Not invited: ${problems.join(' ')}`, 'warning'));
    } catch (e) {
      if (!isDomainError(e)) ctx.logger.error('invite form failed', e);
      show(ctx.views.error(e));
    }
    const result = message(shown.map((m) => m.summary).join('\n'), shown.flatMap((m) => m.blocks));
    try {
      await client.views.update({ view_id: body.view.id, view: ctx.render.modalMessage('Invite to a license', result) });
    } catch {
      // the admin closed the form already: the result goes to their DM instead
      await client.chat
        .postMessage({ channel: body.user.id, ...ctx.render.message(result) })
        .catch((err: unknown) => ctx.logger.error('could not tell the admin the result of the invite form', err));
    }
  });
}
