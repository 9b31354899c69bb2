/** Block Kit for project invitations, seat requests and returned copies: pure functions of domain data. */
import type { KnownBlock } from '@slack/types';
import {
  EDITION_MEANS,
  MERGE_STEPS,
  PROJECT_NEEDS_SEAT,
  formatDate,
  type OutboxMessage,
  type ProjectInvitationSnapshot,
} from '../../../domain/index.js';
import { ACTIONS, PROJECT_ACTIONS, accessValue, invitationValue, projectValue, requestValue } from '../../../handlers/slack/action-ids.js';
import { actions, button, context, esc, fields, header, message, section, type SlackMessage } from './blocks.js';

const editionName = (p: ProjectInvitationSnapshot) => (p.edition === 'web' ? 'Web' : 'Desktop');
const quote = (text: string) => text.split('\n').map((l) => `>${esc(l)}`).join('\n');

export function projectInvitationDm(p: ProjectInvitationSnapshot, link: string, resent: boolean): SlackMessage {
  const blocks: KnownBlock[] = [
    header(`${p.ownerName} shares a project with you`),
    section(
      `*${esc(p.inviterName)}* invited you to the ${editionName(p)} project *${esc(p.projectName)}*.` +
        (resent ? '\n_This is a fresh copy of your invitation: the link in any earlier message no longer works._' : ''),
    ),
  ];
  if (p.message) blocks.push(section(quote(p.message)));
  blocks.push(
    fields([
      `:file_folder: *What you get*\n${p.edition === 'web' ? EDITION_MEANS.web : EDITION_MEANS.desktop}`,
      `:no_entry_sign: *What you don't get*\nA license seat. This uses the seat you already hold under ${p.inviteeEmail ? `\`${esc(p.inviteeEmail)}\`` : 'your account email'}.`,
    ]),
    actions(
      `invitation:${p.invitationId}`,
      button('Accept', ACTIONS.accept, invitationValue(p.invitationId), 'primary'),
      button('Decline', ACTIONS.decline, invitationValue(p.invitationId)),
    ),
    context(`:link: <${link}|Your personal invitation page> works only for you and expires on ${formatDate(p.expiresAt)}. Invitation #${p.invitationId}.`),
  );
  return message(`${p.inviterName} shares the ${editionName(p)} project ${p.projectName} with you.`, blocks);
}

/** The invitee's DM after an answer. An accepted Desktop invitation carries the owner's link, for this person only. */
export function projectStateDm(p: ProjectInvitationSnapshot): SlackMessage {
  const proj = `*${esc(p.projectName)}*`;
  switch (p.status) {
    case 'accepted':
      if (p.edition === 'web' && p.handoff === 'handed_over') {
        return message(`${p.ownerName} added you to ${p.projectName} in ATLAS.ti Web: confirm its invitation email.`, [
          header('You were added to a Web project'),
          section(
            `:white_check_mark: ${esc(p.ownerName)} added ${p.inviteeEmail ? `\`${esc(p.inviteeEmail)}\`` : 'you'} to ${proj} in ATLAS.ti Web. ` +
              `ATLAS.ti Web sends you its own invitation email: confirm it, then open the project there. Everyone's changes are saved and synced in real time.`,
          ),
          context(`Invitation #${p.invitationId}.`),
        ]);
      }
      if (p.edition === 'web') {
        return message(`You accepted ${p.projectName}; ${p.ownerName} still has to add you in ATLAS.ti Web.`, [
          header('Accepted: the owner is adding you'),
          section(
            `:hourglass_flowing_sand: Your acceptance of ${proj} is recorded, but ATLAS.ti Web does not know about it yet. ` +
              `${esc(p.ownerName)} adds ${p.inviteeEmail ? `\`${esc(p.inviteeEmail)}\`` : 'you'} in the project's settings; ATLAS.ti Web then emails you an invitation to confirm. I will tell you here when they have.`,
          ),
          context(`Invitation #${p.invitationId}.`),
        ]);
      }
      return message(`Your copy of ${p.projectName} is ready.`, [
        header('Your copy of a Desktop project'),
        section(`:white_check_mark: You accepted ${proj} from ${esc(p.ownerName)}. Here is your link, made for you only:`),
        section(p.desktopLink ? `<${p.desktopLink}>` : '_The link is in your earlier message._'),
        section(`:arrows_counterclockwise: ${EDITION_MEANS.desktop}`),
        actions(`return:${p.projectId}`, button('Send my updated copy back', PROJECT_ACTIONS.returnCopy, projectValue(p.projectId))),
        context(`Or type \`/atlas return-project\`. Invitation #${p.invitationId}.`),
      ]);
    case 'declined':
      return message(`You declined ${p.projectName}.`, [section(`You declined the invitation to ${proj}. ${esc(p.ownerName)} has been told.`)]);
    case 'revoked':
      return message(`The invitation to ${p.projectName} was withdrawn.`, [section(`:wastebasket: The invitation to ${proj} was withdrawn. Its link no longer works.`)]);
    case 'expired':
      return message(`The invitation to ${p.projectName} expired.`, [
        section(`:hourglass: The invitation to ${proj} expired on ${formatDate(p.expiresAt)}. Ask ${esc(p.ownerName)} to share it again.`),
      ]);
    case 'pending':
    case 'waiting_for_seat':
      return message(`Your invitation to ${p.projectName} is waiting for your answer.`, [section(`Your invitation to ${proj} is waiting for your answer.`)]);
  }
}

const OWNER_EVENT: Record<Extract<OutboxMessage, { type: 'project_owner_event' }>['event'], (p: ProjectInvitationSnapshot, detail: string) => string> = {
  accepted: (p) =>
    p.edition === 'web'
      ? p.handoff === 'awaiting'
        ? `:white_check_mark: *${esc(p.inviteeName)}* accepted *${esc(p.projectName)}*.\n:clipboard: *To do:* add \`${esc(p.inviteeEmail ?? '')}\` in ATLAS.ti Web: open *${esc(p.projectName)}*, Project Settings → Add new project member, paste the email exactly, then press Done. They are a member only then.`
        : `:white_check_mark: *${esc(p.inviteeName)}* accepted *${esc(p.projectName)}* and was added in ATLAS.ti Web.`
      : `:white_check_mark: *${esc(p.inviteeName)}* accepted *${esc(p.projectName)}* and has your link. They will send their updated copy back to you to merge.`,
  declined: (p) => `:x: *${esc(p.inviteeName)}* declined your invitation to *${esc(p.projectName)}*.`,
  sent_after_seat: (p) => `:envelope_with_arrow: *${esc(p.inviteeName)}* now holds a seat, so your invitation to *${esc(p.projectName)}* went out to them.`,
  case_mismatch_after_seat: (p, d) =>
    `:warning: *${esc(p.inviteeName)}* took a seat as \`${esc(d)}\`, but you invited \`${esc(p.inviteeEmail)}\` to *${esc(p.projectName)}*. Account emails are case sensitive, so I did not send it. Revoke it (\`/atlas revoke ${p.invitationId}\`) and share again with \`${esc(d)}\`.`,
  seat_request_approved: (p, d) => `:white_check_mark: ${esc(d)} approved a seat for *${esc(p.inviteeName)}*. Once they accept it, your invitation to *${esc(p.projectName)}* goes out by itself.`,
  seat_request_denied: (p, d) => `:no_entry: ${esc(d)} declined to give *${esc(p.inviteeName)}* a seat, so your invitation to *${esc(p.projectName)}* is still waiting. You can withdraw it with \`/atlas revoke ${p.invitationId}\`.`,
};

export function projectOwnerEvent(m: Extract<OutboxMessage, { type: 'project_owner_event' }>): SlackMessage {
  const i = m.invitation;
  const line = OWNER_EVENT[m.event](i, m.detail ?? '');
  const todo =
    m.event === 'accepted' && i.edition === 'web' && i.handoff === 'awaiting' && i.accessId !== undefined
      ? [actions(`member:${i.accessId}`, button('Done: added in ATLAS.ti Web', PROJECT_ACTIONS.memberAdded, accessValue(i.accessId), 'primary'))]
      : [];
  return message(`${i.projectName}: ${m.event.replace(/_/g, ' ')} (${i.inviteeName})`, [section(line), ...todo, context(`Invitation #${i.invitationId}.`)]);
}

export function seatRequestPost(m: Extract<OutboxMessage, { type: 'seat_request' }>): SlackMessage {
  const ask = `:raising_hand: *${esc(m.ownerName)}* wants to share *${esc(m.projectName)}* with *${esc(m.personName)}* (\`${esc(m.email)}\`), who holds no seat. ${esc(PROJECT_NEEDS_SEAT)}`;
  const blocks: KnownBlock[] = [section(ask)];
  if (m.status === 'pending') {
    blocks.push(
      actions(
        `seat_request:${m.requestId}`,
        button('Approve: invite to a seat', PROJECT_ACTIONS.approveSeat, requestValue(m.requestId), 'primary'),
        button('Deny', PROJECT_ACTIONS.denySeat, requestValue(m.requestId), 'danger'),
      ),
    );
  } else {
    blocks.push(context(m.status === 'approved' ? `:white_check_mark: Approved by ${esc(m.decidedBy)}${m.licenseName ? `: invited to *${esc(m.licenseName)}*` : ''}.` : `:no_entry: Denied by ${esc(m.decidedBy)}.`));
  }
  blocks.push(context(`Seat request #${m.requestId}.`));
  return message(`Seat request for ${m.personName} (${m.email}) to open ${m.projectName}`, blocks);
}

export function copyReturned(m: Extract<OutboxMessage, { type: 'copy_returned' }>): SlackMessage {
  const blocks: KnownBlock[] = [
    header('An updated copy came back'),
    section(`:inbox_tray: *${esc(m.fromName)}* sent back their updated copy of *${esc(m.projectName)}*:\n<${m.link}>`),
  ];
  if (m.note) blocks.push(section(quote(m.note)));
  blocks.push(section(`*To merge it into your project*\n${MERGE_STEPS.map((s, i) => `${i + 1}. ${esc(s)}`).join('\n')}`));
  return message(`${m.fromName} sent back an updated copy of ${m.projectName}.`, blocks);
}

export function seatReleased(m: Extract<OutboxMessage, { type: 'seat_released' }>): SlackMessage {
  const blocks: KnownBlock[] = [section(`:information_source: Your ATLAS.ti seat in *${esc(m.licenseName)}* was released by a license admin.`)];
  if (m.projectNames.length) {
    blocks.push(
      section(
        `Your projects are kept: ${m.projectNames.map((n) => `*${esc(n)}*`).join(', ')}. You cannot open them until you hold a seat again; ask a license admin if you still need one.`,
      ),
    );
  }
  return message(`Your ATLAS.ti seat in ${m.licenseName} was released.`, blocks);
}

export function shareAttention(m: Extract<OutboxMessage, { type: 'share_attention' }>): SlackMessage {
  const blocks: KnownBlock[] = [];
  if (m.waiting.length) {
    blocks.push(
      section(
        `:hourglass_flowing_sand: *Waiting for a seat* (${esc(m.projectName)}): ${esc(PROJECT_NEEDS_SEAT)} I kept these invitations and will send each by itself as soon as the person holds a seat:`,
      ),
    );
    for (const w of m.waiting.slice(0, 20)) {
      blocks.push(
        section(`• *${esc(w.name)}* (\`${esc(w.email)}\`) holds no seat. Invitation #${w.invitationId}.`, button('Ask an admin for a seat', PROJECT_ACTIONS.requestSeat, invitationValue(w.invitationId))),
      );
    }
  }
  if (m.mismatches.length) {
    blocks.push(
      section(
        `:warning: *Not sent: the email differs only in letter case.* Account emails are case sensitive, so an invitation to the wrong spelling would never open:\n` +
          m.mismatches.map((x) => `• *${esc(x.name)}*: you typed \`${esc(x.typed)}\`. Did you mean \`${esc(x.onRecord)}\`? Share again with that exact email.`).join('\n'),
      ),
    );
  }
  return message(`Some invitations to ${m.projectName} need your attention.`, blocks);
}
