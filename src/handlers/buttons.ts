/**
 * What every button does, on any platform: the action id names it, its value names the invitation
 * (or request, or project). Who may press it is decided by the domain verb, never by the value.
 */
import {
  acceptInvitation,
  confirmHandoff,
  confirmHandoffs,
  confirmJoined,
  confirmProjectHandoff,
  resendHandoff,
  confirmInviteRequest,
  declineInvitation,
  decideSeatRequest,
  exportTable,
  home,
  openSeatRequest,
  dropExpired,
  extendInvitation,
  formatDate,
  isDomainError,
  nameOf,
  reinvite,
  releaseSeat,
  retireLicense,
  membersOf,
  requestSeat,
  resendInvitation,
  revokeInvitation,
  cmd,
  t,
  type Actor,
  type Message,
  type DomainDeps,
} from '../domain/index.js';
import { ACTIONS, PROJECT_ACTIONS, parseInvitationValue, parseProjectValue, parseRequestValue, parseSeatValue, parseSeatsValue, parseAccessValue, parseLicenseValue, parseMembersValue } from './slack/action-ids.js';
import type { Views } from './views.js';
import type { FileDelivered, FileToSend } from './commands/types.js';
import { csvOf } from './export-file.js';

type ButtonForm =
  | { form: 'approve_seat'; requestId: number }
  | { form: 'deny_seat'; requestId: number }
  | { form: 'request_seat' }
  | { form: 'return_project'; projectId?: number }
  | { form: 'share_project' };

export interface ButtonArgs {
  deps: DomainDeps;
  views: Views;
  actor: Actor;
  value: string | undefined;
  openForm(form: ButtonForm): Promise<void>;
  /** runs a command as the clicker, answered the way the platform answers commands */
  runCommand(text: string): Promise<void>;
  /** delivers a file to the clicker (an export) */
  sendFile(file: FileToSend): Promise<FileDelivered>;
}

/**
 * replace: the clicked message becomes this (the invitee's own card); otherwise only the clicker is
 * answered (`post`: with the whole message, a link in it, not a toast); `opened`: a form (or a command) answers instead
 */
export type ButtonAnswer = { message: Message; replace: boolean; post?: true } | { opened: true };

const STALE = t`That button is from an older version of this message. Please use ${cmd('status')} to see where things stand.`;

function withId(parse: (v: unknown) => number | null, run: (id: number, a: ButtonArgs) => Promise<ButtonAnswer>) {
  return (a: ButtonArgs): Promise<ButtonAnswer> => {
    const id = parse(a.value);
    return id === null ? Promise.resolve({ message: a.views.text(STALE, 'thinking_face'), replace: false }) : run(id, a);
  };
}
const byInvitation = (run: (id: number, a: ButtonArgs) => Promise<ButtonAnswer>) => withId(parseInvitationValue, run);

const REINVITED: Record<string, (name: string, id?: number) => string> = {
  invited: (n, id) => `Invited ${n} again (invitation #${id}), with a new link.`,
  already_pending: (n) => `${n} already has an open invitation for this.`,
  already_holds_seat: (n) => `${n} holds a seat already.`,
  already_has_access: (n) => `${n} has the project already.`,
  no_free_seat: () => 'The license is full, so nothing was sent. Free a seat first.',
  waiting_for_seat: (n) => `${n} holds no seat now, so the invitation waits for one.`,
  email_case_mismatch: () => 'The email differs in letter case from the one on record, so nothing was sent; share again with the exact email.',
};

/** The button for an action id, own properties only: `toString`, `__proto__` and the like are no button. */
export function buttonFor(actionId: unknown): ((a: ButtonArgs) => Promise<ButtonAnswer>) | undefined {
  return typeof actionId === 'string' && Object.hasOwn(BUTTONS, actionId) ? BUTTONS[actionId] : undefined;
}

export const BUTTONS: Record<string, (a: ButtonArgs) => Promise<ButtonAnswer>> = {
  [ACTIONS.accept]: byInvitation(async (invitationId, { deps, views, actor }) => {
    const r = await acceptInvitation({ deps, actor, input: { invitationId } });
    return { message: views.acceptResult(r), replace: r.outcome !== 'no_free_seat' && r.outcome !== 'project_needs_seat' };
  }),
  [ACTIONS.decline]: byInvitation(async (invitationId, { deps, views, actor }) => {
    const r = await declineInvitation({ deps, actor, input: { invitationId } });
    return { message: views.invitationState(r.invitation), replace: true };
  }),
  [ACTIONS.resend]: byInvitation(async (invitationId, { deps, views, actor }) => {
    const r = await resendInvitation({ deps, actor, input: { invitationId } });
    return { message: views.text(`Sent a fresh invitation #${invitationId} to ${r.invitation.inviteeName}; the old link no longer works.`, 'repeat'), replace: false };
  }),
  [ACTIONS.revoke]: byInvitation(async (invitationId, { deps, views, actor }) => {
    const r = await revokeInvitation({ deps, actor, input: { invitationId } });
    const freed = r.invitation.kind === 'license' ? 'the seat is free again' : 'its link no longer works';
    return { message: views.text(`Withdrew invitation #${invitationId} (${r.invitation.inviteeName}); ${freed}.`, 'wastebasket'), replace: false };
  }),
  [PROJECT_ACTIONS.extend]: byInvitation(async (invitationId, { deps, views, actor }) => {
    const r = await extendInvitation({ deps, actor, input: { invitationId } });
    return { message: views.text(`Invitation #${invitationId} (${r.invitation.inviteeName}) now expires on ${formatDate(r.expiresAt)}. Its link keeps working.`, 'calendar'), replace: false };
  }),
  [PROJECT_ACTIONS.reinvite]: byInvitation(async (invitationId, { deps, views, actor }) => {
    const { outcome } = await reinvite({ deps, actor, input: { invitationId } });
    const words = REINVITED[outcome.status]?.(nameOf(outcome.invitee), 'invitationId' in outcome ? outcome.invitationId : undefined) ?? 'Done.';
    // the expiry notice (a list, perhaps) is updated in place by the outbox: the answer goes to the clicker
    return { message: views.text(words, 'repeat'), replace: false };
  }),
  [PROJECT_ACTIONS.drop]: byInvitation(async (invitationId, { deps, views, actor }) => {
    // nothing changes: the invitation is already over; the notice is simply closed
    await dropExpired({ deps, actor, input: { invitationId } });
    return { message: views.text(`Dropped: invitation #${invitationId} stays expired.`, 'white_check_mark'), replace: false };
  }),
  [PROJECT_ACTIONS.requestSeat]: byInvitation(async (projectInvitationId, { deps, views, actor }) => {
    const r = await requestSeat({ deps, actor, input: { projectInvitationId } });
    return {
      message: views.text(
        r.alreadyAsked ? `You already asked (seat request #${r.request.id}); the admins have it.` : `Asked the license admins for a seat for ${r.request.email} (request #${r.request.id}). You will hear their answer here.`,
        'raising_hand',
      ),
      replace: false,
    };
  }),
  [PROJECT_ACTIONS.approveSeat]: withId(parseRequestValue, async (requestId, { deps, views, actor, openForm }) => {
    // one click when the pool is known (a person's own request names it, or there is one pool);
    // otherwise the admin picks one in a form (nothing was written before that question)
    try {
      return { message: views.seatDecision(await decideSeatRequest({ deps, actor, input: { requestId, approve: true } })), replace: false };
    } catch (e) {
      if (!isDomainError(e) || e.code !== 'LICENSE_REQUIRED') throw e;
      await openForm({ form: 'approve_seat', requestId });
      return { opened: true };
    }
  }),
  [PROJECT_ACTIONS.denySeat]: withId(parseRequestValue, async (requestId, { deps, actor, openForm }) => {
    // a reason first (optional), for whoever asked; a stranger or a late click is told at once
    await openSeatRequest({ deps, actor, input: { requestId } });
    await openForm({ form: 'deny_seat', requestId });
    return { opened: true };
  }),
  [PROJECT_ACTIONS.askSeat]: async ({ openForm }) => {
    await openForm({ form: 'request_seat' });
    return { opened: true };
  },
  [PROJECT_ACTIONS.confirmBulk]: withId(parseRequestValue, async (requestId, { deps, views, actor }) => {
    const r = await confirmInviteRequest({ deps, actor, input: { requestId, confirm: true } });
    return { message: 'outcomes' in r ? views.inviteResult(r) : views.text('Cancelled.', 'x'), replace: true };
  }),
  [PROJECT_ACTIONS.cancelBulk]: withId(parseRequestValue, async (requestId, { deps, views, actor }) => {
    await confirmInviteRequest({ deps, actor, input: { requestId, confirm: false } });
    return { message: views.text('Cancelled: nobody was invited.', 'x'), replace: true };
  }),
  [PROJECT_ACTIONS.handoffDone]: withId(parseSeatValue, async (seatId, { deps, views, actor }) => {
    const r = await confirmHandoff({ deps, actor, input: { seatId } });
    // the to-do becomes its outcome, so its Done button is gone once it is done
    return { message: views.handoffResult(r), replace: true };
  }),
  [PROJECT_ACTIONS.handoffDoneAll]: async ({ deps, views, actor, value }) => {
    const seatIds = parseSeatsValue(value);
    if (seatIds === null) return { message: views.text(STALE, 'thinking_face'), replace: false };
    const r = await confirmHandoffs({ deps, actor, input: { seatIds } });
    const done = r.handedOver.length ? `Marked ${r.handedOver.length} as added in the portal (${r.handedOver.join(', ')}); each was told their seat is ready.` : 'Nobody left to mark.';
    const rest = [r.already ? `${r.already} had been marked already` : '', r.released ? `${r.released} released since` : ''].filter(Boolean).join(', ');
    return { message: views.text(`${done}${rest ? ` (${rest}.)` : ''}`, 'white_check_mark'), replace: true };
  },
  [PROJECT_ACTIONS.joined]: withId(parseSeatValue, async (seatId, { deps, views, actor }) => ({
    message: views.invitationState(await confirmJoined({ deps, actor, input: { seatId } })),
    replace: true,
  })),
  [PROJECT_ACTIONS.resendHandoff]: withId(parseSeatValue, async (seatId, { deps, views, actor }) => {
    const r = await resendHandoff({ deps, actor, input: { seatId } });
    const how = { link: `sent ${r.personName} the license's invitation link again`, webhook: 'passed it to the provisioning webhook again', admin: 'posted a new to-do to add them in the portal' }[r.how];
    return { message: views.text(`Handing ${r.personName}'s seat in ${r.licenseName} over again: I ${how}.`, 'repeat'), replace: false };
  }),
  [PROJECT_ACTIONS.memberAdded]: withId(parseAccessValue, async (accessId, { deps, views, actor }) => ({
    message: views.projectHandoffResult(await confirmProjectHandoff({ deps, actor, input: { accessId } })),
    replace: true,
  })),
  [PROJECT_ACTIONS.releaseSeat]: withId(parseSeatValue, async (seatId, { deps, views, actor }) => ({
    // the question becomes its answer, so its button is gone once it is done
    message: views.seatReleased(await releaseSeat({ deps, actor, input: { seatId } })),
    replace: true,
  })),
  [PROJECT_ACTIONS.membersPage]: async ({ deps, views, actor, value }) => {
    const v = parseMembersValue(value);
    if (!v) return { message: views.text(STALE, 'thinking_face'), replace: false };
    return { message: views.members(await membersOf({ deps, actor, input: { licenseId: v.licenseId, page: v.page, filter: v.filter } })), replace: true };
  },
  [PROJECT_ACTIONS.retireLicense]: withId(parseLicenseValue, async (licenseId, { deps, views, actor }) => ({
    message: views.licenseRetired(await retireLicense({ deps, actor, input: { licenseId } })),
    replace: true,
  })),
  [PROJECT_ACTIONS.homeRefresh]: async ({ deps, views, actor }) => ({ message: views.home(await home({ deps, actor, input: undefined })), replace: true }),
  [PROJECT_ACTIONS.homePending]: async ({ runCommand }) => {
    await runCommand('pending');
    return { opened: true };
  },
  [PROJECT_ACTIONS.exportMembers]: withId(parseLicenseValue, async (licenseId, { deps, views, actor, sendFile }) => {
    const table = await exportTable({ deps, actor, input: { kind: 'members', licenseId } });
    return { message: views.exported(table, await sendFile({ filename: table.filename, content: csvOf(table), comment: views.exportComment(table) })), replace: false, post: true };
  }),
  [PROJECT_ACTIONS.retryCommand]: async ({ value, views, runCommand }) => {
    // only what the bot offers to run again: an invitation with the emails corrected
    if (!value || !/^invite-license\s/.test(value)) return { message: views.text(STALE, 'thinking_face'), replace: false };
    await runCommand(value);
    return { opened: true };
  },
  [PROJECT_ACTIONS.shareProject]: async ({ openForm }) => {
    await openForm({ form: 'share_project' });
    return { opened: true };
  },
  [PROJECT_ACTIONS.returnCopy]: async ({ value, openForm }) => {
    const projectId = parseProjectValue(value) ?? undefined;
    await openForm({ form: 'return_project', ...(projectId !== undefined ? { projectId } : {}) });
    return { opened: true };
  },
};
