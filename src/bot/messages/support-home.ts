/** The diagnosis, support requests and the home overview, as the message model: pure functions of domain data. */
import {
  PRODUCT,
  actions,
  b,
  button,
  cmd,
  code,
  divider,
  facts,
  figuresOf,
  formatDate,
  heading,
  levelOf,
  lines,
  link,
  message,
  note,
  paragraph,
  t,
  usageLine,
  type Block,
  type Button,
  type Diagnosis,
  type Home,
  type Message,
  type OutboxMessage,
  type SupportRequest,
} from '../../domain/index.js';
import { ACTIONS, PROJECT_ACTIONS, invitationValue, projectValue } from '../../handlers/slack/action-ids.js';
import { quote } from './projects.js';
import { statusBlocks } from './status.js';
import { LEVEL_ICON } from './words.js';

type FixAction = NonNullable<Diagnosis['findings'][number]['action']>;

function fixButton(a: FixAction): Button {
  switch (a.kind) {
    case 'share_project':
      return button('Share a project', PROJECT_ACTIONS.shareProject, 'share');
    case 'resend':
      return button('Resend', ACTIONS.resend, invitationValue(a.invitationId));
    case 'reinvite':
      return button('Re-invite', PROJECT_ACTIONS.reinvite, invitationValue(a.invitationId));
    case 'request_seat':
      return button('Ask an admin for a seat', PROJECT_ACTIONS.requestSeat, invitationValue(a.invitationId));
    case 'ask_seat':
      return button('Request a seat', PROJECT_ACTIONS.askSeat, 'ask', 'primary');
    case 'return_copy':
      return button('Send my updated copy back', PROJECT_ACTIONS.returnCopy, projectValue(a.projectId));
  }
}

export function diagnosis(d: Diagnosis): Message {
  const blocks: Block[] = statusBlocks(d.status);
  if (d.findings.length) {
    blocks.push(divider(), paragraph([b('What this means')]));
    for (const f of d.findings.slice(0, 15)) blocks.push(paragraph(t`• ${f.text}`, undefined, f.action ? fixButton(f.action) : undefined));
  }
  const n = d.findings.length;
  return message(`Status of ${d.status.self ? 'you' : (d.status.person.displayName ?? 'them')}: ${n === 1 ? '1 thing' : `${n} things`} to know.`, blocks.slice(0, 50));
}

function requestBlocks(r: SupportRequest): Block[] {
  return [
    facts([
      { label: 'Account email', value: [code(r.email)] },
      { label: 'Trying to', value: r.topicLabel },
      { label: 'Seats', value: r.seats.length ? r.seats.join('; ') : 'none' },
      { label: 'Open invitations', value: r.openInvitations.length ? r.openInvitations.join('; ') : 'none' },
    ]),
    quote(r.description),
    ...(r.files.length ? [lines(r.files.map((f) => [link(f.name, f.url)]), { title: [b('Screenshots')], style: 'bullets' })] : []),
  ];
}

export function supportRequestPost(m: Extract<OutboxMessage, { type: 'support_request' }>): Message {
  return message(`Support request from ${m.request.fromName}: ${m.request.topicLabel}`, [
    heading(`Support request: ${m.request.topicLabel}`),
    note(t`From ${b(m.request.fromName)} in ${m.request.platform === 'teams' ? 'Teams' : 'Slack'}`),
    ...requestBlocks(m.request),
  ]);
}

export function supportSent(m: Extract<OutboxMessage, { type: 'support_sent' }>): Message {
  return message('Your support request was sent.', [paragraph('I sent this to support. They will answer you here or by email:', 'white_check_mark'), ...requestBlocks(m.request)]);
}

/** The person's overview: the App Home in Slack, the welcome in a Teams 1:1 chat. */
export function home(h: Home): Message {
  const blocks: Block[] = [heading(`${PRODUCT}: your seats and projects`), ...statusBlocks(h.status)];
  for (const i of h.status.pending.slice(0, 10)) {
    blocks.push(
      paragraph(t`Invitation #${i.invitationId}: a seat in ${b(i.licenseName)} from ${i.inviterName}, open until ${formatDate(i.expiresAt)}`, 'envelope_with_arrow'),
      actions(`home:${i.invitationId}`, button('Accept the seat', ACTIONS.accept, invitationValue(i.invitationId), 'primary'), button('Decline', ACTIONS.decline, invitationValue(i.invitationId))),
    );
  }
  for (const i of h.status.projectInvitations.filter((p) => p.status === 'pending').slice(0, 10)) {
    blocks.push(
      paragraph(t`Invitation #${i.invitationId}: the ${i.edition === 'web' ? 'Web' : 'Desktop'} project ${b(i.projectName)} from ${i.ownerName}`, 'file_folder'),
      actions(`home:${i.invitationId}`, button('Accept', ACTIONS.accept, invitationValue(i.invitationId), 'primary'), button('Decline', ACTIONS.decline, invitationValue(i.invitationId))),
    );
  }
  if (h.admin) {
    const n = h.admin.pendingCount;
    blocks.push(divider(), paragraph(t`${b('For license admins')} · ${n} invitation${n === 1 ? '' : 's'} pending: ${cmd('pending')} lists them with Resend / Revoke / Extend.`));
    const shown = h.admin.licenses.slice(0, 20);
    for (const u of shown) blocks.push(paragraph(t`${b(u.license.name)} · ${usageLine(figuresOf(u))}`, LEVEL_ICON[levelOf(u)]));
    if (h.admin.licenses.length > shown.length) blocks.push(note(t`…and ${h.admin.licenses.length - shown.length} more licenses: ${cmd('licenses')} lists them all.`));
  }
  // a Home view holds at most 100 blocks; the rest is summarised
  const kept = blocks.length > 90 ? [...blocks.slice(0, 89), note(t`More than fits here: ${cmd('status')} and ${cmd('pending')} show everything.`)] : blocks;
  return message('Your seats and projects', kept);
}
