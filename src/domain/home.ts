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

function openSeatRequests(repos: Repositories): OpenSeatRequest[] {
  return repos.seatRequests.listPending().map((r) => {
    const inv = r.projectInvitationId === null ? undefined : repos.invitations.byId(r.projectInvitationId);
    const project = inv?.projectId ? repos.projects.byId(inv.projectId) : undefined;
    const license = r.licenseId === null ? undefined : repos.licenses.byId(r.licenseId);
    return {
      requestId: r.id,
      personName: nameOf(repos.people.byId(r.personId)),
      email: r.email,
      since: r.createdAt,
      ...(r.projectInvitationId === null ? { licenseName: license?.name ?? 'a license', ...(r.reason ? { why: r.reason } : {}) } : {}),
      ...(project ? { projectName: project.name, ownerName: nameOf(repos.people.byId(project.ownerId)) } : {}),
    };
  });
}

/** What a person sees on the bot's home (Slack App Home, Teams welcome card): their own desk. */
export async function home({ deps, actor }: VerbArgs<void>): Promise<Home> {
  return deps.store.transaction((repos) => {
    const now = deps.clock.now();
    const me = actorPerson(repos, actor);
    const admin = isAdmin(repos, deps.settings, me);
    // counted like `licenses` and `pending`: what is past its expiry no longer holds a seat
    if (admin) expireOverdue(repos, SYSTEM_ACTOR, now);
    const status = statusOf(repos, deps.settings, now, me.id, true);
    const mine = repos.seatRequests.listPending().filter((r) => r.personId === me.id && r.projectInvitationId === null);
    const ownRequests = mine.map((r) => ({ requestId: r.id, licenseName: repos.licenses.byId(r.licenseId ?? 0)?.name ?? 'a license', since: r.createdAt }));
    const owned = repos.projects.listByOwner(me.id);
    const open = owned.length ? [...repos.invitations.listPending(), ...repos.invitations.listForProjectWaiting()] : [];
    const projects = owned.map((p) => ({
      projectId: p.id,
      name: p.name,
      edition: p.edition,
      members: repos.projectAccess
        .forProject(p.id)
        .filter((a) => a.personId !== me.id)
        .map((a) => nameOf(repos.people.byId(a.personId))),
      open: open.filter((i) => i.projectId === p.id).map((i) => ({ invitationId: i.id, name: nameOf(repos.people.byId(i.inviteeId)), waiting: i.status === 'waiting_for_seat' })),
    }));
    // an admin gives themselves a seat rather than asking
    const base = { status, canAskSeat: !admin && status.seats.length === 0 && status.pending.length === 0 && ownRequests.length === 0, ownRequests, projects };
    if (!admin) return base;
    const handoffs = repos.seats.awaitingAdmin().map((s) => ({ seatId: s.id, name: nameOf(repos.people.byId(s.personId)), email: s.email, licenseName: repos.licenses.byId(s.licenseId)?.name ?? 'a license' }));
    return {
      ...base,
      admin: {
        licenses: withLevels(repos.licenses.listUsage(), deps.settings.crowdRatio),
        pendingCount: repos.invitations.listPending().length,
        seatRequests: openSeatRequests(repos),
        handoffs,
      },
    };
  });
}
