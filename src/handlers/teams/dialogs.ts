/**
 * Teams dialogs (task modules) for the forms Slack shows as modals: the same form definitions, the
 * same readers and the same domain verbs. A dialog opens from a card button (`task/fetch`); its
 * answer (`task/submit`) either shows the field problems in the dialog again or closes it with the
 * result.
 */
import type { TaskModuleRequest, TaskModuleResponse, TurnContext } from 'botbuilder';
import {
  askForSeat,
  decideSeatRequest,
  openSeatRequest,
  seatRequestOptions,
  inviteToLicense,
  isDomainError,
  licenseInviteOptions,
  returnOptions,
  returnProjectCopy,
  shareOptions,
  shareProject,
  reconcileLicense,
  requestSupport,
  type Form,
  type Message,
} from '../../domain/index.js';
import { RETURN_FIELD_BLOCK, dialogFormValues, readApproveForm, readDenyForm, readSeatRequestForm, readInviteForm, readReconcileForm, readReturnForm, readShareForm, readSupportForm } from '../forms.js';
import { RECONCILE_MODAL, REQUEST_SEAT_MODAL, RETURN_MODAL } from '../slack/action-ids.js';
import type { TeamsHandlerContext } from './context.js';

export type DialogName = 'invite_license' | 'share_project' | 'return_project' | 'approve_seat' | 'deny_seat' | 'request_seat' | 'support' | 'reconcile';

const TITLES: Record<DialogName, string> = {
  invite_license: 'Invite to a license',
  share_project: 'Share a project',
  return_project: 'Send a copy back',
  approve_seat: 'Approve a seat',
  deny_seat: 'Deny a seat request',
  request_seat: 'Request a seat',
  support: 'Ask for support',
  reconcile: 'Reconcile a license',
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A dialog name, own properties only: `__proto__` and the like are no dialog. */
const isDialog = (v: unknown): v is DialogName => typeof v === 'string' && Object.hasOwn(TITLES, v);

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

  private done(message: Message): TaskModuleResponse {
    // the dialog closes with a short note; the full answer goes into the chat as a card
    return { task: { type: 'message', value: message.summary.slice(0, 250) } };
  }

  /** The dialog's form, the same definition Slack shows as a modal. */
  private async definition(context: TurnContext, dialog: DialogName, data: Record<string, unknown>): Promise<Form> {
    const actor = await this.ctx.directory.actor(context);
    const deps = this.ctx.deps;
    const hosts = deps.settings.linkAllowedHosts;
    switch (dialog) {
      case 'invite_license':
        return this.ctx.views.inviteForm(await licenseInviteOptions({ deps, actor, input: undefined }));
      case 'share_project':
        return this.ctx.views.shareForm(await shareOptions({ deps, actor, input: undefined }), hosts);
      case 'return_project':
        return this.ctx.views.returnForm(await returnOptions({ deps, actor, input: undefined }), hosts, Number(data.projectId) || undefined);
      case 'approve_seat':
        return this.ctx.views.approveSeatForm(Number(data.requestId), await licenseInviteOptions({ deps, actor, input: undefined }));
      case 'deny_seat':
        return this.ctx.views.denySeatForm((await openSeatRequest({ deps, actor, input: { requestId: Number(data.requestId) } })).id);
      case 'request_seat': {
        const { licenses, email } = await seatRequestOptions({ deps, actor, input: undefined });
        const prefill = { ...(typeof data.licenseName === 'string' ? { licenseName: data.licenseName } : {}), ...(typeof data.reason === 'string' ? { reason: data.reason } : {}) };
        return this.ctx.views.requestSeatForm(licenses, email, prefill);
      }
      case 'support': {
        const me = await deps.store.transaction((r) => r.people.byId(actor.personId));
        return this.ctx.views.supportForm(me?.email ?? null);
      }
      case 'reconcile':
        return this.ctx.views.reconcileForm(await licenseInviteOptions({ deps, actor, input: undefined }));
    }
  }

  private async form(context: TurnContext, dialog: DialogName, data: Record<string, unknown>, errors: Record<string, string> = {}): Promise<unknown> {
    const keep = { dialog, ...(data.requestId !== undefined ? { requestId: data.requestId } : {}), ...(data.projectId !== undefined ? { projectId: data.projectId } : {}) };
    // a form shown again keeps what was typed (the submitted values are the card's input values)
    const typed = Object.keys(errors).length ? data : {};
    return this.ctx.toForm(await this.definition(context, dialog, data), errors, { ...typed, ...keep });
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
      const values = dialogFormValues(await this.definition(context, dialog, data), data);
      let result: Message;
      switch (dialog) {
        case 'invite_license': {
          // Teams has no people picker: the emails and the pasted CSV name the people
          const read = await readInviteForm(values, false, deps);
          if ('errors' in read) return again(read.errors);
          const found = await this.ctx.directory.emails(context, read.form.emails);
          const invitees = read.form.emails.map((email, i) => ({ personId: found[i]!.id, email }));
          result = this.ctx.views.inviteResult(await inviteToLicense({ deps, actor, input: { licenseName: read.form.licenseName, invitees } }));
          break;
        }
        case 'share_project': {
          const read = await readShareForm(values, { deps, actor });
          if ('errors' in read) return again(read.errors);
          const form = read.form;
          const invitees = [];
          for (const email of form.emails) invitees.push({ personId: (await this.ctx.directory.email(context, email)).id, email });
          result = this.ctx.views.shareResult(await shareProject({ deps, actor, input: { project: form.project!, edition: form.edition, invitees, desktopLink: form.desktopLink, message: form.message } }));
          break;
        }
        case 'return_project': {
          const input = readReturnForm(values);
          if (!Number.isInteger(input.projectId) || input.projectId <= 0) return again({ [RETURN_MODAL.project.block]: 'Pick the project you worked on.' });
          try {
            const r = await returnProjectCopy({ deps, actor, input });
            result = this.ctx.views.text(`Sent. ${r.project.name}'s owner has your link and the steps to merge it into their project.`, 'outbox_tray');
          } catch (e) {
            const field = isDomainError(e) ? (e.details.field as string | undefined) : undefined;
            if (isDomainError(e) && field && Object.hasOwn(RETURN_FIELD_BLOCK, field)) return again({ [RETURN_FIELD_BLOCK[field]!]: e.userMessage });
            throw e;
          }
          break;
        }
        case 'approve_seat': {
          const read = readApproveForm(values);
          if ('errors' in read) return again(read.errors);
          result = this.ctx.views.seatDecision(await decideSeatRequest({ deps, actor, input: { requestId: Number(data.requestId), approve: true, licenseName: read.form.licenseName } }));
          break;
        }
        case 'deny_seat': {
          result = this.ctx.views.seatDecision(await decideSeatRequest({ deps, actor, input: { requestId: Number(data.requestId), approve: false, note: readDenyForm(values).note } }));
          break;
        }
        case 'request_seat': {
          const read = await readSeatRequestForm(values, deps);
          if ('errors' in read) return again(read.errors);
          try {
            result = this.ctx.views.seatAsk(await askForSeat({ deps, actor, input: read.form }));
          } catch (e) {
            if (isDomainError(e) && e.details.field === 'email') return again({ [REQUEST_SEAT_MODAL.email.block]: e.userMessage });
            throw e;
          }
          break;
        }
        case 'support': {
          // Teams has no file upload in a dialog: screenshots are links typed into the description
          const read = readSupportForm(values);
          if ('errors' in read) return again(read.errors);
          await requestSupport({ deps, actor, input: read.form });
          result = this.ctx.views.text('Sent to support, with your seats and open invitations. I put a copy in your messages.', 'white_check_mark');
          break;
        }
        case 'reconcile': {
          const read = readReconcileForm(values);
          if ('errors' in read) return again(read.errors);
          try {
            await reconcileLicense({ deps, actor, input: read.form });
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
