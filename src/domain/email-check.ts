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
  why: 'case' | 'near' | 'domain' | 'script';
}

/** Letters of other alphabets that look like Latin ones (after Unicode's confusables list, the common ones). */
const LOOKALIKE: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', і: 'i', ї: 'i', ј: 'j', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w', һ: 'h', ӏ: 'l',
  α: 'a', ε: 'e', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ɡ: 'g', ɑ: 'a', ı: 'i',
};

/** Whether an email has letters outside ASCII (another alphabet, or a look-alike of a Latin letter). */
export const mixesScripts = (email: string): boolean => [...email].some((c) => c.charCodeAt(0) > 0x7f);

/** The email as it reads: each look-alike replaced by the Latin letter it imitates. */
const skeleton = (email: string): string => [...email.normalize('NFKC')].map((c) => LOOKALIKE[c.toLowerCase()] ?? c).join('');

/** Beyond this many comparisons (typed × known) only letter case and domains are checked: a list of thousands stays fast. */
const NEAR_MISS_BUDGET = 2_000_000;

const domainOf = (email: string): string => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

export function emailQuestions(repos: Repositories, typed: readonly string[]): EmailQuestion[] {
  if (typed.length === 0) return [];
  const known = repos.people.knownEmails();
  const exact = new Set(known);
  const byLower = new Map(known.map((e) => [e.toLowerCase(), e]));
  const domains = [...new Set(known.map(domainOf))];
  const near = typed.length * known.length <= NEAR_MISS_BUDGET;
  const questions: EmailQuestion[] = [];
  for (const email of new Set(typed)) {
    if (exact.has(email)) continue;
    // letters of another alphabet: it imitates someone on record, or at least is not what it looks like
    if (mixesScripts(email)) {
      const looks = skeleton(email);
      questions.push({ typed: email, suggestion: byLower.get(looks.toLowerCase()) ?? looks, why: 'script' });
      continue;
    }
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
