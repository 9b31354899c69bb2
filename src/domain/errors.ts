/**
 * Typed domain errors. The edge turns each code into words (see words.ts); a person never sees a
 * stack trace.
 */
export type DomainErrorCode =
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'INVALID_INPUT'
  | 'CONFLICT'
  | 'NO_LICENSE'
  | 'LICENSE_REQUIRED'
  | 'NOT_PENDING'
  | 'EXPIRED'
  | 'NOT_INVITEE';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    /** words for a person: polite, and saying what to do next */
    readonly userMessage: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(`${code}: ${userMessage}`);
    this.name = 'DomainError';
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
