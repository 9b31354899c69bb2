/** What the outbox says about license invitations, as the message model: pure functions of domain data. */
import {
  CHAT,
  HOW_TO_GET_PROJECT,
  WORKSPACE,
  PRODUCT,
  SEAT_DOES_NOT_GIVE,
  actions,
  b,
  button,
  mixesScripts,
  code,
  columns,
  em,
  formatDate,
  fullReason,
  heading,
  icon,
  lines,
  link,
  message,
  modelOf,
  note,
  paragraph,
  plain,
  t,
  usageLine,
  words,
  type AnyInvitationSnapshot,
  type Block,
  type Button,
  type InvitationSnapshot,
  type Inline,
  type Icon,
  type InvitationStatus,
  type Message,
  type OutboxMessage,
} from '../../domain/index.js';
import { ACTIONS, PROJECT_ACTIONS, invitationValue, seatValue } from '../../handlers/slack/action-ids.js';

const usageOf = (i: InvitationSnapshot) => usageLine(i);
/** an account email, exactly as it must be typed */
export const emailCode = (email: string | null | undefined): Inline => (email ? [code(email)] : words('your account email'));

/** A person by name, with their email beside it unless the name is the email. */
export const nameAndEmail = (name: string, email: string | null | undefined): Inline => (email && email !== name ? t`${b(name)} (${code(email)})` : [b(name)]);

/**
 * Revoke asks once: whose invitation, and what follows. A seat invitation frees the seat it holds;
 * a project invitation holds none; one still waiting for a seat was never sent, so nobody is told.
 */
export const revokeButton = (invitationId: number, inviteeName: string, about: { kind?: 'license' | 'project'; what?: Inline; waiting?: boolean } = {}): Button => {
  const what = about.what ? t` to ${about.what}` : '';
  const follows = about.waiting
    ? t`It was never sent to them (it waited for a seat), so it simply ends.`
    : about.kind === 'license'
      ? t`Its link stops working at once and the seat it holds is free again; their message says it was withdrawn.`
      : about.kind === 'project'
        ? t`Its link stops working at once; their message says it was withdrawn.`
        : t`Its link stops working at once, and a seat it holds is free again.`;
  return button('Revoke', ACTIONS.revoke, invitationValue(invitationId), 'danger', {
    title: `Withdraw invitation #${invitationId}?`,
    text: t`${b(inviteeName)}'s invitation${what}: ${follows} To undo it, invite them again.`,
    yes: 'Withdraw it',
    no: 'Keep it',
  });
};

/** what an invitation was for, in a few words */
export const invitedTo = (i: AnyInvitationSnapshot): Inline => (i.kind === 'license' ? t`a seat in ${b(i.licenseName)}` : t`the project ${b(i.projectName)}`);

export const STATUS_ICON: Record<InvitationStatus, Icon> = {
  pending: 'hourglass_flowing_sand',
  waiting_for_seat: 'hourglass_flowing_sand',
  accepted: 'white_check_mark',
  declined: 'x',
  revoked: 'wastebasket',
  expired: 'hourglass',
};

/** where an invitation stands, said to its invitee */
export function answeredLine(i: AnyInvitationSnapshot): Inline {
  switch (i.status) {
    case 'accepted':
      return words('You accepted it.');
    case 'declined':
      return words('You declined it.');
    case 'revoked':
      return words('It was withdrawn; its link no longer works.');
    case 'expired':
      return words(`It expired on ${formatDate(i.expiresAt)}; its link no longer works.`);
    case 'pending':
    case 'waiting_for_seat':
      return words(`It is waiting for your answer until ${formatDate(i.expiresAt)}.`);
  }
}

/** where an invitation stands, said to the admins and its inviter */
export function nowLine(i: AnyInvitationSnapshot): Block {
  const said: Record<InvitationStatus, Inline> = {
    pending: words(`Now: still open; expires on ${formatDate(i.expiresAt)}.`),
    waiting_for_seat: words(`Now: waiting until ${i.inviteeName} holds a seat; expires on ${formatDate(i.expiresAt)}.`),
    accepted: t`Now: ${b('accepted')} by ${i.inviteeName}.`,
    declined: t`Now: ${b('declined')} by ${i.inviteeName}.`,
    revoked: t`Now: ${b('withdrawn')}; its link no longer works.`,
    expired: t`Now: ${b('expired')} on ${formatDate(i.expiresAt)}, unanswered.`,
  };
  return note(said[i.status], STATUS_ICON[i.status]);
}

const isOpen = (i: AnyInvitationSnapshot): boolean => i.status === 'pending';

/** An invitee's older message about an invitation whose newest state is in a later message. */
export function supersededDm(i: AnyInvitationSnapshot): Message {
  return message(`An older message about your invitation to ${i.kind === 'license' ? i.licenseName : i.projectName}.`, [
    paragraph(t`Your invitation to ${invitedTo(i)}: ${answeredLine(i)} The newest message about it is further down.`, STATUS_ICON[i.status]),
    note(`Invitation #${i.invitationId}.`),
  ]);
}

function whatYouGet(i: InvitationSnapshot): Block {
  return columns([
    { icon: 'white_check_mark', title: 'What you get', text: t`A seat: the right to use ${PRODUCT}, for ${emailCode(i.inviteeEmail)}.` },
    { icon: 'no_entry_sign', title: "What you don't get", text: 'Access to any project or data. Projects are shared separately, by their owners.' },
  ]);
}

const answerButtons = (i: AnyInvitationSnapshot): Block =>
  actions(
    `invitation:${i.invitationId}`,
    button('Accept the seat', ACTIONS.accept, invitationValue(i.invitationId), 'primary'),
    button('Decline', ACTIONS.decline, invitationValue(i.invitationId)),
  );

const FRESH_COPY = em('This is a fresh copy of your invitation: the link in any earlier message no longer works.');

export function licenseInvitationDm(i: InvitationSnapshot, personalLink: string, resent: boolean, grant?: { requestId: number; decidedBy: string | null }): Message {
  // an answer to the person's own seat request says so first: who approved it (or that the policy did)
  const by = grant ? (grant.decidedBy ?? 'The bot') : i.inviterName;
  const first = grant
    ? t`${b(by)} approved your seat request #${grant.requestId}${grant.decidedBy ? '' : ' automatically'}: here is your invitation to a seat in the license ${b(i.licenseName)}.`
    : t`${b(i.inviterName)} invited you to a seat in the license ${b(i.licenseName)}.`;
  const summary = grant
    ? `Your seat request was approved${grant.decidedBy ? ` by ${grant.decidedBy}` : ''}: accept your ${PRODUCT} seat in ${i.licenseName}. It gives you the software, not a project.`
    : `${i.inviterName} invited you to an ${PRODUCT} license seat in ${i.licenseName}. It gives you the software, not a project.`;
  return message(summary, [
    heading(`You're invited to an ${PRODUCT} license seat`),
    lines([first, ...(resent ? [[FRESH_COPY]] : [])]),
    whatYouGet(i),
    paragraph(HOW_TO_GET_PROJECT, 'bulb'),
    answerButtons(i),
    note(t`${link('Your personal invitation page', personalLink)} works only for you and expires on ${formatDate(i.expiresAt)}. Invitation #${i.invitationId}.`),
  ]);
}

const noProject = (): Block => lines([SEAT_DOES_NOT_GIVE, HOW_TO_GET_PROJECT], { icon: 'no_entry_sign' });

const joinedButton = (i: InvitationSnapshot): Block[] =>
  i.seatId !== undefined ? [actions(`joined:${i.seatId}`, button("I'm in: it works", PROJECT_ACTIONS.joined, seatValue(i.seatId), 'primary'))] : [];

/**
 * After accepting: only what was handed over to ATLAS.ti. Until an admin added the person in the
 * account portal the seat is recorded here, not ready there; once added it is ready; then "I'm in".
 */
function acceptedDm(i: InvitationSnapshot): Message {
  const lic = b(i.licenseName);
  const foot = note(`${i.licenseName}: ${usageOf(i)} · invitation #${i.invitationId}`);
  const email = emailCode(i.inviteeEmail);
  switch (i.handoff) {
    case 'handed_over':
      if (i.handoffBy === 'webhook') {
        return message(`Your ${PRODUCT} seat in ${i.licenseName} is ready: sign in with ${i.inviteeEmail ?? 'your account email'}.`, [
          heading(`Your ${PRODUCT} seat is ready`),
          paragraph(t`Your organisation's license system added ${email} to ${lic}. Sign in to ${PRODUCT} with exactly that email (account emails are case sensitive) and start working.`, 'white_check_mark'),
          noProject(),
          ...joinedButton(i),
          foot,
        ]);
      }
      if (i.handoffBy === 'link') {
        return message(`Your ${PRODUCT} seat in ${i.licenseName}: open the license's invitation link I sent you and sign in with ${i.inviteeEmail ?? 'your account email'}.`, [
          heading(`Your seat: one step left`),
          paragraph(t`You accepted a seat in ${lic}. I sent you the license's own invitation link in a message of its own: open it and sign in to ${PRODUCT} with exactly ${email} (account emails are case sensitive).`, 'key'),
          noProject(),
          foot,
        ]);
      }
      return message(`Your ${PRODUCT} seat in ${i.licenseName} is ready: sign in with ${i.inviteeEmail ?? 'your account email'}.`, [
        heading(`Your ${PRODUCT} seat is ready`),
        paragraph(t`An admin added ${email} to ${lic} in the ${PRODUCT} account portal. Sign in to ${PRODUCT} with exactly that email (account emails are case sensitive) and start working.`, 'white_check_mark'),
        noProject(),
        ...joinedButton(i),
        foot,
      ]);
    case 'joined':
      return message(`You're in: ${PRODUCT} works for you under ${i.licenseName}.`, [
        heading(`You're in`),
        paragraph(t`You confirmed that ${PRODUCT} works for ${email} under ${lic}.`, 'white_check_mark'),
        noProject(),
        foot,
      ]);
    case 'awaiting':
    case undefined:
      if (i.handoffBy === 'webhook') {
        return message(`You accepted a seat in ${i.licenseName}; your organisation's license system is adding you to ${PRODUCT}.`, [
          heading(`Accepted: you are being added`),
          paragraph(
            t`Your acceptance of a seat in ${lic} is recorded and has been passed to your organisation's license system, which adds ${email} in ${PRODUCT}. I will tell you here as soon as it confirms; until then, ${PRODUCT} will not let you in.`,
            'hourglass_flowing_sand',
          ),
          noProject(),
          foot,
        ]);
      }
      return message(`You accepted a seat in ${i.licenseName}; an admin still has to add you in ${PRODUCT}.`, [
        heading(`Accepted: an admin is adding you`),
        paragraph(
          t`Your acceptance of a seat in ${lic} is recorded, but ${PRODUCT} does not know about it yet. A license admin adds ${email} to the license in the ${PRODUCT} account portal; I will tell you here as soon as they have. Until then, ${PRODUCT} will not let you in.`,
          'hourglass_flowing_sand',
        ),
        noProject(),
        foot,
      ]);
  }
}

/** The invitee's DM after they (or an admin, or time) answered it, or after a change while it is open. */
export function invitationStateDm(i: InvitationSnapshot, superseded = false): Message {
  if (superseded) return supersededDm(i);
  const lic = b(i.licenseName);
  switch (i.status) {
    case 'accepted':
      return acceptedDm(i);
    case 'declined':
      return message(`You declined the seat in ${i.licenseName}.`, [
        paragraph(t`You declined the invitation to a seat in ${lic}. Nothing else changed.`),
        note(`Changed your mind? Ask ${i.inviterName} to invite you again. Invitation #${i.invitationId}.`),
      ]);
    case 'revoked':
      return message(`Your invitation to ${i.licenseName} was withdrawn.`, [
        paragraph(t`The invitation to a seat in ${lic} was withdrawn by an admin. Its link no longer works.`, 'wastebasket'),
        note(`If you still need a seat, ask ${i.inviterName}. Invitation #${i.invitationId}.`),
      ]);
    case 'expired':
      return message(`Your invitation to ${i.licenseName} expired.`, [
        paragraph(t`The invitation to a seat in ${lic} expired on ${formatDate(i.expiresAt)}. Its link no longer works.`, 'hourglass'),
        note(`If you still need a seat, ask ${i.inviterName} to invite you again. Invitation #${i.invitationId}.`),
      ]);
    case 'pending':
    case 'waiting_for_seat':
      return message(`Your invitation to ${i.licenseName} is waiting for your answer.`, [
        paragraph(t`${b(i.inviterName)} invited you to a seat in ${lic}, and it is waiting for your answer.`, 'envelope_with_arrow'),
        whatYouGet(i),
        answerButtons(i),
        note(`It expires on ${formatDate(i.expiresAt)}; your personal invitation page works until then. Invitation #${i.invitationId}.`),
      ]);
  }
}

type AdminEvent = Extract<OutboxMessage, { type: 'admin_invitation_event' }>;

const ADMIN_EVENT: Record<AdminEvent['event'], (i: InvitationSnapshot, actor: string) => Block> = {
  created: (i, a) => paragraph(t`${b(a)} invited ${nameAndEmail(i.inviteeName, i.inviteeEmail)} to a seat in ${b(i.licenseName)}.`, 'envelope_with_arrow'),
  accepted: (i) =>
    i.handoff === 'awaiting' && i.handoffBy === 'webhook'
      ? paragraph(t`${b(i.inviteeName)} accepted a seat in ${b(i.licenseName)}; the provisioning webhook is adding ${emailCode(i.inviteeEmail)}.`, 'white_check_mark')
      : i.handoff === 'awaiting'
        ? lines(
            [
              t`${b(i.inviteeName)} accepted a seat in ${b(i.licenseName)}.`,
              t`${icon('clipboard')} ${b('To do:')} add ${emailCode(i.inviteeEmail)} to ${b(i.licenseName)} in the ${PRODUCT} account portal, then press Done: ${i.inviteeName} hears their seat is ready only then.`,
            ],
            { icon: 'white_check_mark' },
          )
        : paragraph(t`${b(i.inviteeName)} accepted a seat in ${b(i.licenseName)}.`, 'white_check_mark'),
  declined: (i) => paragraph(t`${b(i.inviteeName)} declined the seat in ${b(i.licenseName)}; the seat is free again.`, 'x'),
  revoked: (i, a) => paragraph(t`${b(a)} withdrew the invitation of ${b(i.inviteeName)} to ${b(i.licenseName)}; the seat is free again.`, 'wastebasket'),
  resent: (i, a) => paragraph(t`${b(a)} sent ${b(i.inviteeName)} a fresh invitation link for ${b(i.licenseName)}.`, 'repeat'),
  no_free_seat: (i) =>
    paragraph(
      t`${b(i.inviteeName)} tried to accept a seat in ${b(i.licenseName)}, but ${fullReason(i)}. Their invitation stays open: ${modelOf(i) === 'assigned' ? 'free a seat or add seats' : 'make room under the member limit'}, then they can accept.`,
      'warning',
    ),
};

/** what each event leaves the invitation as: a later state is said under it */
const EVENT_STATUS: Record<AdminEvent['event'], InvitationStatus> = {
  created: 'pending',
  resent: 'pending',
  no_free_seat: 'pending',
  accepted: 'accepted',
  declined: 'declined',
  revoked: 'revoked',
};

export function adminInvitationEvent(m: AdminEvent): Message {
  const i = m.invitation;
  const blocks: Block[] = [ADMIN_EVENT[m.event](i, m.actorName)];
  // an address with letters of another alphabet can pass for someone else's
  if (m.event === 'created' && i.inviteeEmail && mixesScripts(i.inviteeEmail)) {
    blocks.push(note(t`${code(i.inviteeEmail)} has letters from another alphabet that look like Latin ones. Check it is really the person you mean before they accept.`, 'warning'));
  }
  if (i.status !== EVENT_STATUS[m.event]) blocks.push(nowLine(i));
  if (m.event === 'accepted' && i.status === 'accepted' && i.handoff === 'handed_over') {
    blocks.push(note(i.handoffBy === 'link' ? 'Handed over: the license link went to them.' : i.handoffBy === 'webhook' ? 'Handed over: the provisioning webhook added them.' : 'Done: added in the portal.', 'white_check_mark'));
  }
  blocks.push(note(t`${b(i.licenseName)}: ${usageOf(i)} · invitation #${i.invitationId}`));
  if (m.event === 'accepted' && i.status === 'accepted' && i.handoff === 'awaiting' && i.handoffBy !== 'webhook' && i.seatId !== undefined) {
    blocks.push(actions(`handoff:${i.seatId}`, button('Done: added in the portal', PROJECT_ACTIONS.handoffDone, seatValue(i.seatId), 'primary')));
  }
  if ((m.event === 'created' || m.event === 'resent') && isOpen(i)) {
    blocks.push(
      actions(
        `admin:${i.invitationId}`,
        button('Resend', ACTIONS.resend, invitationValue(i.invitationId)),
        revokeButton(i.invitationId, i.inviteeName, { kind: 'license', what: t`a seat in ${b(i.licenseName)}` }),
      ),
    );
  }
  return message(`${m.event.replace(/_/g, ' ')}: ${i.inviteeName}, ${i.licenseName} (invitation #${i.invitationId})`, blocks);
}

export function forwardLink(i: AnyInvitationSnapshot, personalLink: string, reason?: string): Message {
  const who = i.inviteeEmail ?? i.inviteeName;
  if (!isOpen(i)) {
    return message(`Your invitation of ${who}: no link to forward any more.`, [
      paragraph(t`You were asked to forward ${b(who)} their link to ${invitedTo(i)}. Nothing to forward any more:`, 'incoming_envelope'),
      nowLine(i),
    ]);
  }
  const what = i.kind === 'license' ? t`a seat in ${b(i.licenseName)}` : t`the project ${b(i.projectName)}`;
  const why = reason
    ? t`I could not deliver the invitation to ${b(who)} in ${CHAT} (${CHAT} said ${code(reason)}: they may have left or been deactivated).`
    : t`${b(who)} is not in ${WORKSPACE}, so I could not message them.`;
  return message(`${who} could not be reached in chat: forward them their invitation link.`, [
    paragraph(t`${why} Please forward them this personal link to their invitation to ${what}:`, 'incoming_envelope'),
    paragraph([link(personalLink, personalLink)]),
    note(
      t`The page explains what they get and what they do not. Once they join ${CHAT} with exactly this email, they can accept from the page. The link expires on ${formatDate(i.expiresAt)}. Invitation #${i.invitationId}.`,
    ),
  ]);
}

export function licenseFullNotice(m: Extract<OutboxMessage, { type: 'license_full_notice' }>): Message {
  const full = fullReason({ seats: m.seats, seatModel: m.seatModel, memberCap: m.memberCap ?? null, occupied: 0, reserved: 0 });
  if (m.cut) {
    return message(`${m.inviterName} invited a group to ${m.licenseName}; there were fewer seats than people, and you were not among those invited.`, [
      paragraph(
        t`${b(m.inviterName)} invited a group of people to an ${PRODUCT} seat in ${b(m.licenseName)}, but there were fewer seats than people, so only the first ones were invited. You were not among them: people who held no seat anywhere came first.`,
        'hourglass_flowing_sand',
      ),
      note(t`Nothing else changed. If you need ${PRODUCT}, ask ${m.inviterName} (or another license admin) to invite you once a seat is free.`),
    ]);
  }
  return message(`${m.inviterName} tried to give you an ${PRODUCT} seat, but ${m.licenseName} is full.`, [
    paragraph(t`${b(m.inviterName)} tried to invite you to an ${PRODUCT} seat in ${b(m.licenseName)}, but ${full} right now.`, 'hourglass_flowing_sand'),
    note(`Nothing is lost: they have been told, and can invite you again once a seat is free. If you need the software sooner, reply to them.`),
  ]);
}

export function acceptConfirmation(i: AnyInvitationSnapshot): Message {
  const what = invitedTo(i);
  if (!isOpen(i)) {
    return message(`Your invitation page was opened; nothing to confirm any more.`, [paragraph(t`Your invitation page for ${what} was opened and asked to accept. ${answeredLine(i)}`, STATUS_ICON[i.status])]);
  }
  return message(`Someone opened your invitation page. Confirm here that it was you.`, [
    paragraph(t`Your invitation page for ${what} was just opened and asked to accept. If that was you, accept here. If it was not you, do nothing: nobody else can use your invitation.`, 'key'),
    ...(i.kind === 'license' ? [whatYouGet(i)] : []),
    answerButtons(i),
  ]);
}

export function notice(text: string | Inline): Message {
  return message(plain(text), [paragraph(text)]);
}

/**
 * The license's own invitation link, in the invitee's DM only. The deliverer opens the sealed link
 * into `link` just before this renders; without it (a key that no longer opens it) nothing secret shows.
 */
export function licenseLinkDm(m: Extract<OutboxMessage, { type: 'license_link' }>): Message {
  const email = emailCode(m.email);
  const steps = [
    `Open the link above (it is the license's own: please do not pass it on).`,
    t`Sign in to ${PRODUCT}, or create your account, with exactly ${email}: account emails are case sensitive.`,
    t`Once ${PRODUCT} opens under ${b(m.licenseName)}, press I'm in.`,
  ];
  const theLink = m.link === undefined ? paragraph([em('The link could not be opened here: ask a license admin to send it again.')]) : paragraph([link(m.link, m.link)]);
  return message(`${m.rotated ? 'The new invitation link' : 'The invitation link'} of ${m.licenseName}: open it and sign in with ${m.email ?? 'your account email'}.`, [
    heading(m.rotated ? `A new link to join ${m.licenseName}` : `Join ${m.licenseName} in ${PRODUCT}`),
    paragraph(
      m.rotated
        ? t`The license admins replaced the invitation link of ${b(m.licenseName)}; any earlier link no longer works. Here is the new one, for you only:`
        : t`Your seat in ${b(m.licenseName)} is handed over through the license's own invitation link, for you only:`,
      'key',
    ),
    theLink,
    lines(steps, { style: 'numbers' }),
    actions(`joined:${m.seatId}`, button("I'm in: it works", PROJECT_ACTIONS.joined, seatValue(m.seatId), 'primary')),
  ]);
}
