import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashToken, invitationLink, mintToken, TOKEN_PATTERN, tokenMatches } from '../../src/domain/index.js';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe('link tokens', () => {
  it('are 43 base64url characters: 256 random bits', () => {
    const { token } = mintToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(TOKEN_PATTERN.test(token)).toBe(true);
  });

  it('are stored as their sha256 hex hash, never as themselves', () => {
    const { token, hash } = mintToken();
    expect(hash).toBe(sha256(token));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(token);
    expect(hashToken(token)).toBe(hash);
  });

  it('are distinct across many mints', () => {
    const tokens = new Set<string>();
    const hashes = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const { token, hash } = mintToken();
      tokens.add(token);
      hashes.add(hash);
    }
    expect(tokens.size).toBe(5000);
    expect(hashes.size).toBe(5000);
  });

  it('use the whole alphabet, so the bits are not confined to a few characters', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) for (const c of mintToken().token) seen.add(c);
    // 64 symbols; 500 × 43 draws leave essentially no chance of missing one
    expect(seen.size).toBe(64);
  });

  it('TOKEN_PATTERN admits exactly 43 base64url characters and nothing else', () => {
    expect(TOKEN_PATTERN.test('A'.repeat(43))).toBe(true);
    expect(TOKEN_PATTERN.test('-_'.repeat(21) + 'z')).toBe(true);
    for (const bad of ['', 'A'.repeat(42), 'A'.repeat(44), `${'A'.repeat(42)}+`, `${'A'.repeat(42)}/`, `${'A'.repeat(42)}=`, `${'A'.repeat(43)}\n`, ` ${'A'.repeat(43)}`]) {
      expect(TOKEN_PATTERN.test(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it('tokenMatches accepts the token and refuses anything else', () => {
    const { token, hash } = mintToken();
    const other = mintToken();
    expect(tokenMatches(token, hash)).toBe(true);
    expect(tokenMatches(other.token, hash)).toBe(false);
    expect(tokenMatches(token, other.hash)).toBe(false);
    // one character changed
    const flipped = (token[0] === 'A' ? 'B' : 'A') + token.slice(1);
    expect(tokenMatches(flipped, hash)).toBe(false);
    // a stored hash of the wrong length (or garbage) never matches
    expect(tokenMatches(token, hash.slice(0, 32))).toBe(false);
    expect(tokenMatches(token, '')).toBe(false);
    expect(tokenMatches(token, token)).toBe(false);
  });

  it('invitationLink puts the token under /invite/ on the public base URL, with one slash', () => {
    expect(invitationLink('https://bot.example.edu', 'abc')).toBe('https://bot.example.edu/invite/abc');
    expect(invitationLink('https://bot.example.edu//', 'abc')).toBe('https://bot.example.edu/invite/abc');
    expect(invitationLink('https://bot.example.edu/atlas/', 'abc')).toBe('https://bot.example.edu/atlas/invite/abc');
  });
});
