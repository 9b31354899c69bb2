/**
 * Typed domain errors. The edge turns each code into words (see words.ts); a person never sees a
 * stack trace.
 */
import { plain, words, type Inline } from './message.js';

export type DomainErrorCode =
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'INVALID_INPUT'
  | 'CONFLICT'
  | 'NO_LICENSE'
  | 'LICENSE_REQUIRED'
  | 'NOT_PENDING'
  | 'EXPIRED'
  | 'NOT_INVITEE'
  /** the store could not take the change just now (a lock held elsewhere, a database gone): nothing was changed */
  | 'UNAVAILABLE';

export class DomainError extends Error {
  /** words for a person: polite, and saying what to do next (marked: a command to type, an email) */
  readonly words: Inline;
  /** the same words as plain text (form field errors, logs) */
  readonly userMessage: string;

  constructor(
    readonly code: DomainErrorCode,
    message: string | Inline,
    readonly details: Record<string, unknown> = {},
  ) {
    const marked = typeof message === 'string' ? words(message) : message;
    super(`${code}: ${plain(marked)}`);
    this.words = marked;
    this.userMessage = plain(marked);
    this.name = 'DomainError';
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
