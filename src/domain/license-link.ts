/**
 * A license's own invitation link (or code), copied by an admin from the ATLAS.ti account portal.
 * Anyone holding it can join the license, so it is a secret: stored sealed, shown only to a person
 * who accepted a seat of that pool, in their own DM, and never to the admin channel, a log or the
 * invitation page. Replacing it sends the new one to every member who has not yet said they joined.
 */
import type { VerbArgs } from './context.js';
import type { Repositories } from './ports.js';
import type { Seat } from './model.js';
import { requireAdmin } from './authz.js';
import { audit } from './audit.js';
import { DomainError } from './errors.js';
import { tellPerson } from './notify.js';
import { pickLicense } from './pick-license.js';

const LINK_MAX = 2000;

/** What an admin may paste: an https link, or a code without spaces. */
function linkProblem(raw: string): string | undefined {
  const v = raw.trim();
  if (v === '') return 'Paste the license\'s invitation link (or code) from the ATLAS.ti account portal.';
  if (v.length > LINK_MAX) return `That is longer than ${LINK_MAX} characters: paste only the link.`;
  if (/\s/.test(v)) return 'A link or code has no spaces: paste only the link.';
  if (/^[a-z][a-z0-9+.-]*:/i.test(v) && !/^https:\/\//i.test(v)) return 'The link must start with https:// (or paste the code alone).';
  return undefined;
}

/** Sends the sealed link to one seat's holder, in their own DM. */
export async function sendLicenseLink(repos: Repositories, seat: Seat, sealedLink: string, licenseName: string, now: number, rotated: boolean): Promise<void> {
  await tellPerson(repos, seat.personId, { type: 'license_link', licenseName, email: seat.email, seatId: seat.id, sealedLink, rotated }, now);
}

export async function setLicenseLink({ deps, actor, input }: VerbArgs<{ licenseName?: string | null; link: string }>): Promise<{ licenseName: string; sentTo: number; rotated: boolean }> {
  const problem = linkProblem(input.link);
  if (problem) throw new DomainError('INVALID_INPUT', problem);
  const secrets = deps.secrets;
  if (!secrets) throw new DomainError('INVALID_INPUT', 'This bot has no secret key, so it cannot keep a license link safely. Ask whoever runs it to set ATLAS_SECRET_KEY.');
  return deps.store.transaction(async (repos) => {
    await requireAdmin(repos, deps.settings, actor, 'set a license\'s invitation link');
    const license = await pickLicense(repos, input.licenseName);
    const now = deps.clock.now();
    const rotated = await repos.licenses.sealedLink(license.id) !== null;
    const sealed = secrets.seal(input.link.trim());
    await repos.licenses.setLink(license.id, sealed, now);
    // the audit row says that it changed, never what it is
    await audit(repos, actor, now, rotated ? 'license.link_replaced' : 'license.link_set', { type: 'license', id: license.id });
    const members = await repos.seats.notJoined(license.id);
    for (const seat of members) {
      // the link is what hands the seat over: those still waiting for an admin's Done have it now
      await repos.seats.handOver(seat.id, 0, now, 'link');
      await sendLicenseLink(repos, seat, sealed, license.name, now, rotated);
    }
    return { licenseName: license.name, sentTo: members.length, rotated };
  });
}
