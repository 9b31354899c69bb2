/**
 * `/atlas status`, as a diagnosis: the common confusions between a seat and a project, answered
 * in plain words for the person looked up, each with the one action that fixes it.
 */
import type { VerbArgs } from './context.js';
import type { Invitation, Person } from './model.js';
import type { Repositories } from './ports.js';
import { actorPerson, isAdmin } from './authz.js';
import { DomainError } from './errors.js';
import { nameOf } from './people.js';
import { statusOf, type PersonStatus } from './person-status.js';
import { PRODUCT } from './words.js';

export type FixAction =
  | { kind: 'share_project' }
  | { kind: 'resend'; invitationId: number }
  | { kind: 'reinvite'; invitationId: number }
  | { kind: 'request_seat'; invitationId: number }
  | { kind: 'return_copy'; projectId: number };

export interface Finding {
  /** the confusion this answers */
  topic: 'seat_without_project' | 'desktop_does_not_sync' | 'web_syncs' | 'cannot_accept' | 'no_seat_for_project';
  text: string;
  action?: FixAction;
}

export interface Diagnosis {
  status: PersonStatus;
  findings: Finding[];
}

function canLookUp(repos: Repositories, me: Person, target: Person, admin: boolean): boolean {
  if (me.id === target.id || admin) return true;
  // owners of a project the person is invited to, or holds, may look them up
  const mine = new Set(repos.projects.listByOwner(me.id).map((p) => p.id));
  return (
    repos.invitations.listForInvitee(target.id).some((i) => i.projectId !== null && mine.has(i.projectId)) ||
    repos.projectAccess.forPerson(target.id).some((a) => mine.has(a.projectId))
  );
}

function cannotAccept(repos: Repositories, inv: Invitation, you: string): Finding | undefined {
  const what = inv.kind === 'license' ? `the seat in "${repos.licenses.byId(inv.licenseId ?? 0)?.name ?? 'a license'}"` : `the project "${repos.projects.byId(inv.projectId ?? 0)?.name ?? 'a project'}"`;
  const invitee = repos.people.byId(inv.inviteeId);
  if (inv.status === 'expired') return { topic: 'cannot_accept', text: `The invitation to ${what} expired, so its link and buttons no longer work. Re-invite to send a new one.`, action: { kind: 'reinvite', invitationId: inv.id } };
  if (inv.status === 'revoked') return { topic: 'cannot_accept', text: `The invitation to ${what} was withdrawn. Only a new invitation can be accepted.`, action: { kind: 'reinvite', invitationId: inv.id } };
  if (inv.status === 'waiting_for_seat') {
    return { topic: 'cannot_accept', text: `The invitation to ${what} is waiting: ${you} hold${you === 'you' ? '' : 's'} no ${PRODUCT} seat under ${inv.inviteeEmail}, and a project invitation does not give one. Ask an admin for a seat; the project invitation then goes out by itself.`, action: { kind: 'request_seat', invitationId: inv.id } };
  }
  if (inv.status === 'pending' && inv.deliveryProblem) {
    return { topic: 'cannot_accept', text: `The invitation to ${what} could not be delivered in chat (${inv.deliveryProblem}): they may have left the workspace. Resend makes a fresh link for you to forward another way.`, action: { kind: 'resend', invitationId: inv.id } };
  }
  if (inv.status === 'pending' && invitee && !invitee.slackUserId && !invitee.teamsConversation) {
    return { topic: 'cannot_accept', text: `The invitation to ${what} is for ${inv.inviteeEmail}, who is not in chat yet: they accept from the link once they join with exactly that email. Resend gives you a fresh link to forward.`, action: { kind: 'resend', invitationId: inv.id } };
  }
  return undefined;
}

export async function diagnose({ deps, actor, input }: VerbArgs<{ personId?: number }>): Promise<Diagnosis> {
  const allowed = deps.store.transaction((repos) => {
    const me = actorPerson(repos, actor);
    const target = input.personId === undefined ? me : repos.people.byId(input.personId);
    if (!target) throw new DomainError('NOT_FOUND', 'I do not know that person yet.');
    const admin = isAdmin(repos, deps.settings, me);
    if (!canLookUp(repos, me, target, admin)) {
      throw new DomainError('FORBIDDEN', 'You can look up yourself, and people invited to one of your projects; looking up anyone else is for license admins.');
    }
    return { meId: me.id, targetId: target.id };
  });
  return deps.store.transaction((repos) => {
    const self = allowed.meId === allowed.targetId;
    const status = statusOf(repos, deps.settings, deps.clock.now(), allowed.targetId, self);
    const findings: Finding[] = [];
    const you = self ? 'you' : nameOf(repos.people.byId(allowed.targetId));
    const access = repos.projectAccess.forPerson(allowed.targetId);
    const openProject = repos.invitations.listForInvitee(allowed.targetId).filter((i) => i.kind === 'project' && (i.status === 'pending' || i.status === 'waiting_for_seat'));
    if (status.seats.length > 0 && access.length === 0 && openProject.length === 0) {
      findings.push({
        topic: 'seat_without_project',
        text: self
          ? `You hold a seat, so you can use ${PRODUCT}, but no project has been shared with you. A seat never includes anyone's project: ask the project's owner to share it with you.`
          : `${you} holds a seat, but no project has been shared with them. A license invitation shares no data: to work together, share a project with them.`,
        ...(self ? {} : { action: { kind: 'share_project' as const } }),
      });
    }
    if (!self) {
      // the owner's side: a seat given, but none of my projects shared
      const mine = repos.projects.listByOwner(allowed.meId);
      const shared = access.some((a) => mine.some((p) => p.id === a.projectId)) || openProject.some((i) => mine.some((p) => p.id === i.projectId));
      if (mine.length && status.seats.length && !shared && !findings.some((f) => f.topic === 'seat_without_project')) {
        findings.push({ topic: 'seat_without_project', text: `${you} holds a seat, but none of your projects is shared with them. To collaborate, share a project: a seat alone shares no data.`, action: { kind: 'share_project' } });
      }
    }
    for (const a of access) {
      const project = repos.projects.byId(a.projectId);
      if (!project) continue;
      if (project.edition === 'desktop') {
        findings.push({
          topic: 'desktop_does_not_sync',
          text: `"${project.name}" is a Desktop project: nothing syncs. ${self ? 'Your' : 'Their'} copy and the owner's drift apart until ${self ? 'you send yours' : 'they send theirs'} back ("Send my updated copy back" or \`/atlas return-project\`) and the owner merges it.`,
          ...(self ? { action: { kind: 'return_copy' as const, projectId: project.id } } : {}),
        });
      } else {
        const members = repos.projectAccess.forProject(project.id).map((m) => nameOf(repos.people.byId(m.personId)));
        findings.push({ topic: 'web_syncs', text: `"${project.name}" is a Web project: changes are saved and synced in real time for its owner and members (${members.join(', ')}).` });
      }
      if (!status.projects.find((p) => p.projectName === project.name)?.usable) {
        findings.push({ topic: 'no_seat_for_project', text: `"${project.name}" cannot be opened right now: it needs a seat under ${a.email ?? 'the same email'}, and there is none. Ask a license admin for a seat.` });
      }
    }
    // only the latest invitation per pool or project tells where things stand
    const latest = new Map<string, Invitation>();
    for (const i of repos.invitations.listForInvitee(allowed.targetId)) latest.set(`${i.kind}:${i.licenseId ?? i.projectId}`, i);
    for (const inv of latest.values()) {
      const f = cannotAccept(repos, inv, you);
      if (f) findings.push(f);
    }
    return { status, findings };
  });
}
