/** Block Kit for reminders, expiry notices and the admins' digest: pure functions of domain data. */
import type { KnownBlock } from '@slack/types';
import {
  EDITION_MEANS,
  HOW_TO_GET_PROJECT,
  PRODUCT,
  PROJECT_NEEDS_SEAT,
  SEAT_DOES_NOT_GIVE,
  ago,
  formatDate,
  levelNote,
  usageLine,
  type BulkProgress,
  type DigestEntry,
  type DigestPage,
  type OutboxMessage,
} from '../../../domain/index.js';
import { ACTIONS, PROJECT_ACTIONS, invitationValue, seatsValue } from '../../../handlers/slack/action-ids.js';
import { LEVEL_ICON, actions, button, context, divider, esc, header, message, section, type SlackMessage } from './blocks.js';

export function reminderDm(m: Extract<OutboxMessage, { type: 'reminder' }>): SlackMessage {
  const i = m.invitation;
  const count = `Reminder ${m.number} of ${m.max}`;
  const answer = actions(
    `reminder:${i.invitationId}:${m.number}`,
    button(i.kind === 'license' ? 'Accept the seat' : 'Accept', ACTIONS.accept, invitationValue(i.invitationId), 'primary'),
    button('Decline', ACTIONS.decline, invitationValue(i.invitationId)),
  );
  const expires = context(`${count} · the invitation expires on ${formatDate(i.expiresAt)} · invitation #${i.invitationId}. Your personal link is in the first message about it.`);
  if (i.kind === 'license') {
    return message(`Reminder: ${i.inviterName} invited you to an ${PRODUCT} seat in ${i.licenseName}.`, [
      section(`:bell: *${esc(i.inviterName)}* invited you to an ${PRODUCT} license seat in *${esc(i.licenseName)}*, and it is still waiting for your answer.`),
      section(`Accepting gives you the software under ${i.inviteeEmail ? `\`${esc(i.inviteeEmail)}\`` : 'your account email'}. ${SEAT_DOES_NOT_GIVE}\n${HOW_TO_GET_PROJECT}`),
      answer,
      expires,
    ]);
  }
  const seatLine = m.holdsSeat
    ? `:white_check_mark: You hold a seat under \`${esc(i.inviteeEmail)}\`, so you can open the project as soon as you accept.`
    : `:warning: You hold no seat under \`${esc(i.inviteeEmail)}\` right now. ${PROJECT_NEEDS_SEAT} Ask a license admin for a seat, then accept.`;
  const blocks: KnownBlock[] = [
    section(`:bell: *${esc(i.ownerName)}* shares the ${i.edition === 'web' ? 'Web' : 'Desktop'} project *${esc(i.projectName)}* with you, and it is still waiting for your answer.`),
    section(seatLine),
    section(i.edition === 'web' ? EDITION_MEANS.web : `${EDITION_MEANS.desktop} After you accept, use \`/atlas return-project\` to send your updated copy back.`),
    answer,
    expires,
  ];
  return message(`Reminder: ${i.ownerName} shares ${i.projectName} with you.`, blocks);
}

export function expiredNotice(m: Extract<OutboxMessage, { type: 'expired_notice' }>): SlackMessage {
  const i = m.invitation;
  const what = i.kind === 'license' ? `a seat in *${esc(i.licenseName)}*` : `the project *${esc(i.projectName)}*`;
  const freed = i.kind === 'license' ? ' The seat it held is free again.' : '';
  return message(`Your invitation of ${i.inviteeName} expired unanswered.`, [
    section(`:hourglass: Your invitation of *${esc(i.inviteeName)}* to ${what} expired on ${formatDate(i.expiresAt)} without an answer; its link no longer works.${freed}`),
    actions(
      `expired:${i.invitationId}`,
      button('Re-invite', PROJECT_ACTIONS.reinvite, invitationValue(i.invitationId), 'primary'),
      button('Drop', PROJECT_ACTIONS.drop, invitationValue(i.invitationId)),
    ),
    context(`Invitation #${i.invitationId}.`),
  ]);
}


function entryBlocks(e: DigestEntry, page: DigestPage, now: number): KnownBlock[] {
  switch (e.kind) {
    case 'title':
      return [
        header('Pending invitations'),
        context(
          `${e.pendingCount} pending · ${e.waitingCount} waiting for a seat · ${e.undeliverableCount} could not be reached · ${formatDate(e.now)}${page.pages > 1 ? ` · page ${page.page} of ${page.pages}` : ''}`,
        ),
      ];
    case 'license': {
      const note = levelNote(e, e.level);
      return [divider(), section(`${LEVEL_ICON[e.level]} *${esc(e.name)}* · ${esc(usageLine(e))}${note ? ` · *${esc(note)}*` : ''}`)];
    }
    case 'project':
      return [divider(), section(`:file_folder: *${esc(e.name)}* (${e.edition === 'web' ? 'Web' : 'Desktop'} project of ${esc(e.ownerName)})`)];
    case 'heading':
      return [
        divider(),
        section(
          e.text === 'waiting_for_seat'
            ? ':hourglass_flowing_sand: *Project invitations waiting for a seat* (they go out by themselves once the person holds one)'
            : ':no_entry: *Could not be reached* (left the workspace or deactivated): forward their link another way, or revoke',
        ),
      ];
    case 'more':
      return [context(`…and ${e.count} more in ${esc(e.of)}.`)];
    case 'handoffs': {
      const emails = e.people.map((p) => p.email ?? '?').join('\n');
      return [
        divider(),
        section(
          `:clipboard: *To do: add ${e.people.length + e.more} ${e.people.length + e.more === 1 ? 'person' : 'people'} to ${esc(e.licenseName)} in the ${PRODUCT} account portal.* They accepted, and hear their seat is ready only once you press Done. The exact emails, to copy:`,
        ),
        section(`\`\`\`${esc(emails)}\`\`\``),
        ...(e.more ? [context(`…and ${e.more} more: the next digest lists them.`)] : []),
        actions(`handoffs:${e.people[0]?.seatId ?? 0}`, button(`Done: all ${e.people.length} added`, PROJECT_ACTIONS.handoffDoneAll, seatsValue(e.people.map((p) => p.seatId)), 'primary')),
      ];
    }
    case 'item': {
      const i = e.item;
      const line =
        `*#${i.invitationId}* *${esc(i.inviteeName)}*${i.inviteeEmail ? ` (\`${esc(i.inviteeEmail)}\`)` : ''} · sent ${ago(i.sentAt, now)} by ${esc(i.inviterName)}` +
        ` · ${i.remindersSent === 1 ? '1 reminder' : `${i.remindersSent} reminders`} · expires ${formatDate(i.expiresAt)}` +
        (i.deliveryProblem ? ` · :no_entry: unreachable (\`${esc(i.deliveryProblem)}\`)` : '');
      if (!i.actionable) return [section(line)];
      return [
        section(line),
        actions(
          `digest:${i.invitationId}`,
          button('Resend', ACTIONS.resend, invitationValue(i.invitationId)),
          button('Extend', PROJECT_ACTIONS.extend, invitationValue(i.invitationId)),
          button('Revoke', ACTIONS.revoke, invitationValue(i.invitationId), 'danger'),
        ),
      ];
    }
  }
}

/** One page of the digest; ages are counted to `now`, the moment the digest was made. */
export function digestPage(page: DigestPage): SlackMessage {
  const blocks = page.entries.flatMap((e) => entryBlocks(e, page, page.now));
  return message(`Pending invitations${page.pages > 1 ? `, page ${page.page} of ${page.pages}` : ''}`, blocks);
}

const minutes = (ms: number) => (ms < 90_000 ? 'about a minute' : `about ${Math.round(ms / 60_000)} minutes`);

/** The admin's progress message for a bulk run: updated in place until it becomes the summary. */
export function bulkProgressMessage(p: BulkProgress): SlackMessage {
  const n = (x: number) => x.toLocaleString('en-US');
  const line = p.done
    ? `:white_check_mark: *Done*: sent ${n(p.sent)} of ${n(p.total)} invitations to *${esc(p.licenseName)}*${p.unreachable.length ? ` · ${n(p.unreachable.length)} could not be reached` : ''}.`
    : `:hourglass_flowing_sand: Sent ${n(p.sent)} of ${n(p.total)} invitations to *${esc(p.licenseName)}*${p.unreachable.length ? ` · ${n(p.unreachable.length)} could not be reached` : ''}${p.etaMs !== undefined ? ` · ${minutes(p.etaMs)} left` : ''}`;
  const blocks: KnownBlock[] = [section(line)];
  if (p.done && p.unreachable.length) {
    const shown = p.unreachable.slice(0, 40);
    blocks.push(section(`*Could not be reached* (forward their link another way, or revoke):\n${shown.map((u) => `• ${esc(u.name)}${u.email ? ` (\`${esc(u.email)}\`)` : ''}: ${esc(u.reason)}`).join('\n')}`));
    if (p.unreachable.length > shown.length) blocks.push(context(`…and ${p.unreachable.length - shown.length} more: \`/atlas pending\` lists them.`));
  }
  return message(p.done ? `Done: sent ${p.sent} of ${p.total} invitations.` : `Sent ${p.sent} of ${p.total} invitations…`, blocks);
}
