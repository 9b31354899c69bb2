import type { VerbArgs } from './context.js';
import type { LicenseUsage } from './model.js';
import { requireAdmin } from './authz.js';
import { audit } from './audit.js';
import { DomainError } from './errors.js';
import { pickLicense } from './pick-license.js';
import { expireOverdue } from './expire-overdue.js';
import { licenseNameSchema, seatCountSchema } from './validation.js';
import { SYSTEM_ACTOR } from './model.js';

/**
 * A pool grows or shrinks (the license was renewed with more or fewer seats). An assigned pool
 * cannot shrink below the seats it has given and holds for pending invitations; a concurrent one
 * cannot shrink its seats below nothing, nor grow them past its member limit.
 */
export async function resizeLicense({ deps, actor, input }: VerbArgs<{ licenseName: string; seats: string | number }>): Promise<{ usage: LicenseUsage; from: number }> {
  return deps.store.transaction((repos) => {
    requireAdmin(repos, deps.settings, actor, 'resize license pools');
    const seats = seatCountSchema.safeParse(input.seats);
    if (!seats.success) throw new DomainError('INVALID_INPUT', seats.error.issues[0]?.message ?? 'Give a number of seats.');
    const now = deps.clock.now();
    const license = pickLicense(repos, input.licenseName);
    // an invitation past its expiry holds nothing: it is expired first, so it does not block a shrink
    expireOverdue(repos, SYSTEM_ACTOR, now, { licenseId: license.id });
    const usage = repos.licenses.usage(license.id);
    if (license.seatModel === 'assigned' && seats.data < usage.occupied + usage.reserved) {
      throw new DomainError(
        'CONFLICT',
        `"${license.name}" has ${usage.occupied} seat${usage.occupied === 1 ? '' : 's'} taken and ${usage.reserved} held for pending invitations, so it cannot shrink to ${seats.data}. Release seats or withdraw invitations first, or give at least ${usage.occupied + usage.reserved}.`,
      );
    }
    if (license.memberCap !== null && seats.data > license.memberCap) {
      throw new DomainError('CONFLICT', `"${license.name}" takes at most ${license.memberCap} members, so it cannot have ${seats.data} seats at a time. Give at most ${license.memberCap}.`);
    }
    const from = license.seats;
    repos.licenses.update(license.id, { seats: seats.data });
    audit(repos, actor, now, 'license.resized', { type: 'license', id: license.id }, { from, to: seats.data });
    return { usage: { license: { ...license, seats: seats.data }, ...usage }, from };
  });
}

/** A pool gets another name (its people, seats and history stay with it). */
export async function renameLicense({ deps, actor, input }: VerbArgs<{ licenseName: string; newName: string }>): Promise<{ from: string; to: string }> {
  return deps.store.transaction((repos) => {
    requireAdmin(repos, deps.settings, actor, 'rename license pools');
    const name = licenseNameSchema.safeParse(input.newName);
    if (!name.success) throw new DomainError('INVALID_INPUT', name.error.issues[0]?.message ?? 'Give the new name.');
    const license = pickLicense(repos, input.licenseName);
    const clash = repos.licenses.byName(name.data);
    if (clash && clash.id !== license.id) throw new DomainError('CONFLICT', `A license named "${clash.name}" already exists; pick another name.`);
    repos.licenses.update(license.id, { name: name.data });
    audit(repos, actor, deps.clock.now(), 'license.renamed', { type: 'license', id: license.id }, { from: license.name, to: name.data });
    return { from: license.name, to: name.data };
  });
}
