import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blockActionPayload, interactiveBody, postSigned, slackSignature, slashCommandBody, viewSubmissionPayload } from '../support/slack-requests.js';
import { PROJECT_ACTIONS, VIEWS } from '../../src/handlers/slack/action-ids.js';
import { ADMIN, ADMIN_CHANNEL, ALICE, BOB, MALLORY, SECRET, buttonsOf, rawTextOf, startTestBot, textOf, type TestBot } from '../support/harness.js';

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot();
});
afterEach(async () => {
  await t.close();
});

const dmsTo = (userId: string) => t.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === `D${userId}`);
const count = (sql: string) => t.count(sql);
const linkIn = (text: string) => /https:\/\/bot\.example\.edu\/invite\/([A-Za-z0-9_-]{43})/.exec(text)?.[1];

describe('requests Slack did not sign', () => {
  it('a bad signature gets 401 and changes nothing', async () => {
    const body = slashCommandBody({ text: 'license add "Hack" 5 assigned', user_id: ADMIN.id, response_url: t.slack.responseUrl() });
    const res = await postSigned(`${t.bot.url}/slack/events`, 'not-the-secret', body);
    expect(res.status).toBe(401);
    expect(await count('SELECT COUNT(*) AS n FROM licenses')).toBe(0);
  });

  it('a stale timestamp (a replayed request) gets 401', async () => {
    const body = slashCommandBody({ text: 'license add "Replay" 5 assigned', user_id: ADMIN.id, response_url: t.slack.responseUrl() });
    const res = await postSigned(`${t.bot.url}/slack/events`, SECRET, body, { timestamp: Math.floor(Date.now() / 1000) - 10 * 60 });
    expect(res.status).toBe(401);
    expect(await count('SELECT COUNT(*) AS n FROM licenses')).toBe(0);
  });

  // Bolt does not check the signature a second time behind the inbox's guard (slack-app.ts): every
  // way to Bolt's listeners is refused by the guard itself (its JSON 401; Bolt's own is empty)
  it('no signature, a forged one, a body other than the one signed: refused before Bolt, on every spelling of the path, a click and the endpoint checks included', async () => {
    const url = `${t.bot.url}/slack/events`;
    const refused = { ok: false, error: 'invalid_signature' };
    const command = slashCommandBody({ text: 'license add "Forged" 5 assigned', user_id: ADMIN.id, response_url: t.slack.responseUrl() });
    const click = interactiveBody(blockActionPayload({ user_id: ADMIN.id, action_id: PROJECT_ACTIONS.homeRefresh, response_url: t.slack.responseUrl() }));
    const submit = interactiveBody(viewSubmissionPayload({ user_id: ADMIN.id, callback_id: VIEWS.support, values: {} }));
    const checks = [JSON.stringify({ type: 'url_verification', token: 'x', challenge: 'forged-challenge' }), 'ssl_check=1&token=x'];
    const ts = Math.floor(Date.now() / 1000);

    const unsigned = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: command });
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toEqual(refused);
    const noTimestamp = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-signature': slackSignature(SECRET, command, ts) }, body: command });
    expect(noTimestamp.status).toBe(401);

    for (const body of [command, click, submit, ...checks]) {
      for (const target of [url, `${url}/`, `${t.bot.url}/SLACK/Events`, `${url}?retry=1`]) {
        const forged = await postSigned(target, SECRET, body, { signature: `v0=${'0'.repeat(64)}` });
        expect([forged.status, forged.json], `${target} ${body.slice(0, 30)}`).toEqual([401, refused]);
        // signed, but for other bytes than those sent
        const other = await postSigned(target, SECRET, body, { signature: slackSignature(SECRET, `${body} `, ts), timestamp: ts });
        expect([other.status, other.json], `${target} ${body.slice(0, 30)}`).toEqual([401, refused]);
        // labelled as something else (the Content-Type is not signed): still checked
        expect((await postSigned(target, 'not-the-secret', body, { contentType: 'text/plain' })).status).toBe(401);
      }
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(await count('SELECT COUNT(*) AS n FROM licenses')).toBe(0);
    expect(t.slack.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
    expect(t.logs.some((l) => /Request verification failed|not acknowledged/.test(l))).toBe(false);

    // the same requests signed are taken: Bolt reads the bytes the guard verified
    const challenge = await postSigned(url, SECRET, checks[0]!);
    expect([challenge.status, challenge.json]).toEqual([200, { challenge: 'forged-challenge' }]);
    expect((await postSigned(`${t.bot.url}/SLACK/Events/`, SECRET, command)).status).toBe(200);
    await expect.poll(() => count('SELECT COUNT(*) AS n FROM licenses')).toBe(1);
  });
});

describe('who may do what', () => {
  it('a non-admin cannot invite or add pools, and is told who can', async () => {
    await t.command(ADMIN.id, 'license add "Campus 2026" 5 assigned');
    const invite = await t.command(MALLORY.id, `invite-license <@${ALICE.id}|alice>`);
    expect(textOf(invite.reply?.args)).toContain('Only license admins can invite people to a license');
    const add = await t.command(MALLORY.id, 'license add "Mine" 500 assigned');
    expect(textOf(add.reply?.args)).toContain('Only license admins can create license pools');
    expect(await count('SELECT COUNT(*) AS n FROM invitations')).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM licenses')).toBe(1);
  });

  it('an admin can make someone else an admin, who can then invite', async () => {
    await t.command(ADMIN.id, 'license add "Campus 2026" 5 assigned');
    const made = await t.command(ADMIN.id, `admin add <@${BOB.id}|bob>`);
    expect(textOf(made.reply?.args)).toContain('Bob Jones is now a license admin');
    const invite = await t.command(BOB.id, `invite-license <@${ALICE.id}|alice>`);
    expect(textOf(invite.reply?.args)).toMatch(/Alice Smith\*: invited \(#1\)/);
    expect(await count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'admin.added'")).toBe(1);
  });
});

describe('inviting', () => {
  it('inviting someone again answers "already pending since …", offers Resend, and mints no second link', async () => {
    await t.command(ADMIN.id, 'license add "Campus 2026" 5 assigned');
    await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice>`);
    const again = await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice>`);
    expect(textOf(again.reply?.args)).toMatch(/already invited, pending since .* \(#1\)/);
    expect(buttonsOf(again.reply?.args)).toEqual([{ action_id: 'invitation_resend', value: 'inv:1', text: 'Resend to Alice Smith' }]);
    await t.drained();
    expect(await count('SELECT COUNT(*) AS n FROM invitations')).toBe(1);
    expect(dmsTo(ALICE.id)).toHaveLength(1);
  });

  it('a full license is explained to the admin and to the invitee, and nobody is dropped silently', async () => {
    await t.command(ADMIN.id, 'license add "Tiny" 1 assigned');
    await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice>`);
    const full = await t.command(ADMIN.id, `invite-license <@${BOB.id}|bob>`);
    expect(textOf(full.reply?.args)).toContain('*Bob Jones*: not invited, the license is full');
    await t.drained();
    const [bobDm] = dmsTo(BOB.id);
    expect(textOf(bobDm?.args)).toContain('its 1 seat is taken right now');
    expect(await count("SELECT COUNT(*) AS n FROM invitations WHERE invitee_id = (SELECT id FROM people WHERE slack_user_id = 'UBOB')")).toBe(0);
    const licenses = await t.command(BOB.id, 'licenses');
    expect(textOf(licenses.reply?.args)).toContain('*Tiny* · 1/1 seats used');
  });

  it('several licenses: the pool must be named, and `to "<license>"` picks it', async () => {
    await t.command(ADMIN.id, 'license add "Campus 2026" 5 assigned');
    await t.command(ADMIN.id, 'license add "Lab" 2 assigned');
    const ambiguous = await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice>`);
    expect(textOf(ambiguous.reply?.args)).toContain('There are 2 licenses; say which one with `to "<license>"`');
    const named = await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice> to “lab”`);
    expect(textOf(named.reply?.args)).toContain('*Lab*: 1 invited of 1');
  });

  it('malformed input gets a clear answer that says what to do next', async () => {
    await t.command(ADMIN.id, 'license add "Campus 2026" 5 assigned');
    const badEmail = await t.command(ADMIN.id, 'invite-license alice@@uni');
    expect(textOf(badEmail.reply?.args)).toContain('"alice@@uni" is not a valid email address');
    expect(textOf(badEmail.reply?.args)).toContain('Tell me who to invite');
    const badSeats = await t.command(ADMIN.id, 'license add "Big" lots');
    expect(textOf(badSeats.reply?.args)).toContain('The number of seats must be a whole number');
    const typo = await t.command(ADMIN.id, 'invite-lisence @alice');
    expect(textOf(typo.reply?.args)).toContain('Did you mean `/atlas invite-license`?');
    const badId = await t.command(ADMIN.id, 'revoke twelve');
    expect(textOf(badId.reply?.args)).toContain('Say which invitation: `/atlas revoke <id>`');
    const unknown = await t.command(ADMIN.id, 'revoke 999');
    expect(textOf(unknown.reply?.args)).toContain('There is no invitation #999');
  });

  it('user text is escaped before it reaches Block Kit', async () => {
    await t.command(ADMIN.id, 'license add "<!channel> & <https://evil.example|click>" 5 assigned');
    const list = await t.command(ADMIN.id, 'licenses');
    // both the blocks and the notification text carry it escaped, so Slack shows it as typed and never pings
    const raw = rawTextOf(list.reply?.args);
    expect(raw).toContain('*&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;* · 0/5 seats used');
    expect(raw).toContain('&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;: 0/5');
    expect(raw).not.toContain('<!channel>');
    expect(raw).not.toContain('<https://evil');
  });

  it('an email with no Slack account still gets an invitation: the inviter receives the link to forward', async () => {
    await t.command(ADMIN.id, 'license add "Campus 2026" 5 assigned');
    const r = await t.command(ADMIN.id, 'invite-license <mailto:Carol@Partner.org|Carol@Partner.org>');
    expect(textOf(r.reply?.args)).toContain('not in this Slack workspace: I sent you their link to forward');
    await t.drained();
    // someone known by their email only is named once, not "Carol@Partner.org (Carol@Partner.org)"
    const adminPost = t.slack.callsTo('chat.postMessage').find((c) => c.args.channel === ADMIN_CHANNEL && /invited/.test(textOf(c.args)))!;
    expect(textOf(adminPost.args)).toMatch(/invited \*?Carol@Partner\.org\*? to a seat in \*?Campus 2026/);
    expect(textOf(adminPost.args)).not.toMatch(/Carol@Partner\.org\*? \(`?Carol@Partner\.org/);
    const forward = dmsTo(ADMIN.id).find((c) => /forward them this personal link/.test(textOf(c.args)));
    expect(forward).toBeDefined();
    const token = linkIn(textOf(forward!.args));
    expect(token).toBeDefined();
    const [row] = await t.query<{ e: string }>('SELECT invitee_email AS e FROM invitations');
    expect(row!.e).toBe('Carol@Partner.org');
    // the page says who it is for and how to accept once they join
    const html = await (await fetch(`${t.bot.url}/invite/${token}`)).text();
    expect(html).toContain('<code>Carol@Partner.org</code>');
    expect(html).toContain('Join Slack with exactly this email');

    // Carol joins Slack; Slack spells her email in lower case, and finds her by it all the same
    t.slack.addUser({ id: 'UCAROLP', name: 'carolp', real_name: 'Carol Partner', email: 'carol@partner.org' });
    const res = await fetch(`${t.bot.url}/invite/${token}/accept`, { method: 'POST' });
    expect(await res.text()).toContain('a confirmation is waiting in Slack');
    await t.drained();
    const confirm = await t.slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'DUCAROLP' && /was just opened/.test(textOf(c.args)));
    const accepted = await t.clickIn('UCAROLP', confirm, 'invitation_accept');
    expect(textOf(accepted.reply?.args)).toContain('Accepted: an admin is adding you');
    // the seat is for the exact account email the admin typed
    expect((await t.query('SELECT email FROM seats'))[0]).toEqual({ email: 'Carol@Partner.org' });
  });
});

describe('the personal link', () => {
  it('a forwarded link redeems nothing: accepting from the page asks the invitee, in their own DM', async () => {
    await t.command(ADMIN.id, 'license add "Campus 2026" 5 assigned');
    await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice>`);
    await t.drained();
    const token = linkIn(textOf(dmsTo(ALICE.id)[0]!.args))!;

    // someone else opens Alice's link and presses the button
    const res = await fetch(`${t.bot.url}/invite/${token}/accept`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('a confirmation is waiting in Slack, in the direct messages of the person this invitation is for');
    await t.drained();
    expect(await count("SELECT COUNT(*) AS n FROM invitations WHERE status = 'pending'")).toBe(1);
    const confirm = dmsTo(ALICE.id).find((c) => /invitation page .* was just opened/.test(textOf(c.args)));
    expect(confirm, 'the confirmation goes to Alice').toBeDefined();
    expect(t.slack.callsTo('chat.postMessage').filter((c) => /was just opened/.test(textOf(c.args))).map((c) => c.args.channel)).toEqual([`D${ALICE.id}`]);

    // pressing again at once does not flood her DMs
    const again = await (await fetch(`${t.bot.url}/invite/${token}/accept`, { method: 'POST' })).text();
    expect(again).toContain('a moment ago');

    // only Alice's click in that DM accepts
    const accept = buttonsOf(confirm!.args).find((b) => b.action_id === 'invitation_accept')!;
    const stranger = await t.click(MALLORY.id, accept.action_id, accept.value);
    expect(textOf(stranger.reply?.args)).toContain('made for someone else');
    const mine = await t.click(ALICE.id, accept.action_id, accept.value);
    expect(textOf(mine.reply?.args)).toContain('Accepted: an admin is adding you');
    expect(await count("SELECT COUNT(*) AS n FROM seats WHERE status = 'occupied'")).toBe(1);
  });

  it('an unknown or malformed token shows a polite page, not an error', async () => {
    const res = await fetch(`${t.bot.url}/invite/${'x'.repeat(43)}`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('This link does not work');
    expect((await fetch(`${t.bot.url}/invite/short`)).status).toBe(404);
  });
});

describe('resend and revoke', () => {
  it('Resend from the admin post sends a fresh link and retires the old one; revoke withdraws the invitation', async () => {
    await t.command(ADMIN.id, 'license add "Campus 2026" 5 assigned');
    await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice>`);
    await t.drained();
    const oldToken = linkIn(textOf(dmsTo(ALICE.id)[0]!.args))!;
    const adminPost = t.slack.callsTo('chat.postMessage').find((c) => c.args.channel === ADMIN_CHANNEL)!;
    const resend = buttonsOf(adminPost.args).find((b) => b.action_id === 'invitation_resend')!;

    // a non-admin clicking the admin's button is refused
    const stranger = await t.click(MALLORY.id, resend.action_id, resend.value);
    expect(textOf(stranger.reply?.args)).toContain('Only a license admin or the person who sent invitation #1 can resend it');

    // a click within a minute of sending is taken for a double click and sends nothing
    const tooSoon = await t.click(ADMIN.id, resend.action_id, resend.value);
    expect(textOf(tooSoon.reply?.args)).toContain('was sent a moment ago');
    await t.query('UPDATE invitations SET sent_at = sent_at - 120000');
    const r = await t.click(ADMIN.id, resend.action_id, resend.value);
    expect(textOf(r.reply?.args)).toContain('Sent a fresh invitation #1');
    await t.drained();
    const dms = dmsTo(ALICE.id);
    expect(dms).toHaveLength(2);
    const newToken = linkIn(textOf(dms[1]!.args))!;
    expect(newToken).not.toBe(oldToken);
    expect((await fetch(`${t.bot.url}/invite/${oldToken}`)).status).toBe(404);
    expect((await fetch(`${t.bot.url}/invite/${newToken}`)).status).toBe(200);

    const revoked = await t.command(ADMIN.id, 'revoke 1');
    expect(textOf(revoked.reply?.args)).toContain('Withdrew invitation #1');
    await t.drained();
    const update = await t.slack.waitFor((c) => c.method === 'chat.update' && /withdrawn/.test(textOf(c.args)));
    expect(update.args.channel).toBe(`D${ALICE.id}`);
    expect(await (await fetch(`${t.bot.url}/invite/${newToken}`)).text()).toContain('withdrawn by a license admin');
    const accept = await t.click(ALICE.id, 'invitation_accept', 'inv:1');
    expect(textOf(accept.reply?.args)).toContain('This invitation was withdrawn by an admin');
    expect(await count("SELECT COUNT(*) AS n FROM seats")).toBe(0);

    const pending = await t.command(ADMIN.id, 'pending');
    expect(textOf(pending.reply?.args)).toContain('0 pending · 0 waiting for a seat');
    expect(buttonsOf(pending.reply?.args)).toEqual([]);
  });

  it('pending lists open invitations with Resend and Revoke, for admins only', async () => {
    await t.command(ADMIN.id, 'license add "Campus 2026" 5 assigned');
    await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice> <@${BOB.id}|bob>`);
    const pending = await t.command(ADMIN.id, 'pending');
    const text = textOf(pending.reply?.args);
    expect(text).toContain('2 pending · 0 waiting for a seat · 0 could not be reached');
    expect(text).toContain('*Campus 2026* · 2/5 seats used (0 taken, 2 held for pending invitations)');
    expect(text).toMatch(/\*#1\* \*Alice Smith\* \(`Alice.Smith@uni.edu`\) · sent just now by Ada Admin · 0 reminders/);
    expect(buttonsOf(pending.reply?.args).map((b) => `${b.action_id}:${b.value}`)).toEqual([
      'invitation_resend:inv:1',
      'invitation_extend:inv:1',
      'invitation_revoke:inv:1',
      'invitation_resend:inv:2',
      'invitation_extend:inv:2',
      'invitation_revoke:inv:2',
    ]);
    const denied = await t.command(ALICE.id, 'pending');
    expect(textOf(denied.reply?.args)).toContain('Only license admins can review pending invitations');
  });
});

describe('decline and status', () => {
  it('Alice declines: the seat is free again and her DM says so; status and help explain seats vs projects', async () => {
    await t.command(ADMIN.id, 'license add "Campus 2026" 5 assigned');
    await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice>`);
    const declined = await t.click(ALICE.id, 'invitation_decline', 'inv:1');
    expect(textOf(declined.reply?.args)).toContain('You declined the invitation to a seat in *Campus 2026*');
    const status = await t.command(ALICE.id, 'status');
    expect(textOf(status.reply?.args)).toContain('You hold no ATLAS.ti seat yet');
    const other = await t.command(ALICE.id, `status <@${BOB.id}|bob>`);
    expect(textOf(other.reply?.args)).toContain('looking up anyone else is for license admins');
    const help = await t.command(ALICE.id, 'help');
    expect(textOf(help.reply?.args)).toContain('*License seat*: the right to use ATLAS.ti');
    expect(textOf(help.reply?.args)).toContain('`/atlas invite-license <@people or emails> [to "<license>"]`');
  });
});
