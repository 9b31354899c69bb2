/**
 * The invite-to-license form. Field problems are answered inside the form (response_action:
 * "errors"); once it is valid the form closes at once and the invitations are made after the ack.
 */
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { emailsIn, inviteToLicense, isDomainError, parseEmail } from '../../../domain/index.js';
import { INVITE_MODAL, VIEWS } from '../action-ids.js';
import type { SlackHandlerContext, SlackMessage } from '../context.js';

const stateSchema = z.object({
  [INVITE_MODAL.license.block]: z
    .object({ [INVITE_MODAL.license.action]: z.object({ selected_option: z.object({ value: z.string() }).nullish() }) })
    .optional(),
  [INVITE_MODAL.users.block]: z
    .object({ [INVITE_MODAL.users.action]: z.object({ selected_users: z.array(z.string()).nullish() }) })
    .optional(),
  [INVITE_MODAL.emails.block]: z.object({ [INVITE_MODAL.emails.action]: z.object({ value: z.string().nullish() }) }).optional(),
  [INVITE_MODAL.csv.block]: z
    .object({
      [INVITE_MODAL.csv.action]: z.object({ files: z.array(z.object({ url_private_download: z.string().optional(), url_private: z.string().optional(), name: z.string().optional() })).nullish() }).optional(),
      [INVITE_MODAL.csvText.action]: z.object({ value: z.string().nullish() }).optional(),
    })
    .optional(),
});

export interface InviteForm {
  licenseName: string | null;
  userIds: string[];
  /** typed, then those of a pasted CSV (Teams), in order, each once */
  emails: string[];
  /** uploaded CSV files to read the emails from */
  csvUrls: string[];
}

/** Reads and checks the form; field errors are keyed by block id, as Slack wants them. */
export function readInviteForm(values: unknown): { form: InviteForm } | { errors: Record<string, string> } {
  const parsed = stateSchema.safeParse(values);
  if (!parsed.success) return { errors: { [INVITE_MODAL.users.block]: 'The form came back in a shape I did not expect. Please try again.' } };
  const s = parsed.data;
  const licenseName = s[INVITE_MODAL.license.block]?.[INVITE_MODAL.license.action]?.selected_option?.value ?? null;
  const userIds = s[INVITE_MODAL.users.block]?.[INVITE_MODAL.users.action]?.selected_users ?? [];
  const rawEmails = (s[INVITE_MODAL.emails.block]?.[INVITE_MODAL.emails.action]?.value ?? '')
    .split(/[\s,;]+/)
    .map((e) => e.trim())
    .filter(Boolean);
  const errors: Record<string, string> = {};
  const bad = rawEmails.filter((e) => !parseEmail(e));
  if (bad.length) errors[INVITE_MODAL.emails.block] = `Not an email address: ${bad.slice(0, 3).join(', ')}${bad.length > 3 ? '…' : ''}. Fix or remove it.`;
  const csvUrls = (s[INVITE_MODAL.csv.block]?.[INVITE_MODAL.csv.action]?.files ?? []).flatMap((f) => {
    const url = f.url_private_download ?? f.url_private;
    return url ? [url] : [];
  });
  // a pasted CSV (Teams dialogs have no file input): every email in it, whatever the columns
  const csvText = s[INVITE_MODAL.csv.block]?.[INVITE_MODAL.csvText.action]?.value ?? '';
  const pasted = emailsIn(csvText);
  if (csvText.trim() && pasted.length === 0) {
    errors[INVITE_MODAL.csv.block] = 'I found no email address in what you pasted. Paste the CSV file\'s content (the emails may be in any column), or type the emails above.';
  }
  if (!userIds.length && !rawEmails.length && !csvUrls.length && !csvText.trim()) errors[INVITE_MODAL.users.block] = 'Pick at least one person, type an email below, or upload a CSV.';
  if (Object.keys(errors).length) return { errors };
  const typed = new Set(rawEmails);
  const emails = [...rawEmails, ...pasted.filter((e) => !typed.has(e))];
  return { form: { licenseName, userIds, emails, csvUrls } };
}

export function registerInviteLicenseModal(app: App, ctx: SlackHandlerContext): void {
  app.view(VIEWS.inviteLicense, async ({ ack, body, view, client }) => {
    const read = readInviteForm(view.state.values);
    if ('errors' in read) {
      await ack({ response_action: 'errors', errors: read.errors });
      return;
    }
    // the form turns into a progress note at once, and into the result when the work is done
    await ack({ response_action: 'update', view: ctx.views.modalMessage('Invite to a license', ctx.views.text('Sending the invitations…', 'hourglass_flowing_sand')) });
    const teamId = body.user.team_id ?? body.team?.id ?? '';
    const shown: SlackMessage[] = [];
    const show = (m: SlackMessage) => shown.push(m);
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
      for (const url of read.form.csvUrls) {
        const found = emailsIn(await ctx.directory.downloadText(url));
        if (found.length === 0) problems.push('The CSV file holds no email address.');
        emails.push(...found.filter((e) => !emails.includes(e)));
      }
      const found = await ctx.directory.emails(teamId, emails);
      emails.forEach((email, i) => invitees.push({ personId: found[i]!.id, email }));
      const result = await inviteToLicense({ deps: ctx.deps, actor, input: { licenseName: read.form.licenseName, invitees } });
      const answer = ctx.views.inviteResult(result);
      show(answer);
      // the question "invite the first N?" has buttons, which a modal cannot carry: it goes to the admin's DM
      if (result.confirmation) await client.chat.postMessage({ channel: body.user.id, text: answer.text, blocks: answer.blocks });
      if (problems.length) show(ctx.views.text(`Not invited: ${problems.join(' ')}`, 'warning'));
    } catch (e) {
      if (!isDomainError(e)) ctx.logger.error('invite form failed', e);
      show(ctx.views.error(e));
    }
    const result: SlackMessage = { text: shown.map((m) => m.text).join('\n'), blocks: shown.flatMap((m) => m.blocks) };
    try {
      await client.views.update({ view_id: body.view.id, view: ctx.views.modalMessage('Invite to a license', result) });
    } catch {
      // the admin closed the form already: the result goes to their DM instead
      await client.chat
        .postMessage({ channel: body.user.id, text: result.text, blocks: result.blocks })
        .catch((err: unknown) => ctx.logger.error('could not tell the admin the result of the invite form', err));
    }
  });
}
