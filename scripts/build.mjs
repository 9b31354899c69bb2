// `npm run build`: the bot as JavaScript in dist/ (what `npm start` runs), from a clean folder so
// nothing of a deleted source stays behind. Types are checked by `npm test`; the build only emits.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(root, 'dist');
/** written last: a build that stopped half-way is no build */
export const BUILT = join(DIST, '.built');

export function build() {
  const started = Date.now();
  rmSync(DIST, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--noCheck'], { cwd: root, stdio: 'inherit' });
  // the sandbox's page is served from beside its module
  cpSync(join(root, 'src', 'sandbox', 'public'), join(DIST, 'sandbox', 'public'), { recursive: true });
  writeFileSync(BUILT, `${new Date().toISOString()}\n`);
  return Date.now() - started;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const ms = build();
  process.stderr.write(`built dist/ in ${(ms / 1000).toFixed(1)} s\n`);
}
