import type { VerbArgs } from './context.js';
import { SYSTEM_ACTOR, type Edition, type LicenseUsage } from './model.js';
import type { Repositories } from './ports.js';
import { expireOverdue } from './expire-overdue.js';
import { actorPerson, isAdmin } from './authz.js';
import { statusOf, type PersonStatus } from './person-status.js';
import { withLevels } from './capacity.js';
import { nameOf } from './people.js';

/** An open seat request, as an admin's desk lists it. */
interface OpenSeatRequest {
  requestId: number;
  personName: string;
  email: string;
  since: number;
  /** a person's own request: the pool asked for, and why */
  licenseName?: string;
  why?: string;
  /** a project owner's: the project that waits on it */
  projectName?: string;
  ownerName?: string;
}

export interface Home {
  status: PersonStatus;
  /** no seat, no invitation to one, and no request open (and not an admin): offer "Request a seat" */
  canAskSeat: boolean;
  /** the person's own seat requests still open */
  ownRequests: { requestId: number; licenseName: string; since: number }[];
  /** owners: each project's members and open invitations */
  projects: { projectId: number; name: string; edition: Edition; members: string[]; open: { invitationId: number; name: string; waiting: boolean }[] }[];
  /** admins: every pool's usage, what waits on them, and how many invitations are pending */
  admin?: {
    licenses: LicenseUsage[];
    pendingCount: number;
    seatRequests: OpenSeatRequest[];
    /** seats accepted but not yet added in the account portal (hand-offs an admin does) */
    handoffs: { seatId: number; name: string; email: string | null; licenseName: string }[];
  };
}

async function openSeatRequests(repos: Repositories): Promise<OpenSeatRequest[]> {
  return (await Promise.all((await repos.seatRequests.listPending()).map(async (r) => {
    const inv = r.projectInvitationId === null ? undefined : await repos.invitations.byId(r.projectInvitationId);
    const project = inv?.projectId ? await repos.projects.byId(inv.projectId) : undefined;
    const license = r.licenseId === null ? undefined : await repos.licenses.byId(r.licenseId);
    return {
      requestId: r.id,
      personName: nameOf(await repos.people.byId(r.personId)),
      email: r.email,
      since: r.createdAt,
      ...(r.projectInvitationId === null ? { licenseName: license?.name ?? 'a license', ...(r.reason ? { why: r.reason } : {}) } : {}),
      ...(project ? { projectName: project.name, ownerName: nameOf(await repos.people.byId(project.ownerId)) } : {}),
    };
  })));
}

/** What a person sees on the bot's home (Slack App Home, Teams welcome card): their own desk. */
export async function home({ deps, actor }: VerbArgs<void>): Promise<Home> {
  return deps.store.transaction(async (repos) => {
    const now = deps.clock.now();
    const me = await actorPerson(repos, actor);
    const admin = await isAdmin(repos, deps.settings, me);
    // counted like `licenses` and `pending`: what is past its expiry no longer holds a seat
    if (admin) await expireOverdue(repos, SYSTEM_ACTOR, now);
    const status = await statusOf(repos, deps.settings, now, me.id, true);
    const mine = (await repos.seatRequests.listPending()).filter((r) => r.personId === me.id && r.projectInvitationId === null);
    const ownRequests = (await Promise.all(mine.map(async (r) => ({ requestId: r.id, licenseName: (await repos.licenses.byId(r.licenseId ?? 0))?.name ?? 'a license', since: r.createdAt }))));
    const owned = await repos.projects.listByOwner(me.id);
    const open = owned.length ? [...await repos.invitations.listPending(), ...await repos.invitations.listForProjectWaiting()] : [];
    const projects = (await Promise.all(owned.map(async (p) => ({
      projectId: p.id,
      name: p.name,
      edition: p.edition,
      members: (await Promise.all((await repos.projectAccess
        .forProject(p.id))
        .filter((a) => a.personId !== me.id)
        .map(async (a) => nameOf(await repos.people.byId(a.personId))))),
      open: (await Promise.all(open.filter((i) => i.projectId === p.id).map(async (i) => ({ invitationId: i.id, name: nameOf(await repos.people.byId(i.inviteeId)), waiting: i.status === 'waiting_for_seat' })))),
    }))));
    // an admin gives themselves a seat rather than asking
    const base = { status, canAskSeat: !admin && status.seats.length === 0 && status.pending.length === 0 && ownRequests.length === 0, ownRequests, projects };
    if (!admin) return base;
    const handoffs = (await Promise.all((await repos.seats.awaitingAdmin()).map(async (s) => ({ seatId: s.id, name: nameOf(await repos.people.byId(s.personId)), email: s.email, licenseName: (await repos.licenses.byId(s.licenseId))?.name ?? 'a license' }))));
    return {
      ...base,
      admin: {
        licenses: withLevels(await repos.licenses.listUsage(), deps.settings.crowdRatio),
        pendingCount: (await repos.invitations.listPending()).length,
        seatRequests: await openSeatRequests(repos),
        handoffs,
      },
    };
  });
}
