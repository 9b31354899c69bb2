/**
 * Microsoft's own Teams client, offline: the Microsoft 365 Agents Playground (npm
 * `@microsoft/m365agentsplayground`, a dev dependency). It is a web chat that plays Teams towards
 * the bot (it posts real activities to `/api/messages`) and a Bot Connector of its own (the bot's
 * replies, proactive messages and card updates go to its `/_connector`), with Microsoft's Adaptive
 * Card renderer in the page. It is stricter than our stand-in in places that matter (it refused an
 * empty `conversationType` with 400 BadArgument), so what passes here is what Teams accepts.
 *
 * `startPlayground` runs it headless (TEAMSAPPTESTER_BROWSER=none) on a free port, in an empty
 * folder (so no stray `.m365agentsplayground.yml` changes who the mock users are), and opens its
 * page in the same Chromium as the sandbox tests. Its default configuration is what the tests rely
 * on: the current user is Alex Wilber (alexw@example.com), in a personal chat with the bot.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { findChromium } from './chromium.js';

/** The playground's default current user (its built-in configuration). */
export const PLAYGROUND_USER = {
  name: 'Alex Wilber',
  email: 'alexw@example.com',
  aadObjectId: '00000000-0000-0000-0000-0000000000020',
  tenantId: '00000000-0000-0000-0000-0000000000001',
};

export interface Playground {
  url: string;
  page: Page;
  /** everything the playground process printed, for a failure message */
  output: string[];
  /** the lines of its log panel (each activity it sent the bot, each connector call the bot made, with the status) */
  logLines(): Promise<string[]>;
  /** types a line into the compose box and sends it */
  say(text: string): Promise<void>;
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function cliPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@microsoft/m365agentsplayground/package.json')), 'cli.js');
}

async function startProcess(botMessagesUrl: string, port: number, cwd: string, output: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, [cliPath(), '-e', botMessagesUrl, '-c', 'msteams', '-p', String(port), '--dt'], {
    cwd,
    env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the Agents Playground did not start within 30 s:\n${output.join('')}`)), 30_000);
    const onData = (d: Buffer) => {
      output.push(d.toString());
      if (output.join('').includes(`Listening on ${port}`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the Agents Playground exited (${code}) before listening:\n${output.join('')}`));
    });
  });
  return child;
}

export async function startPlayground(botMessagesUrl: string): Promise<Playground> {
  const cwd = mkdtempSync(join(tmpdir(), 'atlas-playground-'));
  const output: string[] = [];
  const port = await freePort();
  const child = await startProcess(botMessagesUrl, port, cwd, output);
  let browser: Browser | undefined;
  try {
    const chrome = await findChromium();
    browser = await chromium.launch({
      executablePath: chrome.executablePath,
      env: chrome.env,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...chrome.args],
    });
    const page = await browser.newPage({ viewport: { width: 1300, height: 1000 }, deviceScaleFactor: 1 });
    page.setDefaultTimeout(15_000);
    const url = `http://127.0.0.1:${port}`;
    // the page asks a CDN for its fonts and nothing else outside: answer that at once, offline or not
    await page.route((u) => u.hostname !== '127.0.0.1' && u.hostname !== 'localhost', (r) => r.abort());
    await page.goto(url);
    const composer = page.locator('[role=textbox][contenteditable=true]');
    await composer.waitFor();
    const b = browser;
    return {
      url,
      page,
      output,
      async logLines() {
        const panel = page.getByText('Log Panel', { exact: true }).locator('xpath=../..');
        return (await panel.innerText()).split('\n').filter((l) => l.trim() !== '');
      },
      async say(text) {
        await composer.click();
        await page.keyboard.type(text);
        await page.keyboard.press('Enter');
      },
      async close() {
        await b.close().catch(() => undefined);
        child.kill('SIGTERM');
        rmSync(cwd, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await browser?.close().catch(() => undefined);
    child.kill('SIGTERM');
    rmSync(cwd, { recursive: true, force: true });
    throw e;
  }
}
