/**
 * The share-a-project form. Problems with a field are answered inside the form
 * (response_action "errors", from the domain's own checks); then the form turns into a progress
 * note, the people are looked up and invited, and the form shows the result.
 */
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { isDomainError, parseEmail, shareFormProblems, shareProject, type Edition, type ShareField } from '../../../domain/index.js';
import { SHARE_MODAL, VIEWS } from '../action-ids.js';
import type { SlackHandlerContext, SlackMessage } from '../context.js';

const text = z.object({ value: z.string().nullish() }).optional();
const stateSchema = z.object({
  [SHARE_MODAL.existing.block]: z.object({ [SHARE_MODAL.existing.action]: z.object({ selected_option: z.object({ value: z.string() }).nullish() }) }).optional(),
  [SHARE_MODAL.newName.block]: z.object({ [SHARE_MODAL.newName.action]: text }).optional(),
  [SHARE_MODAL.edition.block]: z.object({ [SHARE_MODAL.edition.action]: z.object({ selected_option: z.object({ value: z.enum(['web', 'desktop']) }).nullish() }) }).optional(),
  [SHARE_MODAL.users.block]: z.object({ [SHARE_MODAL.users.action]: z.object({ selected_users: z.array(z.string()).nullish() }) }).optional(),
  [SHARE_MODAL.emails.block]: z.object({ [SHARE_MODAL.emails.action]: text }).optional(),
  [SHARE_MODAL.desktopLink.block]: z.object({ [SHARE_MODAL.desktopLink.action]: text }).optional(),
  [SHARE_MODAL.message.block]: z.object({ [SHARE_MODAL.message.action]: text }).optional(),
});

const FIELD_BLOCK: Record<ShareField, string> = {
  project: SHARE_MODAL.newName.block,
  edition: SHARE_MODAL.edition.block,
  invitees: SHARE_MODAL.users.block,
  desktopLink: SHARE_MODAL.desktopLink.block,
  message: SHARE_MODAL.message.block,
};

export interface ShareFormValues {
  project: { id: number } | { name: string } | null;
  edition: Edition | null;
  userIds: string[];
  emails: string[];
  badEmails: string[];
  desktopLink: string | null;
  message: string | null;
}

export function readShareForm(values: unknown): ShareFormValues | null {
  const r = stateSchema.safeParse(values);
  if (!r.success) return null;
  const s = r.data;
  const existing = s[SHARE_MODAL.existing.block]?.[SHARE_MODAL.existing.action]?.selected_option?.value;
  const newName = s[SHARE_MODAL.newName.block]?.[SHARE_MODAL.newName.action]?.value?.trim();
  const rawEmails = (s[SHARE_MODAL.emails.block]?.[SHARE_MODAL.emails.action]?.value ?? '').split(/[\s,;]+/).filter(Boolean);
  return {
    // a new name wins over a picked project: typing it is the more deliberate act
    project: newName ? { name: newName } : existing ? { id: Number(existing) } : null,
    edition: s[SHARE_MODAL.edition.block]?.[SHARE_MODAL.edition.action]?.selected_option?.value ?? null,
    userIds: s[SHARE_MODAL.users.block]?.[SHARE_MODAL.users.action]?.selected_users ?? [],
    emails: rawEmails.filter((e) => parseEmail(e)),
    badEmails: rawEmails.filter((e) => !parseEmail(e)),
    desktopLink: s[SHARE_MODAL.desktopLink.block]?.[SHARE_MODAL.desktopLink.action]?.value?.trim() || null,
    message: s[SHARE_MODAL.message.block]?.[SHARE_MODAL.message.action]?.value ?? null,
  };
}

export function registerShareProjectModal(app: App, ctx: SlackHandlerContext): void {
  app.view(VIEWS.shareProject, async ({ ack, body, view, client }) => {
    const teamId = body.user.team_id ?? body.team?.id ?? '';
    const form = readShareForm(view.state.values);
    if (!form) {
      await ack({ response_action: 'errors', errors: { [SHARE_MODAL.users.block]: 'The form came back in a shape I did not expect. Please try again.' } });
      return;
    }
    let actor;
    try {
      // a known person resolves from the database; only a first-time user costs a Slack call
      actor = await ctx.directory.actor(teamId, body.user.id);
      const problems = shareFormProblems({
        deps: ctx.deps,
        actor,
        input: { project: form.project, edition: form.edition, inviteeCount: form.userIds.length + form.emails.length + form.badEmails.length, desktopLink: form.desktopLink, message: form.message },
      });
      const errors: Record<string, string> = {};
      for (const [field, words] of Object.entries(problems)) errors[FIELD_BLOCK[field as ShareField]] = String(words);
      if (form.badEmails.length) errors[SHARE_MODAL.emails.block] = `Not an email address: ${form.badEmails.slice(0, 3).join(', ')}. Fix or remove it.`;
      if (Object.keys(errors).length) {
        await ack({ response_action: 'errors', errors });
        return;
      }
    } catch (e) {
      if (!isDomainError(e)) ctx.logger.error('share form check failed', e);
      await ack({ response_action: 'update', view: ctx.views.modalMessage('Share a project', ctx.views.error(e)) });
      return;
    }
    await ack({ response_action: 'update', view: ctx.views.modalMessage('Share a project', ctx.views.text('Sharing…', 'hourglass_flowing_sand')) });

    let result: SlackMessage;
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
      if (problems.length) result = { text: result.text, blocks: [...result.blocks, ...ctx.views.text(`Not invited: ${problems.join(' ')}`, 'warning').blocks] };
    } catch (e) {
      if (!isDomainError(e)) ctx.logger.error('share form failed', e);
      result = ctx.views.error(e);
    }
    try {
      await client.views.update({ view_id: body.view.id, view: ctx.views.modalMessage('Share a project', result) });
    } catch {
      await client.chat.postMessage({ channel: body.user.id, text: result.text, blocks: result.blocks }).catch((err: unknown) => ctx.logger.error('could not tell the result of the share form', err));
    }
  });
}
