/**
 * `npm start` runs compiled JavaScript in one process: it builds dist/ when a source is newer than
 * the last build, then runs the bot from it in that same process, so a kill of it leaves nothing
 * holding the port.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { SECRET } from '../support/harness.js';
import { startSlackStandIn } from '../support/slack-standin.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dir = mkdtempSync(join(tmpdir(), 'atlas-npm-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function start(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  const child = spawn(process.execPath, ['scripts/start.mjs'], { cwd: root, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env } });
  let out = '';
  return new Promise((res, rej) => {
    const seen = (d: Buffer) => {
      out += d.toString();
      const m = /listening on http:\/\/localhost:(\d+)/.exec(out);
      if (m) res({ child, url: `http://127.0.0.1:${m[1]}`, stderr: () => out });
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.once('exit', (code) => rej(new Error(`exited (${String(code)}) before it listened: ${out}`)));
  });
}

const childrenOf = (pid: number): string => {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim();
  } catch {
    return ''; // pgrep exits 1 when there is none
  }
};

it('builds dist/ when a source is newer, runs the bot from it in one process, and a kill -9 of that process frees the port', async () => {
  const slack = await startSlackStandIn();
  try {
    const env = { PORT: '0', DATABASE_URL: `file:${join(dir, 'bot.sqlite')}`, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl };
    // a source changed after the last build
    const touched = new Date();
    utimesSync(join(root, 'src', 'bot', 'main.ts'), touched, touched);
    const first = await start(env);
    expect(first.stderr()).toContain('Building dist/ from the sources');
    expect(statSync(join(root, 'dist', '.built')).mtimeMs).toBeGreaterThanOrEqual(touched.getTime() - 1000);
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    // the bot is this process itself: no child holds the port
    expect(childrenOf(first.child.pid!)).toBe('');
    const exited = new Promise((r) => first.child.once('exit', r));
    first.child.kill('SIGKILL');
    await exited;
    await expect(fetch(`${first.url}/healthz`)).rejects.toThrow();

    // nothing changed since: no build, straight to the bot
    const second = await start(env);
    expect(second.stderr()).not.toContain('Building');
    expect((await fetch(`${second.url}/healthz`)).status).toBe(200);
    const stopped = new Promise((r) => second.child.once('exit', r));
    second.child.kill('SIGTERM');
    expect(await stopped).toBe(0);
  } finally {
    await slack.close();
  }
}, 60_000);

it('two `npm start` at once on a changed checkout: one builds, the other waits for that build and runs it, and both bots answer', async () => {
  const slack = await startSlackStandIn();
  try {
    const env = (n: number) => ({ PORT: '0', DATABASE_URL: `file:${join(dir, `twin-${n}.sqlite`)}`, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl });
    const touched = new Date();
    utimesSync(join(root, 'src', 'bot', 'main.ts'), touched, touched);
    const twins = await Promise.all([start(env(1)), start(env(2))]);
    const said = twins.map((x) => x.stderr());
    // one build ran; the other start found it done (or was told it was done while it waited)
    expect(said.filter((s) => /built in \d/.test(s))).toHaveLength(1);
    expect(said.filter((s) => s.includes('built by another process meanwhile') || !s.includes('Building'))).toHaveLength(1);
    expect(readdirSync(root).filter((f) => f.startsWith('dist.') || f === '.dist-building')).toEqual([]);
    for (const x of twins) expect((await fetch(`${x.url}/healthz`)).status).toBe(200);
    const stopped = twins.map((x) => new Promise((r) => x.child.once('exit', r)));
    for (const x of twins) x.child.kill('SIGTERM');
    expect(await Promise.all(stopped)).toEqual([0, 0]);
  } finally {
    await slack.close();
  }
}, 90_000);
