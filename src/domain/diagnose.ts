/**
 * `/atlas status`, as a diagnosis: the common confusions between a seat and a project, answered
 * in plain words for the person looked up, each with the one action that fixes it, offered only
 * to a viewer who may take it.
 */
import { cmd, t, type Inline } from './message.js';
import type { VerbArgs } from './context.js';
import type { Invitation, Person } from './model.js';
import type { Repositories } from './ports.js';
import { actorPerson, isAdmin } from './authz.js';
import { DomainError } from './errors.js';
import { holdsSeatFor, isReachable, nameOf } from './people.js';
import { statusOf, type PersonStatus } from './person-status.js';
import { PRODUCT } from './words.js';
import { SYSTEM_ACTOR } from './model.js';
import { expireOverdue } from './expire-overdue.js';

type FixAction =
  | { kind: 'share_project' }
  | { kind: 'resend'; invitationId: number }
  | { kind: 'reinvite'; invitationId: number }
  | { kind: 'request_seat'; invitationId: number }
  /** the person asks for a seat themselves (request-seat) */
  | { kind: 'ask_seat' }
  | { kind: 'return_copy'; projectId: number };

export interface Finding {
  /** the confusion this answers */
  topic: 'no_seat' | 'seat_without_project' | 'seats_in_use' | 'desktop_does_not_sync' | 'web_syncs' | 'cannot_accept' | 'no_seat_for_project' | 'email_case';
  text: string | Inline;
  action?: FixAction;
}

export interface Diagnosis {
  status: PersonStatus;
  findings: Finding[];
}

const LOOK_UP_FORBIDDEN = 'You can look up yourself, and people invited to one of your projects; looking up anyone else is for license admins.';

const open = (i: Invitation) => i.status === 'pending' || i.status === 'waiting_for_seat';

interface Viewer {
  me: Person;
  admin: boolean;
  self: boolean;
  /** projects the viewer owns: an owner (not an admin) sees only what concerns those */
  owned: Set<number>;
}

/** Whether the viewer may act on this invitation: an admin, whoever sent it, or its project's owner. */
const mayManage = (v: Viewer, inv: Invitation) => v.admin || inv.inviterId === v.me.id || (inv.projectId !== null && v.owned.has(inv.projectId));

async function cannotAccept(repos: Repositories, inv: Invitation, v: Viewer, you: string): Promise<Finding | undefined> {
  const what = inv.kind === 'license' ? `the seat in "${(await repos.licenses.byId(inv.licenseId ?? 0))?.name ?? 'a license'}"` : `the project "${(await repos.projects.byId(inv.projectId ?? 0))?.name ?? 'a project'}"`;
  const inviter = nameOf(await repos.people.byId(inv.inviterId));
  const manage = mayManage(v, inv);
  const invitee = await repos.people.byId(inv.inviteeId);
  const act = (action: FixAction) => (manage ? { action } : {});
  const ask = manage ? '' : ` Ask ${inviter} for a new one.`;
  if (inv.status === 'expired') return { topic: 'cannot_accept', text: `The invitation to ${what} expired, so its link and buttons no longer work.${manage ? ' Re-invite to send a new one.' : ask}`, ...act({ kind: 'reinvite', invitationId: inv.id }) };
  if (inv.status === 'revoked') return { topic: 'cannot_accept', text: `The invitation to ${what} was withdrawn; only a new invitation can be accepted.${ask}`, ...act({ kind: 'reinvite', invitationId: inv.id }) };
  if (inv.status === 'waiting_for_seat') {
    const nearly = (await repos.seats.occupiedBy(inv.inviteeId)).find((s) => s.email && inv.inviteeEmail && s.email !== inv.inviteeEmail && s.email.toLowerCase() === inv.inviteeEmail.toLowerCase());
    if (nearly) {
      return { topic: 'email_case', text: `The invitation to ${what} is for ${inv.inviteeEmail}, but the seat is under ${nearly.email}: account emails are case sensitive, so they are different accounts. Share again with ${nearly.email}.` };
    }
    return {
      topic: 'cannot_accept',
      text: `The invitation to ${what} is waiting: ${you} hold${v.self ? '' : 's'} no ${PRODUCT} seat under ${inv.inviteeEmail}, and a project invitation does not give one.${manage ? ' Ask an admin for a seat; the project invitation then goes out by itself.' : ' A license admin can give the seat; the project invitation then goes out by itself.'}`,
      ...(manage ? { action: { kind: 'request_seat' as const, invitationId: inv.id } } : v.self ? { action: { kind: 'ask_seat' as const } } : {}),
    };
  }
  if (inv.status !== 'pending') return undefined;
  if (inv.kind === 'project' && !await holdsSeatFor(repos, inv.inviteeId, inv.inviteeEmail)) {
    return {
      topic: 'no_seat_for_project',
      text: `The invitation to ${what} cannot be accepted yet: it needs a seat under ${inv.inviteeEmail}, and there is none now. A license admin can give one; the invitation stays open.`,
      ...(v.self ? { action: { kind: 'ask_seat' as const } } : {}),
    };
  }
  if (inv.deliveryProblem) {
    return { topic: 'cannot_accept', text: `The invitation to ${what} could not be delivered in chat (${inv.deliveryProblem}): they may have left or been deactivated.${manage ? ' Resend makes a fresh link to forward another way.' : ''}`, ...act({ kind: 'resend', invitationId: inv.id }) };
  }
  if (invitee && !isReachable(invitee)) {
    return { topic: 'cannot_accept', text: `The invitation to ${what} is for ${inv.inviteeEmail}, who is not in chat yet: they accept from the link once they join with exactly that email.${manage ? ' Resend gives you a fresh link to forward.' : ''}`, ...act({ kind: 'resend', invitationId: inv.id }) };
  }
  return undefined;
}

export async function diagnose({ deps, actor, input }: VerbArgs<{ personId?: number }>): Promise<Diagnosis> {
  return deps.store.transaction(async (repos) => {
    const me = await actorPerson(repos, actor);
    const target = input.personId === undefined ? me : await repos.people.byId(input.personId);
    if (!target) {
      // only an admin learns whether the bot knows someone; anyone else gets the same answer either way
      if (!await isAdmin(repos, deps.settings, me)) throw new DomainError('FORBIDDEN', LOOK_UP_FORBIDDEN);
      throw new DomainError('NOT_FOUND', 'I do not know that person yet.');
    }
    // what is past its expiry is expired before anything is decided, whether or not the sweep ran
    await expireOverdue(repos, SYSTEM_ACTOR, deps.clock.now(), { inviteeId: target.id });
    const v: Viewer = { me, admin: await isAdmin(repos, deps.settings, me), self: me.id === target.id, owned: new Set((await repos.projects.listByOwner(me.id)).map((p) => p.id)) };
    const invitations = await repos.invitations.listForInvitee(target.id);
    const access = await repos.projectAccess.forPerson(target.id);
    // owners may look up people their projects are open to or held by, and see only that part
    const ownerView = !v.self && !v.admin;
    if (ownerView && !invitations.some((i) => open(i) && i.projectId !== null && v.owned.has(i.projectId)) && !access.some((a) => v.owned.has(a.projectId))) {
      throw new DomainError('FORBIDDEN', LOOK_UP_FORBIDDEN);
    }
    const concerns = (projectId: number | null) => !ownerView || (projectId !== null && v.owned.has(projectId));
    // the status first: it marks what has expired, so what follows reads the current states
    const full = await statusOf(repos, deps.settings, deps.clock.now(), target.id, v.self);
    const current = await repos.invitations.listForInvitee(target.id);
    const status: PersonStatus = ownerView
      ? {
          ...full,
          // an owner sees the seat (it decides whether their project opens), not the rest
          pending: [],
          owns: [],
          projects: full.projects.filter((p) => concerns(p.projectId)),
          projectInvitations: full.projectInvitations.filter((i) => concerns(i.projectId)),
          returnedCopies: full.returnedCopies.filter((c) => concerns(c.projectId)),
        }
      : full;

    const findings: Finding[] = [];
    const you = v.self ? 'you' : nameOf(target);

    const openProject = current.filter((i) => i.kind === 'project' && open(i));
    if (status.seats.length > 0 && access.length === 0 && openProject.length === 0) {
      findings.push({
        topic: 'seat_without_project',
        text: v.self
          ? `You hold a seat, so you can use ${PRODUCT}, but no project has been shared with you. A seat never includes anyone's project: ask the project's owner to share it with you.`
          : `${you} holds a seat, but no project has been shared with them. A license invitation shares no data: to work together, share a project with them.`,
        ...(v.self ? {} : { action: { kind: 'share_project' as const } }),
      });
    } else if (!v.self && status.seats.length && v.owned.size) {
      // the owner's side: a seat, but none of my projects shared
      const shared = access.some((a) => v.owned.has(a.projectId)) || openProject.some((i) => i.projectId !== null && v.owned.has(i.projectId));
      if (!shared) findings.push({ topic: 'seat_without_project', text: `${you} holds a seat, but none of your projects is shared with them. To collaborate, share a project: a seat alone shares no data.`, action: { kind: 'share_project' } });
    }
    // a concurrent seat is taken only while the software is open: "I have a license but cannot
    // use it" is most often every seat busy right now, or the person's own session elsewhere
    for (const seat of ownerView ? [] : await repos.seats.occupiedBy(target.id)) {
      const license = await repos.licenses.byId(seat.licenseId);
      if (license?.seatModel !== 'concurrent') continue;
      const your = v.self ? 'your' : 'their';
      findings.push({
        topic: 'seats_in_use',
        text:
          `"${license.name}" is a concurrent license: ${license.seats} ${license.seats === 1 ? 'person' : 'people'} can use ${PRODUCT} at the same time, and a seat is taken only while it is open. ` +
          `If ${PRODUCT} says no seat is free, all ${license.seats} may be in use right now: try again a little later. ` +
          `A seat also stays taken while ${your} ${PRODUCT} is open on another computer: close it there, or use "Free up my seats" in ${your} ${PRODUCT} account.`,
      });
    }
    for (const a of access.filter((x) => concerns(x.projectId))) {
      const project = await repos.projects.byId(a.projectId);
      if (!project) continue;
      if (project.edition === 'desktop') {
        findings.push({
          topic: 'desktop_does_not_sync',
          text: t`"${project.name}" is a Desktop project: nothing syncs. ${v.self ? 'Your' : 'Their'} copy and the owner's drift apart until ${v.self ? 'you send yours' : 'they send theirs'} back ("Send my updated copy back" or ${cmd('return-project')}) and the owner merges it.`,
          ...(v.self ? { action: { kind: 'return_copy' as const, projectId: project.id } } : {}),
        });
      } else {
        const members = (await Promise.all((await repos.projectAccess.forProject(project.id)).map(async (m) => nameOf(await repos.people.byId(m.personId)))));
        findings.push({ topic: 'web_syncs', text: `"${project.name}" is a Web project: changes are saved and synced in real time for its owner and members (${members.join(', ')}).` });
      }
      if (!status.projects.find((p) => p.projectId === project.id)?.usable) {
        findings.push({
          topic: 'no_seat_for_project',
          text: `"${project.name}" cannot be opened right now: it needs a seat under ${a.email ?? 'the same email'}, and there is none. A license admin can give one.`,
          ...(v.self ? { action: { kind: 'ask_seat' as const } } : {}),
        });
      }
    }
    // only the latest invitation per pool or project tells where things stand
    const latest = new Map<string, Invitation>();
    for (const i of current) if (i.kind === 'license' ? !ownerView : concerns(i.projectId)) latest.set(`${i.kind}:${i.licenseId ?? i.projectId}`, i);
    for (const inv of latest.values()) {
      const f = await cannotAccept(repos, inv, v, you);
      if (f) findings.push(f);
    }
    // no seat and none on its way: the one thing to do is to ask for one (once, whatever else needs it)
    if (v.self && status.seats.length === 0 && status.pending.length === 0 && !findings.some((f) => f.action?.kind === 'ask_seat')) {
      findings.push({ topic: 'no_seat', text: `You hold no ${PRODUCT} seat, so you cannot use the software under one of these licenses yet. Ask the license admins for one; a seat shares no project.`, action: { kind: 'ask_seat' } });
    }
    return { status, findings };
  });
}
