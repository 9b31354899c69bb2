/**
 * Which Chromium the browser tests (and `npm run screenshots`) drive, with no system install:
 *  1. CHROMIUM_PATH, when set (it must exist);
 *  2. on Linux x64, the Chromium that `@sparticuz/chromium` ships inside its npm tarball
 *     (a dev dependency, so `npm ci` brings it; it unpacks into the temp folder in about 2 s, once);
 *  3. elsewhere, a Chrome or Chromium found in the usual places of the system.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ChromiumChoice {
  executablePath: string;
  /** Where it came from, for the error message and the logs. */
  source: 'CHROMIUM_PATH' | '@sparticuz/chromium' | 'system';
  /** Extra launch arguments this build needs. */
  args: string[];
  /** Environment for the browser process (fonts for the packaged build). */
  env: Record<string, string>;
}

const SYSTEM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
];

let chosen: Promise<ChromiumChoice> | undefined;

/** Finds (and on Linux x64 unpacks) the browser once per process. */
export function findChromium(): Promise<ChromiumChoice> {
  chosen ??= choose();
  return chosen;
}

function plainEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
}

async function choose(): Promise<ChromiumChoice> {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH is ${fromEnv}, which does not exist: point it at a Chrome or Chromium executable, or unset it.`);
    return { executablePath: fromEnv, source: 'CHROMIUM_PATH', args: [], env: plainEnv() };
  }
  if (process.platform === 'linux' && process.arch === 'x64') {
    const { default: packaged } = await import('@sparticuz/chromium');
    const executablePath = await packaged.executablePath();
    // its build keeps its own fonts beside it (unpacked to <tmp>/fonts with a fonts.conf)
    const fonts = join(tmpdir(), 'fonts');
    const env = plainEnv();
    if (existsSync(join(fonts, 'fonts.conf'))) env.FONTCONFIG_PATH = fonts;
    // a serverless build: one process, no zygote (it has no setuid sandbox helper)
    return { executablePath, source: '@sparticuz/chromium', args: ['--single-process', '--no-zygote'], env };
  }
  const found = SYSTEM_CANDIDATES.find((p) => existsSync(p));
  if (found === undefined) {
    throw new Error(`No Chromium found for ${process.platform}/${process.arch}: install Chrome or Chromium, or set CHROMIUM_PATH to its executable.`);
  }
  return { executablePath: found, source: 'system', args: [], env: plainEnv() };
}
