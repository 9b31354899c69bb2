import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Personalized link tokens: 256 random bits, base64url. Only the sha256 hash is stored, so a copy of
 * the database cannot redeem anything.
 */
export interface MintedToken {
  token: string;
  hash: string;
}

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export function mintToken(): MintedToken {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

/** A token's shape before any lookup: 43 base64url characters. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Constant-time comparison of a presented token with a stored hash. */
export function tokenMatches(token: string, storedHash: string): boolean {
  const a = Buffer.from(hashToken(token), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export const invitationLink = (publicBaseUrl: string, token: string): string =>
  `${publicBaseUrl.replace(/\/+$/, '')}/invite/${token}`;
