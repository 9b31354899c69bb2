/**
 * Did you mean…, before anything is sent. An account email must match exactly (it is case
 * sensitive), and an invitation to an address nobody owns would hold a seat for no one. So every
 * email typed or uploaded is compared with the emails the bot knows for real people (chat accounts,
 * seats): an exact match goes through; one that differs only in letter case, is a near miss (one or
 * two edits), or has a domain one edit away from a known one is put back as a question.
 */
import { distance } from 'fastest-levenshtein';
import type { VerbArgs } from './context.js';
import type { Repositories } from './ports.js';

export interface EmailQuestion {
  typed: string;
  /** the exact email on record (or, for a domain one edit away, the typed name at the known domain) */
  suggestion: string;
  why: 'case' | 'near' | 'domain';
}

/**
 * Whether an email has letters outside ASCII (another alphabet, or a look-alike of a Latin letter).
 * Such an address is never accepted as typed (see emailSchema); one a chat platform reports is flagged.
 */
export const mixesScripts = (email: string): boolean => [...email].some((c) => c.charCodeAt(0) > 0x7f);

/** Beyond this many comparisons (typed × known) only letter case and domains are checked: a list of thousands stays fast. */
const NEAR_MISS_BUDGET = 2_000_000;

const domainOf = (email: string): string => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

export async function emailQuestions(repos: Repositories, typed: readonly string[]): Promise<EmailQuestion[]> {
  if (typed.length === 0) return [];
  const known = await repos.people.knownEmails();
  const exact = new Set(known);
  const byLower = new Map(known.map((e) => [e.toLowerCase(), e]));
  const domains = [...new Set(known.map(domainOf))];
  const near = typed.length * known.length <= NEAR_MISS_BUDGET;
  const questions: EmailQuestion[] = [];
  for (const email of new Set(typed)) {
    if (exact.has(email)) continue;
    const lower = email.toLowerCase();
    const sameLetters = byLower.get(lower);
    if (sameLetters) {
      questions.push({ typed: email, suggestion: sameLetters, why: 'case' });
      continue;
    }
    if (near) {
      let best: { email: string; d: number } | undefined;
      for (const k of known) {
        if (Math.abs(k.length - email.length) > 2) continue;
        const d = distance(lower, k.toLowerCase());
        if (d <= 2 && (!best || d < best.d)) best = { email: k, d };
      }
      if (best) {
        questions.push({ typed: email, suggestion: best.email, why: 'near' });
        continue;
      }
    }
    // someone new, but at a domain nobody has that is one letter off one everybody has (uni.exmple)
    const domain = domainOf(email);
    if (domains.includes(domain)) continue;
    const close = domains.find((d) => distance(domain, d) === 1);
    if (close) questions.push({ typed: email, suggestion: `${email.slice(0, email.lastIndexOf('@'))}@${close}`, why: 'domain' });
  }
  return questions;
}

/** The check as a verb, for the edges to ask before they look anyone up or send anything. */
export async function checkEmails({ deps, input }: VerbArgs<{ emails: readonly string[] }>): Promise<EmailQuestion[]> {
  return deps.store.transaction((repos) => emailQuestions(repos, input.emails));
}
