/** Answers to commands and clicks, as the message model: pure functions of domain results. The views both platforms render. */
import {
  ASSIGNED_EXPLAINED,
  CHAT,
  icon,
  WORKSPACE,
  plain,
  CONCURRENT_EXPLAINED,
  PRODUCT,
  PROJECT_NEEDS_SEAT,
  SEAT_VS_PROJECT,
  actions,
  b,
  button,
  cmd,
  code,
  divider,
  figuresOf,
  formatDate,
  link,
  fullReason,
  heading,
  isDomainError,
  levelNote,
  levelOf,
  lines,
  message,
  modelLine,
  nameOf,
  note,
  paragraph,
  placesLine,
  t,
  usageLine,
  words,
  type AcceptResult,
  type AnyInvitationSnapshot,
  type Block,
  type EmailQuestion,
  type HandoffResult,
  type Icon,
  type Inline,
  type InviteOutcome,
  type InviteResult,
  type LicenseUsage,
  type ExportTable,
  type Message,
  type ProjectHandoffResult,
  type SeatRelease,
  type LicenseRetirement,
  type History,
  type MembersPage,
} from '../../domain/index.js';
import { ACTIONS, PROJECT_ACTIONS, invitationValue, licenseValue, membersValue, requestValue, seatValue } from '../../handlers/slack/action-ids.js';
import type { CommandHelp, Views } from '../../handlers/views.js';
import type { FileDelivered } from '../../handlers/commands/types.js';
import { invitationStateDm, nameAndEmail } from './invitations.js';
import { projectStateDm } from './projects.js';
import { digestPage } from './review.js';
import { diagnosis, home } from './support-home.js';
import { reconcileReport } from './reconcile.js';
import { seatDecision, shareResult } from './project-views.js';
import { approveSeatForm, denySeatForm, inviteForm, reconcileForm, requestSeatForm, returnForm, shareForm, supportForm } from './forms.js';
import { seatAskResult } from './seat-requests.js';
import { LEVEL_ICON } from './words.js';

const usageOf = (u: LicenseUsage) => usageLine(figuresOf(u));

/** The help of each command table (there is one): the same words for everyone, at any time, made once. */
const helpOf = new WeakMap<readonly CommandHelp[], Message>();

function help(commands: CommandHelp[]): Message {
  let made = helpOf.get(commands);
  if (!made) {
    made = helpMessage(commands);
    // shared by every answer: nothing may add to it
    Object.freeze(made.blocks);
    helpOf.set(commands, Object.freeze(made));
  }
  return made;
}

function helpMessage(commands: CommandHelp[]): Message {
  const line = (c: CommandHelp) => t`${cmd(c.usage)}: ${c.summary}`;
  return message('What I can do, and the difference between a license seat and project access.', [
    heading('License seats and project invitations'),
    lines(SEAT_VS_PROJECT, { title: [b('Two different things')], style: 'bullets' }),
    divider(),
    lines(commands.filter((c) => !c.adminOnly).map(line), { title: [b('For everyone')] }),
    lines(commands.filter((c) => c.adminOnly).map(line), { title: [b('For license admins')] }),
    note('Invitations arrive as a direct message from me, with a personal link that only works for the person it was made for.'),
  ]);
}

function licenses(usages: LicenseUsage[]): Message {
  if (usages.length === 0) {
    return message('There is no license pool yet.', [paragraph(t`There is no license pool yet. A license admin creates one with ${cmd('license add "<name>" <seats>')}.`)]);
  }
  const models = new Set(usages.map((u) => u.license.seatModel));
  return message(usages.map((u) => `${u.license.name}: ${usageOf(u)}`).join('; '), [
    heading(`${PRODUCT} licenses`),
    ...usages.map((u) => {
      const level = levelNote(figuresOf(u), levelOf(u));
      return paragraph(t`${b(u.license.name)} · ${usageOf(u)}${level ? t` · ${b(level)}` : ''}`, LEVEL_ICON[levelOf(u)]);
    }),
    ...(models.has('concurrent') ? [note(CONCURRENT_EXPLAINED)] : []),
    ...(models.has('assigned') ? [note(ASSIGNED_EXPLAINED)] : []),
  ]);
}

function licenseAdded(u: LicenseUsage): Message {
  return message(`Created ${u.license.name}: ${modelLine(figuresOf(u))}.`, [
    paragraph(t`Created the license ${b(u.license.name)}: ${modelLine(figuresOf(u))}.`, 'white_check_mark'),
    note(u.license.seatModel === 'concurrent' ? CONCURRENT_EXPLAINED : ASSIGNED_EXPLAINED),
    note(t`Invite people with ${cmd(`invite-license @alice to "${u.license.name}"`)}.`),
  ]);
}

function outcomeLine(o: InviteOutcome): { icon: Icon; text: Inline } {
  const who = b(nameOf(o.invitee));
  switch (o.status) {
    case 'invited':
      return o.reachable
        ? { icon: 'envelope_with_arrow', text: t`${who}: invited (#${o.invitationId}); they got a direct message with their personal link.` }
        : { icon: 'incoming_envelope', text: t`${who}: invited (#${o.invitationId}), but they are not in ${WORKSPACE}: I sent you their link to forward.` };
    case 'already_pending':
      return { icon: 'hourglass', text: t`${who}: already invited, pending since ${formatDate(o.since)} (#${o.invitationId}). No second link was made; use Resend below to send it again.` };
    case 'already_holds_seat':
      return { icon: 'ballot_box_with_check', text: t`${who}: already holds a seat in this license.` };
    case 'no_free_seat':
      return { icon: 'no_entry', text: t`${who}: not invited, the license is full. Free a seat (${cmd('revoke <id>')} on a pending invitation) or create a larger pool.` };
    case 'no_email':
      return { icon: 'grey_question', text: t`${who}: ${CHAT} did not tell me their email; invite them by their account email instead.` };
  }
}

const WHY: Record<EmailQuestion['why'], (q: EmailQuestion) => Inline> = {
  case: (q) => t`You typed ${code(q.typed)}; the email on record is ${code(q.suggestion)}. Account emails are case sensitive, so only the exact spelling opens ${PRODUCT}.`,
  near: (q) => t`You typed ${code(q.typed)}. Did you mean ${code(q.suggestion)}? That is the email on record for someone here.`,
  domain: (q) => t`You typed ${code(q.typed)}. Did you mean ${code(q.suggestion)}? Nobody here has an email at ${code(q.typed.slice(q.typed.lastIndexOf('@') + 1))}.`,
};

/** The Slack and Teams limit on a button's value is about 2,000 characters: a longer command is retyped, not pressed. */
const RETRY_MAX = 1900;

function emailQuestions(questions: EmailQuestion[], retry: { onRecord: string | null; asTyped: string | null }): Message {
  const n = questions.length;
  const buttons = [
    ...(retry.onRecord && retry.onRecord.length <= RETRY_MAX
      ? [button(n === 1 ? `Use ${questions[0]!.suggestion}` : `Use the ${n} emails on record`, PROJECT_ACTIONS.retryCommand, retry.onRecord, 'primary')]
      : []),
    ...(retry.asTyped && retry.asTyped.length <= RETRY_MAX ? [button(n === 1 ? 'Send as I typed it' : 'Send as I typed them', PROJECT_ACTIONS.retryCommand, retry.asTyped)] : []),
  ];
  return message(`Nothing sent yet: ${n === 1 ? 'an email looks' : `${n} emails look`} mistyped. Did you mean ${questions.map((q) => q.suggestion).join(', ')}?`, [
    paragraph(
      t`${b('Nothing sent yet.')} ${n === 1 ? 'This email looks' : `These ${n} emails look`} mistyped, and an invitation to an address nobody owns would never open (or hold a seat for no one):`,
      'warning',
    ),
    lines(questions.slice(0, 20).map((q) => WHY[q.why](q)), { style: 'bullets' }),
    ...(n > 20 ? [note(`…and ${n - 20} more.`)] : []),
    ...(buttons.length ? [actions('email_questions', ...buttons)] : [note('Type the command again with the emails on record.')]),
  ]);
}

const projectsKept = (names: string[]): string =>
  names.length === 0 ? '' : names.length === 1 ? ` Their project ${names[0]} is kept, unusable until they hold a seat again.` : ` Their ${names.length} projects are kept, unusable until they hold a seat again.`;

function seatReleaseQuestion(r: SeatRelease): Message {
  const who = nameOf(r.person);
  return message(`Release ${who}'s seat in ${r.licenseName}?`, [
    paragraph(t`${b(`Release ${who}'s seat in ${r.licenseName}?`)} They can no longer use ${PRODUCT} under it, and they are told.${projectsKept(r.projectNames)} This cannot be undone; you can invite them again later.`, 'warning'),
    actions(`release:${r.seatId}`, button(`Release ${who}'s seat`, PROJECT_ACTIONS.releaseSeat, seatValue(r.seatId), 'danger')),
  ]);
}

const people = (n: number, one: string, many: string) => (n === 1 ? `1 ${one}` : `${n} ${many}`);

function retireQuestion(r: LicenseRetirement): Message {
  return message(`Retire ${r.name}?`, [
    paragraph(
      t`${b(`Retire ${r.name}?`)} ${people(r.members, "member's seat ends", "members' seats end")} (each is told, and their projects are kept, unusable until they hold a seat again), and ${people(r.pending, 'pending invitation is', 'pending invitations are')} withdrawn (each invitee is told). The pool takes no invitation again; it is kept for the history. This cannot be undone.`,
      'warning',
    ),
    actions(`retire:${r.licenseId}`, button(`Retire ${r.name}`, PROJECT_ACTIONS.retireLicense, licenseValue(r.licenseId), 'danger')),
  ]);
}

/** the most lines a history shows (the newest): a chat message holds 50 blocks, one block takes 10 lines here */
const HISTORY_LINES = 60;

function history(h: History): Message {
  if (h.lines.length === 0) return message(`Nothing is recorded about ${h.about} yet.`, [paragraph(`Nothing is recorded about ${h.about} yet.`, 'information_source')]);
  const shown = h.lines.slice(-HISTORY_LINES);
  const at = (ms: number) => `${formatDate(ms)} ${new Date(ms).toISOString().slice(11, 16)} UTC`;
  const blocks: Block[] = [heading(`History of ${h.about}`)];
  if (h.lines.length > shown.length) blocks.push(note(`${h.lines.length - shown.length} earlier entries are not shown.`));
  for (let i = 0; i < shown.length; i += 10) blocks.push(lines(shown.slice(i, i + 10).map((l) => t`${b(at(l.at))} ${l.text}`)));
  return message(`History of ${h.about}: ${h.lines.length} ${h.lines.length === 1 ? 'entry' : 'entries'}.`, blocks);
}

function members(p: MembersPage): Message {
  const of = p.filter ? ` matching "${p.filter}"` : '';
  const blocks: Block[] = [heading(`${p.licenseName}: ${p.total} ${p.total === 1 ? 'person' : 'people'}${of}`)];
  if (p.total === 0) blocks.push(paragraph(p.filter ? `Nobody in ${p.licenseName} matches "${p.filter}".` : `Nobody holds or is invited to a seat in ${p.licenseName} yet.`, 'information_source'));
  for (let i = 0; i < p.lines.length; i += 10) {
    blocks.push(lines(p.lines.slice(i, i + 10).map((m) => t`${nameAndEmail(m.name, m.email)} · ${b(m.state)} since ${formatDate(m.since)} · invited by ${m.by}`), { style: 'bullets' }));
  }
  if (p.pages > 1) {
    blocks.push(note(`Page ${p.page} of ${p.pages}.`));
    const nav = [
      ...(p.page > 1 ? [button('Previous', PROJECT_ACTIONS.membersPage, membersValue(p.licenseId, p.page - 1, p.filter))] : []),
      ...(p.page < p.pages ? [button('Next', PROJECT_ACTIONS.membersPage, membersValue(p.licenseId, p.page + 1, p.filter))] : []),
    ];
    blocks.push(actions(`members:${p.licenseId}:${p.page}`, ...nav));
  }
  return message(`${p.licenseName}: ${p.total} people${of}, page ${p.page} of ${p.pages}.`, blocks);
}

function licenseRetired(r: LicenseRetirement): Message {
  return message(`Retired ${r.name}.`, [
    paragraph(`Retired ${r.name}: ${people(r.members, 'seat ended', 'seats ended')}, ${people(r.pending, 'invitation', 'invitations')} withdrawn; everyone concerned was told.`, 'white_check_mark'),
  ]);
}

function seatReleased(r: SeatRelease): Message {
  return message(`Released ${nameOf(r.person)}'s seat in ${r.licenseName}.`, [paragraph(`Released ${nameOf(r.person)}'s seat in ${r.licenseName}.${projectsKept(r.projectNames)}`, 'information_source')]);
}

function inviteResult(r: InviteResult): Message {
  if (r.confirmation) {
    const c = r.confirmation;
    const name = r.license.license.name;
    const left = placesLine(figuresOf(r.license), c.free);
    const freeUp = r.license.license.seatModel === 'assigned' ? 'free seats first' : 'raise the member limit first';
    const listed = (names: string[], total: number) => [...names, ...(total > names.length ? [`…and ${total - names.length} more`] : [])];
    return message(`${c.newcomers} people, ${left} in ${name}: invite ${c.free} or cancel?`, [
      paragraph(t`${b(`${c.newcomers} people, ${left}`)} in ${b(name)}. Nothing has been sent yet.`, 'warning'),
      paragraph(
        c.reordered
          ? `People who hold no seat in any pool come first, then the order you gave. Invite these ${c.free}, or cancel and ${freeUp}. Whoever is left out and reachable in chat is told why, and whom to ask.`
          : `Invite these ${c.free}, in the order given, or cancel and ${freeUp}. Whoever is left out and reachable in chat is told why, and whom to ask.`,
      ),
      lines(listed(c.invite, c.free), { title: [b(`Would be invited (${c.free})`)], style: 'bullets' }),
      lines(listed(c.cut, c.newcomers - c.free), { title: [b(`Would not be invited (${c.newcomers - c.free})`)], style: 'bullets' }),
      actions(
        `bulk:${c.requestId}`,
        button(`Invite the first ${c.free}`, PROJECT_ACTIONS.confirmBulk, requestValue(c.requestId), 'primary'),
        button('Cancel', PROJECT_ACTIONS.cancelBulk, requestValue(c.requestId)),
      ),
    ]);
  }
  const invited = r.outcomes.filter((o) => o.status === 'invited').length;
  const blocks: Block[] = [paragraph(t`${b(r.license.license.name)}: ${invited} invited of ${r.outcomes.length}.`)];
  // a long list is summarised: the pending review has every open invitation
  const shown = r.outcomes.slice(0, 300);
  for (let i = 0; i < shown.length; i += 10) {
    blocks.push(lines(shown.slice(i, i + 10).map((o) => {
      const l = outcomeLine(o);
      return words(icon(l.icon), ' ', l.text);
    })));
  }
  if (r.outcomes.length > shown.length) blocks.push(note(t`…and ${r.outcomes.length - shown.length} more; ${cmd('pending')} lists every open invitation.`));
  for (const o of r.outcomes) {
    if (o.status === 'already_pending') {
      blocks.push(actions(`resend:${o.invitationId}`, button(`Resend to ${nameOf(o.invitee)}`, ACTIONS.resend, invitationValue(o.invitationId))));
    }
  }
  blocks.push(note(`${r.license.license.name}: ${usageOf(r.license)} · a seat gives the software, not a project.`));
  return message(`${invited} of ${r.outcomes.length} invited to ${r.license.license.name}.`, blocks);
}


function invitationState(i: AnyInvitationSnapshot): Message {
  return i.kind === 'license' ? invitationStateDm(i) : projectStateDm(i);
}

function acceptResult(r: AcceptResult): Message {
  switch (r.outcome) {
    case 'project_accepted':
    case 'project_already_accepted':
    case 'project_expired':
      return projectStateDm(r.invitation);
    case 'project_needs_seat':
      return message(`You need an ATLAS.ti seat to open ${r.invitation.projectName}.`, [
        paragraph(
          t`To open ${b(r.invitation.projectName)} you need an ATLAS.ti license seat under ${code(r.invitation.inviteeEmail ?? '')}, and you hold none right now. ${PROJECT_NEEDS_SEAT} Ask a license admin for a seat; your project invitation stays open.`,
          'warning',
        ),
        actions(`ask_seat:${r.invitation.invitationId}`, button('Request a seat', PROJECT_ACTIONS.askSeat, 'ask', 'primary')),
      ]);
    case 'accepted':
    case 'already_accepted':
    case 'expired':
      return invitationStateDm(r.invitation);
    case 'no_free_seat':
      return message(`${r.invitation.licenseName} is full right now: ${fullReason(r.invitation)}.`, [
        paragraph(
          t`${b(r.invitation.licenseName)} is full right now (${fullReason(r.invitation)}), so I could not add you. Your invitation stays open and the license admins have been told; try Accept again once they make room.`,
          'warning',
        ),
      ]);
  }
}

function text(said: string | Inline, icon?: Icon): Message {
  const inline = typeof said === 'string' ? words(said) : said;
  return message(plain(inline), [paragraph(inline, icon)]);
}

function error(e: unknown): Message {
  if (isDomainError(e)) return text(e.words, e.code === 'FORBIDDEN' || e.code === 'NOT_INVITEE' ? 'lock' : 'information_source');
  return text('Something went wrong on my side, and nothing was changed. Please try again in a minute; if it keeps happening, tell your license admin.', 'warning');
}

function handoffResult(r: HandoffResult): Message {
  switch (r.outcome) {
    case 'handed_over':
      return message(`${r.byName} added ${r.personName} to ${r.licenseName} in the ${PRODUCT} account portal.`, [
        paragraph(
          t`${b(r.byName)} added ${nameAndEmail(r.personName, r.email)} to ${b(r.licenseName)} in the ${PRODUCT} account portal. I told ${r.personName} their seat is ready.`,
          'white_check_mark',
        ),
      ]);
    case 'already_handed_over':
      return message(`${r.personName} was already added to ${r.licenseName}.`, [
        paragraph(t`${b(r.personName)} was already added to ${b(r.licenseName)}${r.byName ? ` (by ${r.byName})` : ''}. Nothing more to do.`, 'information_source'),
      ]);
    case 'released':
      return message(`${r.personName}'s seat in ${r.licenseName} was released.`, [
        paragraph(t`${b(r.personName)}'s seat in ${b(r.licenseName)} was released before anyone added them, so there is nothing to add in the portal.`, 'information_source'),
      ]);
  }
}

function projectHandoffResult(r: ProjectHandoffResult): Message {
  if (r.outcome === 'already_handed_over') {
    return message(`${r.personName} was already added to ${r.projectName}.`, [
      paragraph(t`${b(r.personName)} was already added to ${b(r.projectName)} in ATLAS.ti Web${r.byName ? ` (by ${r.byName})` : ''}. Nothing more to do.`, 'information_source'),
    ]);
  }
  return message(`${r.byName} added ${r.personName} to ${r.projectName} in ATLAS.ti Web.`, [
    paragraph(
      t`${b(r.byName)} added ${nameAndEmail(r.personName, r.email)} to ${b(r.projectName)} in ATLAS.ti Web. I told them to confirm ATLAS.ti Web's invitation email.`,
      'white_check_mark',
    ),
  ]);
}

const EXPORT_WHAT: Record<ExportTable['kind'], string> = {
  members: 'members and invitees',
  invitations: 'invitations',
  audit: 'audit log entries',
};

function exportComment(x: ExportTable): string {
  const n = x.rows.length;
  return `${n} ${EXPORT_WHAT[x.kind]} ${x.licenseName ? `of ${x.licenseName}` : 'of every license'}, as of ${formatDate(x.at)}. Columns are explained in the README ("Exports").`;
}

function exported(x: ExportTable, delivered: FileDelivered): Message {
  const what = `${x.filename} (${x.rows.length} ${x.rows.length === 1 ? 'row' : 'rows'})`;
  if (delivered.how === 'file') return message(`Sent ${what} to your messages with me.`, [paragraph(t`Sent ${b(x.filename)} (${x.rows.length} ${x.rows.length === 1 ? 'row' : 'rows'}) to your messages with me.`, 'page_facing_up')]);
  return message(`Your export ${what} is ready to download for 15 minutes.`, [
    paragraph(t`${link(`Download ${x.filename}`, delivered.link)} (${x.rows.length} ${x.rows.length === 1 ? 'row' : 'rows'}): the link works once, for 15 minutes, and only while you are an admin. Do not forward it: whoever opens it first gets the file.`, 'page_facing_up'),
  ]);
}

export const views: Views = {
  exportComment,
  exported,
  help,
  licenses,
  licenseAdded,
  inviteResult,
  emailQuestions,
  seatReleaseQuestion,
  seatReleased,
  retireQuestion,
  licenseRetired,
  history,
  members,
  digestPage,
  acceptResult,
  invitationState,
  handoffResult,
  projectHandoffResult,
  reconcileReport,
  text,
  error,
  shareResult,
  seatDecision,
  seatAsk: seatAskResult,
  diagnosis,
  home,
  inviteForm,
  shareForm,
  returnForm,
  approveSeatForm,
  denySeatForm,
  requestSeatForm,
  supportForm,
  reconcileForm,
};
