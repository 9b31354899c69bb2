import type { VerbArgs } from './context.js';
import type { Person } from './model.js';
import { requireAdmin } from './authz.js';
import { audit } from './audit.js';
import { DomainError } from './errors.js';

/** Admins added at run time, beside those named in ATLAS_ADMINS (which only the operator changes). */
export async function addAdmin({ deps, actor, input }: VerbArgs<{ personId: number }>): Promise<{ person: Person; added: boolean }> {
  return deps.store.transaction(async (repos) => {
    await requireAdmin(repos, deps.settings, actor, 'add admins');
    const person = await repos.people.byId(input.personId);
    if (!person) throw new DomainError('NOT_FOUND', 'I do not know that person yet.');
    const now = deps.clock.now();
    const added = await repos.admins.add(person.id, actor.personId, now);
    if (added) await audit(repos, actor, now, 'admin.added', { type: 'admin', id: person.id });
    return { person, added };
  });
}

export async function removeAdmin({ deps, actor, input }: VerbArgs<{ personId: number }>): Promise<{ person: Person; removed: boolean }> {
  return deps.store.transaction(async (repos) => {
    await requireAdmin(repos, deps.settings, actor, 'remove admins');
    const person = await repos.people.byId(input.personId);
    if (!person) throw new DomainError('NOT_FOUND', 'I do not know that person yet.');
    const removed = await repos.admins.remove(person.id);
    if (removed) await audit(repos, actor, deps.clock.now(), 'admin.removed', { type: 'admin', id: person.id });
    return { person, removed };
  });
}
