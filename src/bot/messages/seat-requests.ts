/** Seat requests, as the message model: the admins' post with Approve / Deny, and the answer to whoever asked. */
import {
  PRODUCT,
  PROJECT_NEEDS_SEAT,
  SEAT_DOES_NOT_GIVE,
  actions,
  b,
  button,
  cmd,
  code,
  formatDate,
  message,
  note,
  paragraph,
  t,
  type Block,
  type Message,
  type OutboxMessage,
  type SeatAsk,
} from '../../domain/index.js';
import { ACTIONS, PROJECT_ACTIONS, invitationValue, requestValue } from '../../handlers/slack/action-ids.js';
import { nameAndEmail } from './invitations.js';
import { quote } from './projects.js';

type SeatRequestPost = Extract<OutboxMessage, { type: 'seat_request' }>;

/** Approve / Deny for one open request (Deny asks for a reason first). */
export const seatRequestButtons = (requestId: number): Block =>
  actions(
    `seat_request:${requestId}`,
    button('Approve: invite to a seat', PROJECT_ACTIONS.approveSeat, requestValue(requestId), 'primary'),
    button('Deny…', PROJECT_ACTIONS.denySeat, requestValue(requestId), 'danger'),
  );

function decision(m: SeatRequestPost): Block {
  switch (m.status) {
    case 'approved':
      return m.decidedBy
        ? note(t`Approved by ${m.decidedBy}${m.licenseName ? t`: invited to a seat in ${b(m.licenseName)}` : ''}.`, 'white_check_mark')
        : note(t`Approved automatically (SEAT_REQUEST_APPROVAL=auto: the email's domain is allowed and the pool had room)${m.licenseName ? t`: invited to a seat in ${b(m.licenseName)}` : ''}.`, 'white_check_mark');
    case 'denied':
      return note(t`Denied by ${m.decidedBy ?? ''}${m.note ? `: “${m.note}”` : ''}.`, 'no_entry');
    case 'closed':
      return note(`No longer needed: ${m.reason ?? 'its project invitation is closed'}.`, 'heavy_minus_sign');
    case 'pending':
      return seatRequestButtons(m.requestId);
  }
}

export function seatRequestPost(m: SeatRequestPost): Message {
  const blocks: Block[] = [];
  if (m.projectName !== undefined) {
    blocks.push(paragraph(t`${b(m.ownerName ?? 'A project owner')} wants to share ${b(m.projectName)} with ${nameAndEmail(m.personName, m.email)}, who holds no seat. ${PROJECT_NEEDS_SEAT}`, 'raising_hand'));
  } else {
    blocks.push(paragraph(t`${nameAndEmail(m.personName, m.email)} asks for a seat in ${b(m.licenseName ?? 'a license')}. A seat lets them use ${PRODUCT}; it shares no project.`, 'raising_hand'));
    if (m.why) blocks.push(quote(m.why));
    if (m.outsideDomains) blocks.push(note(t`The email's domain is not one of SEAT_REQUEST_DOMAINS: check that this is someone of yours before approving.`, 'warning'));
    if (m.chatEmail !== undefined) {
      blocks.push(note(m.chatEmail === 'none' ? t`Chat reports no email for ${m.personName}: check that ${m.email} is theirs before approving.` : t`Chat reports ${code(m.chatEmail)} for ${m.personName}, not ${code(m.email)}: check that the address asked for is theirs before approving.`, 'warning'));
    }
  }
  blocks.push(decision(m), note(`Seat request #${m.requestId}.`));
  const about = m.projectName !== undefined ? `to open ${m.projectName}` : `in ${m.licenseName ?? 'a license'}`;
  return message(`Seat request for ${m.personName} (${m.email}) ${about}`, blocks);
}

/** To the person who asked: a no (with the admin's reason), or a yes they did not need. */
export function seatRequestAnswer(m: Extract<OutboxMessage, { type: 'seat_request_answer' }>): Message {
  if (m.status === 'closed') {
    return message(`Your request for a seat in ${m.licenseName} was closed: ${m.note ?? 'it is no longer needed'}.`, [
      paragraph(t`Your request for a seat in ${b(m.licenseName)} was closed: ${m.note ?? 'it is no longer needed'}. You hold no seat in it; ${cmd('request-seat')} asks for one in another license.`, 'heavy_minus_sign'),
      note(`Seat request #${m.requestId}.`),
    ]);
  }
  if (m.status === 'denied') {
    return message(`Your request for a seat in ${m.licenseName} was declined by ${m.decidedBy}.`, [
      paragraph(t`${b(m.decidedBy)} declined your request for a seat in ${b(m.licenseName)}${m.note ? ':' : '.'}`, 'no_entry'),
      ...(m.note ? [quote(m.note)] : []),
      paragraph(t`You hold no seat in ${b(m.licenseName)}, so you cannot use ${PRODUCT} under it. Ask ${m.decidedBy} if you think this is a mistake; ${cmd('request-seat')} asks again.`),
      note(`Seat request #${m.requestId}.`),
    ]);
  }
  const words =
    m.already === 'holds'
      ? t`${b(m.decidedBy)} approved your request for a seat in ${b(m.licenseName)}, and you hold one there already: nothing changed.`
      : t`${b(m.decidedBy)} approved your request for a seat in ${b(m.licenseName)}. You already have an open invitation to it: accept that one (${cmd('status')} shows it).`;
  return message(`Your request for a seat in ${m.licenseName} was approved.`, [paragraph(words, 'white_check_mark'), paragraph(SEAT_DOES_NOT_GIVE), note(`Seat request #${m.requestId}.`)]);
}

/** The answer to `request-seat` (or its form), for the person asking. */
export function seatAskResult(r: SeatAsk): Message {
  switch (r.outcome) {
    case 'asked': {
      const why = {
        manual: 'A license admin decides',
        domain: "Your email's domain is not one the bot approves by itself, so a license admin decides",
        other_email: 'That is not the email chat has for you, so a license admin decides',
        full: `${r.licenseName} has no free seat right now, so a license admin decides`,
      }[r.because];
      const where = r.toChannel ? 'They have it in their channel' : 'They see it on their desk in this app';
      return message(`Asked for a seat in ${r.licenseName} (request #${r.request.id}).`, [
        paragraph(t`Asked the license admins for a seat in ${b(r.licenseName)} for ${b(r.request.email)} (request #${r.request.id}).`, 'raising_hand'),
        paragraph(t`${why}. ${where}; you will hear their answer here. Until then you hold no seat.`),
      ]);
    }
    case 'already_asked':
      return message(`You already asked for a seat in ${r.licenseName}.`, [
        paragraph(t`You already asked for a seat in ${b(r.licenseName)} on ${formatDate(r.request.createdAt)} (request #${r.request.id}); the admins have it. You will hear their answer here.`, 'hourglass_flowing_sand'),
      ]);
    case 'approved':
      return message(`Approved: your invitation to a seat in ${r.licenseName} is in your messages.`, [
        paragraph(t`Approved at once: your invitation to a seat in ${b(r.licenseName)} is in your messages with me (invitation #${r.invitationId}). Accept it there; you hold the seat only then.`, 'white_check_mark'),
      ]);
    case 'already_holds_seat':
      return message(`You hold a seat in ${r.licenseName} already.`, [paragraph(t`You hold a seat in ${b(r.licenseName)} already, so there is nothing to ask. ${cmd('status')} shows your seats and projects.`, 'white_check_mark')]);
    case 'already_invited':
      return message(`You have an open invitation to ${r.licenseName}.`, [
        paragraph(t`You have an open invitation to a seat in ${b(r.licenseName)} (invitation #${r.invitationId}, until ${formatDate(r.expiresAt)}): accept it instead of asking.`, 'envelope_with_arrow'),
        actions(`ask:${r.invitationId}`, button('Accept the seat', ACTIONS.accept, invitationValue(r.invitationId), 'primary')),
      ]);
  }
}
