/**
 * `npm run screenshots`: walks through the sandbox in headless Chromium, as the browser test does,
 * and saves the main views as docs/sandbox-*.png (shown in the README). The browser is found as in the tests (test/support/chromium.ts).
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { actAs, clickButton, messageWith, openSandbox, type } from '../test/support/sandbox-browser.js';

const docs = resolve(dirname(fileURLToPath(import.meta.url)), '../docs');
mkdirSync(docs, { recursive: true });

const s = await openSandbox();
const { page } = s;
const shot = async (name: string) => {
  await page.waitForTimeout(400); // let the last poll render
  await page.screenshot({ path: join(docs, `sandbox-${name}.png`) });
  process.stdout.write(`docs/sandbox-${name}.png\n`);
};
try {
  await actAs(page, 'U0ADA', 'dm');
  await type(page, '/atlas license add "Campus" 25');
  await messageWith(page, /Created the license Campus: 25 seats in use at a time, any number of members/).waitFor();
  await type(page, '/atlas invite-license @alice @bob');
  await messageWith(page, /Campus: 2 invited of 2/).waitFor();
  await shot('1-admin-invites');
  await page.locator('#intro button[aria-label="Dismiss"]').click();

  await actAs(page, 'U0ALICE', 'dm');
  const invitation = messageWith(page, /a seat in the license Campus/);
  await invitation.waitFor();
  await shot('2-invitation-dm');
  await clickButton(page, 'Accept the seat', invitation);
  await messageWith(page, /You accepted a seat in Campus/).waitFor();

  await type(page, '/atlas share-project');
  const modal = page.locator('#modal');
  await modal.waitFor();
  await modal.getByLabel('Project name').fill('Interview study 2026');
  await modal.getByText('Web', { exact: true }).click();
  await modal.getByLabel('Account emails').fill('Bob.Okafor@uni.example');
  await modal.getByLabel('Personal message').fill('Here is our coding project: welcome aboard!');
  await shot('3-share-modal');
  await modal.locator('#modal-submit').click();
  await modal.getByText(/holds no seat/).waitFor();
  await shot('4-share-result');
  await modal.locator('#modal-close').click();

  await page.locator(`[data-advance="${3 * 86_400_000}"]`).click();
  await actAs(page, 'U0BOB', 'dm');
  await messageWith(page, /still waiting for your answer/).waitFor();
  await shot('5-reminder');

  await actAs(page, 'U0ADA', 'C0ADMINS');
  await messageWith(page, /Alice Martin/).waitFor();
  await shot('6-admin-channel');

  await actAs(page, 'U0ADA', 'home');
  await page.locator('#home .block').first().waitFor().catch(() => undefined);
  await shot('7-app-home');
} finally {
  await s.close();
}
