import type { VerbArgs } from './context.js';
import type { LicenseUsage } from './model.js';
import { requireAdmin } from './authz.js';
import { audit } from './audit.js';
import { DomainError } from './errors.js';
import { licenseNameSchema, seatCountSchema } from './validation.js';

export async function addLicense({ deps, actor, input }: VerbArgs<{ name: string; seats: number | string }>): Promise<LicenseUsage> {
  const now = deps.clock.now();
  return deps.store.transaction((repos) => {
    // who may comes before what was typed: a non-admin hears that first
    const admin = requireAdmin(repos, deps.settings, actor, 'create license pools');
    const name = licenseNameSchema.safeParse(input.name);
    if (!name.success) throw new DomainError('INVALID_INPUT', name.error.issues[0]?.message ?? 'Give the license a name.');
    const seats = seatCountSchema.safeParse(input.seats);
    if (!seats.success) throw new DomainError('INVALID_INPUT', seats.error.issues[0]?.message ?? 'Give a number of seats.');
    const existing = repos.licenses.byName(name.data);
    if (existing) {
      throw new DomainError('CONFLICT', `A license named "${existing.name}" already exists (${existing.seats} seats).`);
    }
    const license = repos.licenses.insert({ name: name.data, seats: seats.data, createdBy: admin.id, createdAt: now });
    audit(repos, actor, now, 'license.created', { type: 'license', id: license.id }, { name: license.name, seats: license.seats });
    return { license, occupied: 0, reserved: 0 };
  });
}
