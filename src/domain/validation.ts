import { z } from 'zod';

/**
 * Input shapes shared by every entry point. Emails keep their exact case, and keep to RFC 5321's
 * limits: a local part of at most 64 characters, an address of at most 254.
 */
export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email())
  .refine((e) => e.lastIndexOf('@') <= 64, 'The part before the @ is at most 64 characters.');

/** A count as people type it: plain decimal digits only (`1e3`, `0x10` or `0b11` are no number of seats). */
const wholeNumber = (message: string) =>
  z.union([z.number(), z.string().trim().regex(/^\d{1,9}$/, message).transform(Number)], { error: message }).pipe(z.number({ error: message }).int(message));

export function parseEmail(raw: string): string | null {
  const r = emailSchema.safeParse(raw);
  return r.success ? r.data : null;
}

export const licenseNameSchema = z
  .string()
  .trim()
  .min(1, 'Give the license a name.')
  .max(80, 'License names are at most 80 characters.');

export const seatCountSchema = wholeNumber('The number of seats must be a whole number, written in digits (like 25).')
  .refine((n) => n >= 1, 'A license needs at least 1 seat.')
  .refine((n) => n <= 100_000, 'A license can have at most 100,000 seats.');

export const memberCapSchema = wholeNumber('The member limit must be a whole number, written in digits (like 400).')
  .refine((n) => n >= 1, 'A member limit must be at least 1.')
  .refine((n) => n <= 1_000_000, 'A member limit can be at most 1,000,000.');

export const invitationIdSchema = z.coerce.number().int().positive();

/** A personal message with a project invitation: at most this many characters. */
export const MESSAGE_MAX = 1000;

export const projectNameSchema = z
  .string()
  .trim()
  .min(1, 'Give the project a name.')
  .max(120, 'Project names are at most 120 characters.');

function hostAllowed(host: string, allowed: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return allowed.some((pattern) => {
    const p = pattern.trim().toLowerCase();
    if (p.startsWith('*.')) return h.endsWith(p.slice(1)) && h.length > p.length - 1;
    return h === p;
  });
}

/**
 * A project link someone hands over (a Desktop invitation link or a cloud link to a project
 * bundle): https only, on a host the operator allows. Returns the problem in words, or null.
 */
export function sharedLinkProblem(raw: string, allowed: readonly string[]): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return 'That is not a link: paste the full address, starting with https://';
  }
  if (url.protocol !== 'https:') return 'The link must start with https://';
  if (url.username || url.password) return 'The link must not contain a user name or password.';
  if (!hostAllowed(url.hostname, allowed)) {
    return `Links to ${url.hostname} are not allowed here. Allowed: ${allowed.join(', ')}.`;
  }
  return null;
}

/**
 * The emails of a CSV (an export, a pasted list), in order, each once, and the lines that hold
 * none, by line number: a header line (the first, with no @ in it) and empty lines are not counted.
 */
export function csvEmails(text: string): { emails: string[]; unusable: { line: number; text: string }[] } {
  const seen = new Set<string>();
  const emails: string[] = [];
  const unusable: { line: number; text: string }[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || (i === 0 && !line.includes('@'))) return;
    const found = emailsIn(line);
    if (found.length === 0) unusable.push({ line: i + 1, text: line.length > 60 ? `${line.slice(0, 57)}…` : line });
    for (const e of found) {
      if (!seen.has(e)) {
        seen.add(e);
        emails.push(e);
      }
    }
  });
  return { emails, unusable };
}

/** "Line 4 (not-an-email) has no email address." for the lines a CSV could not use. */
export function unusableWords(unusable: { line: number; text: string }[]): string {
  if (unusable.length === 0) return '';
  const shown = unusable.slice(0, 5).map((u) => `line ${u.line} (${u.text})`);
  const more = unusable.length > 5 ? ` and ${unusable.length - 5} more` : '';
  return unusable.length === 1 ? `Line ${unusable[0]!.line} (${unusable[0]!.text}) has no email address.` : `These lines have no email address: ${shown.join(', ')}${more}.`;
}

/** Every email in a text (a CSV export, a pasted list), in order, each once; the exact case is kept. */
function emailsIn(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const m of text.matchAll(/[^\s,;"'<>()]+@[^\s,;"'<>()]+/g)) {
    const email = parseEmail(m[0]);
    if (email && !seen.has(email)) {
      seen.add(email);
      out.push(email);
    }
  }
  return out;
}
