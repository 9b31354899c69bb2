/**
 * Reconciling a pool with the ATLAS.ti account portal: the admin pastes the user list the portal
 * exports (a CSV; the column whose header contains "email" or "e-mail"). Emails are compared exactly (account
 * emails are case sensitive); a difference in letter case only is shown as such. Members found in
 * both are marked joined; members accepted here but missing there did not get their hand-off;
 * people in the portal never invited here joined some other way (a shared code or link).
 */
import type { VerbArgs } from './context.js';
import { requireAdmin } from './authz.js';
import { audit } from './audit.js';
import { DomainError } from './errors.js';
import { nameOf } from './people.js';
import { pickLicense } from './pick-license.js';
import { tellPerson } from './notify.js';

export interface ReconcileReport {
  licenseName: string;
  hasLink: boolean;
  confirmed: { name: string; email: string }[];
  /** in both, but spelled differently: not the same account */
  caseOnly: { name: string; here: string; portal: string }[];
  /** accepted here, absent from the portal: the hand-off did not happen */
  missing: { name: string; email: string; seatId: number }[];
  /** in the portal, never invited here */
  unknown: string[];
  /** rows whose email cell held no address */
  unreadable: number;
}

const RECONCILE_CSV_MAX = 2_000_000;

/** One CSV line into cells: commas or semicolons (chosen from the header), quotes and doubled quotes. */
function cells(line: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((c) => c.trim());
}

/** The email column of the portal's export; throws what to do when there is none. */
function portalEmails(csv: string): { emails: string[]; unreadable: number } {
  const lines = csv.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0];
  if (header === undefined) throw new DomainError('INVALID_INPUT', 'Paste the user list exported from the ATLAS.ti account portal: a CSV with a column whose header contains "email".', { field: 'csv' });
  const sep = (header.match(/;/g)?.length ?? 0) > (header.match(/,/g)?.length ?? 0) ? ';' : ',';
  const column = cells(header, sep).findIndex((h) => /e-?mail/i.test(h));
  if (column < 0) throw new DomainError('INVALID_INPUT', 'I found no column whose header contains "email" in the first line. Paste the export with its header line.', { field: 'csv' });
  const emails: string[] = [];
  let unreadable = 0;
  for (const line of lines.slice(1)) {
    const v = cells(line, sep)[column] ?? '';
    if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v)) emails.push(v);
    else unreadable++;
  }
  return { emails, unreadable };
}

export async function reconcileLicense({ deps, actor, input }: VerbArgs<{ licenseName?: string | null; csv: string }>): Promise<ReconcileReport> {
  if (input.csv.length > RECONCILE_CSV_MAX) throw new DomainError('INVALID_INPUT', 'That list is larger than 2 MB: export one license at a time.', { field: 'csv' });
  const portal = portalEmails(input.csv);
  return deps.store.transaction(async (repos) => {
    await requireAdmin(repos, deps.settings, actor, 'reconcile a license with the ATLAS.ti portal');
    const license = await pickLicense(repos, input.licenseName);
    const now = deps.clock.now();
    const exact = new Set(portal.emails);
    const byLower = new Map(portal.emails.map((e) => [e.toLowerCase(), e]));
    const seen = new Set<string>();
    const report: ReconcileReport = { licenseName: license.name, hasLink: await repos.licenses.sealedLink(license.id) !== null, confirmed: [], caseOnly: [], missing: [], unknown: [], unreadable: portal.unreadable };
    for (const seat of await repos.seats.occupiedIn(license.id)) {
      const name = nameOf(await repos.people.byId(seat.personId));
      const email = seat.email ?? '';
      const near = byLower.get(email.toLowerCase());
      if (email && exact.has(email)) {
        seen.add(email.toLowerCase());
        report.confirmed.push({ name, email });
        if (await repos.seats.markJoined(seat.id, now)) await audit(repos, actor, now, 'seat.joined', { type: 'seat', id: seat.id }, { licenseId: license.id, how: 'reconcile' });
      } else if (email && near !== undefined) {
        seen.add(email.toLowerCase());
        report.caseOnly.push({ name, here: email, portal: near });
      } else report.missing.push({ name, email, seatId: seat.id });
    }
    // someone invited and not yet answered is not "never invited"
    const invited = new Set((await repos.invitations.listPending()).filter((i) => i.licenseId === license.id && i.inviteeEmail).map((i) => i.inviteeEmail!.toLowerCase()));
    report.unknown = portal.emails.filter((e) => !seen.has(e.toLowerCase()) && !invited.has(e.toLowerCase()));
    await audit(repos, actor, now, 'license.reconciled', { type: 'license', id: license.id }, {
      confirmed: report.confirmed.length, caseOnly: report.caseOnly.length, missing: report.missing.length, unknown: report.unknown.length,
    });
    await tellPerson(repos, actor.personId, { type: 'reconcile_report', report }, now);
    return report;
  });
}
