/** Block Kit for everything the outbox says about license invitations: pure functions of domain data. */
import type { KnownBlock } from '@slack/types';
import {
  HOW_TO_GET_PROJECT,
  PRODUCT,
  SEAT_DOES_NOT_GIVE,
  formatDate,
  usageLine,
  fullReason,
  modelOf,
  type AnyInvitationSnapshot,
  type InvitationSnapshot,
  type OutboxMessage,
} from '../../../domain/index.js';
import { ACTIONS, PROJECT_ACTIONS, invitationValue, seatValue } from '../../../handlers/slack/action-ids.js';
import { actions, button, context, esc, fields, header, message, section, type SlackMessage } from './blocks.js';

const usageOf = (i: InvitationSnapshot) => usageLine(i);
const emailCode = (email: string | null) => (email ? `\`${esc(email)}\`` : 'your account email');

function whatYouGetFields(i: InvitationSnapshot): KnownBlock {
  return fields([
    `:white_check_mark: *What you get*\nA seat: the right to use ${PRODUCT}, for ${emailCode(i.inviteeEmail)}.`,
    `:no_entry_sign: *What you don't get*\nAccess to any project or data. Projects are shared separately, by their owners.`,
  ]);
}

const answerButtons = (i: AnyInvitationSnapshot) =>
  actions(
    `invitation:${i.invitationId}`,
    button('Accept the seat', ACTIONS.accept, invitationValue(i.invitationId), 'primary'),
    button('Decline', ACTIONS.decline, invitationValue(i.invitationId)),
  );

export function licenseInvitationDm(i: InvitationSnapshot, link: string, resent: boolean): SlackMessage {
  const text = `${i.inviterName} invited you to an ${PRODUCT} license seat in ${i.licenseName}. It gives you the software, not a project.`;
  return message(text, [
    header(`You're invited to an ${PRODUCT} license seat`),
    section(
      `*${esc(i.inviterName)}* invited you to a seat in the license *${esc(i.licenseName)}*.` +
        (resent ? '\n_This is a fresh copy of your invitation: the link in any earlier message no longer works._' : ''),
    ),
    whatYouGetFields(i),
    section(`:bulb: ${HOW_TO_GET_PROJECT}`),
    answerButtons(i),
    context(
      `:link: <${link}|Your personal invitation page> works only for you and expires on ${formatDate(i.expiresAt)}. Invitation #${i.invitationId}.`,
    ),
  ]);
}

/**
 * After accepting: only what was handed over to ATLAS.ti. Until an admin added the person in the
 * account portal the seat is recorded here, not ready there; once added it is ready; then "I'm in".
 */
function acceptedDm(i: InvitationSnapshot): SlackMessage {
  const lic = `*${esc(i.licenseName)}*`;
  const foot = context(`${esc(i.licenseName)}: ${usageOf(i)} · invitation #${i.invitationId}`);
  const noProject = section(`:no_entry_sign: ${SEAT_DOES_NOT_GIVE}\n${HOW_TO_GET_PROJECT}`);
  switch (i.handoff) {
    case 'handed_over':
      if (i.handoffBy === 'webhook') {
        return message(`Your ${PRODUCT} seat in ${i.licenseName} is ready: sign in with ${i.inviteeEmail ?? 'your account email'}.`, [
          header(`Your ${PRODUCT} seat is ready`),
          section(`:white_check_mark: Your organisation's license system added ${emailCode(i.inviteeEmail)} to ${lic}. Sign in to ${PRODUCT} with exactly that email (account emails are case sensitive) and start working.`),
          noProject,
          ...(i.seatId !== undefined ? [actions(`joined:${i.seatId}`, button("I'm in: it works", PROJECT_ACTIONS.joined, seatValue(i.seatId), 'primary'))] : []),
          foot,
        ]);
      }
      if (i.handoffBy === 'link') {
        return message(`Your ${PRODUCT} seat in ${i.licenseName}: open the license's invitation link I sent you and sign in with ${i.inviteeEmail ?? 'your account email'}.`, [
          header(`Your seat: one step left`),
          section(`:key: You accepted a seat in ${lic}. I sent you the license's own invitation link in a message of its own: open it and sign in to ${PRODUCT} with exactly ${emailCode(i.inviteeEmail)} (account emails are case sensitive).`),
          noProject,
          foot,
        ]);
      }
      return message(`Your ${PRODUCT} seat in ${i.licenseName} is ready: sign in with ${i.inviteeEmail ?? 'your account email'}.`, [
        header(`Your ${PRODUCT} seat is ready`),
        section(`:white_check_mark: An admin added ${emailCode(i.inviteeEmail)} to ${lic} in the ${PRODUCT} account portal. Sign in to ${PRODUCT} with exactly that email (account emails are case sensitive) and start working.`),
        noProject,
        ...(i.seatId !== undefined ? [actions(`joined:${i.seatId}`, button("I'm in: it works", PROJECT_ACTIONS.joined, seatValue(i.seatId), 'primary'))] : []),
        foot,
      ]);
    case 'joined':
      return message(`You're in: ${PRODUCT} works for you under ${i.licenseName}.`, [
        header(`You're in`),
        section(`:white_check_mark: You confirmed that ${PRODUCT} works for ${emailCode(i.inviteeEmail)} under ${lic}.`),
        noProject,
        foot,
      ]);
    case 'awaiting':
    case undefined:
      if (i.handoffBy === 'webhook') {
        return message(`You accepted a seat in ${i.licenseName}; your organisation's license system is adding you to ${PRODUCT}.`, [
          header(`Accepted: you are being added`),
          section(
            `:hourglass_flowing_sand: Your acceptance of a seat in ${lic} is recorded and has been passed to your organisation's license system, which adds ${emailCode(i.inviteeEmail)} in ${PRODUCT}. ` +
              `I will tell you here as soon as it confirms; until then, ${PRODUCT} will not let you in.`,
          ),
          noProject,
          foot,
        ]);
      }
      return message(`You accepted a seat in ${i.licenseName}; an admin still has to add you in ${PRODUCT}.`, [
        header(`Accepted: an admin is adding you`),
        section(
          `:hourglass_flowing_sand: Your acceptance of a seat in ${lic} is recorded, but ${PRODUCT} does not know about it yet. ` +
            `A license admin adds ${emailCode(i.inviteeEmail)} to the license in the ${PRODUCT} account portal; I will tell you here as soon as they have. Until then, ${PRODUCT} will not let you in.`,
        ),
        noProject,
        foot,
      ]);
  }
}

/** The invitee's DM after they (or an admin, or time) answered it. */
export function invitationStateDm(i: InvitationSnapshot): SlackMessage {
  const lic = `*${esc(i.licenseName)}*`;
  switch (i.status) {
    case 'accepted':
      return acceptedDm(i);
    case 'declined':
      return message(`You declined the seat in ${i.licenseName}.`, [
        section(`You declined the invitation to a seat in ${lic}. Nothing else changed.`),
        context(`Changed your mind? Ask ${esc(i.inviterName)} to invite you again. Invitation #${i.invitationId}.`),
      ]);
    case 'revoked':
      return message(`Your invitation to ${i.licenseName} was withdrawn.`, [
        section(`:wastebasket: The invitation to a seat in ${lic} was withdrawn by an admin. Its link no longer works.`),
        context(`If you still need a seat, ask ${esc(i.inviterName)}. Invitation #${i.invitationId}.`),
      ]);
    case 'expired':
      return message(`Your invitation to ${i.licenseName} expired.`, [
        section(`:hourglass: The invitation to a seat in ${lic} expired on ${formatDate(i.expiresAt)}. Its link no longer works.`),
        context(`If you still need a seat, ask ${esc(i.inviterName)} to invite you again. Invitation #${i.invitationId}.`),
      ]);
    case 'pending':
    case 'waiting_for_seat':
      return message(`Your invitation to ${i.licenseName} is waiting for your answer.`, [
        section(`Your invitation to a seat in ${lic} is waiting for your answer.`),
        whatYouGetFields(i),
        answerButtons(i),
      ]);
  }
}

const ADMIN_EVENT: Record<Extract<OutboxMessage, { type: 'admin_invitation_event' }>['event'], (i: InvitationSnapshot, actor: string) => string> = {
  created: (i, a) => `:envelope_with_arrow: *${esc(a)}* invited *${esc(i.inviteeName)}* (${emailCode(i.inviteeEmail)}) to a seat in *${esc(i.licenseName)}*.`,
  accepted: (i) =>
    i.handoff === 'awaiting' && i.handoffBy === 'webhook'
      ? `:white_check_mark: *${esc(i.inviteeName)}* accepted a seat in *${esc(i.licenseName)}*; the provisioning webhook is adding ${emailCode(i.inviteeEmail)}.`
      : i.handoff === 'awaiting'
      ? `:white_check_mark: *${esc(i.inviteeName)}* accepted a seat in *${esc(i.licenseName)}*.\n:clipboard: *To do:* add ${emailCode(i.inviteeEmail)} to *${esc(i.licenseName)}* in the ${PRODUCT} account portal, then press Done: ${esc(i.inviteeName)} hears their seat is ready only then.`
      : `:white_check_mark: *${esc(i.inviteeName)}* accepted a seat in *${esc(i.licenseName)}*.`,
  declined: (i) => `:x: *${esc(i.inviteeName)}* declined the seat in *${esc(i.licenseName)}*; the seat is free again.`,
  revoked: (i, a) => `:wastebasket: *${esc(a)}* withdrew the invitation of *${esc(i.inviteeName)}* to *${esc(i.licenseName)}*; the seat is free again.`,
  resent: (i, a) => `:repeat: *${esc(a)}* sent *${esc(i.inviteeName)}* a fresh invitation link for *${esc(i.licenseName)}*.`,
  no_free_seat: (i) =>
    `:warning: *${esc(i.inviteeName)}* tried to accept a seat in *${esc(i.licenseName)}*, but ${esc(fullReason(i))}. Their invitation stays open: ${modelOf(i) === 'assigned' ? 'free a seat or add seats' : 'make room under the member limit'}, then they can accept.`,
};

export function adminInvitationEvent(m: Extract<OutboxMessage, { type: 'admin_invitation_event' }>): SlackMessage {
  const i = m.invitation;
  const line = ADMIN_EVENT[m.event](i, m.actorName);
  const blocks: KnownBlock[] = [section(line), context(`*${esc(i.licenseName)}*: ${usageOf(i)} · invitation #${i.invitationId}`)];
  if (m.event === 'accepted' && i.handoff === 'awaiting' && i.handoffBy !== 'webhook' && i.seatId !== undefined) {
    blocks.push(actions(`handoff:${i.seatId}`, button('Done: added in the portal', PROJECT_ACTIONS.handoffDone, seatValue(i.seatId), 'primary')));
  }
  if (m.event === 'created' || m.event === 'resent') {
    blocks.push(
      actions(
        `admin:${i.invitationId}`,
        button('Resend', ACTIONS.resend, invitationValue(i.invitationId)),
        button('Revoke', ACTIONS.revoke, invitationValue(i.invitationId), 'danger'),
      ),
    );
  }
  const plain = `${m.event.replace(/_/g, ' ')}: ${i.inviteeName}, ${i.licenseName} (invitation #${i.invitationId})`;
  return message(plain, blocks);
}

export function forwardLink(i: AnyInvitationSnapshot, link: string, reason?: string): SlackMessage {
  const who = i.inviteeEmail ?? i.inviteeName;
  const what = i.kind === 'license' ? `a seat in *${esc(i.licenseName)}*` : `the project *${esc(i.projectName)}*`;
  const why = reason
    ? `I could not deliver the invitation to *${esc(who)}* in Slack (Slack said \`${esc(reason)}\`: they may have left or been deactivated).`
    : `*${esc(who)}* is not in this Slack workspace, so I could not message them.`;
  return message(`${who} could not be reached in Slack: forward them their invitation link.`, [
    section(`:incoming_envelope: ${why} Please forward them this personal link to their invitation to ${what}:`),
    section(`<${link}>`),
    context(
      `The page explains what they get and what they do not. Once they join Slack with exactly this email, they can accept from the page. The link expires on ${formatDate(i.expiresAt)}. Invitation #${i.invitationId}.`,
    ),
  ]);
}

export function licenseFullNotice(m: Extract<OutboxMessage, { type: 'license_full_notice' }>): SlackMessage {
  return message(`${m.inviterName} tried to give you an ${PRODUCT} seat, but ${m.licenseName} is full.`, [
    section(
      `:hourglass_flowing_sand: *${esc(m.inviterName)}* tried to invite you to an ${PRODUCT} seat in *${esc(m.licenseName)}*, but ${esc(fullReason({ seats: m.seats, seatModel: m.seatModel, memberCap: m.memberCap ?? null, occupied: 0, reserved: 0 }))} right now.`,
    ),
    context(`Nothing is lost: they have been told, and can invite you again once a seat is free. If you need the software sooner, reply to them.`),
  ]);
}

export function acceptConfirmation(i: AnyInvitationSnapshot): SlackMessage {
  const what = i.kind === 'license' ? `a seat in *${esc(i.licenseName)}*` : `the project *${esc(i.projectName)}*`;
  return message(`Someone opened your invitation page. Confirm here that it was you.`, [
    section(
      `:key: Your invitation page for ${what} was just opened and asked to accept. If that was you, accept here. If it was not you, do nothing: nobody else can use your invitation.`,
    ),
    ...(i.kind === 'license' ? [whatYouGetFields(i)] : []),
    answerButtons(i),
  ]);
}

export function notice(text: string): SlackMessage {
  return message(text, [section(esc(text))]);
}


/**
 * The license's own invitation link, in the invitee's DM only. The deliverer opens the sealed link
 * into `link` just before this renders; without it (a key that no longer opens it) nothing secret shows.
 */
export function licenseLinkDm(m: Extract<OutboxMessage, { type: 'license_link' }>): SlackMessage {
  const email = emailCode(m.email);
  const steps = [
    `1. Open the link above (it is the license's own: please do not pass it on).`,
    `2. Sign in to ${PRODUCT}, or create your account, with exactly ${email}: account emails are case sensitive.`,
    `3. Once ${PRODUCT} opens under *${esc(m.licenseName)}*, press I'm in.`,
  ].join('\n');
  const link = m.link === undefined ? '_The link could not be opened here: ask a license admin to send it again._' : `<${m.link}>`;
  return message(`${m.rotated ? 'The new invitation link' : 'The invitation link'} of ${m.licenseName}: open it and sign in with ${m.email ?? 'your account email'}.`, [
    header(m.rotated ? `A new link to join ${m.licenseName}` : `Join ${m.licenseName} in ${PRODUCT}`),
    section(
      m.rotated
        ? `:key: The license admins replaced the invitation link of *${esc(m.licenseName)}*; any earlier link no longer works. Here is the new one, for you only:`
        : `:key: Your seat in *${esc(m.licenseName)}* is handed over through the license's own invitation link, for you only:`,
    ),
    section(link),
    section(steps),
    actions(`joined:${m.seatId}`, button("I'm in: it works", PROJECT_ACTIONS.joined, seatValue(m.seatId), 'primary')),
  ]);
}
