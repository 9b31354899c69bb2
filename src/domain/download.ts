/**
 * A file offered by link for a short while, to one person (a Teams admin's export: a bot cannot
 * attach a file to a Teams chat without a consent round trip). The link's token is stored only as
 * a hash, the content only sealed, and both are gone after DOWNLOAD_TTL_MS.
 */
import type { VerbArgs } from './context.js';
import { DomainError } from './errors.js';
import { isAdmin } from './authz.js';
import { hashToken, mintToken, TOKEN_PATTERN } from './tokens.js';

const DOWNLOAD_TTL_MS = 15 * 60 * 1000;

const downloadLink = (publicBaseUrl: string, token: string): string => `${publicBaseUrl.replace(/\/+$/, '')}/downloads/${token}`;

export async function offerDownload({ deps, actor, input }: VerbArgs<{ filename: string; content: string }>): Promise<{ link: string; expiresAt: number }> {
  const secrets = deps.secrets;
  if (!secrets) throw new DomainError('UNAVAILABLE', 'I cannot keep a file for you to download: the bot has no secret key to seal it with (ATLAS_SECRET_KEY).');
  const { token, hash } = mintToken();
  const now = deps.clock.now();
  const expiresAt = now + DOWNLOAD_TTL_MS;
  await deps.store.transaction(async (repos) => {
    await repos.downloads.purgeExpired(now);
    await repos.downloads.insert({ personId: actor.personId, tokenHash: hash, filename: input.filename, sealedContent: secrets.seal(input.content), createdAt: now, expiresAt });
  });
  return { link: downloadLink(deps.settings.publicBaseUrl, token), expiresAt };
}

/**
 * The file behind a download link, once, while it lasts, and only while the person it was made for
 * is still an admin; anything else is one polite "not found" (and the file is gone either way).
 */
export async function openDownload(deps: VerbArgs<unknown>['deps'], token: string): Promise<{ filename: string; content: string }> {
  const gone = new DomainError('NOT_FOUND', 'This download link was used already, has expired (links last 15 minutes and work once) or was never valid. Run the export again in your chat with the bot.');
  const secrets = deps.secrets;
  if (!TOKEN_PATTERN.test(token) || !secrets) throw gone;
  const now = deps.clock.now();
  // taken (deleted) in the transaction, whatever follows: a refused link is spent too
  const found = await deps.store.transaction(async (repos) => {
    await repos.downloads.purgeExpired(now);
    const taken = await repos.downloads.take(hashToken(token), now);
    const person = taken ? await repos.people.byId(taken.personId) : undefined;
    return taken && person && await isAdmin(repos, deps.settings, person) ? taken : undefined;
  });
  if (!found) throw gone;
  return { filename: found.filename, content: secrets.open(found.sealedContent) };
}

/** Forgets every download past its time (the scheduled sweep; offering and opening one do it too). */
export async function purgeDownloads(deps: VerbArgs<unknown>['deps'], now: number): Promise<number> {
  return await deps.store.transaction((repos) => repos.downloads.purgeExpired(now));
}
