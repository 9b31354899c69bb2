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
  type Inline,
  type Message,
  type OutboxMessage,
  type SupportRequest,
} from '../../domain/index.js';
import { ACTIONS, PROJECT_ACTIONS, invitationValue, licenseValue, membersValue, projectValue, seatValue } from '../../handlers/slack/action-ids.js';
import { nameAndEmail } from './invitations.js';
import { seatRequestButtons } from './seat-requests.js';
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

/**
 * How much of each list the desk shows: a Slack Home view holds 100 blocks, and a Teams card about
 * 28 KB, so each list shows its first few and says where the rest is.
 */
const DESK = { status: 5, ownRequests: 3, invitations: 3, projects: 3, seatRequests: 3, handoffs: 3, pools: 5, names: 5 } as const;
const more = (n: number, shown: number, where: Inline | string): Block[] => (n > shown ? [note(t`…and ${n - shown} more: ${where}.`)] : []);

/** The person's desk: the App Home in Slack, the welcome (refreshed on demand) in a Teams 1:1 chat. */
export function home(h: Home): Message {
  const blocks: Block[] = [heading(`${PRODUCT}: your seats and projects`), ...statusBlocks(h.status, DESK.status)];
  if (h.canAskSeat) {
    blocks.push(paragraph(t`You hold no ${PRODUCT} seat. A seat lets you use the software (it shares no project): ask the license admins for one.`, 'raising_hand', button('Request a seat', PROJECT_ACTIONS.askSeat, 'ask', 'primary')));
  }
  for (const r of h.ownRequests.slice(0, DESK.ownRequests)) {
    blocks.push(paragraph(t`You asked for a seat in ${b(r.licenseName)} on ${formatDate(r.since)} (request #${r.requestId}): the admins have it, and you will hear their answer in your messages.`, 'hourglass_flowing_sand'));
  }
  const seatInvitations = h.status.pending;
  for (const i of seatInvitations.slice(0, DESK.invitations)) {
    blocks.push(
      paragraph(t`Invitation #${i.invitationId}: a seat in ${b(i.licenseName)} from ${i.inviterName}, open until ${formatDate(i.expiresAt)}`, 'envelope_with_arrow'),
      actions(`home:${i.invitationId}`, button('Accept the seat', ACTIONS.accept, invitationValue(i.invitationId), 'primary'), button('Decline', ACTIONS.decline, invitationValue(i.invitationId))),
    );
  }
  blocks.push(...more(seatInvitations.length, DESK.invitations, t`${cmd('status')} lists them`));
  const projectInvitations = h.status.projectInvitations.filter((p) => p.status === 'pending');
  for (const i of projectInvitations.slice(0, DESK.invitations)) {
    blocks.push(
      paragraph(t`Invitation #${i.invitationId}: the ${i.edition === 'web' ? 'Web' : 'Desktop'} project ${b(i.projectName)} from ${i.ownerName}`, 'file_folder'),
      actions(`home:${i.invitationId}`, button('Accept', ACTIONS.accept, invitationValue(i.invitationId), 'primary'), button('Decline', ACTIONS.decline, invitationValue(i.invitationId))),
    );
  }
  blocks.push(...more(projectInvitations.length, DESK.invitations, t`${cmd('status')} lists them`));
  if (h.projects.length) {
    blocks.push(divider(), paragraph([b('Your projects')], undefined, button('Share a project', PROJECT_ACTIONS.shareProject, 'share')));
    for (const p of h.projects.slice(0, DESK.projects)) {
      const members = p.members.length ? `members: ${p.members.slice(0, DESK.names).join(', ')}${p.members.length > DESK.names ? ` and ${p.members.length - DESK.names} more` : ''}` : 'no members yet';
      const open = p.open.length ? `; open invitations: ${p.open.slice(0, DESK.names).map((o) => `${o.name}${o.waiting ? ' (waiting for a seat)' : ''}`).join(', ')}${p.open.length > DESK.names ? ` and ${p.open.length - DESK.names} more` : ''}` : '';
      blocks.push(paragraph(t`${b(p.name)} (${p.edition === 'web' ? 'Web' : 'Desktop'}) · ${members}${open}`, 'file_folder'));
    }
    blocks.push(...more(h.projects.length, DESK.projects, t`${cmd('status')} lists them all`));
  }
  if (h.admin) blocks.push(...adminDesk(h.admin));
  return message('Your seats and projects', [...blocks, actions('home_refresh', button('Refresh', PROJECT_ACTIONS.homeRefresh, 'home'))]);
}

function adminDesk(a: NonNullable<Home['admin']>): Block[] {
  const n = a.pendingCount;
  const blocks: Block[] = [
    divider(),
    heading('For license admins'),
    paragraph(t`${n} invitation${n === 1 ? '' : 's'} pending.`, 'envelope_with_arrow', n ? button('Show pending', PROJECT_ACTIONS.homePending, 'pending') : undefined),
  ];
  if (a.seatRequests.length) {
    blocks.push(paragraph([b(`Seat requests (${a.seatRequests.length})`)]));
    for (const r of a.seatRequests.slice(0, DESK.seatRequests)) {
      const what =
        r.projectName !== undefined
          ? t`${b(r.ownerName ?? 'An owner')} asks a seat for ${nameAndEmail(r.personName, r.email)}, to share ${b(r.projectName)}`
          : t`${nameAndEmail(r.personName, r.email)} asks for a seat in ${b(r.licenseName ?? 'a license')}${r.why ? `: “${r.why.length > 100 ? `${r.why.slice(0, 100)}…` : r.why}”` : ''}`;
      blocks.push(paragraph(t`${what} (#${r.requestId}, ${formatDate(r.since)})`, 'raising_hand'), seatRequestButtons(r.requestId));
    }
    blocks.push(...more(a.seatRequests.length, DESK.seatRequests, 'each is posted in the admin channel with the same buttons'));
  }
  if (a.handoffs.length) {
    blocks.push(paragraph([b(`To do in the account portal (${a.handoffs.length})`)]));
    for (const h of a.handoffs.slice(0, DESK.handoffs)) {
      blocks.push(
        paragraph(t`Add ${h.email ? code(h.email) : h.name} (${h.name}) to ${b(h.licenseName)}, then press Done: they hear their seat is ready only then.`, 'clipboard', button('Done: added', PROJECT_ACTIONS.handoffDone, seatValue(h.seatId), 'primary')),
      );
    }
    blocks.push(...more(a.handoffs.length, DESK.handoffs, t`${cmd('pending')} lists them all, with Done`));
  }
  const shown = a.licenses.slice(0, DESK.pools);
  if (shown.length) blocks.push(paragraph([b('Licenses')]));
  for (const u of shown) {
    blocks.push(
      paragraph(t`${b(u.license.name)} · ${usageLine(figuresOf(u))}`, LEVEL_ICON[levelOf(u)]),
      actions(`pool:${u.license.id}`, button('Members', PROJECT_ACTIONS.membersPage, membersValue(u.license.id, 0, '')), button('Export members (CSV)', PROJECT_ACTIONS.exportMembers, licenseValue(u.license.id))),
    );
  }
  blocks.push(...more(a.licenses.length, shown.length, t`${cmd('licenses')} lists them all; ${cmd('seats "<license>"')} and ${cmd('export members "<license>"')} work for any`));
  return blocks;
}
