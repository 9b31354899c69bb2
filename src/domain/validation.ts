import { z } from 'zod';

/** Input shapes shared by every entry point. Emails keep their exact case. */
export const emailSchema = z.string().trim().pipe(z.email());

export function parseEmail(raw: string): string | null {
  const r = emailSchema.safeParse(raw);
  return r.success ? r.data : null;
}

export const licenseNameSchema = z
  .string()
  .trim()
  .min(1, 'Give the license a name.')
  .max(80, 'License names are at most 80 characters.');

export const seatCountSchema = z.coerce
  .number({ error: 'The number of seats must be a whole number.' })
  .int('The number of seats must be a whole number.')
  .min(1, 'A license needs at least 1 seat.')
  .max(100_000, 'A license can have at most 100,000 seats.');

export const memberCapSchema = z.coerce
  .number({ error: 'The member limit must be a whole number.' })
  .int('The member limit must be a whole number.')
  .min(1, 'A member limit must be at least 1.')
  .max(1_000_000, 'A member limit can be at most 1,000,000.');

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

/** Every email in a text (a CSV export, a pasted list), in order, each once; the exact case is kept. */
export function emailsIn(text: string): string[] {
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
