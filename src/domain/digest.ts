/**
 * The admins' review of what is pending: license invitations by pool (with seat usage and a
 * warning at 90% and at full), project invitations by project, those waiting for a seat, and the
 * people messages could not reach. Cut into pages that each fit one chat message.
 */
import type { DomainDeps, VerbArgs } from './context.js';
import type { Invitation, InvitationStatus, Seat, SeatModel } from './model.js';
import type { Repositories } from './ports.js';
import { requireAdmin } from './authz.js';
import { expireOverdue } from './expire-overdue.js';
import { SYSTEM_ACTOR } from './model.js';
import { nameOf } from './people.js';
import { poolLevel } from './capacity.js';

export interface DigestItem {
  invitationId: number;
  inviteeName: string;
  inviteeEmail: string | null;
  inviterName: string;
  sentAt: number;
  expiresAt: number;
  remindersSent: number;
  deliveryProblem: string | null;
  /** items an admin can act on carry Resend / Revoke / Extend (while they are open) */
  actionable: boolean;
  /** a project invitation still waiting for its invitee to hold a seat: it can be extended or withdrawn, not resent */
  waiting?: true;
  /** set once it was answered or ended after the page was posted (the page is updated in place) */
  status?: InvitationStatus;
}

export type DigestEntry =
  | { kind: 'title'; pendingCount: number; waitingCount: number; undeliverableCount: number; now: number }
  | { kind: 'license'; name: string; seats: number; seatModel: SeatModel; memberCap: number | null; occupied: number; reserved: number; level: 'ok' | 'warn' | 'full' }
  | { kind: 'project'; name: string; ownerName: string; edition: 'web' | 'desktop' }
  | { kind: 'heading'; text: 'waiting_for_seat' | 'undeliverable' }
  | { kind: 'item'; item: DigestItem }
  | { kind: 'more'; count: number; of: string }
  /** accepted seats of one pool that an admin still has to add in the ATLAS.ti portal: one grouped to-do */
  | { kind: 'handoffs'; licenseName: string; people: { name: string; email: string | null; seatId: number }[]; more: number };

export interface DigestPage {
  page: number;
  pages: number;
  /** when the digest was made: ages are counted to it */
  now: number;
  entries: DigestEntry[];
}

/** Entries a page holds: a chat message allows 50 blocks, an item takes two (text and buttons). */
export const ENTRIES_PER_PAGE = 20;
/** Items listed per group before the rest is counted. */
const ITEMS_PER_GROUP = 40;

async function item(repos: Repositories, inv: Invitation, actionable: boolean): Promise<DigestItem> {
  return {
    invitationId: inv.id,
    inviteeName: nameOf(await repos.people.byId(inv.inviteeId)),
    inviteeEmail: inv.inviteeEmail,
    inviterName: nameOf(await repos.people.byId(inv.inviterId)),
    sentAt: inv.sentAt,
    expiresAt: inv.expiresAt,
    remindersSent: inv.remindersSent,
    deliveryProblem: inv.deliveryProblem,
    actionable,
    ...(inv.status === 'waiting_for_seat' ? { waiting: true as const } : {}),
  };
}

/** A group's heading, its first items (only those are looked up), and how many more there are. */
async function group(entries: DigestEntry[], head: DigestEntry, invitations: Invitation[], toItem: (i: Invitation) => Promise<DigestItem>, of: string): Promise<void> {
  entries.push(head);
  for (const i of invitations.slice(0, ITEMS_PER_GROUP)) entries.push({ kind: 'item', item: await toItem(i) });
  if (invitations.length > ITEMS_PER_GROUP) entries.push({ kind: 'more', count: invitations.length - ITEMS_PER_GROUP, of });
}

/** people in one grouped hand-off to-do (its Done button carries their seat ids) */
const HANDOFFS_PER_TODO = 50;

export async function buildDigest(repos: Repositories, now: number, crowdRatio?: number): Promise<DigestPage[]> {
  const pending = await repos.invitations.listPending();
  const waiting = await repos.invitations.listForProjectWaiting();
  const entries: DigestEntry[] = [];
  const undeliverable = pending.filter((i) => i.deliveryProblem);
  entries.push({ kind: 'title', pendingCount: pending.length, waitingCount: waiting.length, undeliverableCount: undeliverable.length, now });
  for (const usage of await repos.licenses.listUsage()) {
    const level = poolLevel({ ...usage.license, ...usage }, crowdRatio);
    const invs = pending.filter((i) => i.kind === 'license' && i.licenseId === usage.license.id);
    await group(entries, { kind: 'license', name: usage.license.name, seats: usage.license.seats, seatModel: usage.license.seatModel, memberCap: usage.license.memberCap, occupied: usage.occupied, reserved: usage.reserved, level }, invs, (i) => item(repos, i, true), usage.license.name);
  }
  const byProject = new Map<number, Invitation[]>();
  for (const i of pending.filter((p) => p.kind === 'project')) byProject.set(i.projectId ?? 0, [...(byProject.get(i.projectId ?? 0) ?? []), i]);
  for (const [projectId, invs] of byProject) {
    const project = await repos.projects.byId(projectId);
    await group(
      entries,
      { kind: 'project', name: project?.name ?? 'a project', ownerName: nameOf(await repos.people.byId(project?.ownerId ?? 0)), edition: project?.edition ?? 'web' },
      invs,
      (i) => item(repos, i, true),
      project?.name ?? 'a project',
    );
  }
  // to-dos left undone: grouped per pool, with the exact emails to copy into the portal at once
  const byPool = new Map<number, Seat[]>();
  for (const s of await repos.seats.awaitingAdmin()) byPool.set(s.licenseId, [...(byPool.get(s.licenseId) ?? []), s]);
  for (const [licenseId, awaiting] of byPool) {
    entries.push({
      kind: 'handoffs',
      licenseName: (await repos.licenses.byId(licenseId))?.name ?? 'a license',
      people: (await Promise.all(awaiting.slice(0, HANDOFFS_PER_TODO).map(async (s) => ({ name: nameOf(await repos.people.byId(s.personId)), email: s.email, seatId: s.id })))),
      more: Math.max(0, awaiting.length - HANDOFFS_PER_TODO),
    });
  }
  if (waiting.length) await group(entries, { kind: 'heading', text: 'waiting_for_seat' }, waiting, (i) => item(repos, i, true), 'waiting for a seat');
  if (undeliverable.length) await group(entries, { kind: 'heading', text: 'undeliverable' }, undeliverable, (i) => item(repos, i, false), 'unreachable');
  const pages: DigestEntry[][] = [];
  for (let i = 0; i < entries.length; i += ENTRIES_PER_PAGE) pages.push(entries.slice(i, i + ENTRIES_PER_PAGE));
  return pages.map((p, i) => ({ page: i + 1, pages: pages.length, now, entries: p }));
}

/** The scheduled digest, a job: `(deps, now)`. Posts every page to the admin channel. */
export async function postDigest(deps: DomainDeps, now: number): Promise<{ pages: number }> {
  if (!deps.settings.hasAdminChannel) return { pages: 0 };
  return await deps.store.transaction(async (repos) => {
    await expireOverdue(repos, SYSTEM_ACTOR, now);
    const pages = await buildDigest(repos, now, deps.settings.crowdRatio);
    for (const page of pages) await repos.outbox.enqueue({ type: 'admin_channel' }, { type: 'digest_page', page }, now);
    return { pages: pages.length };
  });
}

/** `/atlas pending`: the same review, on demand, for the asking admin only. */
export async function reviewPending({ deps, actor }: VerbArgs<void>): Promise<DigestPage[]> {
  return deps.store.transaction(async (repos) => {
    await requireAdmin(repos, deps.settings, actor, 'review pending invitations');
    const now = deps.clock.now();
    await expireOverdue(repos, SYSTEM_ACTOR, now);
    return buildDigest(repos, now, deps.settings.crowdRatio);
  });
}
