/** Answers about sharing projects and seat requests, as the message model. */
import { CHAT, b, code, formatDate, lines, message, nameOf, note, paragraph, t, type Block, type Icon, type Inline, type Message, type SeatDecision, type ShareOutcome, type ShareResult } from '../../domain/index.js';

function shareLine(o: ShareOutcome): { icon: Icon; text: Inline } {
  const who = b(nameOf(o.invitee));
  switch (o.status) {
    case 'invited':
      return o.reachable
        ? { icon: 'envelope_with_arrow', text: t`${who}: invited (#${o.invitationId}).` }
        : { icon: 'incoming_envelope', text: t`${who}: invited (#${o.invitationId}); not reachable in chat, so I sent you their link to forward.` };
    case 'waiting_for_seat':
      return { icon: 'hourglass_flowing_sand', text: t`${who}: holds no seat under ${code(o.email)}. The invitation waits and goes out by itself once they hold one (#${o.invitationId}); I sent you a button to ask an admin.` };
    case 'email_case_mismatch':
      return { icon: 'warning', text: t`${who}: not sent. You typed ${code(o.typed)}; did you mean ${code(o.onRecord)}? Account emails are case sensitive.` };
    case 'already_pending':
      return { icon: 'hourglass', text: t`${who}: already invited on ${formatDate(o.since)} (#${o.invitationId}).` };
    case 'already_has_access':
      return { icon: 'ballot_box_with_check', text: t`${who}: already has this project.` };
    case 'is_owner':
      return { icon: 'bust_in_silhouette', text: t`${who}: owns this project.` };
    case 'no_email':
      return { icon: 'grey_question', text: t`${who}: ${CHAT} did not tell me their email; share with their account email instead.` };
  }
}

export function shareResult(r: ShareResult): Message {
  const sent = r.outcomes.filter((o) => o.status === 'invited').length;
  const blocks: Block[] = [paragraph(t`${b(r.project.name)} (${r.project.edition === 'web' ? 'Web' : 'Desktop'}): ${sent} of ${r.outcomes.length} invited.`)];
  for (const o of r.outcomes.slice(0, 40)) {
    const l = shareLine(o);
    blocks.push(paragraph(l.text, l.icon));
  }
  if (r.outcomes.length > 40) blocks.push(lines([`…and ${r.outcomes.length - 40} more.`]));
  blocks.push(note('A project invitation gives no seat. You will hear when each person accepts or declines.'));
  return message(`${sent} of ${r.outcomes.length} invited to ${r.project.name}.`, blocks);
}

export function seatDecision(d: SeatDecision): Message {
  // a person's own request: they are told; a project owner's: the owner is
  const own = d.request.projectInvitationId === null;
  const told = own ? 'They have been told.' : 'The owner has been told.';
  switch (d.outcome) {
    case 'approved': {
      const what =
        d.invite.status === 'already_holds_seat'
          ? own
            ? 'they already hold a seat there, so nothing was sent'
            : 'they already hold a seat, so the project invitation went out'
          : d.invite.status === 'already_pending'
            ? t`they already had an open invitation to ${b(d.licenseName)}`
            : t`invited to ${b(d.licenseName)}`;
      return message('Approved.', [paragraph(t`Approved seat request #${d.request.id}: ${what}. ${told}`, 'white_check_mark')]);
    }
    case 'denied':
      return message('Denied.', [paragraph(`Denied seat request #${d.request.id}${d.request.decisionNote ? `: “${d.request.decisionNote}”` : ''}. ${told}`, 'no_entry')]);
    case 'not_approved':
      return message('Not approved.', [
        d.invite.status === 'no_free_seat'
          ? paragraph(t`${b(d.licenseName)} is full, so nothing was sent and the request stays open. Free a seat or pick another license, then approve again.`, 'no_entry')
          : paragraph(`Nothing was sent (${d.invite.status.replace(/_/g, ' ')}); the request stays open.`, 'information_source'),
      ]);
  }
}
