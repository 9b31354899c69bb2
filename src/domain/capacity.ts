/**
 * How a license pool counts, in one place. Two models:
 *
 * - **concurrent** (ATLAS.ti's multi-user and campus licenses): "each user occupies a license seat
 *   while using the software". Any number of people may be members; `seats` of them can use the
 *   software at the same time. Invitations are never refused for lack of seats; an optional member
 *   cap may refuse them. Many more members than seats is normal, but past a multiple of the seats
 *   (the `crowdRatio` setting, 4× by default) people may find every seat busy, so it is a warning.
 * - **assigned**: one seat per member. A pending invitation holds its seat, so an admin can never
 *   hand out more invitations than there are seats; full means full.
 *
 * `occupied` counts members who accepted (assigned: seats taken); `reserved` counts pending license
 * invitations (assigned: seats held for them).
 */
import type { LicenseUsage, SeatModel } from './model.js';

export interface PoolFigures {
  seats: number;
  /** absent in messages queued before pools had a model: those pools were all assigned */
  seatModel?: SeatModel;
  memberCap?: number | null;
  occupied: number;
  reserved: number;
}

const DEFAULT_CROWD_RATIO = 4;

export const CONCURRENT_EXPLAINED =
  'Concurrent: any number of people can be members; a seat is taken only while someone has the software open, so the seat count is how many can work at the same time.';
export const ASSIGNED_EXPLAINED = 'Assigned: one seat per member; used counts seats taken and seats held for pending invitations.';

export const modelOf = (p: Pick<PoolFigures, 'seatModel'>): SeatModel => p.seatModel ?? 'assigned';

/** The most people the pool takes as members and invitees together, or Infinity. */
function memberLimit(p: PoolFigures): number {
  if (modelOf(p) === 'assigned') return p.seats;
  return p.memberCap ?? Number.POSITIVE_INFINITY;
}

/** How many more people can be invited now (Infinity for an uncapped concurrent pool). */
export const placesLeft = (p: PoolFigures): number => Math.max(0, memberLimit(p) - p.occupied - p.reserved);

/** Nobody more can be invited. */
export const isFull = (p: PoolFigures): boolean => placesLeft(p) === 0;

/**
 * Whether a pending invitation can still be accepted: its own reservation is counted already, but
 * the pool can shrink under it, so accepted members are checked against the limit.
 */
export const canAccept = (p: PoolFigures): boolean => p.occupied < memberLimit(p);

/** The warning level: assigned from 90 % and when full; concurrent past `crowdRatio` members per seat, and at its cap. */
export function poolLevel(p: PoolFigures, crowdRatio = DEFAULT_CROWD_RATIO): 'ok' | 'warn' | 'full' {
  if (isFull(p)) return 'full';
  if (modelOf(p) === 'assigned') return p.seats > 0 && (p.occupied + p.reserved) / p.seats >= 0.9 ? 'warn' : 'ok';
  const cap = p.memberCap ?? null;
  if (cap !== null && (p.occupied + p.reserved) / cap >= 0.9) return 'warn';
  return p.occupied + p.reserved > crowdRatio * p.seats ? 'warn' : 'ok';
}

/** Why a pool is at its level, in a few words ('' when all is well). */
export function levelNote(p: PoolFigures, level: 'ok' | 'warn' | 'full'): string {
  if (level === 'full') return 'nobody more can be invited';
  if (level === 'ok') return '';
  const used = p.occupied + p.reserved;
  const cap = p.memberCap ?? null;
  if (modelOf(p) === 'assigned') return `${Math.round((used / p.seats) * 100)}% used`;
  if (cap !== null && used / cap >= 0.9) return `${Math.round((used / cap) * 100)}% of the member limit`;
  return `${(used / p.seats).toFixed(1).replace(/\.0$/, '')} members per seat: people may find every seat busy`;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The pool in its own terms, in a few words: `9/10 seats used` or `120 members · 50 seats at a time`. */
export function shortUsage(p: PoolFigures): string {
  if (modelOf(p) === 'assigned') return `${p.occupied + p.reserved}/${p.seats} seats used`;
  const cap = p.memberCap ?? null;
  return `${plural(p.occupied + p.reserved, 'member')}${cap !== null ? ` of ${cap}` : ''} · ${plural(p.seats, 'seat')} at a time`;
}

/**
 * The pool in its own terms, in full: assigned `9/10 seats used (7 taken, 2 held for pending
 * invitations)`; concurrent `120 members (8 invited) · 50 seats at a time`.
 */
export function usageLine(p: PoolFigures): string {
  if (modelOf(p) === 'assigned') {
    const parts = [`${p.occupied + p.reserved}/${p.seats} seats used`];
    if (p.reserved > 0) parts[0] += ` (${p.occupied} taken, ${p.reserved} held for pending invitations)`;
    if (isFull(p)) parts.push('full');
    return parts.join(' · ');
  }
  const cap = p.memberCap ?? null;
  const members = `${plural(p.occupied + p.reserved, 'member')}${p.reserved > 0 ? ` (${p.reserved} invited)` : ''}`;
  const parts = [members, `${plural(p.seats, 'seat')} at a time`];
  if (cap !== null) parts.push(isFull(p) ? `member limit of ${cap} reached` : `up to ${cap} members`);
  return parts.join(' · ');
}

/** What a pool is, for the answer to `license add` and the forms: `50 seats, concurrent (any number of members)`. */
export function modelLine(p: PoolFigures): string {
  if (modelOf(p) === 'assigned') return `${plural(p.seats, 'seat')}, one per member`;
  const cap = p.memberCap ?? null;
  return `${plural(p.seats, 'seat')} in use at a time, ${cap === null ? 'any number of members' : `up to ${cap} members`}`;
}

/** Why nobody more fits, in the pool's terms. */
export function fullReason(p: PoolFigures): string {
  if (modelOf(p) === 'concurrent') return `it has reached its limit of ${plural(memberLimit(p), 'member')}`;
  const all = p.seats === 1 ? 'its 1 seat is' : `all ${p.seats} seats are`;
  // a seat held for a pending invitation is not a taken one: say which it is
  if (p.reserved === 0) return `${all} taken`;
  if (p.occupied === 0) return `${all} held for pending invitations`;
  return `${all} in use: ${p.occupied} taken, ${p.reserved} held for pending invitations`;
}

/** What is left, for the capacity question of a large invitation: `78 seats free` or `78 member places left`. */
export function placesLine(p: PoolFigures, n = placesLeft(p)): string {
  return modelOf(p) === 'assigned' ? `${plural(n, 'seat')} free` : `${plural(n, 'member place')} left`;
}

/** A pool's figures from its usage row. */
export const figuresOf = (u: LicenseUsage): PoolFigures => ({ seats: u.license.seats, seatModel: u.license.seatModel, memberCap: u.license.memberCap, occupied: u.occupied, reserved: u.reserved });

/** Usage rows with their warning level, for the views that show it. */
export const withLevels = (usages: LicenseUsage[], crowdRatio?: number): LicenseUsage[] => usages.map((u) => ({ ...u, level: poolLevel(figuresOf(u), crowdRatio) }));

/** The level a verb worked out, or the one the default settings give. */
export const levelOf = (u: LicenseUsage): 'ok' | 'warn' | 'full' => u.level ?? poolLevel(figuresOf(u));
