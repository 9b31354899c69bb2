import { closeOwnSeatRequests } from './ask-for-seat.js';
import type { VerbArgs } from './context.js';
import type { LicenseUsage } from './model.js';
import { requireAdmin } from './authz.js';
import { audit } from './audit.js';
import { DomainError } from './errors.js';
import { pickLicense } from './pick-license.js';
import { expireOverdue } from './expire-overdue.js';
import { licenseNameSchema, seatCountSchema } from './validation.js';
import { SYSTEM_ACTOR } from './model.js';
import type { Repositories } from './ports.js';
import { announceInvitation } from './restate.js';
import { snapshotOf } from './snapshot.js';
import { tellPerson } from './notify.js';
import { provision } from './provisioning.js';
import { b, t } from './message.js';
import { PRODUCT } from './words.js';

/**
 * A pool grows or shrinks (the license was renewed with more or fewer seats). An assigned pool
 * cannot shrink below the seats it has given and holds for pending invitations; a concurrent one
 * cannot shrink its seats below nothing, nor grow them past its member limit.
 */
export async function resizeLicense({ deps, actor, input }: VerbArgs<{ licenseName: string; seats: string | number }>): Promise<{ usage: LicenseUsage; from: number }> {
  return deps.store.transaction(async (repos) => {
    await requireAdmin(repos, deps.settings, actor, 'resize license pools');
    const seats = seatCountSchema.safeParse(input.seats);
    if (!seats.success) throw new DomainError('INVALID_INPUT', seats.error.issues[0]?.message ?? 'Give a number of seats.');
    const now = deps.clock.now();
    const license = await pickLicense(repos, input.licenseName);
    // an invitation past its expiry holds nothing: it is expired first, so it does not block a shrink
    await expireOverdue(repos, SYSTEM_ACTOR, now, { licenseId: license.id });
    const usage = await repos.licenses.usage(license.id);
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
    await repos.licenses.update(license.id, { seats: seats.data });
    await audit(repos, actor, now, 'license.resized', { type: 'license', id: license.id }, { from, to: seats.data });
    return { usage: { license: { ...license, seats: seats.data }, ...usage }, from };
  });
}

/** A pool gets another name (its people, seats and history stay with it). */
export async function renameLicense({ deps, actor, input }: VerbArgs<{ licenseName: string; newName: string }>): Promise<{ from: string; to: string }> {
  return deps.store.transaction(async (repos) => {
    await requireAdmin(repos, deps.settings, actor, 'rename license pools');
    const name = licenseNameSchema.safeParse(input.newName);
    if (!name.success) throw new DomainError('INVALID_INPUT', name.error.issues[0]?.message ?? 'Give the new name.');
    const license = await pickLicense(repos, input.licenseName);
    const clash = await repos.licenses.byName(name.data);
    if (clash && clash.id !== license.id) throw new DomainError('CONFLICT', `A license named "${clash.name}" already exists; pick another name.`);
    await repos.licenses.update(license.id, { name: name.data });
    await audit(repos, actor, deps.clock.now(), 'license.renamed', { type: 'license', id: license.id }, { from: license.name, to: name.data });
    return { from: license.name, to: name.data };
  });
}

export interface LicenseRetirement {
  licenseId: number;
  name: string;
  members: number;
  pending: number;
}

const retirementOf = async (repos: Repositories, licenseId: number, name: string): Promise<LicenseRetirement> => ({
  licenseId,
  name,
  members: (await repos.seats.holders(licenseId)).length,
  pending: (await repos.invitations.pendingInvitees(licenseId)).length,
});

/** What retiring a pool would do, asked before it is done (it cannot be undone): whose seats end, which invitations are withdrawn. */
export async function previewRetireLicense({ deps, actor, input }: VerbArgs<{ licenseName: string }>): Promise<LicenseRetirement> {
  return deps.store.transaction(async (repos) => {
    await requireAdmin(repos, deps.settings, actor, 'retire license pools');
    const license = await pickLicense(repos, input.licenseName);
    return retirementOf(repos, license.id, license.name);
  });
}

/**
 * Retires a pool (the license ended): its pending invitations are withdrawn (each invitee told),
 * its seats end (each member told what it means for their projects), and it takes no invitation
 * again. It is kept, with its history, for the audit and the exports.
 */
export async function retireLicense({ deps, actor, input }: VerbArgs<{ licenseId: number }>): Promise<LicenseRetirement> {
  return deps.store.transaction(async (repos) => {
    await requireAdmin(repos, deps.settings, actor, 'retire license pools');
    const now = deps.clock.now();
    const license = await repos.licenses.byId(input.licenseId);
    if (!license) throw new DomainError('NOT_FOUND', 'That license no longer exists.');
    if (license.retiredAt !== undefined) throw new DomainError('NOT_PENDING', `"${license.name}" was retired already.`);
    const done = await retirementOf(repos, license.id, license.name);
    for (const inv of (await repos.invitations.listPending()).filter((i) => i.kind === 'license' && i.licenseId === license.id)) {
      if (!await repos.invitations.transition(inv.id, 'pending', { status: 'revoked', decidedAt: now, decidedBy: actor.personId || null })) continue;
      await audit(repos, actor, now, 'invitation.revoked', { type: 'invitation', id: inv.id }, { reason: 'license retired' });
      await announceInvitation(repos, await snapshotOf(repos, { ...inv, status: 'revoked' }, { usage: false }), now);
      await tellPerson(repos, inv.inviteeId, { type: 'notice', text: t`The license ${b(license.name)} has ended, so your invitation to a seat in it was withdrawn. If you still need ${PRODUCT}, ask a license admin.` }, now);
    }
    for (const personId of await repos.seats.holders(license.id)) {
      for (const seat of (await repos.seats.occupiedBy(personId)).filter((s) => s.licenseId === license.id)) {
        if (!await repos.seats.release(seat.id, now)) continue;
        await audit(repos, actor, now, 'seat.released', { type: 'seat', id: seat.id }, { licenseId: license.id, personId, reason: 'license retired' });
        if (deps.settings.hasProvisioningWebhook) await provision(repos, { type: 'seat.released', email: seat.email, license: { id: license.id, name: license.name }, seatId: seat.id }, now);
      }
      const projectNames = (await Promise.all((await repos.projectAccess.forPerson(personId)).map(async (a) => (await repos.projects.byId(a.projectId))?.name ?? 'a project')));
      await tellPerson(repos, personId, { type: 'seat_released', licenseName: license.name, projectNames }, now);
    }
    await repos.licenses.update(license.id, { retiredAt: now });
    // nobody waits for a seat in a pool that ended
    await closeOwnSeatRequests(repos, { licenseId: license.id }, now, `${license.name} was retired`, true);
    await audit(repos, actor, now, 'license.retired', { type: 'license', id: license.id }, { members: done.members, pending: done.pending });
    return done;
  });
}
