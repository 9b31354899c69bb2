import type { VerbArgs } from './context.js';
import { cmd, t } from './message.js';
import type { Person, Seat } from './model.js';
import type { Repositories } from './ports.js';
import { nameOf } from './people.js';
import { requireAdmin } from './authz.js';
import { audit } from './audit.js';
import { DomainError } from './errors.js';
import { pickLicense } from './pick-license.js';
import { tellPerson } from './notify.js';
import { provision } from './provisioning.js';

async function seatOf(repos: Repositories, input: { personId: number; licenseName?: string | null }): Promise<{ person: Person; seat: Seat }> {
  const person = await repos.people.byId(input.personId);
  if (!person) throw new DomainError('NOT_FOUND', 'I do not know that person yet.');
  const seats = await repos.seats.occupiedBy(person.id);
  const license = input.licenseName ? await pickLicense(repos, input.licenseName) : undefined;
  const mine = license ? seats.filter((s) => s.licenseId === license.id) : seats;
  if (mine.length === 0) throw new DomainError('NOT_FOUND', `${person.displayName ?? person.email ?? 'That person'} holds no seat${license ? ` in "${license.name}"` : ''}.`);
  if (mine.length > 1) throw new DomainError('LICENSE_REQUIRED', t`They hold seats in several licenses; say which: ${cmd('seat release @person from "<license>"')}.`);
  return { person, seat: mine[0]! };
}

const projectsOf = async (repos: Repositories, personId: number): Promise<string[]> => (await Promise.all((await repos.projectAccess.forPerson(personId)).map(async (a) => (await repos.projects.byId(a.projectId))?.name ?? 'a project')));

export interface SeatRelease {
  seatId: number;
  person: Person;
  licenseName: string;
  projectNames: string[];
}

/** What releasing would do, asked before it is done (it cannot be undone): whose seat, in which pool, which projects go unusable. */
export async function previewSeatRelease({ deps, actor, input }: VerbArgs<{ personId: number; licenseName?: string | null }>): Promise<SeatRelease> {
  return deps.store.transaction(async (repos) => {
    await requireAdmin(repos, deps.settings, actor, 'release seats');
    const { person, seat } = await seatOf(repos, input);
    return { seatId: seat.id, person, licenseName: (await repos.licenses.byId(seat.licenseId))?.name ?? 'a license', projectNames: await projectsOf(repos, person.id) };
  });
}

/**
 * Takes a seat back (named by the person and pool, or by its id once the admin confirmed). The
 * person's project memberships and copies are kept (never deleted silently); they are unusable
 * until the person holds a seat again, and they are told so.
 */
export async function releaseSeat({ deps, actor, input }: VerbArgs<{ personId: number; licenseName?: string | null } | { seatId: number }>): Promise<SeatRelease> {
  return deps.store.transaction(async (repos) => {
    await requireAdmin(repos, deps.settings, actor, 'release seats');
    const now = deps.clock.now();
    let person: Person;
    let seat: Seat;
    if ('seatId' in input) {
      const found = await repos.seats.byId(input.seatId);
      const holder = found ? await repos.people.byId(found.personId) : undefined;
      if (!found || !holder) throw new DomainError('NOT_FOUND', t`That seat no longer exists. ${cmd('licenses')} shows the pools.`);
      if (found.status !== 'occupied') throw new DomainError('NOT_PENDING', `${nameOf(holder)}'s seat was already released.`);
      person = holder;
      seat = found;
    } else ({ person, seat } = await seatOf(repos, input));
    if (!await repos.seats.release(seat.id, now)) throw new DomainError('NOT_PENDING', 'That seat was released a moment ago.');
    await audit(repos, actor, now, 'seat.released', { type: 'seat', id: seat.id }, { licenseId: seat.licenseId, personId: person.id });
    const licenseName = (await repos.licenses.byId(seat.licenseId))?.name ?? 'a license';
    const projectNames = await projectsOf(repos, person.id);
    await tellPerson(repos, person.id, { type: 'seat_released', licenseName, projectNames }, now);
    // a seat the organisation's system was told of is taken back there too
    if (deps.settings.hasProvisioningWebhook) await provision(repos, { type: 'seat.released', email: seat.email, license: { id: seat.licenseId, name: licenseName }, seatId: seat.id }, now);
    return { seatId: seat.id, person, licenseName, projectNames };
  });
}
