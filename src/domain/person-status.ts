import type { DomainSettings } from './context.js';
import type { Repositories } from './ports.js';
import { SYSTEM_ACTOR } from './model.js';
import type { HandoffState, Person } from './model.js';
import type { InvitationSnapshot, ProjectInvitationSnapshot } from './outbox-messages.js';
import { isAdmin } from './authz.js';
import { DomainError } from './errors.js';
import { projectSnapshotOf, snapshotOf } from './snapshot.js';
import { holdsSeatFor, nameOf } from './people.js';
import { expireOverdue } from './expire-overdue.js';

export interface PersonStatus {
  person: Person;
  self: boolean;
  isAdmin: boolean;
  /** handoff: whether ATLAS.ti has the seat yet (see handoff.ts) */
  seats: { licenseName: string; email: string | null; since: number; handoff: HandoffState }[];
  pending: InvitationSnapshot[];
  /** projects this person owns */
  owns: { projectName: string; edition: 'web' | 'desktop' }[];
  /** Web memberships and Desktop copies; unusable while the person holds no seat */
  /** handoff: a Web member is one in ATLAS.ti Web only once the owner added them (handed_over) */
  projects: { projectId: number; projectName: string; edition: 'web' | 'desktop'; kind: 'member' | 'copy'; handoff: 'awaiting' | 'handed_over'; ownerName: string; usable: boolean }[];
  /** project invitations still open: pending, or waiting for a seat */
  projectInvitations: ProjectInvitationSnapshot[];
  returnedCopies: { projectId: number; projectName: string; at: number }[];
}

/** A person's seats, invitations and projects, for the verbs that have checked who may see it (diagnose, home). */
export async function statusOf(repos: Repositories, settings: DomainSettings, now: number, targetId: number, self: boolean): Promise<PersonStatus> {
  {
    const person = await repos.people.byId(targetId);
    if (!person) throw new DomainError('NOT_FOUND', 'I do not know that person yet.');
    await expireOverdue(repos, SYSTEM_ACTOR, now, { inviteeId: person.id });
    return {
      person,
      self,
      isAdmin: await isAdmin(repos, settings, person),
      seats: (await Promise.all((await repos.seats.occupiedBy(person.id)).map(async (s) => ({
        licenseName: (await repos.licenses.byId(s.licenseId))?.name ?? 'a license',
        email: s.email,
        since: s.occupiedAt,
        handoff: s.handoff,
      })))),
      pending: (await Promise.all((await repos.invitations
        .listForInvitee(person.id))
        .filter((i) => i.status === 'pending' && i.kind === 'license')
        .map((i) => snapshotOf(repos, i)))),
      owns: (await repos.projects.listByOwner(person.id)).map((p) => ({ projectName: p.name, edition: p.edition })),
      projects: (await Promise.all((await repos.projectAccess.forPerson(person.id)).map(async (a) => {
        const project = await repos.projects.byId(a.projectId);
        return {
          projectId: a.projectId,
          projectName: project?.name ?? 'a project',
          edition: project?.edition ?? 'web',
          kind: a.kind,
          handoff: a.handoff,
          ownerName: nameOf(await repos.people.byId(project?.ownerId ?? 0)),
          // a project opens only with a seat under the same account email: without one the access is kept but unusable
          usable: await holdsSeatFor(repos, person.id, a.email),
        };
      }))),
      projectInvitations: (await Promise.all((await repos.invitations
        .listForInvitee(person.id))
        .filter((i) => i.kind === 'project' && (i.status === 'pending' || i.status === 'waiting_for_seat'))
        .map((i) => projectSnapshotOf(repos, i)))),
      returnedCopies: (await Promise.all((await repos.returnedCopies.fromPerson(person.id)).map(async (c) => ({ projectId: c.projectId, projectName: (await repos.projects.byId(c.projectId))?.name ?? 'a project', at: c.createdAt })))),
    };
  }
}
