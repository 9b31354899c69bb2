/**
 * Secrets at rest (a license's own invitation link): AES-256-GCM with a fresh 96-bit IV per value,
 * sealed as `v1.<iv>.<tag>.<ciphertext>` (base64url). The key comes from ATLAS_SECRET_KEY (32 bytes,
 * as 64 hex characters or base64); outside production, without one, a key is generated once into
 * the data folder beside the database (`secret.key`, mode 0600). Production refuses to start
 * without ATLAS_SECRET_KEY (see config.ts).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { SecretBox } from '../domain/index.js';

const VERSION = 'v1';

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('the secret key must be 32 bytes');
  return {
    seal(plain: string): string {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    open(sealed: string): string {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== VERSION || iv === undefined || tag === undefined || body === undefined) throw new Error('not a sealed value');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}

/** ATLAS_SECRET_KEY as 64 hex characters or base64 of 32 bytes; undefined when it is neither. */
export function parseSecretKey(text: string): Buffer | undefined {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  const b = Buffer.from(t, 'base64');
  return b.length === 32 && /^[A-Za-z0-9+/_-]+={0,2}$/.test(t) ? b : undefined;
}

/**
 * The key for this process: the configured one, or (outside production) the data folder's own,
 * generated on first use with mode 0600. An in-memory database gets a key for the process only.
 */
export function secretKeyFor(o: { configured: Buffer | undefined; databaseUrl: string }): Buffer {
  if (o.configured) return o.configured;
  if (!o.databaseUrl.startsWith('file:')) throw new Error('a database server needs ATLAS_SECRET_KEY: every instance must seal with the same key');
  const path = o.databaseUrl.replace(/^file:/, '');
  if (path === ':memory:' || path === '') return randomBytes(32);
  const file = join(dirname(resolve(path)), 'secret.key');
  if (existsSync(file)) {
    const key = parseSecretKey(readFileSync(file, 'utf8'));
    if (!key) throw new Error(`${file} does not hold a 32-byte key; delete it to have a new one made (sealed values become unreadable)`);
    return key;
  }
  mkdirSync(dirname(file), { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return key;
}
