/**
 * The Teams side against Microsoft's own client, the Agents Playground (see
 * ../support/agents-playground.ts), driven through its page: the playground's user (Alex Wilber,
 * a license admin here) opens the chat and is welcomed once, types `help`, adds a license, invites
 * a mock user — himself, the only person the playground lets us act as — and receives the
 * invitation card as a proactive message through the playground's connector, presses Accept, and
 * the card is replaced in place. Every call the bot made to the playground's connector must have
 * been accepted (2xx), and the outbox must agree with it.
 *
 * Dialogs (`task/fetch`) are not supported by the playground; they are tested against the stand-in
 * (teams.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from '../support/harness.js';
import { PLAYGROUND_USER, startPlayground, type Playground } from '../support/agents-playground.js';

let t: TestBot;
let pg: Playground;

beforeAll(async () => {
  t = await startTestBot({
    env: {
      SLACK_BOT_TOKEN: '',
      SLACK_SIGNING_SECRET: '',
      TEAMS_APP_ID: 'atlas-playground-app',
      TEAMS_APP_PASSWORD: '',
      TEAMS_TENANT_ID: PLAYGROUND_USER.tenantId,
      ATLAS_ADMINS: PLAYGROUND_USER.aadObjectId,
      ATLAS_ADMIN_CHANNEL: '',
      PUBLIC_BASE_URL: 'https://bot.example.edu',
    },
  });
  pg = await startPlayground(`${t.bot.url}/api/messages`);
}, 90_000);

afterAll(async () => {
  await pg?.close();
  await t?.close();
});

/** The cards in the chat, each as the text a person reads (one line per rendered block). */
async function cards(): Promise<string[]> {
  return pg.page.locator('.ac-adaptiveCard').evaluateAll((els) => els.map((e) => (e as HTMLElement).innerText));
}

async function waitForCard(pattern: RegExp): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const found = (await cards()).find((c) => pattern.test(c));
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`no card matching ${pattern}; cards:\n${(await cards()).join('\n-----\n')}\nplayground log:\n${(await pg.logLines()).join('\n')}\nbot log:\n${t.logs.slice(-30).join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Calls the bot made to the playground's connector that it did not accept. */
async function refusedCalls(): Promise<string[]> {
  const lines = await pg.logLines();
  expect(lines.some((l) => /User Application -> Microsoft 365 Agents Playground message 201/.test(l))).toBe(true);
  return lines.filter((l) => /User Application\s*->\s*Microsoft 365 Agents Playground\s+\S+\s+(?![23]\d\d\b)/.test(l) || /BadArgument|Invalid input/.test(l));
}

describe('Teams in the Microsoft 365 Agents Playground', () => {
  it('welcomes once, answers help in lines of their own, and takes an invitation from card to acceptance', async () => {
    // opening the chat sends installationUpdate and conversationUpdate: one welcome
    await waitForCard(/ATLAS\.ti: your seats and projects/);
    await new Promise((r) => setTimeout(r, 500));
    const greetings = (await cards()).filter((c) => /License seats and project invitations/.test(c));
    expect(greetings).toHaveLength(1);

    const before = (await cards()).length;
    await pg.say('help');
    const help = await (async () => {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const all = await cards();
        if (all.length > before && /License seats and project invitations/.test(all.at(-1)!)) return all.at(-1)!;
        if (Date.now() > deadline) throw new Error(`help never answered:\n${all.join('\n-----\n')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    // each command on its own line, as Teams renders it (a single newline inside a TextBlock would run them together)
    const lines = help.split('\n').map((l) => l.trim());
    expect(lines.some((l) => l.startsWith('help:'))).toBe(true);
    expect(lines.some((l) => l.startsWith('licenses:'))).toBe(true);
    expect(help).not.toMatch(/\\\[|\\\]|\/atlas:|Slack/);

    await pg.say('license add "Campus" 5');
    await waitForCard(/Created the license Campus/);

    await pg.say(`invite-license ${PLAYGROUND_USER.email}`);
    const invitation = await waitForCard(/You're invited to an ATLAS\.ti license seat/);
    expect(invitation).toMatch(/What you get/);
    expect(invitation).toMatch(/What you don't get/);
    await t.drained();
    const dm = (await t.query<{ status: string; last_error: string | null; payload: string }>('SELECT status, last_error, payload FROM outbox ORDER BY id'))
      .filter((r) => (JSON.parse(r.payload) as { type?: string }).type === 'license_invitation')
      .map(({ status, last_error }) => ({ status, last_error }));
    // the invitation DM (a proactive message: createConversation, then the card), sent once and believed sent
    expect(dm).toEqual([{ status: 'sent', last_error: null }]);

    const accept = pg.page.getByRole('button', { name: 'Accept the seat' });
    await expect.poll(() => accept.count()).toBe(1);
    await accept.click();
    await waitForCard(/Accepted: an admin is adding you/);
    // the invitation card was replaced in place: no card offers Accept any more
    await expect.poll(() => accept.count()).toBe(0);
    expect((await cards()).filter((c) => /You're invited to an ATLAS\.ti license seat/.test(c))).toHaveLength(0);
    const status = await t.query('SELECT status FROM invitations ORDER BY id');
    expect(status).toEqual([{ status: 'accepted' }]);

    // whatever the bot sent, Microsoft's connector accepted it; nothing went wrong on the bot's side
    expect(await refusedCalls()).toEqual([]);
    expect(t.logs.filter((l) => /ERROR|Something went wrong/.test(l))).toEqual([]);
    // once the last updates (sent after everything else) are out, every row was sent, none failed
    await expect.poll(() => t.count(`SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'`), { timeout: 10_000 }).toBe(0);
    const failed = await t.query(`SELECT recipient_type, status, last_error FROM outbox WHERE status <> 'sent'`);
    expect(failed).toEqual([]);
  }, 120_000);
});
