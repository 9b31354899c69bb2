/**
 * Who is in a pool: its members (with where their hand-off stands) and those invited, with since
 * when and by whom, filtered by name or email, a page at a time (a chat message holds 50 blocks).
 */
import type { VerbArgs } from './context.js';
import type { License } from './model.js';
import type { Repositories } from './ports.js';
import { requireAdmin } from './authz.js';
import { nameOf } from './people.js';
import { pickLicense } from './pick-license.js';

const MEMBERS_PER_PAGE = 25;

export interface MemberLine {
  name: string;
  email: string | null;
  state: 'invited' | 'accepted' | 'handed over' | 'joined';
  since: number;
  by: string;
  invitationId: number | null;
  seatId: number | null;
}

/** Everyone holding a seat of the pool, then everyone invited to one, unsorted. */
export async function memberLines(repos: Repositories, license: License): Promise<MemberLine[]> {
  const all: MemberLine[] = [];
  for (const personId of await repos.seats.holders(license.id)) {
    const person = await repos.people.byId(personId);
    for (const seat of (await repos.seats.occupiedBy(personId)).filter((s) => s.licenseId === license.id)) {
      const inv = seat.invitationId === null ? undefined : await repos.invitations.byId(seat.invitationId);
      all.push({
        name: nameOf(person),
        email: seat.email,
        state: seat.joinedAt !== null ? 'joined' : seat.handoff === 'handed_over' ? 'handed over' : 'accepted',
        since: seat.occupiedAt,
        by: inv ? nameOf(await repos.people.byId(inv.inviterId)) : 'an admin',
        invitationId: seat.invitationId,
        seatId: seat.id,
      });
    }
  }
  for (const inv of (await repos.invitations.listPending()).filter((i) => i.kind === 'license' && i.licenseId === license.id)) {
    all.push({ name: nameOf(await repos.people.byId(inv.inviteeId)), email: inv.inviteeEmail, state: 'invited', since: inv.sentAt, by: nameOf(await repos.people.byId(inv.inviterId)), invitationId: inv.id, seatId: null });
  }
  return all;
}

export interface MembersPage {
  licenseId: number;
  licenseName: string;
  filter: string;
  page: number;
  pages: number;
  total: number;
  lines: MemberLine[];
}

export async function membersOf({ deps, actor, input }: VerbArgs<{ licenseName?: string | null; licenseId?: number; filter?: string; page?: number }>): Promise<MembersPage> {
  return deps.store.transaction(async (repos) => {
    await requireAdmin(repos, deps.settings, actor, 'see the members of a license');
    const license = input.licenseId !== undefined ? (await repos.licenses.byId(input.licenseId) ?? await pickLicense(repos, null)) : await pickLicense(repos, input.licenseName ?? null);
    const all = await memberLines(repos, license);
    const filter = (input.filter ?? '').trim();
    const needle = filter.toLowerCase();
    const found = all
      .filter((m) => !needle || m.name.toLowerCase().includes(needle) || (m.email ?? '').toLowerCase().includes(needle))
      .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true, sensitivity: 'base' }) || a.since - b.since);
    const pages = Math.max(1, Math.ceil(found.length / MEMBERS_PER_PAGE));
    const page = Math.min(Math.max(1, input.page ?? 1), pages);
    return { licenseId: license.id, licenseName: license.name, filter, page, pages, total: found.length, lines: found.slice((page - 1) * MEMBERS_PER_PAGE, page * MEMBERS_PER_PAGE) };
  });
}
