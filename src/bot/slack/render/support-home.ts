/** Block Kit for the diagnosis, support requests and the App Home: pure functions of domain data. */
import type { KnownBlock, ModalView, HomeView } from '@slack/types';
import {
  PRODUCT,
  SUPPORT_DESCRIPTION_MAX,
  SUPPORT_TOPICS,
  formatDate,
  levelOf,
  figuresOf,
  usageLine,
  type Diagnosis,
  type Home,
  type OutboxMessage,
  type SupportRequest,
} from '../../../domain/index.js';
import { ACTIONS, PROJECT_ACTIONS, SUPPORT_MODAL, VIEWS, invitationValue, projectValue } from '../../../handlers/slack/action-ids.js';
import { LEVEL_ICON, actions, button, context, divider, esc, fields, header, message, section, type SlackMessage } from './blocks.js';
import { statusBlocks } from './replies.js';

const FIX_BUTTON: Record<string, (a: NonNullable<Diagnosis['findings'][number]['action']>) => ReturnType<typeof button>> = {
  share_project: () => button('Share a project', PROJECT_ACTIONS.shareProject, 'share'),
  resend: (a) => button('Resend', ACTIONS.resend, invitationValue('invitationId' in a ? a.invitationId : 0)),
  reinvite: (a) => button('Re-invite', PROJECT_ACTIONS.reinvite, invitationValue('invitationId' in a ? a.invitationId : 0)),
  request_seat: (a) => button('Ask an admin for a seat', PROJECT_ACTIONS.requestSeat, invitationValue('invitationId' in a ? a.invitationId : 0)),
  return_copy: (a) => button('Send my updated copy back', PROJECT_ACTIONS.returnCopy, projectValue('projectId' in a ? a.projectId : 0)),
};

export function diagnosis(d: Diagnosis): SlackMessage {
  const blocks: KnownBlock[] = statusBlocks(d.status);
  if (d.findings.length) {
    blocks.push(divider(), section('*What this means*'));
    for (const f of d.findings.slice(0, 15)) blocks.push(section(`• ${esc(f.text)}`, f.action ? FIX_BUTTON[f.action.kind]!(f.action) : undefined));
  }
  return message(`Status of ${d.status.self ? 'you' : d.status.person.displayName ?? 'them'}: ${d.findings.length} things to know.`, blocks.slice(0, 50));
}

export function supportModal(email: string | null): ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.support,
    title: { type: 'plain_text', text: 'Ask for support' },
    submit: { type: 'plain_text', text: 'Send to support' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section('Tell support what happened. They also get your seats and open invitations, so you do not need to list them.'),
      {
        type: 'input',
        block_id: SUPPORT_MODAL.email.block,
        label: { type: 'plain_text', text: 'Your ATLAS.ti account email' },
        hint: { type: 'plain_text', text: 'Exactly as spelled in your account: it is case sensitive.' },
        element: { type: 'plain_text_input', action_id: SUPPORT_MODAL.email.action, ...(email ? { initial_value: email } : {}) },
      },
      {
        type: 'input',
        block_id: SUPPORT_MODAL.topic.block,
        label: { type: 'plain_text', text: 'What were you trying to do?' },
        element: {
          type: 'static_select',
          action_id: SUPPORT_MODAL.topic.action,
          options: Object.entries(SUPPORT_TOPICS).map(([value, text]) => ({ text: { type: 'plain_text', text }, value })),
        },
      },
      {
        type: 'input',
        block_id: SUPPORT_MODAL.description.block,
        label: { type: 'plain_text', text: 'What happened?' },
        element: { type: 'plain_text_input', action_id: SUPPORT_MODAL.description.action, multiline: true, max_length: SUPPORT_DESCRIPTION_MAX },
      },
      {
        type: 'input',
        block_id: SUPPORT_MODAL.files.block,
        optional: true,
        label: { type: 'plain_text', text: 'Screenshots' },
        element: { type: 'file_input', action_id: SUPPORT_MODAL.files.action, filetypes: ['png', 'jpg', 'jpeg', 'gif', 'pdf'], max_files: 5 } as never,
      },
    ],
  };
}

function requestBlocks(r: SupportRequest): KnownBlock[] {
  return [
    fields([`*Account email*\n\`${esc(r.email)}\``, `*Trying to*\n${esc(r.topicLabel)}`, `*Seats*\n${r.seats.length ? r.seats.map(esc).join('\n') : 'none'}`, `*Open invitations*\n${r.openInvitations.length ? r.openInvitations.map(esc).join('\n') : 'none'}`]),
    section(r.description.split('\n').map((l) => `>${esc(l)}`).join('\n')),
    ...(r.files.length ? [section(`*Screenshots*\n${r.files.map((f) => `• <${f.url}|${esc(f.name)}>`).join('\n')}`)] : []),
  ];
}

export function supportRequestPost(m: Extract<OutboxMessage, { type: 'support_request' }>): SlackMessage {
  return message(`Support request from ${m.request.fromName}: ${m.request.topicLabel}`, [
    header(`Support request: ${m.request.topicLabel}`),
    context(`From *${esc(m.request.fromName)}* in ${m.request.platform === 'teams' ? 'Teams' : 'Slack'}`),
    ...requestBlocks(m.request),
  ]);
}

export function supportSent(m: Extract<OutboxMessage, { type: 'support_sent' }>): SlackMessage {
  return message('Your support request was sent.', [section(':white_check_mark: I sent this to support. They will answer you here or by email:'), ...requestBlocks(m.request)]);
}

export function homeView(h: Home): HomeView {
  const blocks: KnownBlock[] = [header(`${PRODUCT}: your seats and projects`), ...statusBlocks(h.status)];
  for (const i of h.status.pending.slice(0, 10)) {
    blocks.push(
      section(`:envelope_with_arrow: Invitation #${i.invitationId}: a seat in *${esc(i.licenseName)}* from ${esc(i.inviterName)}, open until ${formatDate(i.expiresAt)}`),
      actions(`home:${i.invitationId}`, button('Accept the seat', ACTIONS.accept, invitationValue(i.invitationId), 'primary'), button('Decline', ACTIONS.decline, invitationValue(i.invitationId))),
    );
  }
  for (const i of h.status.projectInvitations.filter((p) => p.status === 'pending').slice(0, 10)) {
    blocks.push(
      section(`:file_folder: Invitation #${i.invitationId}: the ${i.edition === 'web' ? 'Web' : 'Desktop'} project *${esc(i.projectName)}* from ${esc(i.ownerName)}`),
      actions(`home:${i.invitationId}`, button('Accept', ACTIONS.accept, invitationValue(i.invitationId), 'primary'), button('Decline', ACTIONS.decline, invitationValue(i.invitationId))),
    );
  }
  if (h.admin) {
    blocks.push(divider(), section(`*For license admins* · ${h.admin.pendingCount} invitation${h.admin.pendingCount === 1 ? '' : 's'} pending: \`/atlas pending\` lists them with Resend / Revoke / Extend.`));
    const shown = h.admin.licenses.slice(0, 20);
    for (const u of shown) {
      blocks.push(section(`${LEVEL_ICON[levelOf(u)]} *${esc(u.license.name)}* · ${esc(usageLine(figuresOf(u)))}`));
    }
    if (h.admin.licenses.length > shown.length) blocks.push(context(`…and ${h.admin.licenses.length - shown.length} more licenses: \`/atlas licenses\` lists them all.`));
  }
  // a Home view holds at most 100 blocks; the rest is summarised
  const kept = blocks.length > 100 ? [...blocks.slice(0, 99), context('More than fits here: `/atlas status` and `/atlas pending` show everything.')] : blocks;
  return { type: 'home', blocks: kept };
}
