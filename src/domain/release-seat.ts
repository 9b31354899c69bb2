import type { VerbArgs } from './context.js';
import { cmd, t } from './message.js';
import type { Person } from './model.js';
import { requireAdmin } from './authz.js';
import { audit } from './audit.js';
import { DomainError } from './errors.js';
import { pickLicense } from './pick-license.js';
import { tellPerson } from './notify.js';
import { provision } from './provisioning.js';

/**
 * Takes a seat back. The person's project memberships and copies are kept (never deleted
 * silently); they are unusable until the person holds a seat again, and they are told so.
 */
export async function releaseSeat({ deps, actor, input }: VerbArgs<{ personId: number; licenseName?: string | null }>): Promise<{ person: Person; licenseName: string; projectNames: string[] }> {
  return deps.store.transaction((repos) => {
    requireAdmin(repos, deps.settings, actor, 'release seats');
    const now = deps.clock.now();
    const person = repos.people.byId(input.personId);
    if (!person) throw new DomainError('NOT_FOUND', 'I do not know that person yet.');
    const seats = repos.seats.occupiedBy(person.id);
    const license = input.licenseName ? pickLicense(repos, input.licenseName) : undefined;
    const mine = license ? seats.filter((s) => s.licenseId === license.id) : seats;
    if (mine.length === 0) throw new DomainError('NOT_FOUND', `${person.displayName ?? person.email ?? 'That person'} holds no seat${license ? ` in "${license.name}"` : ''}.`);
    if (mine.length > 1) throw new DomainError('LICENSE_REQUIRED', t`They hold seats in several licenses; say which: ${cmd('seat release @person from "<license>"')}.`);
    const seat = mine[0]!;
    if (!repos.seats.release(seat.id, now)) throw new DomainError('NOT_PENDING', 'That seat was released a moment ago.');
    audit(repos, actor, now, 'seat.released', { type: 'seat', id: seat.id }, { licenseId: seat.licenseId, personId: person.id });
    const licenseName = repos.licenses.byId(seat.licenseId)?.name ?? 'a license';
    const projectNames = repos.projectAccess.forPerson(person.id).map((a) => repos.projects.byId(a.projectId)?.name ?? 'a project');
    tellPerson(repos, person.id, { type: 'seat_released', licenseName, projectNames }, now);
    // a seat the organisation's system was told of is taken back there too
    if (deps.settings.hasProvisioningWebhook) provision(repos, { type: 'seat.released', email: seat.email, license: { id: seat.licenseId, name: licenseName }, seatId: seat.id }, now);
    return { person, licenseName, projectNames };
  });
}
