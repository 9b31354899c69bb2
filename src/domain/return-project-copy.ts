import type { VerbArgs } from './context.js';
import type { Project, ReturnedCopy } from './model.js';
import { actorPerson } from './authz.js';
import { audit } from './audit.js';
import { DomainError } from './errors.js';
import { nameOf } from './people.js';
import { tellPerson } from './notify.js';
import { MESSAGE_MAX, sharedLinkProblem } from './validation.js';

/** The Desktop projects a person holds a copy of: what they can send back. */
export async function returnOptions({ deps, actor }: VerbArgs<void>): Promise<Project[]> {
  return deps.store.transaction(async (repos) => {
    const me = await actorPerson(repos, actor);
    return (await Promise.all((await repos.projectAccess
      .forPerson(me.id))
      .filter((a) => a.kind === 'copy')
      .map((a) => repos.projects.byId(a.projectId))))
      .filter((p): p is Project => p !== undefined);
  });
}

/**
 * Desktop round trip: nothing syncs, so the invitee sends a link to their updated copy back, and
 * the owner gets it with the steps to merge it into their project.
 */
export async function returnProjectCopy({ deps, actor, input }: VerbArgs<{ projectId: number; link: string; note?: string | null }>): Promise<{ copy: ReturnedCopy; project: Project }> {
  return deps.store.transaction(async (repos) => {
    const now = deps.clock.now();
    const me = await actorPerson(repos, actor);
    const project = await repos.projects.byId(input.projectId);
    const holds = project && (await repos.projectAccess.forPerson(me.id)).some((a) => a.projectId === project.id && a.kind === 'copy');
    if (!project || !holds) {
      throw new DomainError('FORBIDDEN', 'You can send back a copy only of a Desktop project that was shared with you and that you accepted.', { field: 'project' });
    }
    const problem = sharedLinkProblem(input.link, deps.settings.linkAllowedHosts);
    if (problem) throw new DomainError('INVALID_INPUT', problem, { field: 'link' });
    const note = input.note?.trim() || null;
    if (note && note.length > MESSAGE_MAX) throw new DomainError('INVALID_INPUT', `The note is ${note.length} characters; keep it under ${MESSAGE_MAX}.`, { field: 'note' });
    const copy = await repos.returnedCopies.insert({ projectId: project.id, fromPersonId: me.id, link: input.link.trim(), note, createdAt: now });
    await audit(repos, actor, now, 'project.copy_returned', { type: 'project', id: project.id }, { copyId: copy.id });
    await tellPerson(repos, project.ownerId, { type: 'copy_returned', projectName: project.name, fromName: nameOf(me), link: copy.link, note }, now);
    return { copy, project };
  });
}
