/** Project invitations, seat requests and returned copies, as the message model: pure functions of domain data. */
import {
  EDITION_MEANS,
  MERGE_STEPS,
  PROJECT_NEEDS_SEAT,
  actions,
  b,
  button,
  cmd,
  code,
  columns,
  em,
  formatDate,
  heading,
  icon,
  joined,
  lines,
  link,
  message,
  note,
  paragraph,
  t,
  type Block,
  type Message,
  type OutboxMessage,
  type ProjectInvitationSnapshot,
} from '../../domain/index.js';
import { ACTIONS, PROJECT_ACTIONS, accessValue, invitationValue, projectValue } from '../../handlers/slack/action-ids.js';
import { STATUS_ICON, emailCode, nameAndEmail, nowLine, revokeButton, supersededDm } from './invitations.js';

const editionName = (p: ProjectInvitationSnapshot) => (p.edition === 'web' ? 'Web' : 'Desktop');
/** a person's own words, line by line, shown as theirs */
export const quote = (text: string): Block => lines(text.split('\n'), { style: 'quote' });

export function projectInvitationDm(p: ProjectInvitationSnapshot, personalLink: string, resent: boolean): Message {
  const blocks: Block[] = [
    heading(`${p.ownerName} shares a project with you`),
    lines([
      t`${b(p.inviterName)} invited you to the ${editionName(p)} project ${b(p.projectName)}.`,
      ...(resent ? [[em('This is a fresh copy of your invitation: the link in any earlier message no longer works.')]] : []),
    ]),
  ];
  if (p.message) blocks.push(quote(p.message));
  blocks.push(
    columns([
      { icon: 'file_folder', title: 'What you get', text: p.edition === 'web' ? EDITION_MEANS.web : EDITION_MEANS.desktop },
      { icon: 'no_entry_sign', title: "What you don't get", text: t`A license seat. This uses the seat you already hold under ${emailCode(p.inviteeEmail)}.` },
    ]),
    actions(
      `invitation:${p.invitationId}`,
      button('Accept', ACTIONS.accept, invitationValue(p.invitationId), 'primary'),
      button('Decline', ACTIONS.decline, invitationValue(p.invitationId)),
    ),
    note(t`${link('Your personal invitation page', personalLink)} works only for you and expires on ${formatDate(p.expiresAt)}. Invitation #${p.invitationId}.`),
  );
  return message(`${p.inviterName} shares the ${editionName(p)} project ${p.projectName} with you.`, blocks);
}

/** The invitee's DM after an answer. An accepted Desktop invitation carries the owner's link, for this person only. */
export function projectStateDm(p: ProjectInvitationSnapshot, superseded = false): Message {
  if (superseded) return supersededDm(p);
  const proj = b(p.projectName);
  const you = p.inviteeEmail ? [code(p.inviteeEmail)] : 'you';
  switch (p.status) {
    case 'accepted':
      if (p.edition === 'web' && p.handoff === 'handed_over') {
        return message(`${p.ownerName} added you to ${p.projectName} in ATLAS.ti Web: confirm its invitation email.`, [
          heading('You were added to a Web project'),
          paragraph(
            t`${p.ownerName} added ${you} to ${proj} in ATLAS.ti Web. ATLAS.ti Web sends you its own invitation email: confirm it, then open the project there. Everyone's changes are saved and synced in real time.`,
            'white_check_mark',
          ),
          note(`Invitation #${p.invitationId}.`),
        ]);
      }
      if (p.edition === 'web') {
        return message(`You accepted ${p.projectName}; ${p.ownerName} still has to add you in ATLAS.ti Web.`, [
          heading('Accepted: the owner is adding you'),
          paragraph(
            t`Your acceptance of ${proj} is recorded, but ATLAS.ti Web does not know about it yet. ${p.ownerName} adds ${you} in the project's settings; ATLAS.ti Web then emails you an invitation to confirm. I will tell you here when they have.`,
            'hourglass_flowing_sand',
          ),
          note(`Invitation #${p.invitationId}.`),
        ]);
      }
      return message(`Your copy of ${p.projectName} is ready.`, [
        heading('Your copy of a Desktop project'),
        paragraph(t`You accepted ${proj} from ${p.ownerName}. Here is your link, made for you only:`, 'white_check_mark'),
        paragraph(p.desktopLink ? [link(p.desktopLink, p.desktopLink)] : [em('The link is in your earlier message.')]),
        paragraph(EDITION_MEANS.desktop, 'arrows_counterclockwise'),
        actions(`return:${p.projectId}`, button('Send my updated copy back', PROJECT_ACTIONS.returnCopy, projectValue(p.projectId))),
        note(t`Or type ${cmd('return-project')}. Invitation #${p.invitationId}.`),
      ]);
    case 'declined':
      return message(`You declined ${p.projectName}.`, [paragraph(t`You declined the invitation to ${proj}. ${p.ownerName} has been told.`)]);
    case 'revoked':
      return message(`The invitation to ${p.projectName} was withdrawn.`, [paragraph(t`The invitation to ${proj} was withdrawn. Its link no longer works.`, 'wastebasket')]);
    case 'expired':
      return message(`The invitation to ${p.projectName} expired.`, [
        paragraph(t`The invitation to ${proj} expired on ${formatDate(p.expiresAt)}. Ask ${p.ownerName} to share it again.`, 'hourglass'),
      ]);
    case 'pending':
    case 'waiting_for_seat':
      return message(`Your invitation to ${p.projectName} is waiting for your answer.`, [
        paragraph(t`${b(p.inviterName)} invited you to the ${editionName(p)} project ${proj}, and it is waiting for your answer.`, 'envelope_with_arrow'),
        actions(
          `invitation:${p.invitationId}`,
          button('Accept', ACTIONS.accept, invitationValue(p.invitationId), 'primary'),
          button('Decline', ACTIONS.decline, invitationValue(p.invitationId)),
        ),
        note(`It expires on ${formatDate(p.expiresAt)}; your personal invitation page works until then. Invitation #${p.invitationId}.`),
      ]);
  }
}

type OwnerEvent = Extract<OutboxMessage, { type: 'project_owner_event' }>;

const OWNER_EVENT: Record<OwnerEvent['event'], (p: ProjectInvitationSnapshot, detail: string) => Block> = {
  accepted: (p) =>
    p.edition === 'web'
      ? p.handoff === 'awaiting'
        ? lines(
            [
              t`${b(p.inviteeName)} accepted ${b(p.projectName)}.`,
              t`${icon('clipboard')} ${b('To do:')} add ${code(p.inviteeEmail ?? '')} in ATLAS.ti Web: open ${b(p.projectName)}, Project Settings → Add new project member, paste the email exactly, then press Done. They are a member only then.`,
            ],
            { icon: 'white_check_mark' },
          )
        : paragraph(t`${b(p.inviteeName)} accepted ${b(p.projectName)} and was added in ATLAS.ti Web.`, 'white_check_mark')
      : paragraph(t`${b(p.inviteeName)} accepted ${b(p.projectName)} and has your link. They will send their updated copy back to you to merge.`, 'white_check_mark'),
  declined: (p) => paragraph(t`${b(p.inviteeName)} declined your invitation to ${b(p.projectName)}.`, 'x'),
  sent_after_seat: (p) => paragraph(t`${b(p.inviteeName)} now holds a seat, so your invitation to ${b(p.projectName)} went out to them.`, 'envelope_with_arrow'),
  case_mismatch_after_seat: (p, d) =>
    paragraph(
      t`${b(p.inviteeName)} took a seat as ${code(d)}, but you invited ${code(p.inviteeEmail ?? '')} to ${b(p.projectName)}. Account emails are case sensitive, so I did not send it. Withdraw it and share again with ${code(d)}: the two buttons below.`,
      'warning',
    ),
  seat_request_approved: (p, d) => paragraph(t`${d} approved a seat for ${b(p.inviteeName)}. Once they accept it, your invitation to ${b(p.projectName)} goes out by itself.`, 'white_check_mark'),
  seat_request_denied: (p, d) =>
    paragraph(t`${d} declined to give ${b(p.inviteeName)} a seat, so your invitation to ${b(p.projectName)} is still waiting. You can withdraw it with ${cmd(`revoke ${p.invitationId}`)}.`, 'no_entry'),
};

/** the state each event leaves the invitation in; a later one is said under it */
const OWNER_EVENT_STATUS: Record<OwnerEvent['event'], ProjectInvitationSnapshot['status']> = {
  accepted: 'accepted',
  declined: 'declined',
  sent_after_seat: 'pending',
  case_mismatch_after_seat: 'waiting_for_seat',
  seat_request_approved: 'waiting_for_seat',
  seat_request_denied: 'waiting_for_seat',
};

export function projectOwnerEvent(m: OwnerEvent): Message {
  const i = m.invitation;
  const todo =
    m.event === 'accepted' && i.edition === 'web' && i.handoff === 'awaiting' && i.accessId !== undefined
      ? [actions(`member:${i.accessId}`, button('Done: added in ATLAS.ti Web', PROJECT_ACTIONS.memberAdded, accessValue(i.accessId), 'primary'))]
      : [];
  const later = OWNER_EVENT_STATUS[m.event] !== i.status ? [nowLine(i)] : [];
  // a wrong spelling can only be fixed by sharing again: both steps are a button while it still waits
  if (m.event === 'case_mismatch_after_seat' && i.status === 'waiting_for_seat') {
    todo.push(
      actions(
        `mismatch:${i.invitationId}`,
        revokeButton(i.invitationId, i.inviteeName, { kind: 'project', what: t`the project ${b(i.projectName)}`, waiting: true }),
        button('Share again', PROJECT_ACTIONS.shareProject, projectValue(i.projectId), 'primary'),
      ),
    );
  }
  const done = m.event === 'accepted' && i.edition === 'web' && i.handoff === 'handed_over' ? [note('Done: added in ATLAS.ti Web.', 'white_check_mark')] : [];
  return message(`${i.projectName}: ${m.event.replace(/_/g, ' ')} (${i.inviteeName})`, [OWNER_EVENT[m.event](i, m.detail ?? ''), ...later, ...done, ...todo, note(`Invitation #${i.invitationId}.`)]);
}

export function copyReturned(m: Extract<OutboxMessage, { type: 'copy_returned' }>): Message {
  const blocks: Block[] = [
    heading('An updated copy came back'),
    lines([t`${b(m.fromName)} sent back their updated copy of ${b(m.projectName)}:`, [link(m.link, m.link)]], { icon: 'inbox_tray' }),
  ];
  if (m.note) blocks.push(quote(m.note));
  blocks.push(lines(MERGE_STEPS, { title: [b('To merge it into your project')], style: 'numbers' }));
  return message(`${m.fromName} sent back an updated copy of ${m.projectName}.`, blocks);
}

export function seatReleased(m: Extract<OutboxMessage, { type: 'seat_released' }>): Message {
  const blocks: Block[] = [paragraph(t`Your ATLAS.ti seat in ${b(m.licenseName)} was released by a license admin.`, 'information_source')];
  if (m.projectNames.length) {
    blocks.push(
      paragraph(
        t`Your projects are kept: ${joined(m.projectNames.map((n) => b(n)))}. You cannot open them until you hold a seat again; ask a license admin if you still need one.`,
      ),
    );
  }
  return message(`Your ATLAS.ti seat in ${m.licenseName} was released.`, blocks);
}

export function shareAttention(m: Extract<OutboxMessage, { type: 'share_attention' }>): Message {
  const blocks: Block[] = [];
  if (m.waiting.length) {
    blocks.push(
      paragraph(
        t`${b('Waiting for a seat')} (${m.projectName}): ${PROJECT_NEEDS_SEAT} I kept these invitations and will send each by itself as soon as the person holds a seat:`,
        'hourglass_flowing_sand',
      ),
    );
    for (const w of m.waiting.slice(0, 20)) {
      const status = w.status ?? 'waiting_for_seat';
      if (status !== 'waiting_for_seat') {
        const became = { pending: 'now holds a seat: the invitation went out', accepted: 'accepted', declined: 'declined', revoked: 'withdrawn', expired: 'expired unanswered', waiting_for_seat: '' }[status];
        blocks.push(paragraph(t`• ${nameAndEmail(w.name, w.email)}: ${became}. Invitation #${w.invitationId}.`, STATUS_ICON[status]));
      } else if (w.seatRequestId !== undefined) {
        blocks.push(paragraph(t`• ${nameAndEmail(w.name, w.email)} holds no seat; you asked the admins (seat request #${w.seatRequestId}). Invitation #${w.invitationId}.`));
      } else {
        blocks.push(
          paragraph(t`• ${nameAndEmail(w.name, w.email)} holds no seat. Invitation #${w.invitationId}.`, undefined, button('Ask an admin for a seat', PROJECT_ACTIONS.requestSeat, invitationValue(w.invitationId))),
        );
      }
    }
  }
  if (m.mismatches.length) {
    blocks.push(
      lines(
        m.mismatches.map((x) => t`${b(x.name)}: you typed ${code(x.typed)}. Did you mean ${code(x.onRecord)}? Share again with that exact email.`),
        {
          icon: 'warning',
          title: t`${b('Not sent: the email differs only in letter case.')} Account emails are case sensitive, so an invitation to the wrong spelling would never open:`,
          style: 'bullets',
        },
      ),
    );
  }
  return message(`Some invitations to ${m.projectName} need your attention.`, blocks);
}
