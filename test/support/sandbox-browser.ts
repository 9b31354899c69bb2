/**
 * Drives the sandbox page in headless Chromium (see ./chromium.ts for which one), as a person
 * would: pick who you are, open a conversation, type `/atlas …`, click buttons, fill in modals.
 * The browser test and `npm run screenshots` share these steps.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig } from '../../src/bot/config.js';
import { createLogger } from '../../src/bot/logger.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/server.js';
import { findChromium } from './chromium.js';

export interface SandboxSession {
  sandbox: RunningSandbox;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/** A fresh sandbox on a free port and a 1280×800 page on it. */
export async function openSandbox(): Promise<SandboxSession> {
  const chrome = await findChromium();
  const dir = mkdtempSync(join(tmpdir(), 'atlas-sandbox-browser-'));
  const config = loadConfig({ PORT: '0', DATABASE_URL: `file:${join(dir, 'unused.sqlite')}`, LOG_LEVEL: 'error' });
  const sandbox = await startSandbox(config, { logger: createLogger('error'), sandboxDatabaseUrl: `file:${join(dir, 'sandbox.sqlite')}` });
  const browser = await chromium.launch({
    executablePath: chrome.executablePath,
    env: chrome.env,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...chrome.args],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  page.setDefaultTimeout(10_000);
  await page.goto(sandbox.url);
  return {
    sandbox,
    browser,
    page,
    close: async () => {
      await browser.close();
      await sandbox.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Act as someone, and open one of their conversations ('dm', a channel id, or 'home'). */
export async function actAs(page: Page, personId: string, conversation: 'dm' | 'home' | string = 'dm'): Promise<void> {
  await page.locator(`[data-person="${personId}"]`).click();
  const id = conversation === 'dm' ? `D${personId}` : conversation;
  await page.locator(`[data-conversation="${id}"]`).click();
}

/** Types a line into the composer and sends it (Enter). */
export async function type(page: Page, text: string): Promise<void> {
  await page.locator('#composer').fill(text);
  await page.locator('#composer').press('Enter');
}

/** The last message of the open conversation whose text matches; waits for it. */
export function messageWith(page: Page, text: RegExp | string) {
  return page.locator('.message', { hasText: text }).last();
}

/** Clicks a Block Kit button by its visible words inside a message (or the whole page). */
export async function clickButton(page: Page, words: RegExp | string, within?: ReturnType<typeof messageWith>): Promise<void> {
  await (within ?? page).locator('button[data-action-id]', { hasText: words }).first().click();
}
