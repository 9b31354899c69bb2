import type { VerbArgs } from './context.js';
import type { LicenseUsage, SeatModel } from './model.js';
import { requireAdmin } from './authz.js';
import { audit } from './audit.js';
import { DomainError } from './errors.js';
import { licenseNameSchema, memberCapSchema, seatCountSchema } from './validation.js';

export interface AddLicenseInput {
  name: string;
  seats: number | string;
  /** concurrent (the default: seats counted while the software is in use) or assigned (one seat per member) */
  seatModel?: SeatModel;
  /** concurrent only: the most members the pool takes */
  memberCap?: number | string | null;
}

export async function addLicense({ deps, actor, input }: VerbArgs<AddLicenseInput>): Promise<LicenseUsage> {
  const now = deps.clock.now();
  return deps.store.transaction(async (repos) => {
    // who may comes before what was typed: a non-admin hears that first
    const admin = await requireAdmin(repos, deps.settings, actor, 'create license pools');
    const name = licenseNameSchema.safeParse(input.name);
    if (!name.success) throw new DomainError('INVALID_INPUT', name.error.issues[0]?.message ?? 'Give the license a name.');
    const seats = seatCountSchema.safeParse(input.seats);
    if (!seats.success) throw new DomainError('INVALID_INPUT', seats.error.issues[0]?.message ?? 'Give a number of seats.');
    const seatModel = input.seatModel ?? 'concurrent';
    let memberCap: number | null = null;
    if (input.memberCap !== undefined && input.memberCap !== null && input.memberCap !== '') {
      if (seatModel === 'assigned') {
        throw new DomainError('INVALID_INPUT', `An assigned license has one seat per member, so its ${seats.data} seats are its limit already; a member limit is only for concurrent licenses.`);
      }
      const cap = memberCapSchema.safeParse(input.memberCap);
      if (!cap.success) throw new DomainError('INVALID_INPUT', cap.error.issues[0]?.message ?? 'Give the member limit as a number.');
      if (cap.data < seats.data) {
        throw new DomainError('INVALID_INPUT', `A member limit of ${cap.data} would leave some of the ${seats.data} seats unused: give at least ${seats.data}, or leave it out for no limit.`);
      }
      memberCap = cap.data;
    }
    const existing = await repos.licenses.byName(name.data);
    if (existing) {
      throw new DomainError('CONFLICT', `A license named "${existing.name}" already exists (${existing.seats} seats).`);
    }
    const license = await repos.licenses.insert({ name: name.data, seats: seats.data, seatModel, memberCap, createdBy: admin.id, createdAt: now });
    await audit(repos, actor, now, 'license.created', { type: 'license', id: license.id }, { name: license.name, seats: license.seats, seatModel, memberCap });
    return { license, occupied: 0, reserved: 0 };
  });
}
