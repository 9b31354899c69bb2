import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, ADMIN_CHANNEL, ALICE, MALLORY, buttonsOf, startTestBot, textOf, type TestBot } from '../support/harness.js';

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot();
});
afterEach(async () => {
  await t.close();
});

const dmsTo = (t: TestBot, userId: string) => t.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === `D${userId}`);

describe('a license invitation, end to end in Slack', () => {
  it('admin creates a pool, invites Alice, Alice accepts, and the admin sees 1/50', async () => {
    const created = await t.command(ADMIN.id, 'license add "Campus 2026" 50 assigned');
    expect(created.status).toBe(200);
    expect(textOf(created.reply?.args)).toContain('Created the license *Campus 2026*: 50 seats, one per member.');

    const invited = await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice>`);
    expect(textOf(invited.reply?.args)).toMatch(/Alice Smith.*invited \(#1\)/);
    await t.drained();

    // Alice's DM: what she got, what she did not, her personal link, Accept / Decline
    const [dm] = dmsTo(t, ALICE.id);
    expect(dm, 'Alice got a DM').toBeDefined();
    const text = textOf(dm!.args);
    expect(text).toContain('Campus 2026');
    expect(text).toMatch(/does \*not\* give you access to anyone's project|Access to any project or data/);
    const link = /https:\/\/bot\.example\.edu\/invite\/([A-Za-z0-9_-]{43})/.exec(text);
    expect(link, 'the DM carries a personal link').not.toBeNull();
    expect(buttonsOf(dm!.args).map((b) => b.action_id)).toEqual(['invitation_accept', 'invitation_decline']);

    // the admin channel hears about the new invitation
    const adminPost = t.slack.callsTo('chat.postMessage').find((c) => c.args.channel === ADMIN_CHANNEL);
    expect(textOf(adminPost?.args)).toMatch(/invited \*Alice Smith\*.*Campus 2026/);
    expect(textOf(adminPost?.args)).toContain('1/50 seats used');

    // the link page explains the invitation and shows its state
    const page = await fetch(`${t.bot.url}/invite/${link![1]}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Waiting for an answer');
    expect(html).toContain('What this does not give');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');

    const accept = buttonsOf(dm!.args)[0]!;
    const accepted = await t.click(ALICE.id, accept.action_id, accept.value, { channel_id: `D${ALICE.id}`, message_ts: dm!.args.ts });
    expect(accepted.status).toBe(200);
    expect(accepted.reply?.args.replace_original).toBe(true);
    expect(textOf(accepted.reply?.args)).toContain('Accepted: an admin is adding you');
    await t.drained();

    // her original DM is updated in place to say so
    const update = await t.slack.waitFor((c) => c.method === 'chat.update' && c.args.channel === `D${ALICE.id}`);
    expect(textOf(update.args)).toContain('Your acceptance of a seat in *Campus 2026* is recorded, but ATLAS.ti does not know about it yet');
    expect(buttonsOf(update.args)).toEqual([]);
    const acceptedPost = await t.slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === ADMIN_CHANNEL && /accepted a seat/.test(textOf(c.args)));
    expect(textOf(acceptedPost.args)).toContain('1/50 seats used');

    const licenses = await t.command(ADMIN.id, 'licenses');
    expect(textOf(licenses.reply?.args)).toContain('*Campus 2026* · 1/50 seats used');

    const after = await (await fetch(`${t.bot.url}/invite/${link![1]}`)).text();
    expect(after).toContain('This invitation was accepted');
  });

  it('a stranger clicking Accept is refused politely and the invitation stays pending', async () => {
    await t.command(ADMIN.id, 'license add "Campus 2026" 5 assigned');
    await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice>`);
    await t.drained();
    const dm = dmsTo(t, ALICE.id)[0]!;
    const accept = buttonsOf(dm.args)[0]!;

    const stranger = await t.click(MALLORY.id, accept.action_id, accept.value);
    expect(stranger.reply?.args.response_type).toBe('ephemeral');
    expect(stranger.reply?.args.replace_original).toBe(false);
    expect(textOf(stranger.reply?.args)).toContain('This invitation was made for someone else');

    const status = await t.command(ADMIN.id, `status <@${ALICE.id}|alice>`);
    expect(textOf(status.reply?.args)).toContain('#1 to *Campus 2026*');
    const [row] = await t.query<{ status: string }>('SELECT status FROM invitations WHERE id = 1');
    expect(row!.status).toBe('pending');
  });
});
