/** Reminders, expiry notices, the admins' digest and bulk progress, as the message model: pure functions of domain data. */
import {
  EDITION_MEANS,
  HOW_TO_GET_PROJECT,
  PRODUCT,
  PROJECT_NEEDS_SEAT,
  SEAT_DOES_NOT_GIVE,
  actions,
  ago,
  b,
  button,
  cmd,
  code,
  divider,
  formatDate,
  heading,
  icon,
  levelNote,
  lines,
  message,
  note,
  paragraph,
  t,
  usageLine,
  words,
  STATUS_LABEL,
  WORKSPACE,
  expiredItems,
  plain,
  type AnyInvitationSnapshot,
  type Block,
  type BulkProgress,
  type DigestEntry,
  type DigestPage,
  type Message,
  type OutboxMessage,
} from '../../domain/index.js';
import { ACTIONS, PROJECT_ACTIONS, invitationValue, seatsValue } from '../../handlers/slack/action-ids.js';
import { STATUS_ICON, answeredLine, invitedTo, nameAndEmail, revokeButton } from './invitations.js';
import { LEVEL_ICON } from './words.js';

export function reminderDm(m: Extract<OutboxMessage, { type: 'reminder' }>): Message {
  const i = m.invitation;
  const count = `Reminder ${m.number} of ${m.max}`;
  if (i.status !== 'pending') {
    // answered (or over) since: the reminder says so and offers nothing to press
    return message(`Reminder about your invitation to ${i.kind === 'license' ? i.licenseName : i.projectName}: ${plain(answeredLine(i))}`, [
      paragraph(t`Reminder about your invitation to ${invitedTo(i)}: ${answeredLine(i)}`, STATUS_ICON[i.status]),
      note(`${count} · invitation #${i.invitationId}. Nothing to do here.`),
    ]);
  }
  const answer = actions(
    `reminder:${i.invitationId}:${m.number}`,
    button(i.kind === 'license' ? 'Accept the seat' : 'Accept', ACTIONS.accept, invitationValue(i.invitationId), 'primary'),
    button('Decline', ACTIONS.decline, invitationValue(i.invitationId)),
  );
  const expires = note(`${count} · the invitation expires on ${formatDate(i.expiresAt)} · invitation #${i.invitationId}. Your personal link is in the first message about it.`);
  const email = i.inviteeEmail ? [code(i.inviteeEmail)] : 'your account email';
  if (i.kind === 'license') {
    return message(`Reminder: ${i.inviterName} invited you to an ${PRODUCT} seat in ${i.licenseName}.`, [
      paragraph(t`${b(i.inviterName)} invited you to an ${PRODUCT} license seat in ${b(i.licenseName)}, and it is still waiting for your answer.`, 'bell'),
      lines([t`Accepting gives you the software under ${email}. ${SEAT_DOES_NOT_GIVE}`, HOW_TO_GET_PROJECT]),
      answer,
      expires,
    ]);
  }
  const seatLine = m.holdsSeat
    ? paragraph(t`You hold a seat under ${email}, so you can open the project as soon as you accept.`, 'white_check_mark')
    : paragraph(t`You hold no seat under ${email} right now. ${PROJECT_NEEDS_SEAT} Ask a license admin for a seat, then accept.`, 'warning');
  return message(`Reminder: ${i.ownerName} shares ${i.projectName} with you.`, [
    paragraph(t`${b(i.ownerName)} shares the ${i.edition === 'web' ? 'Web' : 'Desktop'} project ${b(i.projectName)} with you, and it is still waiting for your answer.`, 'bell'),
    seatLine,
    paragraph(i.edition === 'web' ? EDITION_MEANS.web : t`${EDITION_MEANS.desktop} After you accept, use ${cmd('return-project')} to send your updated copy back.`),
    answer,
    expires,
  ]);
}

/** How many expired invitations one notice lists with their buttons (a chat message holds 50 blocks). */
const EXPIRED_WITH_BUTTONS = 20;

const FOLLOW_UP: Record<'reinvited' | 'dropped', (f: { by: string; invitationId?: number }) => string> = {
  reinvited: (f) => `Re-invited by ${f.by}${f.invitationId !== undefined ? ` (invitation #${f.invitationId})` : ''}.`,
  dropped: (f) => `Dropped by ${f.by}: it stays expired.`,
};

export function expiredNotice(m: Extract<OutboxMessage, { type: 'expired_notice' }>): Message {
  const items = expiredItems(m);
  const expiredLine = (i: AnyInvitationSnapshot) => t`${nameAndEmail(i.inviteeName, i.inviteeEmail)} to ${invitedTo(i)}, expired on ${formatDate(i.expiresAt)}. Invitation #${i.invitationId}.`;
  const licenses = items.filter((e) => e.invitation.kind === 'license').length;
  const freed = licenses === 0 ? '' : items.length === 1 ? ' The seat it held is free again.' : licenses === 1 ? ' The seat one of them held is free again.' : ' The seats they held are free again.';
  const single = items.length === 1 ? items[0]!.invitation : undefined;
  const blocks: Block[] = [
    paragraph(
      single
        ? t`Your invitation of ${b(single.inviteeName)} to ${invitedTo(single)} expired on ${formatDate(single.expiresAt)} without an answer; its link no longer works.${freed}`
        : t`${b(`${items.length} of your invitations expired`)} without an answer; their links no longer work.${freed} Re-invite whoever still needs it:`,
      'hourglass',
    ),
  ];
  items.forEach((e, n) => {
    const i = e.invitation;
    if (e.followUp) blocks.push(paragraph(single ? FOLLOW_UP[e.followUp.action](e.followUp) : t`${expiredLine(i)} ${FOLLOW_UP[e.followUp.action](e.followUp)}`, e.followUp.action === 'reinvited' ? 'repeat' : 'white_check_mark'));
    else if (n < EXPIRED_WITH_BUTTONS) {
      if (!single) blocks.push(paragraph(expiredLine(i)));
      blocks.push(
        actions(
          `expired:${i.invitationId}`,
          button('Re-invite', PROJECT_ACTIONS.reinvite, invitationValue(i.invitationId), 'primary'),
          button('Drop', PROJECT_ACTIONS.drop, invitationValue(i.invitationId)),
        ),
      );
    }
  });
  const rest = items.slice(EXPIRED_WITH_BUTTONS).filter((e) => !e.followUp);
  if (rest.length) {
    blocks.push(lines(rest.map((e) => expiredLine(e.invitation)), { style: 'bullets' }), note(t`Re-invite any of these ${rest.length} with ${cmd('invite-license')} or ${cmd('share-project')}.`));
  }
  if (single) blocks.push(note(`Invitation #${single.invitationId}.`));
  return message(items.length === 1 ? `Your invitation of ${items[0]!.invitation.inviteeName} expired unanswered.` : `${items.length} of your invitations expired unanswered.`, blocks);
}

function entryBlocks(e: DigestEntry, page: DigestPage, now: number): Block[] {
  switch (e.kind) {
    case 'title':
      return [
        heading('Pending invitations'),
        note(
          `${e.pendingCount} pending · ${e.waitingCount} waiting for a seat · ${e.undeliverableCount} could not be reached · ${formatDate(e.now)}${page.pages > 1 ? ` · page ${page.page} of ${page.pages}` : ''}`,
        ),
      ];
    case 'license': {
      const level = levelNote(e, e.level);
      return [divider(), paragraph(t`${b(e.name)} · ${usageLine(e)}${level ? t` · ${b(level)}` : ''}`, LEVEL_ICON[e.level])];
    }
    case 'project':
      return [divider(), paragraph(t`${b(e.name)} (${e.edition === 'web' ? 'Web' : 'Desktop'} project of ${e.ownerName})`, 'file_folder')];
    case 'heading':
      return [
        divider(),
        e.text === 'waiting_for_seat'
          ? paragraph(t`${b('Project invitations waiting for a seat')} (they go out by themselves once the person holds one)`, 'hourglass_flowing_sand')
          : paragraph(t`${b('Could not be reached')} (they left ${WORKSPACE} or were deactivated): forward their link another way, or revoke`, 'no_entry'),
      ];
    case 'more':
      return [note(`…and ${e.count} more in ${e.of}.`)];
    case 'handoffs': {
      const n = e.people.length + e.more;
      return [
        divider(),
        paragraph(
          t`${b(`To do: add ${n} ${n === 1 ? 'person' : 'people'} to ${e.licenseName} in the ${PRODUCT} account portal.`)} They accepted, and hear their seat is ready only once you press Done. The exact emails, to copy:`,
          'clipboard',
        ),
        lines(e.people.map((p) => p.email ?? '?'), { style: 'code' }),
        ...(e.more ? [note(`…and ${e.more} more: the next digest lists them.`)] : []),
        actions(`handoffs:${e.people[0]?.seatId ?? 0}`, button(`Done: all ${e.people.length} added`, PROJECT_ACTIONS.handoffDoneAll, seatsValue(e.people.map((p) => p.seatId)), 'primary')),
      ];
    }
    case 'item': {
      const i = e.item;
      const line = words(
        b(`#${i.invitationId}`),
        ' ',
        nameAndEmail(i.inviteeName, i.inviteeEmail),
        ` · sent ${ago(i.sentAt, now)} by ${i.inviterName}`,
        ` · ${i.remindersSent === 1 ? '1 reminder' : `${i.remindersSent} reminders`} · expires ${formatDate(i.expiresAt)}`,
        i.deliveryProblem && t` · ${icon('no_entry')} unreachable (${code(i.deliveryProblem)})`,
      );
      if (i.status) return [paragraph(words(line, ` · now: ${STATUS_LABEL[i.status].toLowerCase()}`), STATUS_ICON[i.status])];
      if (!i.actionable) return [paragraph(line)];
      if (i.waiting) {
        // never sent, so nothing to resend: it waits longer, or is withdrawn
        return [paragraph(line), actions(`digest:${i.invitationId}`, button('Extend', PROJECT_ACTIONS.extend, invitationValue(i.invitationId)), revokeButton(i.invitationId, i.inviteeName, { waiting: true }))];
      }
      return [
        paragraph(line),
        actions(
          `digest:${i.invitationId}`,
          button('Resend', ACTIONS.resend, invitationValue(i.invitationId)),
          button('Extend', PROJECT_ACTIONS.extend, invitationValue(i.invitationId)),
          revokeButton(i.invitationId, i.inviteeName),
        ),
      ];
    }
  }
}

/** One page of the digest; ages are counted to `now`, the moment the digest was made. */
export function digestPage(page: DigestPage): Message {
  return message(`Pending invitations${page.pages > 1 ? `, page ${page.page} of ${page.pages}` : ''}`, page.entries.flatMap((e) => entryBlocks(e, page, page.now)));
}

const minutes = (ms: number) => (ms < 90_000 ? 'about a minute' : `about ${Math.round(ms / 60_000)} minutes`);

/** The admin's progress message for a bulk run: updated in place until it becomes the summary. */
export function bulkProgressMessage(p: BulkProgress): Message {
  const n = (x: number) => x.toLocaleString('en-US');
  const unreachable = p.unreachable.length ? ` · ${n(p.unreachable.length)} could not be reached` : '';
  const blocks: Block[] = [
    p.done
      ? paragraph(t`${b('Done')}: sent ${n(p.sent)} of ${n(p.total)} invitations to ${b(p.licenseName)}${unreachable}.`, 'white_check_mark')
      : paragraph(t`Sent ${n(p.sent)} of ${n(p.total)} invitations to ${b(p.licenseName)}${unreachable}${p.etaMs !== undefined ? ` · ${minutes(p.etaMs)} left` : ''}`, 'hourglass_flowing_sand'),
  ];
  if (p.done && p.unreachable.length) {
    const shown = p.unreachable.slice(0, 40);
    blocks.push(
      lines(
        shown.map((u) => t`${u.email && u.email !== u.name ? t`${u.name} (${code(u.email)})` : u.name}: ${u.reason}`),
        { title: t`${b('Could not be reached')} (forward their link another way, or revoke):`, style: 'bullets' },
      ),
    );
    if (p.unreachable.length > shown.length) blocks.push(note(t`…and ${p.unreachable.length - shown.length} more: ${cmd('pending')} lists them.`));
  }
  return message(p.done ? `Done: sent ${p.sent} of ${p.total} invitations.` : `Sent ${p.sent} of ${p.total} invitations…`, blocks);
}
