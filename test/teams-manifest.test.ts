import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { AppManifestUtils, type AppManifest } from '@microsoft/app-manifest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const appDir = resolve(root, 'teams-app');
const manifestPath = resolve(appDir, 'manifest.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, any>;

const PLACEHOLDER_ID = '00000000-0000-0000-0000-000000000000';
const COMMANDS = ['help', 'status', 'request-seat', 'share-project', 'return-project', 'licenses', 'support', 'invite-license', 'pending', 'export'];
const SCHEMA_URL = /^https:\/\/developer\.microsoft\.com\/json-schemas\/teams\/v(\d+\.\d+)\/MicrosoftTeams\.schema\.json$/;

// AppManifestUtils.fetchSchema(url) reads https://developer.microsoft.com/json-schemas/teams/v1.x/…
// from the copy the package bundles (build/json-schemas/teams/v1.x/…) and only falls back to the
// network when that version is not bundled. The network is cut off here, so a fallback fails loudly.
const fetchSpy = vi.fn(async (..._args: unknown[]): Promise<Response> => {
  throw new Error('network access is disabled in this test');
});
beforeAll(() => {
  vi.stubGlobal('fetch', fetchSpy);
});
afterAll(() => {
  vi.unstubAllGlobals();
});

function bundledSchemaFile(schemaUrl: string): string {
  const pkgDir = dirname(createRequire(import.meta.url).resolve('@microsoft/app-manifest/package.json'));
  return join(pkgDir, 'build', new URL(schemaUrl).pathname);
}

async function validate(candidate: unknown): Promise<string[]> {
  const schema = await AppManifestUtils.fetchSchema(manifest.$schema as string);
  return AppManifestUtils.validateAgainstSchema(candidate as AppManifest, schema);
}

// ---------------------------------------------------------------- a small PNG reader

interface Png {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  /** one entry per pixel: [r, g, b, a] (gray is expanded; no alpha channel means 255) */
  pixels: [number, number, number, number][];
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function readPng(file: string): Png {
  const data = readFileSync(file);
  expect([...data.subarray(0, 8)], `${file}: PNG signature`).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const chunks: { type: string; body: Buffer }[] = [];
  for (let at = 8; at < data.length; ) {
    const length = data.readUInt32BE(at);
    const type = data.toString('ascii', at + 4, at + 8);
    const body = data.subarray(at + 8, at + 8 + length);
    expect(data.readUInt32BE(at + 8 + length), `${file}: CRC of ${type}`).toBe(crc32(data.subarray(at + 4, at + 8 + length)));
    chunks.push({ type, body });
    at += 12 + length;
  }
  expect(chunks[0]?.type, `${file}: IHDR comes first`).toBe('IHDR');
  expect(chunks.at(-1)?.type, `${file}: IEND comes last`).toBe('IEND');
  const ihdr = chunks[0]!.body;
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const bitDepth = ihdr[8]!;
  const colorType = ihdr[9]!;
  expect(ihdr[12], `${file}: not interlaced`).toBe(0);

  const channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[colorType];
  if (channels === undefined || bitDepth !== 8) {
    // palette or 16-bit images are valid PNGs, but this reader (and the icon script) only do 8-bit gray/RGB(A)
    return { width, height, bitDepth, colorType, pixels: [] };
  }
  const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.body)));
  const stride = width * channels;
  expect(raw.length, `${file}: image data size`).toBe(height * (stride + 1));
  const out = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    expect(filter, `${file}: filter type of row ${y}`).toBeLessThanOrEqual(4);
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x]!;
      const left = x >= channels ? out[y * stride + x - channels]! : 0;
      const up = y > 0 ? out[(y - 1) * stride + x]! : 0;
      const upLeft = x >= channels && y > 0 ? out[(y - 1) * stride + x - channels]! : 0;
      let predictor = 0;
      if (filter === 1) predictor = left;
      else if (filter === 2) predictor = up;
      else if (filter === 3) predictor = (left + up) >> 1;
      else if (filter === 4) {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        predictor = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      }
      out[y * stride + x] = (value + predictor) & 0xff;
    }
  }
  const pixels: Png['pixels'] = [];
  for (let i = 0; i < width * height; i++) {
    const p = out.subarray(i * channels, (i + 1) * channels);
    if (colorType === 0) pixels.push([p[0]!, p[0]!, p[0]!, 255]);
    else if (colorType === 4) pixels.push([p[0]!, p[0]!, p[0]!, p[1]!]);
    else if (colorType === 2) pixels.push([p[0]!, p[1]!, p[2]!, 255]);
    else pixels.push([p[0]!, p[1]!, p[2]!, p[3]!]);
  }
  return { width, height, bitDepth, colorType, pixels };
}

// ---------------------------------------------------------------- the tests

describe('teams-app/manifest.json', () => {
  it('names a Teams schema that @microsoft/app-manifest bundles, matching manifestVersion', () => {
    const match = SCHEMA_URL.exec(manifest.$schema);
    expect(match, `$schema ${manifest.$schema}`).not.toBeNull();
    expect(manifest.manifestVersion).toBe(match![1]);
    expect(existsSync(bundledSchemaFile(manifest.$schema)), 'schema bundled with @microsoft/app-manifest').toBe(true);
  });

  it('validates against that schema offline (AppManifestUtils.readAndValidateTeamsManifest)', async () => {
    const [read, errors] = await AppManifestUtils.readAndValidateTeamsManifest(manifestPath);
    expect(errors).toEqual([]);
    expect(read.manifestVersion).toBe(manifest.manifestVersion);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('the check can fail: a manifest without bots[0].botId is rejected', async () => {
    const broken = structuredClone(manifest);
    delete broken.bots[0].botId;
    const errors = await validate(broken);
    expect(errors.some((e) => e.startsWith('/bots/0 ') && e.includes('botId'))).toBe(true);
  });

  it('the check can fail: a bad manifestVersion is rejected', async () => {
    const errors = await validate({ ...manifest, manifestVersion: '1.99' });
    expect(errors.some((e) => e.startsWith('/manifestVersion '))).toBe(true);
  });

  it('the check can fail: an app id that is not a GUID is rejected', async () => {
    const errors = await validate({ ...manifest, id: 'TEAMS_APP_ID' });
    expect(errors.some((e) => e.startsWith('/id '))).toBe(true);
  });

  it('a schema version that is not bundled is not fetched from the network', async () => {
    const url = 'https://developer.microsoft.com/json-schemas/teams/v1.99/MicrosoftTeams.schema.json';
    expect(existsSync(bundledSchemaFile(url))).toBe(false);
    await expect(AppManifestUtils.fetchSchema(url)).rejects.toThrow(/network access is disabled/);
    fetchSpy.mockClear();
  });

  it('uses the placeholder GUID for the app id and the bot id (README: replace with TEAMS_APP_ID)', () => {
    expect(manifest.id).toBe(PLACEHOLDER_ID);
    expect(manifest.bots).toHaveLength(1);
    expect(manifest.bots[0].botId).toBe(PLACEHOLDER_ID);
  });

  it('has one conversational bot in personal, team and group chat, without files', () => {
    const bot = manifest.bots[0];
    expect([...bot.scopes].sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(bot.supportsFiles).toBe(false);
    expect(bot.isNotificationOnly).toBe(false);
  });

  it('lists the commands, at most 10, once per scope; in a team or group chat only those answered there', () => {
    const lists = manifest.bots[0].commandLists as { scopes: string[]; commands: { title: string; description: string }[] }[];
    expect(lists.map((l) => l.scopes).sort()).toEqual([['groupChat'], ['personal'], ['team']]);
    for (const list of lists) {
      expect(list.commands.length).toBeLessThanOrEqual(10);
      // everything else answers with private details, so the bot asks for the 1:1 chat
      expect(list.commands.map((c) => c.title)).toEqual(list.scopes[0] === 'personal' ? COMMANDS : ['help', 'licenses']);
      for (const c of list.commands) expect(c.description.length).toBeGreaterThan(0);
    }
  });

  it('describes a license seat and project access as two different things', () => {
    expect(manifest.name.short).toBe('ATLAS Invitations');
    for (const text of [manifest.description.short, manifest.description.full]) {
      expect(text).toMatch(/seat/i);
      expect(text).toMatch(/project/i);
    }
    expect(manifest.description.full).toMatch(/shares no project/i);
    expect(manifest.description.full).toMatch(/needs a seat/i);
  });

  it('uses https developer URLs and declares a valid domain', () => {
    for (const key of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl']) expect(manifest.developer[key]).toMatch(/^https:\/\//);
    expect(manifest.validDomains.length).toBeGreaterThan(0);
  });
});

describe('teams-app icons', () => {
  it('the manifest points at color.png and outline.png, both in teams-app/', () => {
    expect(manifest.icons).toEqual({ color: 'color.png', outline: 'outline.png' });
    expect(existsSync(resolve(appDir, 'color.png'))).toBe(true);
    expect(existsSync(resolve(appDir, 'outline.png'))).toBe(true);
  });

  it('color.png is a 192x192 PNG, not blank', () => {
    const png = readPng(resolve(appDir, manifest.icons.color));
    expect([png.width, png.height]).toEqual([192, 192]);
    expect(png.pixels).toHaveLength(192 * 192);
    const distinct = new Set(png.pixels.map((p) => p.join(',')));
    expect(distinct.size).toBeGreaterThan(1);
  });

  it('outline.png is a 32x32 PNG with alpha, only white or fully transparent pixels', () => {
    const png = readPng(resolve(appDir, manifest.icons.outline));
    expect([png.width, png.height]).toEqual([32, 32]);
    expect([4, 6], 'color type with an alpha channel').toContain(png.colorType);
    expect(png.pixels).toHaveLength(32 * 32);
    const offending = png.pixels.filter(([r, g, b, a]) => a !== 0 && !(r === 255 && g === 255 && b === 255 && a === 255));
    expect(offending).toEqual([]);
    const white = png.pixels.filter(([, , , a]) => a === 255).length;
    expect(white, 'some white pixels').toBeGreaterThan(0);
    expect(white, 'some transparent pixels').toBeLessThan(32 * 32);
  });
});
