/**
 * Teams dialogs (task modules) for the forms Slack shows as modals: the same form definitions, the
 * same readers and the same domain verbs. A dialog opens from a card button (`task/fetch`); its
 * answer (`task/submit`) either shows the field problems in the dialog again or closes it with the
 * result.
 */
import type { TaskModuleRequest, TaskModuleResponse, TurnContext } from 'botbuilder';
import type { KnownBlock, ModalView } from '@slack/types';
import {
  decideSeatRequest,
  inviteToLicense,
  isDomainError,
  licenseInviteOptions,
  returnOptions,
  returnProjectCopy,
  shareFormProblems,
  shareOptions,
  shareProject,
  reconcileLicense,
  requestSupport,
  supportProblems,
  type ShareField,
} from '../../domain/index.js';
import { APPROVE_MODAL, INVITE_MODAL, RECONCILE_MODAL, RETURN_MODAL, SHARE_MODAL, SUPPORT_MODAL } from '../slack/action-ids.js';
import type { SlackMessage } from '../slack/context.js';
import { readInviteForm } from '../slack/views/invite-license-modal.js';
import { readShareForm } from '../slack/views/share-project-modal.js';
import type { TeamsHandlerContext } from './context.js';

export type DialogName = 'invite_license' | 'share_project' | 'return_project' | 'approve_seat' | 'support' | 'reconcile';

const TITLES: Record<DialogName, string> = {
  invite_license: 'Invite to a license',
  share_project: 'Share a project',
  return_project: 'Send a copy back',
  approve_seat: 'Approve a seat',
  support: 'Ask for support',
  reconcile: 'Reconcile a license',
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A dialog name, own properties only: `__proto__` and the like are no dialog. */
const isDialog = (v: unknown): v is DialogName => typeof v === 'string' && Object.hasOwn(TITLES, v);

const SHARE_FIELD_BLOCK: Record<ShareField, string> = {
  project: SHARE_MODAL.newName.block,
  edition: SHARE_MODAL.edition.block,
  invitees: SHARE_MODAL.emails.block,
  desktopLink: SHARE_MODAL.desktopLink.block,
  message: SHARE_MODAL.message.block,
};

/** Dialog answers `block.action: value` → the shape Slack's view state has, for the shared readers. */
function stateFrom(data: Record<string, unknown>): Record<string, Record<string, unknown>> {
  const state: Record<string, Record<string, unknown>> = {};
  for (const [key, raw] of Object.entries(data)) {
    const [block, action] = key.split('.');
    if (!block || !action || typeof raw !== 'string') continue;
    const value = raw.trim() === '' ? null : raw;
    state[block] = { [action]: { value, selected_option: value === null ? null : { value }, selected_users: [] } };
  }
  return state;
}

/**
 * The invite form in Teams: a dialog cannot take a file, so the CSV upload becomes a text area the
 * admin pastes the file's content into (read by the same form reader, with the same email rules).
 */
function withPastedCsv(view: ModalView): ModalView {
  const blocks = (view.blocks as KnownBlock[]).map((b): KnownBlock =>
    b.type === 'input' && b.block_id === INVITE_MODAL.csv.block
      ? {
          type: 'input',
          block_id: INVITE_MODAL.csvText.block,
          optional: true,
          label: { type: 'plain_text', text: 'Or paste a CSV of emails' },
          hint: {
            type: 'plain_text',
            text: 'Teams dialogs cannot take a file: open the CSV, copy all of it and paste it here. Every email in it is invited, in the order of the file; duplicates once.',
          },
          element: { type: 'plain_text_input', action_id: INVITE_MODAL.csvText.action, multiline: true, placeholder: { type: 'plain_text', text: 'name,email\nAlice,alice@uni.edu' } },
        }
      : b,
  );
  return { ...view, blocks };
}

export class TeamsDialogs {
  constructor(private readonly ctx: TeamsHandlerContext) {}

  /** A bot cannot open a dialog by itself in Teams: it offers a card with the button that does. */
  async offer(context: TurnContext, dialog: DialogName, extra: Record<string, unknown> = {}): Promise<void> {
    const card = {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'TextBlock', text: `${TITLES[dialog]}: the form opens in a dialog.`, wrap: true }],
      actions: [{ type: 'Action.Submit', title: `Open: ${TITLES[dialog]}`, data: { msteams: { type: 'task/fetch' }, dialog, ...extra } }],
    };
    await context.sendActivity({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] });
  }

  private continueWith(dialog: DialogName, card: unknown): TaskModuleResponse {
    return { task: { type: 'continue', value: { title: TITLES[dialog], width: 'medium', height: 'large', card: { contentType: 'application/vnd.microsoft.card.adaptive', content: card } } } };
  }

  private done(message: SlackMessage): TaskModuleResponse {
    // the dialog closes with a short note; the full answer goes into the chat as a card
    return { task: { type: 'message', value: message.text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').slice(0, 250) } };
  }

  private async form(context: TurnContext, dialog: DialogName, data: Record<string, unknown>, errors: Record<string, string> = {}): Promise<unknown> {
    const actor = await this.ctx.directory.actor(context);
    const hosts = this.ctx.deps.settings.linkAllowedHosts;
    const keep = { dialog, ...(data.requestId !== undefined ? { requestId: data.requestId } : {}) };
    // a form shown again keeps what was typed (the submitted values are the card's input values)
    const typed = Object.keys(errors).length ? data : {};
    const toForm = (view: Parameters<TeamsHandlerContext['toForm']>[0]) => this.ctx.toForm(view, errors, { ...typed, ...keep });
    switch (dialog) {
      case 'invite_license':
        return toForm(withPastedCsv(this.ctx.views.inviteModal(await licenseInviteOptions({ deps: this.ctx.deps, actor, input: undefined }))));
      case 'share_project':
        return toForm(this.ctx.views.shareModal(await shareOptions({ deps: this.ctx.deps, actor, input: undefined }), hosts));
      case 'return_project':
        return toForm(this.ctx.views.returnModal(await returnOptions({ deps: this.ctx.deps, actor, input: undefined }), hosts, Number(data.projectId) || undefined));
      case 'approve_seat':
        return toForm(this.ctx.views.approveSeatModal(Number(data.requestId), await licenseInviteOptions({ deps: this.ctx.deps, actor, input: undefined })));
      case 'support': {
        const me = this.ctx.deps.store.transaction((r) => r.people.byId(actor.personId));
        return toForm(this.ctx.views.supportModal(me?.email ?? null));
      }
      case 'reconcile':
        return toForm(this.ctx.views.reconcileModal(await licenseInviteOptions({ deps: this.ctx.deps, actor, input: undefined })));
    }
  }

  async fetch(context: TurnContext, request: TaskModuleRequest): Promise<TaskModuleResponse> {
    const data = (isRecord(request.data) ? request.data : {});
    const dialog = data.dialog;
    if (!isDialog(dialog)) return this.done(this.ctx.views.text('That form is no longer available.', 'thinking_face'));
    try {
      return this.continueWith(dialog, await this.form(context, dialog, data));
    } catch (e) {
      if (!isDomainError(e)) this.ctx.logger.error(`Teams dialog ${dialog} failed to open`, e);
      await context.sendActivity(this.ctx.toActivity(this.ctx.views.error(e)));
      return this.done(this.ctx.views.error(e));
    }
  }

  async submit(context: TurnContext, request: TaskModuleRequest): Promise<TaskModuleResponse> {
    const data = (isRecord(request.data) ? request.data : {});
    if (!isDialog(data.dialog)) return this.done(this.ctx.views.text('That form is no longer available.', 'thinking_face'));
    const dialog = data.dialog;
    const again = async (errors: Record<string, string>) => this.continueWith(dialog, await this.form(context, dialog, data, errors));
    try {
      const actor = await this.ctx.directory.actor(context);
      const deps = this.ctx.deps;
      const state = stateFrom(data);
      let result: SlackMessage;
      switch (dialog) {
        case 'invite_license': {
          const read = readInviteForm(state);
          // Teams has no people picker: nobody named is said about the email field and the CSV
          if ('errors' in read) return again({ ...read.errors, ...(read.errors[INVITE_MODAL.users.block] ? { [INVITE_MODAL.emails.block]: 'Type at least one email, or paste a CSV of emails below.' } : {}) });
          const found = await this.ctx.directory.emails(context, read.form.emails);
          const invitees = read.form.emails.map((email, i) => ({ personId: found[i]!.id, email }));
          result = this.ctx.views.inviteResult(await inviteToLicense({ deps, actor, input: { licenseName: read.form.licenseName, invitees } }));
          break;
        }
        case 'share_project': {
          const form = readShareForm(state);
          if (!form) return again({});
          const problems = shareFormProblems({ deps, actor, input: { project: form.project, edition: form.edition, inviteeCount: form.emails.length + form.badEmails.length, desktopLink: form.desktopLink, message: form.message } });
          const errors: Record<string, string> = {};
          for (const [field, words] of Object.entries(problems)) errors[SHARE_FIELD_BLOCK[field as ShareField]] = String(words);
          if (form.badEmails.length) errors[SHARE_MODAL.emails.block] = `Not an email address: ${form.badEmails.slice(0, 3).join(', ')}. Fix or remove it.`;
          if (Object.keys(errors).length) return again(errors);
          const invitees = [];
          for (const email of form.emails) invitees.push({ personId: (await this.ctx.directory.email(context, email)).id, email });
          result = this.ctx.views.shareResult(await shareProject({ deps, actor, input: { project: form.project!, edition: form.edition, invitees, desktopLink: form.desktopLink, message: form.message } }));
          break;
        }
        case 'return_project': {
          const projectId = Number((state[RETURN_MODAL.project.block]?.[RETURN_MODAL.project.action] as { value?: string } | undefined)?.value);
          const link = (state[RETURN_MODAL.link.block]?.[RETURN_MODAL.link.action] as { value?: string | null } | undefined)?.value ?? '';
          const note = (state[RETURN_MODAL.note.block]?.[RETURN_MODAL.note.action] as { value?: string | null } | undefined)?.value ?? null;
          try {
            const r = await returnProjectCopy({ deps, actor, input: { projectId, link, note } });
            result = this.ctx.views.text(`Sent. ${r.project.name}'s owner has your link and the steps to merge it into their project.`, 'outbox_tray');
          } catch (e) {
            const field = isDomainError(e) ? (e.details.field as string | undefined) : undefined;
            if (isDomainError(e) && field) return again({ [field === 'link' ? RETURN_MODAL.link.block : field === 'note' ? RETURN_MODAL.note.block : RETURN_MODAL.project.block]: e.userMessage });
            throw e;
          }
          break;
        }
        case 'approve_seat': {
          const licenseName = (state[APPROVE_MODAL.license.block]?.[APPROVE_MODAL.license.action] as { value?: string | null } | undefined)?.value;
          if (!licenseName) return again({ [APPROVE_MODAL.license.block]: 'Pick the license to invite them to.' });
          result = this.ctx.views.seatDecision(await decideSeatRequest({ deps, actor, input: { requestId: Number(data.requestId), approve: true, licenseName } }));
          break;
        }
        case 'support': {
          const text = (block: string, action: string) => ((state[block]?.[action] as { value?: string | null } | undefined)?.value ?? '').toString();
          // Teams has no file upload in a dialog: screenshots are links typed into the description
          const input = {
            email: text(SUPPORT_MODAL.email.block, SUPPORT_MODAL.email.action),
            topic: text(SUPPORT_MODAL.topic.block, SUPPORT_MODAL.topic.action),
            description: text(SUPPORT_MODAL.description.block, SUPPORT_MODAL.description.action),
          };
          const problems = supportProblems(input);
          if (Object.keys(problems).length) {
            return again(Object.fromEntries(Object.entries(problems).map(([f, w]) => [f === 'files' ? SUPPORT_MODAL.files.block : f === 'topic' ? SUPPORT_MODAL.topic.block : f === 'email' ? SUPPORT_MODAL.email.block : SUPPORT_MODAL.description.block, String(w)])));
          }
          await requestSupport({ deps, actor, input });
          result = this.ctx.views.text('Sent to support, with your seats and open invitations. I put a copy in your messages.', 'white_check_mark');
          break;
        }
        case 'reconcile': {
          const text = (block: string, action: string) => ((state[block]?.[action] as { value?: string | null } | undefined)?.value ?? '').toString();
          const licenseName = text(RECONCILE_MODAL.license.block, RECONCILE_MODAL.license.action);
          if (!licenseName) return again({ [RECONCILE_MODAL.license.block]: 'Pick the license to compare.' });
          try {
            await reconcileLicense({ deps, actor, input: { licenseName, csv: text(RECONCILE_MODAL.csv.block, RECONCILE_MODAL.csv.action) } });
          } catch (e) {
            if (isDomainError(e) && e.details.field === 'csv') return again({ [RECONCILE_MODAL.csv.block]: e.userMessage });
            throw e;
          }
          // the report itself reaches the admin's chat through the outbox, with its buttons
          return this.done(this.ctx.views.text('Compared. The report is in your chat with me.', 'white_check_mark'));
        }
        default:
          return this.done(this.ctx.views.text('That form is no longer available.', 'thinking_face'));
      }
      await context.sendActivity(this.ctx.toActivity(result));
      return this.done(result);
    } catch (e) {
      if (!isDomainError(e)) this.ctx.logger.error(`Teams dialog ${dialog} failed`, e);
      await context.sendActivity(this.ctx.toActivity(this.ctx.views.error(e)));
      return this.done(this.ctx.views.error(e));
    }
  }
}
