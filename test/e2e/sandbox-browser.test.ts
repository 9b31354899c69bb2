/**
 * The sandbox in a real browser (Debian's headless Chromium): the walk-through. The admin
 * adds a license and invites Alice and Bob, Alice accepts, shares a project through the modal (a
 * typo first, answered inside the form), the clock moves three days and Bob, who never answered,
 * has his reminder. Every step goes through the page, its API, signed requests to the real bot
 * and the in-memory Slack.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actAs, clickButton, messageWith, openSandbox, type, type SandboxSession } from '../support/sandbox-browser.js';

let s: SandboxSession;

beforeAll(async () => {
  s = await openSandbox();
}, 60_000);

afterAll(async () => {
  await s?.close();
});

describe('the sandbox in a browser', () => {
  it('renders mrkdwn as Slack does, and escaped user text stays text', async () => {
    // (a string, so the test runner does not rewrite the browser's own import())
    const rendered = await s.page.evaluate<{ text: string; html: string; links: string[]; bold: string }>(`(async () => {
      const bk = await import('/sandbox/assets/blockkit.js');
      const people = [{ id: 'U0ALICE', name: 'alice', realName: 'Alice Martin' }];
      const el = document.createElement('div');
      el.append(bk.renderMrkdwn('*Bold* &lt;!channel&gt; <@U0ALICE> <javascript:alert(1)|click> <https://atlasti.com/x|docs> &lt;https://evil.example|safe&gt; :white_check_mark:', { people }));
      return { text: el.textContent, html: el.innerHTML, links: [...el.querySelectorAll('a')].map((a) => a.getAttribute('href')), bold: el.querySelector('b, strong')?.textContent };
    })()`);
    expect(rendered.bold).toBe('Bold');
    // an escaped <!channel> typed by a user is shown literally, never as a mention
    expect(rendered.text).toContain('<!channel>');
    expect(rendered.text).toContain('@Alice Martin');
    expect(rendered.text).toContain('✅');
    // only the real https link is a link: not the javascript: one, not the escaped look-alike
    expect(rendered.links).toEqual(['https://atlasti.com/x']);
    expect(rendered.html).not.toMatch(/<script|javascript:/i);
  });

  it('shows the people to act as, the conversations and the bot clock', async () => {
    const { page } = s;
    for (const id of ['U0ADA', 'U0ALICE', 'U0BOB', 'U0CHEN', 'U0DANA']) await expect(page.locator(`[data-person="${id}"]`).count()).resolves.toBe(1);
    await actAs(page, 'U0ADA', 'dm');
    await expect(page.locator('[data-conversation="C0ADMINS"]').count()).resolves.toBe(1);
    await expect(page.locator('#clock').textContent()).resolves.toMatch(/\d{2}:\d{2}/);
  });

  it('the admin adds a license and invites Alice and Bob by mention', async () => {
    const { page } = s;
    await actAs(page, 'U0ADA', 'dm');
    await type(page, '/atlas license add "Campus" 25');
    await messageWith(page, /Created the license Campus: 25 seats in use at a time, any number of members/).waitFor();
    await type(page, '/atlas invite-license @alice @bob');
    await messageWith(page, /Campus: 2 invited of 2/).waitFor();
    // the admin channel hears of it
    await page.locator('[data-conversation="C0ADMINS"]').click();
    await messageWith(page, /Alice Martin/).waitFor();
  });

  it('Alice sees in five seconds what she got and what she did not, and accepts', async () => {
    const { page } = s;
    await actAs(page, 'U0ALICE', 'dm');
    const invitation = messageWith(page, /a seat in the license Campus/);
    await invitation.waitFor();
    const words = (await invitation.textContent()) ?? '';
    expect(words).toMatch(/What you get/);
    expect(words).toMatch(/What you don't get\s*Access to any project or data/);
    await clickButton(page, 'Accept the seat', invitation);
    await messageWith(page, /Your acceptance of a seat in Campus is recorded/).waitFor();
    // Bob's conversation is not Alice's to see
    await expect(page.locator('[data-conversation="DU0BOB"]').count()).resolves.toBe(0);
  });

  it('Alice shares a project through the modal: a bad email is answered in the form, then it goes through', async () => {
    const { page } = s;
    await type(page, '/atlas share-project');
    const modal = page.locator('#modal');
    await modal.waitFor();
    await expect(modal.locator('.modal-title').textContent()).resolves.toMatch(/Share a project/);
    await modal.getByLabel('Project name').fill('Interview study 2026');
    await modal.getByText('Web', { exact: true }).click();
    await modal.getByLabel('Account emails').fill('bob.okafor@uni');
    await modal.locator('#modal-submit').click();
    await modal.locator('.field-error:visible').first().waitFor();
    await expect(modal.locator('.field-error:visible').first().textContent()).resolves.toMatch(/email/i);
    // what was typed is kept
    await expect(modal.getByLabel('Project name').inputValue()).resolves.toBe('Interview study 2026');

    await modal.getByLabel('Account emails').fill('Bob.Okafor@uni.example');
    await modal.locator('#modal-submit').click();
    // Bob was invited to a seat but has not accepted: the project invitation waits for his seat
    await modal.getByText(/holds no seat/).waitFor();
    await modal.locator('#modal-close').click();
    await modal.waitFor({ state: 'hidden' });
  });

  it('three days later Bob, who never answered, has his reminder', async () => {
    const { page } = s;
    await page.locator(`[data-advance="${3 * 86_400_000}"]`).click();
    await page.locator('#clock').getByText(/3 days/).waitFor();
    await actAs(page, 'U0BOB', 'dm');
    const reminder = messageWith(page, /still waiting for your answer/);
    await reminder.waitFor();
    await expect(reminder.locator('button[data-action-id]', { hasText: /Accept/ }).count()).resolves.toBeGreaterThan(0);
    // his invitation is #2: its buttons are live here (and, further down, gone once he answered)
    await expect(reminder.locator('button[data-value="inv:2"]').count()).resolves.toBeGreaterThan(0);
  });

  it('Bob opens his personal invitation page (the reminder says where it is); the confirmation comes back into his own DM', async () => {
    const { page } = s;
    await messageWith(page, /Your personal link is in the first message about it/).waitFor();
    const first = messageWith(page, /a seat in the license Campus/);
    const [invitationPage] = await Promise.all([page.context().waitForEvent('page'), first.locator('a', { hasText: /personal invitation page/i }).first().click()]);
    await invitationPage.waitForLoadState();
    await expect(invitationPage.locator('h1').textContent()).resolves.toMatch(/license seat/);
    await invitationPage.getByRole('button', { name: /Send me a confirmation/ }).click();
    await invitationPage.waitForLoadState();
    await invitationPage.close();
    // the page accepted nothing by itself: Bob confirms in Slack
    const confirmation = messageWith(page, /was just opened and asked to accept/);
    await confirmation.waitFor();
    await clickButton(page, 'Accept the seat', confirmation);
    await messageWith(page, /Your acceptance of a seat in Campus is recorded/).waitFor();
    // now that he holds a seat, Alice's project invitation, which waited for it, reaches him by itself
    await messageWith(page, /Interview study 2026/).waitFor();
  });

  it('once Bob accepted, no message about his invitation keeps a live button: his invitation, his reminder, the confirmation, the admins\' post', async () => {
    const { page } = s;
    // every message in his DM about the seat invitation was updated in place: nothing to press about it
    const live = (value: string) => page.locator(`button[data-value="${value}"]`).count();
    await expect.poll(() => live('inv:2'), { timeout: 10_000 }).toBe(0);
    await messageWith(page, /Reminder about your invitation to a seat in Campus: You accepted it\./).waitFor();
    await messageWith(page, /Your invitation page for a seat in Campus was opened and asked to accept\. You accepted it\./).waitFor();
    // the project invitation that just arrived is the one thing he can answer
    await expect(page.locator('button[data-action-id="invitation_accept"]').count()).resolves.toBe(1);
    await actAs(page, 'U0ADA', 'dm');
    await page.locator('[data-conversation="C0ADMINS"]').click();
    await messageWith(page, /Now: accepted by Bob Okafor/).waitFor();
    await expect.poll(() => live('inv:2'), { timeout: 10_000 }).toBe(0);
  });
});
