/** Block Kit for answers to commands and clicks: pure functions of domain results. */
import type { KnownBlock, ModalView } from '@slack/types';
import {
  HOW_TO_GET_PROJECT,
  PRODUCT,
  SEAT_DOES_NOT_GIVE,
  SEAT_VS_PROJECT,
  formatDate,
  isDomainError,
  nameOf,
  usageLine,
  figuresOf,
  fullReason,
  levelOf,
  levelNote,
  modelLine,
  placesLine,
  CONCURRENT_EXPLAINED,
  ASSIGNED_EXPLAINED,
  PROJECT_NEEDS_SEAT,
  type AcceptResult,
  type AnyInvitationSnapshot,
  type HandoffResult,
  type ProjectHandoffResult,
  type HandoffState,
  type InviteOutcome,
  type InviteResult,
  type LicenseUsage,
  type PersonStatus,
} from '../../../domain/index.js';
import { ACTIONS, INVITE_MODAL, PROJECT_ACTIONS, VIEWS, invitationValue, requestValue } from '../../../handlers/slack/action-ids.js';
import type { CommandHelp, SlackMessage, SlackViews } from '../../../handlers/slack/context.js';
import { LEVEL_ICON, actions, button, context, divider, esc, header, licenseOptions, message, section } from './blocks.js';
import { invitationStateDm } from './invitations.js';
import { projectStateDm } from './projects.js';
import { digestPage } from './review.js';
import { diagnosis, homeView, supportModal } from './support-home.js';
import { reconcileModal, reconcileReport } from './reconcile.js';
import { approveSeatModal, returnModal, seatDecision, shareModal, shareResult } from './project-views.js';

const usageOf = (u: LicenseUsage) => usageLine(figuresOf(u));

/** A seat in its hand-off state: accepted here is not yet usable there. */
const HANDOFF_NOTE: Record<HandoffState, string> = {
  awaiting: `: accepted, but not yet added in the ${PRODUCT} account portal, so ${PRODUCT} does not know it yet`,
  handed_over: `: added in the ${PRODUCT} account portal`,
  joined: `: added in the ${PRODUCT} account portal, and confirmed working`,
};

function help(commands: CommandHelp[]): SlackMessage {
  const line = (c: CommandHelp) => `\`/atlas ${esc(c.usage)}\`: ${esc(c.summary)}`;
  return message('What /atlas can do, and the difference between a license seat and project access.', [
    header('/atlas: license seats and project invitations'),
    section(`*Two different things*\n${SEAT_VS_PROJECT.map((l) => `• ${l}`).join('\n')}`),
    divider(),
    section(`*For everyone*\n${commands.filter((c) => !c.adminOnly).map(line).join('\n')}`),
    section(`*For license admins*\n${commands.filter((c) => c.adminOnly).map(line).join('\n')}`),
    context('Invitations arrive as a direct message from me, with a personal link that only works for the person it was made for.'),
  ]);
}

function licenses(usages: LicenseUsage[]): SlackMessage {
  if (usages.length === 0) {
    return message('There is no license pool yet.', [
      section(esc('There is no license pool yet. A license admin creates one with `/atlas license add "<name>" <seats>`.')),
    ]);
  }
  const models = new Set(usages.map((u) => u.license.seatModel));
  return message(
    usages.map((u) => `${u.license.name}: ${usageOf(u)}`).join('; '),
    [
      header(`${PRODUCT} licenses`),
      ...usages.map((u) => {
        const note = levelNote(figuresOf(u), levelOf(u));
        return section(`${LEVEL_ICON[levelOf(u)]} *${esc(u.license.name)}* · ${esc(usageOf(u))}${note ? ` · *${esc(note)}*` : ''}`);
      }),
      ...(models.has('concurrent') ? [context(CONCURRENT_EXPLAINED)] : []),
      ...(models.has('assigned') ? [context(ASSIGNED_EXPLAINED)] : []),
    ],
  );
}

function licenseAdded(u: LicenseUsage): SlackMessage {
  return message(`Created ${u.license.name}: ${modelLine(figuresOf(u))}.`, [
    section(`:white_check_mark: Created the license *${esc(u.license.name)}*: ${esc(modelLine(figuresOf(u)))}.`),
    context(u.license.seatModel === 'concurrent' ? CONCURRENT_EXPLAINED : ASSIGNED_EXPLAINED),
    context(`Invite people with \`/atlas invite-license @alice to "${esc(u.license.name)}"\`.`),
  ]);
}

function outcomeLine(o: InviteOutcome): string {
  const who = `*${esc(nameOf(o.invitee))}*`;
  switch (o.status) {
    case 'invited':
      return o.reachable
        ? `:envelope_with_arrow: ${who}: invited (#${o.invitationId}); they got a direct message with their personal link.`
        : `:incoming_envelope: ${who}: invited (#${o.invitationId}), but they are not in this Slack workspace: I sent you their link to forward.`;
    case 'already_pending':
      return `:hourglass: ${who}: already invited, pending since ${formatDate(o.since)} (#${o.invitationId}). No second link was made; use Resend below to send it again.`;
    case 'already_holds_seat':
      return `:ballot_box_with_check: ${who}: already holds a seat in this license.`;
    case 'no_free_seat':
      return `:no_entry: ${who}: not invited, the license is full. ${esc('Free a seat (`/atlas revoke <id>` on a pending invitation) or create a larger pool.')}`;
    case 'no_email':
      return `:grey_question: ${who}: Slack did not tell me their email; invite them by their account email instead.`;
  }
}

function inviteResult(r: InviteResult): SlackMessage {
  if (r.confirmation) {
    const c = r.confirmation;
    const name = r.license.license.name;
    const left = placesLine(figuresOf(r.license), c.free);
    const freeUp = r.license.license.seatModel === 'assigned' ? 'free seats first' : 'raise the member limit first';
    return message(`${c.newcomers} people, ${left} in ${name}: invite ${c.free} or cancel?`, [
      section(`:warning: *${c.newcomers} people, ${left}* in *${esc(name)}*. Nothing has been sent yet.`),
      section(`Invite the first ${c.free}, in the order given (the others are listed as not invited), or cancel and ${freeUp}.`),
      actions(
        `bulk:${c.requestId}`,
        button(`Invite the first ${c.free}`, PROJECT_ACTIONS.confirmBulk, requestValue(c.requestId), 'primary'),
        button('Cancel', PROJECT_ACTIONS.cancelBulk, requestValue(c.requestId)),
      ),
    ]);
  }
  const invited = r.outcomes.filter((o) => o.status === 'invited').length;
  const lines = r.outcomes.map(outcomeLine);
  const blocks: KnownBlock[] = [section(`*${esc(r.license.license.name)}*: ${invited} invited of ${r.outcomes.length}.`)];
  // ten people a section keeps each within Slack's 3000 characters; a long list is summarised
  const shown = lines.slice(0, 300);
  for (let i = 0; i < shown.length; i += 10) blocks.push(section(shown.slice(i, i + 10).join('\n')));
  if (lines.length > shown.length) blocks.push(context(`…and ${lines.length - shown.length} more; \`/atlas pending\` lists every open invitation.`));
  for (const o of r.outcomes) {
    if (o.status === 'already_pending') {
      blocks.push(actions(`resend:${o.invitationId}`, button(`Resend to ${nameOf(o.invitee)}`, ACTIONS.resend, invitationValue(o.invitationId))));
    }
  }
  blocks.push(context(`${esc(r.license.license.name)}: ${esc(usageOf(r.license))} · a seat gives the software, not a project.`));
  return message(`${invited} of ${r.outcomes.length} invited to ${r.license.license.name}.`, blocks);
}

export function statusBlocks(s: PersonStatus): KnownBlock[] {
  const who = s.self ? 'You' : esc(nameOf(s.person));
  const blocks: KnownBlock[] = [header(s.self ? 'Your status' : `Status of ${nameOf(s.person)}`)];
  blocks.push(
    section(
      s.seats.length
        ? `:white_check_mark: *Seats*: ${who} hold${s.self ? '' : 's'} ${s.seats.length === 1 ? 'a seat' : `${s.seats.length} seats`}:\n` +
            s.seats.map((x) => `• *${esc(x.licenseName)}* for \`${esc(x.email ?? '?')}\` since ${formatDate(x.since)}${HANDOFF_NOTE[x.handoff]}`).join('\n')
        : `:heavy_minus_sign: *Seats*: ${who} hold${s.self ? '' : 's'} no ${PRODUCT} seat yet${s.self ? '. A license admin can invite you.' : '.'}`,
    ),
  );
  blocks.push(
    section(
      s.pending.length
        ? `:hourglass: *Open license invitations*:\n` +
            s.pending.map((i) => `• #${i.invitationId} to *${esc(i.licenseName)}* from ${esc(i.inviterName)}, expires ${formatDate(i.expiresAt)}`).join('\n')
        : ':heavy_minus_sign: *Open license invitations*: none.',
    ),
  );
  const projectLines = [
    ...s.owns.map((p) => `• *${esc(p.projectName)}* (${p.edition === 'web' ? 'Web' : 'Desktop'}): owner`),
    ...s.projects.map(
      (p) =>
        `• *${esc(p.projectName)}* (${p.edition === 'web' ? 'Web' : 'Desktop'}, from ${esc(p.ownerName)}): ${p.kind === 'copy' ? 'has a copy' : p.handoff === 'handed_over' ? 'member' : 'accepted; the owner has not yet added them in ATLAS.ti Web'}` +
        (p.usable ? '' : ' · :warning: *unusable until a seat is held again*'),
    ),
    ...s.projectInvitations.map(
      (i) =>
        `• *${esc(i.projectName)}* (from ${esc(i.ownerName)}): ${i.status === 'waiting_for_seat' ? 'invited, *waiting for a seat*' : `invited, waiting for an answer (#${i.invitationId})`}`,
    ),
    ...s.returnedCopies.map((c) => `• *${esc(c.projectName)}*: updated copy sent back on ${formatDate(c.at)}`),
  ];
  blocks.push(
    section(
      projectLines.length
        ? `:file_folder: *Projects*:\n${projectLines.slice(0, 30).join('\n')}${projectLines.length > 30 ? `\n…and ${projectLines.length - 30} more` : ''}`
        : `:heavy_minus_sign: *Projects*: none shared with ${s.self ? 'you' : 'them'}. A seat alone shares no project.`,
    ),
  );
  blocks.push(context(`${SEAT_DOES_NOT_GIVE} ${HOW_TO_GET_PROJECT}`));
  if (s.isAdmin) blocks.push(context(`${who} ${s.self ? 'are' : 'is'} a license admin.`));
  return blocks;
}


function invitationState(i: AnyInvitationSnapshot): SlackMessage {
  return i.kind === 'license' ? invitationStateDm(i) : projectStateDm(i);
}

function acceptResult(r: AcceptResult): SlackMessage {
  switch (r.outcome) {
    case 'project_accepted':
    case 'project_already_accepted':
    case 'project_expired':
      return projectStateDm(r.invitation);
    case 'project_needs_seat':
      return message(`You need an ATLAS.ti seat to open ${r.invitation.projectName}.`, [
        section(
          `:warning: To open *${esc(r.invitation.projectName)}* you need an ATLAS.ti license seat under \`${esc(r.invitation.inviteeEmail ?? '')}\`, and you hold none right now. ${esc(PROJECT_NEEDS_SEAT)} Ask a license admin for a seat; your project invitation stays open.`,
        ),
      ]);
    case 'accepted':
    case 'already_accepted':
    case 'expired':
      return invitationStateDm(r.invitation);
    case 'no_free_seat':
      return message(`${r.invitation.licenseName} is full right now: ${fullReason(r.invitation)}.`, [
        section(
          `:warning: *${esc(r.invitation.licenseName)}* is full right now (${esc(fullReason(r.invitation))}), so I could not add you. Your invitation stays open and the license admins have been told; try Accept again once they make room.`,
        ),
      ]);
  }
}

function text(words: string, emoji?: string): SlackMessage {
  return message(words, [section(`${emoji ? `:${emoji}: ` : ''}${esc(words)}`)]);
}

function error(e: unknown): SlackMessage {
  if (isDomainError(e)) {
    const emoji = e.code === 'FORBIDDEN' || e.code === 'NOT_INVITEE' ? 'lock' : 'information_source';
    return text(e.userMessage, emoji);
  }
  return text('Something went wrong on my side, and nothing was changed. Please try again in a minute; if it keeps happening, tell your license admin.', 'warning');
}

function inviteModal(usages: LicenseUsage[]): ModalView {
  const options = licenseOptions(usages);
  const first = options[0];
  return {
    type: 'modal',
    callback_id: VIEWS.inviteLicense,
    title: { type: 'plain_text', text: 'Invite to a license' },
    submit: { type: 'plain_text', text: 'Invite' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(`Invite people to a *${PRODUCT} license seat*. A seat lets them use the software; it shares *no project*.`),
      {
        type: 'input',
        block_id: INVITE_MODAL.license.block,
        label: { type: 'plain_text', text: 'License' },
        element: {
          type: 'static_select',
          action_id: INVITE_MODAL.license.action,
          options,
          ...(usages.length === 1 && first ? { initial_option: first } : {}),
          placeholder: { type: 'plain_text', text: 'Pick a license' },
        },
      },
      {
        type: 'input',
        block_id: INVITE_MODAL.users.block,
        optional: true,
        label: { type: 'plain_text', text: 'People in this workspace' },
        element: { type: 'multi_users_select', action_id: INVITE_MODAL.users.action, placeholder: { type: 'plain_text', text: 'Pick people' } },
      },
      {
        type: 'input',
        block_id: INVITE_MODAL.emails.block,
        optional: true,
        label: { type: 'plain_text', text: 'Account emails' },
        hint: { type: 'plain_text', text: 'One or more, separated by commas or new lines. Exact case: account emails are case sensitive.' },
        element: { type: 'plain_text_input', action_id: INVITE_MODAL.emails.action, multiline: true, placeholder: { type: 'plain_text', text: 'alice@uni.edu' } },
      },
      {
        type: 'input',
        block_id: INVITE_MODAL.csv.block,
        optional: true,
        label: { type: 'plain_text', text: 'Or a CSV of emails' },
        hint: { type: 'plain_text', text: 'Every email in the file is invited, in the order of the file; duplicates once.' },
        element: { type: 'file_input', action_id: INVITE_MODAL.csv.action, filetypes: ['csv', 'txt'], max_files: 1 } as never,
      },
    ],
  };
}

function modalMessage(title: string, m: SlackMessage): ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: title.slice(0, 24) },
    close: { type: 'plain_text', text: 'Done' },
    // a button inside a modal has no response_url to answer through: results there are read-only
    blocks: m.blocks.filter((b) => b.type !== 'actions').slice(0, 100),
  };
}

function handoffResult(r: HandoffResult): SlackMessage {
  switch (r.outcome) {
    case 'handed_over':
      return message(`${r.byName} added ${r.personName} to ${r.licenseName} in the ${PRODUCT} account portal.`, [
        section(`:white_check_mark: *${esc(r.byName)}* added *${esc(r.personName)}*${r.email ? ` (\`${esc(r.email)}\`)` : ''} to *${esc(r.licenseName)}* in the ${PRODUCT} account portal. I told ${esc(r.personName)} their seat is ready.`),
      ]);
    case 'already_handed_over':
      return message(`${r.personName} was already added to ${r.licenseName}.`, [
        section(`:information_source: *${esc(r.personName)}* was already added to *${esc(r.licenseName)}*${r.byName ? ` (by ${esc(r.byName)})` : ''}. Nothing more to do.`),
      ]);
    case 'released':
      return message(`${r.personName}'s seat in ${r.licenseName} was released.`, [
        section(`:information_source: *${esc(r.personName)}*'s seat in *${esc(r.licenseName)}* was released before anyone added them, so there is nothing to add in the portal.`),
      ]);
  }
}

function projectHandoffResult(r: ProjectHandoffResult): SlackMessage {
  if (r.outcome === 'already_handed_over') {
    return message(`${r.personName} was already added to ${r.projectName}.`, [
      section(`:information_source: *${esc(r.personName)}* was already added to *${esc(r.projectName)}* in ATLAS.ti Web${r.byName ? ` (by ${esc(r.byName)})` : ''}. Nothing more to do.`),
    ]);
  }
  return message(`${r.byName} added ${r.personName} to ${r.projectName} in ATLAS.ti Web.`, [
    section(`:white_check_mark: *${esc(r.byName)}* added *${esc(r.personName)}*${r.email ? ` (\`${esc(r.email)}\`)` : ''} to *${esc(r.projectName)}* in ATLAS.ti Web. I told them to confirm ATLAS.ti Web's invitation email.`),
  ]);
}

export const slackViews: SlackViews = {
  help,
  licenses,
  licenseAdded,
  inviteResult,
  digestPage,
  acceptResult,
  invitationState,
  handoffResult,
  projectHandoffResult,
  reconcileModal,
  reconcileReport,
  text,
  error,
  inviteModal,
  modalMessage,
  shareModal,
  shareResult,
  returnModal,
  approveSeatModal,
  seatDecision,
  diagnosis,
  supportModal,
  homeView,
};
