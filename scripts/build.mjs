// `npm run build`: the bot as JavaScript in dist/ (what `npm start` runs). Each build is made in a
// folder of its own and then put in dist/'s place, so nothing of a deleted source stays behind, a
// build that stopped half-way is never run, and two builds at once (two `npm start` on one
// checkout) never write into one folder: one builds while the other waits for it and uses its
// build. Types are checked by `npm test`; the build only emits.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(root, 'dist');
/** written last: a build that stopped half-way is no build */
export const BUILT = join(DIST, '.built');
/** held (a folder: made or not, in one step) by the one process building */
const LOCK = join(root, '.dist-building');

/** the newest modification time among what the build reads */
function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), s.mtimeMs);
}

const inputs = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].map((p) => join(root, p));

/** true when there is no finished build, or a source is newer than it */
export function stale() {
  return !existsSync(BUILT) || Math.max(...inputs.map(newest)) > statSync(BUILT).mtimeMs;
}

function buildInto(out) {
  rmSync(out, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--noCheck', '--outDir', out], { cwd: root, stdio: 'inherit' });
  // the sandbox's page is served from beside its module
  cpSync(join(root, 'src', 'sandbox', 'public'), join(out, 'sandbox', 'public'), { recursive: true });
  writeFileSync(join(out, '.built'), `${new Date().toISOString()}\n`);
}

/** dist/ replaced by the finished build in `next` (two renames: dist/ is missing only between them) */
function swapIn(next) {
  const old = `${DIST}.old-${process.pid}`;
  if (existsSync(DIST)) renameSync(DIST, old);
  renameSync(next, DIST);
  rmSync(old, { recursive: true, force: true });
}

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
};

/** the build lock, taken from a builder that died holding it; waits (up to 5 minutes) for a live one */
async function locked(fn) {
  const deadline = Date.now() + 5 * 60_000;
  for (let told = false; ; ) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    let holder = NaN;
    try {
      holder = Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
    } catch {
      // the holder has made the folder and not yet written its pid
    }
    const age = (() => {
      try {
        return Date.now() - statSync(LOCK).mtimeMs;
      } catch {
        return 0; // let go just now
      }
    })();
    if ((Number.isInteger(holder) && !alive(holder)) || (!Number.isInteger(holder) && age > 10_000)) {
      rmSync(LOCK, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`another process (pid ${holder}) has been building dist/ for 5 minutes; if none is, remove ${LOCK}`);
    if (!told) process.stderr.write(`Waiting for another process (pid ${holder}) building dist/…\n`);
    told = true;
    await new Promise((r) => setTimeout(r, 200));
  }
  try {
    writeFileSync(join(LOCK, 'pid'), String(process.pid));
    return fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** builds dist/ now (`always`) or only when it is stale; the milliseconds it took, or undefined when another build served */
export async function build({ always = true } = {}) {
  return locked(() => {
    if (!always && !stale()) return undefined;
    const started = Date.now();
    const next = `${DIST}.next-${process.pid}`;
    try {
      buildInto(next);
      swapIn(next);
    } finally {
      rmSync(next, { recursive: true, force: true });
    }
    return Date.now() - started;
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const ms = await build();
  process.stderr.write(`built dist/ in ${(ms / 1000).toFixed(1)} s\n`);
}
