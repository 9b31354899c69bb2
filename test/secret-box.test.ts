import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/bot/config.js';
import { createSecretBox, parseSecretKey, secretKeyFor } from '../src/bot/secret-box.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-secret-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the secret box', () => {
  it('seals with AES-256-GCM: a fresh IV each time, tampering and another key are refused', () => {
    const box = createSecretBox(Buffer.alloc(32, 7));
    const a = box.seal('https://accounts.atlasti.com/join/X');
    const b = box.seal('https://accounts.atlasti.com/join/X');
    expect(a).not.toBe(b);
    expect(a).not.toContain('accounts.atlasti.com');
    expect(box.open(a)).toBe('https://accounts.atlasti.com/join/X');
    const [v, iv, tag, body] = a.split('.');
    const flipped = `${v}.${iv}.${tag}.${body!.slice(0, -2)}${body!.endsWith('AA') ? 'AB' : 'AA'}`;
    expect(() => box.open(flipped)).toThrow();
    expect(() => createSecretBox(Buffer.alloc(32, 8)).open(a)).toThrow();
  });

  it('outside production makes its key once, beside the database, readable by its owner only', () => {
    const url = `file:${join(dir, 'data', 'bot.sqlite')}`;
    const first = secretKeyFor({ configured: undefined, databaseUrl: url });
    expect(statSync(join(dir, 'data', 'secret.key')).mode & 0o777).toBe(0o600);
    expect(secretKeyFor({ configured: undefined, databaseUrl: url }).equals(first)).toBe(true);
    const configured = parseSecretKey('ab'.repeat(32))!;
    expect(secretKeyFor({ configured, databaseUrl: url }).equals(configured)).toBe(true);
  });

  it('ATLAS_SECRET_KEY must be 32 bytes, and production refuses to start without one', () => {
    expect(parseSecretKey('ab'.repeat(32))?.length).toBe(32);
    expect(parseSecretKey(Buffer.alloc(32, 1).toString('base64'))?.length).toBe(32);
    expect(parseSecretKey('too-short')).toBeUndefined();
    expect(() => loadConfig({ ATLAS_SECRET_KEY: 'too-short' })).toThrow(ConfigError);
    const production = { NODE_ENV: 'production', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', PUBLIC_BASE_URL: 'https://bot.example.edu' };
    expect(() => loadConfig(production)).toThrow(/ATLAS_SECRET_KEY/);
    expect(loadConfig({ ...production, ATLAS_SECRET_KEY: 'cd'.repeat(32) }).secretKey?.length).toBe(32);
  });
});
