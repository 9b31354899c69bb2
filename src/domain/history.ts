/**
 * What happened to one person's invitations and seats, or to one invitation, in order and in plain
 * words, from the audit log ("27 Nov 10:02 Ada Admin invited Alice Smith to a seat in Campus, from Slack").
 */
import type { VerbArgs } from './context.js';
import type { AuditEntry } from './model.js';
import type { Repositories } from './ports.js';
import { actorPerson, isAdmin } from './authz.js';
import { DomainError } from './errors.js';
import { nameOf } from './people.js';

interface HistoryLine {
  at: number;
  /** who did it ("the bot" for a job), what, and from where */
  text: string;
}

export interface History {
  about: string;
  lines: HistoryLine[];
}

const PLATFORM: Record<string, string> = { slack: ' (in Slack)', teams: ' (in Teams)', system: '' };

async function said(repos: Repositories, e: AuditEntry): Promise<string> {
  const who = e.actorPersonId ? nameOf(await repos.people.byId(e.actorPersonId)) : 'the bot';
  const n = e.subjectId ?? 0;
  const inv = e.subjectType === 'invitation' ? await repos.invitations.byId(n) : undefined;
  const what = inv ? (inv.kind === 'license' ? `a seat in ${(await repos.licenses.byId(inv.licenseId ?? 0))?.name ?? 'a license'}` : `the project ${(await repos.projects.byId(inv.projectId ?? 0))?.name ?? 'a project'}`) : '';
  const invitee = inv ? nameOf(await repos.people.byId(inv.inviteeId)) : '';
  const phrase: Record<string, string> = {
    'invitation.created': `${who} invited ${invitee} to ${what} (invitation #${n})`,
    'invitation.reminded': `a reminder of invitation #${n} went to ${invitee}`,
    'invitation.resent': `${who} sent invitation #${n} again, with a fresh link`,
    'invitation.extended': `${who} extended invitation #${n}`,
    'invitation.accepted': `${who} accepted invitation #${n} (${what})`,
    'invitation.declined': `${who} declined invitation #${n}`,
    'invitation.revoked': `${who} withdrew invitation #${n}`,
    'invitation.expired': `invitation #${n} expired unanswered`,
    'invitation.dropped': `${who} closed the expired invitation #${n}`,
    'invitation.sent_after_seat': `invitation #${n} went out, now that ${invitee} holds a seat`,
    'invitation.undeliverable': `invitation #${n} could not be delivered in chat`,
    'invitation.accept_refused_no_seat': `${who} tried to accept invitation #${n}, but the pool was full`,
    'seat.occupied': `${invitee || who} took a seat`,
    'seat.handed_over': `${who} handed the seat over to ATLAS.ti`,
    'seat.joined': `${who} said ATLAS.ti works for them`,
    'seat.released': `${who} released the seat`,
    'seat.handoff_resent': `${who} handed the seat over again`,
  };
  return `${phrase[e.action] ?? `${who}: ${e.action.replace(/[._]/g, ' ')}`}${PLATFORM[e.platform] ?? ''}`;
}

/** A person's own history, or anyone's for an admin; one invitation's, for an admin or its invitee. */
export async function historyOf({ deps, actor, input }: VerbArgs<{ personId: number } | { invitationId: number }>): Promise<History> {
  return deps.store.transaction(async (repos) => {
    const me = await actorPerson(repos, actor);
    const admin = await isAdmin(repos, deps.settings, me);
    let invitations;
    let about: string;
    if ('invitationId' in input) {
      const inv = await repos.invitations.byId(input.invitationId);
      if (!inv) throw new DomainError('NOT_FOUND', `There is no invitation #${input.invitationId}.`);
      if (!admin && inv.inviteeId !== me.id) throw new DomainError('FORBIDDEN', 'Only license admins can see the history of someone else\'s invitation.');
      invitations = [inv];
      about = `invitation #${inv.id}`;
    } else {
      if (!admin && input.personId !== me.id) throw new DomainError('FORBIDDEN', 'Only license admins can see the history of someone else.');
      const person = await repos.people.byId(input.personId);
      if (!person) throw new DomainError('NOT_FOUND', 'I do not know that person yet.');
      invitations = await repos.invitations.listForInvitee(person.id);
      about = nameOf(person);
    }
    const seats: { type: 'seat'; id: number }[] = [];
    for (const i of invitations) {
      const seat = await repos.seats.byInvitation(i.id);
      if (seat) seats.push({ type: 'seat', id: seat.id });
    }
    const entries = await repos.audit.about([...invitations.map((i) => ({ type: 'invitation' as const, id: i.id })), ...seats]);
    const lines = [];
    for (const e of entries) lines.push({ at: e.at, text: await said(repos, e) });
    return { about, lines };
  });
}
