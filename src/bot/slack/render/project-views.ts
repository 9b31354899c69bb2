/** Block Kit for answers and forms about projects. */
import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { EXPORT_HINT, MESSAGE_MAX, PROJECT_NEEDS_SEAT, formatDate, nameOf, type LicenseUsage, type Project, type SeatDecision, type ShareOutcome, type ShareResult } from '../../../domain/index.js';
import { APPROVE_MODAL, RETURN_MODAL, SHARE_MODAL, VIEWS } from '../../../handlers/slack/action-ids.js';
import { context, esc, licenseOptions, message, section, type SlackMessage } from './blocks.js';

const opt = (text: string, value: string): PlainTextOption => ({ text: { type: 'plain_text', text: text.slice(0, 75) }, value });

export function shareModal(mine: Project[], allowedHosts: readonly string[]): ModalView {
  const blocks: KnownBlock[] = [
    section(`Share *one project*. This gives no license seat: ${esc(PROJECT_NEEDS_SEAT)}`),
  ];
  if (mine.length) {
    blocks.push({
      type: 'input',
      block_id: SHARE_MODAL.existing.block,
      optional: true,
      label: { type: 'plain_text', text: 'One of my projects' },
      element: {
        type: 'static_select',
        action_id: SHARE_MODAL.existing.action,
        placeholder: { type: 'plain_text', text: 'Pick a project' },
        options: mine.slice(0, 100).map((p) => opt(`${p.name} (${p.edition === 'web' ? 'Web' : 'Desktop'})`, String(p.id))),
      },
    });
  }
  blocks.push(
    {
      type: 'input',
      block_id: SHARE_MODAL.newName.block,
      optional: true,
      label: { type: 'plain_text', text: mine.length ? '…or a new project' : 'Project name' },
      element: { type: 'plain_text_input', action_id: SHARE_MODAL.newName.action, max_length: 120, placeholder: { type: 'plain_text', text: 'Interview study 2026' } },
    },
    {
      type: 'input',
      block_id: SHARE_MODAL.edition.block,
      optional: true,
      label: { type: 'plain_text', text: 'Edition (for a new project)' },
      element: {
        type: 'radio_buttons',
        action_id: SHARE_MODAL.edition.action,
        options: [
          { text: { type: 'plain_text', text: 'Web' }, value: 'web', description: { type: 'plain_text', text: 'Members; changes sync in real time' } },
          { text: { type: 'plain_text', text: 'Desktop' }, value: 'desktop', description: { type: 'plain_text', text: 'Own copies; nothing syncs; copies come back to merge' } },
        ],
      },
    },
    {
      type: 'input',
      block_id: SHARE_MODAL.users.block,
      optional: true,
      label: { type: 'plain_text', text: 'People in this workspace' },
      element: { type: 'multi_users_select', action_id: SHARE_MODAL.users.action, placeholder: { type: 'plain_text', text: 'Pick people' } },
    },
    {
      type: 'input',
      block_id: SHARE_MODAL.emails.block,
      optional: true,
      label: { type: 'plain_text', text: 'Account emails' },
      hint: { type: 'plain_text', text: 'Exact case: account emails are case sensitive. Separate several with commas.' },
      element: { type: 'plain_text_input', action_id: SHARE_MODAL.emails.action, placeholder: { type: 'plain_text', text: 'Alice.Smith@uni.edu' } },
    },
    {
      type: 'input',
      block_id: SHARE_MODAL.desktopLink.block,
      optional: true,
      label: { type: 'plain_text', text: 'Desktop: the link to hand over' },
      hint: { type: 'plain_text', text: `${EXPORT_HINT} Allowed hosts: ${allowedHosts.join(', ')}.`.slice(0, 2000) },
      element: { type: 'url_text_input', action_id: SHARE_MODAL.desktopLink.action, placeholder: { type: 'plain_text', text: 'https://…' } },
    },
    {
      type: 'input',
      block_id: SHARE_MODAL.message.block,
      optional: true,
      label: { type: 'plain_text', text: 'Personal message' },
      element: { type: 'plain_text_input', action_id: SHARE_MODAL.message.action, multiline: true, max_length: MESSAGE_MAX },
    },
  );
  return {
    type: 'modal',
    callback_id: VIEWS.shareProject,
    title: { type: 'plain_text', text: 'Share a project' },
    submit: { type: 'plain_text', text: 'Share' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}

function shareLine(o: ShareOutcome): string {
  const who = `*${esc(nameOf(o.invitee))}*`;
  switch (o.status) {
    case 'invited':
      return o.reachable ? `:envelope_with_arrow: ${who}: invited (#${o.invitationId}).` : `:incoming_envelope: ${who}: invited (#${o.invitationId}); not in Slack, so I sent you their link to forward.`;
    case 'waiting_for_seat':
      return `:hourglass_flowing_sand: ${who}: holds no seat under \`${esc(o.email)}\`. The invitation waits and goes out by itself once they hold one (#${o.invitationId}); I sent you a button to ask an admin.`;
    case 'email_case_mismatch':
      return `:warning: ${who}: not sent. You typed \`${esc(o.typed)}\`; did you mean \`${esc(o.onRecord)}\`? Account emails are case sensitive.`;
    case 'already_pending':
      return `:hourglass: ${who}: already invited on ${formatDate(o.since)} (#${o.invitationId}).`;
    case 'already_has_access':
      return `:ballot_box_with_check: ${who}: already has this project.`;
    case 'is_owner':
      return `:bust_in_silhouette: ${who}: owns this project.`;
    case 'no_email':
      return `:grey_question: ${who}: Slack did not tell me their email; share with their account email instead.`;
  }
}

export function shareResult(r: ShareResult): SlackMessage {
  const sent = r.outcomes.filter((o) => o.status === 'invited').length;
  const lines = r.outcomes.map(shareLine);
  const blocks: KnownBlock[] = [section(`*${esc(r.project.name)}* (${r.project.edition === 'web' ? 'Web' : 'Desktop'}): ${sent} of ${r.outcomes.length} invited.`)];
  for (let i = 0; i < lines.length && blocks.length < 45; i += 10) blocks.push(section(lines.slice(i, i + 10).join('\n')));
  blocks.push(context('A project invitation gives no seat. You will hear when each person accepts or declines.'));
  return message(`${sent} of ${r.outcomes.length} invited to ${r.project.name}.`, blocks);
}

export function returnModal(copies: Project[], allowedHosts: readonly string[], preselect?: number): ModalView {
  const options = copies.slice(0, 100).map((p) => opt(p.name, String(p.id)));
  const initial = options.find((o) => o.value === String(preselect)) ?? (options.length === 1 ? options[0] : undefined);
  return {
    type: 'modal',
    callback_id: VIEWS.returnProject,
    title: { type: 'plain_text', text: 'Send a copy back' },
    submit: { type: 'plain_text', text: 'Send to the owner' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section('Desktop projects do not sync. Send the owner a link to your updated copy, and they merge it into their project.'),
      {
        type: 'input',
        block_id: RETURN_MODAL.project.block,
        label: { type: 'plain_text', text: 'Project' },
        element: { type: 'static_select', action_id: RETURN_MODAL.project.action, options, ...(initial ? { initial_option: initial } : {}) },
      },
      {
        type: 'input',
        block_id: RETURN_MODAL.link.block,
        label: { type: 'plain_text', text: 'Link to your updated copy' },
        hint: { type: 'plain_text', text: `${EXPORT_HINT} Allowed hosts: ${allowedHosts.join(', ')}.`.slice(0, 2000) },
        element: { type: 'url_text_input', action_id: RETURN_MODAL.link.action },
      },
      {
        type: 'input',
        block_id: RETURN_MODAL.note.block,
        optional: true,
        label: { type: 'plain_text', text: 'Note for the owner' },
        element: { type: 'plain_text_input', action_id: RETURN_MODAL.note.action, multiline: true, max_length: MESSAGE_MAX },
      },
    ],
  };
}

export function approveSeatModal(requestId: number, usages: LicenseUsage[]): ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.approveSeat,
    private_metadata: String(requestId),
    title: { type: 'plain_text', text: 'Approve a seat' },
    submit: { type: 'plain_text', text: 'Invite to a seat' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: APPROVE_MODAL.license.block,
        label: { type: 'plain_text', text: 'License' },
        element: {
          type: 'static_select',
          action_id: APPROVE_MODAL.license.action,
          options: licenseOptions(usages),
        },
      },
    ],
  };
}

export function seatDecision(d: SeatDecision): SlackMessage {
  switch (d.outcome) {
    case 'approved':
      return message('Approved.', [section(`:white_check_mark: Approved seat request #${d.request.id}: ${d.invite.status === 'already_holds_seat' ? 'they already hold a seat, so the project invitation went out' : `invited to *${esc(d.licenseName)}*`}. The owner has been told.`)]);
    case 'denied':
      return message('Denied.', [section(`:no_entry: Denied seat request #${d.request.id}. The owner has been told.`)]);
    case 'not_approved':
      return message('Not approved.', [
        section(
          d.invite.status === 'no_free_seat'
            ? `:no_entry: *${esc(d.licenseName)}* is full, so nothing was sent and the request stays open. Free a seat or pick another license, then approve again.`
            : `:information_source: Nothing was sent (${esc(d.invite.status.replace(/_/g, ' '))}); the request stays open.`,
        ),
      ]);
  }
}
