import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/bot/config.js';
import { startSlackStandIn, type SlackStandIn } from '../support/slack-standin.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
let dir: string;
let slack: SlackStandIn;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-start-'));
  slack = await startSlackStandIn();
});
afterAll(async () => {
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `npm start`'s entry point as a child process with exactly this environment. */
function start(env: Record<string, string>, untilLine?: RegExp, whileRunning?: (stderr: string) => Promise<void>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/bot/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: `file:${join(dir, 'start.sqlite')}`, PORT: '0', ...env },
    });
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!killed && untilLine?.test(stderr)) {
        killed = true;
        const stop = () => child.kill('SIGTERM');
        if (whileRunning) void whileRunning(stderr).finally(stop);
        else stop();
      }
    });
    child.on('exit', (code) => res({ code, stdout, stderr }));
  });
}

describe('starting the bot', () => {
  it('a bad Slack token stops the start with one clear line, not a stack trace', async () => {
    const r = await start({ SLACK_BOT_TOKEN: 'xoxb-invalid', SLACK_SIGNING_SECRET: 's3cret', SLACK_API_URL: slack.apiUrl });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      "Could not start: Slack rejected SLACK_BOT_TOKEN (invalid_auth): copy the Bot User OAuth Token (xoxb-…) from your app's \"OAuth & Permissions\" page.",
    ]);
  });

  it('a malformed variable stops the start with one line naming it', async () => {
    const r = await start({ INVITE_TTL: 'two weeks' });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('Configuration error: INVITE_TTL must be a duration like 14d (<n>s, <n>m, <n>h or <n>d), got "two weeks".');
  });

  it('production without chat credentials refuses to start, in one line', async () => {
    const r = await start({ NODE_ENV: 'production' });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('Configuration error: SLACK_BOT_TOKEN is required in production (set Slack or Teams credentials).');
  });

  it('without credentials, outside production, it starts the sandbox, prints its address and serves it there', async () => {
    let page: { status: number; body: string } | undefined;
    const r = await start({ SANDBOX_DATABASE_URL: `file:${join(dir, 'sandbox.sqlite')}` }, /sandbox: open \S+/, async (stderr) => {
      const url = /sandbox: open (\S+)/.exec(stderr)![1]!.replace('localhost', '127.0.0.1');
      const res = await fetch(url);
      page = { status: res.status, body: await res.text() };
    });
    expect(r.stderr).toMatch(/no Slack or Teams credentials: the bot runs in a local sandbox/);
    expect(r.stderr).toMatch(/sandbox: open http:\/\/localhost:\d+\/sandbox/);
    expect(page?.status).toBe(200);
    expect(page?.body).toContain('/sandbox/assets/sandbox.js');
    expect(r.stderr).toContain('SIGTERM: stopping');
    expect(r.code).toBe(0);
  });

  it('without credentials but with a public PUBLIC_BASE_URL, it refuses: the sandbox is only for this machine', async () => {
    const r = await start({ PUBLIC_BASE_URL: 'https://bot.uni.example' });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      'Configuration error: SLACK_BOT_TOKEN is required when PUBLIC_BASE_URL is a public address (https://bot.uni.example): without credentials only the local sandbox runs.',
    );
  });

  it('refuses a sandbox database that is the real one (the sandbox wipes its file)', async () => {
    const r = await start({ SANDBOX_DATABASE_URL: `file:${join(dir, 'start.sqlite')}` });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('Configuration error: SANDBOX_DATABASE_URL must not name the DATABASE_URL file: the sandbox wipes its file at every start.');
  });

  it('with a good token it starts, says where it listens, and stops cleanly on SIGTERM', async () => {
    const r = await start({ SLACK_BOT_TOKEN: 'xoxb-good', SLACK_SIGNING_SECRET: 's3cret', SLACK_API_URL: slack.apiUrl }, /listening on/);
    expect(r.stderr).toMatch(/atlas-invite-bot listening on http:\/\/localhost:\d+/);
    expect(r.stderr).toContain('chat platforms: Slack (HTTP at /slack/events)');
    expect(r.stderr).not.toContain('xoxb-good');
    expect(r.stderr).toContain('SIGTERM: stopping');
    expect(r.code).toBe(0);
  });
});

describe('configuration', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      databaseUrl: 'file:./data/atlas-bot.sqlite',
      publicBaseUrl: 'http://localhost:3000',
      inviteTtlMs: 14 * 86_400_000,
      reminderAfterMs: 3 * 86_400_000,
      reminderMax: 3,
      reminderWindowText: 'Mon-Fri 09:00-18:00',
      reminderCron: '0 * * * *',
      digestCron: '0 9 * * 1-5',
      linkAllowedHosts: ['atlasti.com', '*.atlasti.com'],
      logLevel: 'info',
    });
    expect(c.slack).toBeUndefined();
  });

  it('reads Slack HTTP and Socket Mode settings and the admin list', () => {
    const http = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', ATLAS_ADMINS: 'U1, ada@uni.edu ,', ATLAS_ADMIN_CHANNEL: 'C1', SLACK_API_URL: 'http://127.0.0.1:9/api' });
    expect(http.slack).toMatchObject({ socketMode: false, apiUrl: 'http://127.0.0.1:9/api/' });
    expect(http.admins).toEqual(['U1', 'ada@uni.edu']);
    expect(http.supportChannel).toBe('C1');
    const socket = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' });
    expect(socket.slack?.socketMode).toBe(true);
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow('Configuration error: SLACK_SIGNING_SECRET is required with SLACK_BOT_TOKEN (or set SLACK_APP_TOKEN to use Socket Mode).');
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxp-user' })).toThrow('SLACK_BOT_TOKEN must be a bot token starting with xoxb-');
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow('DATABASE_URL must be a file: URL (for example file:./data/atlas-bot.sqlite) or a postgres:// URL');
    // several instances share a database server, and so the key that seals what they keep there
    expect(() => loadConfig({ DATABASE_URL: 'postgres://bot:pw@db.example.edu/atlas' })).toThrow('ATLAS_SECRET_KEY is required with a postgres:// DATABASE_URL');
    expect(loadConfig({ DATABASE_URL: 'postgres://bot:pw@db.example.edu/atlas', ATLAS_SECRET_KEY: 'b'.repeat(64) }).databaseUrl).toBe('postgres://bot:pw@db.example.edu/atlas');
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/^Configuration error: PORT /);
    // Teams without a password runs unauthenticated: fine for local emulation, refused in production
    expect(loadConfig({ TEAMS_APP_ID: 'app' }).teams).toMatchObject({ appId: 'app', appPassword: undefined });
    expect(() => loadConfig({ NODE_ENV: 'production', TEAMS_APP_ID: 'app' })).toThrow(
      'Configuration error: TEAMS_APP_PASSWORD is required in production (an empty password runs Teams unauthenticated).',
    );
    expect(() => loadConfig({ REMINDER_WINDOW: 'weekdays 9-5' })).toThrow(/^Configuration error: REMINDER_WINDOW must look like "Mon-Fri 09:00-18:00"/);
    expect(() => loadConfig({ REMINDER_CRON: 'every hour' })).toThrow(/^Configuration error: REMINDER_CRON must be a cron expression/);
  });
});
