import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, ADMIN_CHANNEL, ALICE, BOB, buttonsOf, startTestBot, textOf, type TestBot } from '../support/harness.js';

let t: TestBot | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const dmsTo = (t: TestBot, userId: string) => t.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === `D${userId}` && c.status === 200);
const outbox = (t: TestBot) =>
  t.query<{
    id: number;
    status: string;
    attempts: number;
    lastError: string | null;
    payload: string;
  }>('SELECT id, status, attempts, last_error AS "lastError", payload FROM outbox ORDER BY id');

async function until(check: () => boolean | Promise<boolean>, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('the outbox delivers every DM once, whatever Slack answers', () => {
  it('waits out a 429 with its Retry-After, keeps delivering to others meanwhile, and sends the DM exactly once', async () => {
    t = await startTestBot();
    await t.command(ADMIN.id, 'license add "Campus 2026" 5 assigned');
    t.slack.failNext('conversations.open', { status: 429, retryAfter: 1 });
    const before = Date.now();
    await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice>`);
    // the admin channel is not held up by Alice's rate-limited DM
    await t.slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === ADMIN_CHANNEL && c.status === 200, 3000);
    expect(dmsTo(t, ALICE.id)).toHaveLength(0);
    // the two deliveries run side by side: the rate-limited one is recorded when Slack answered it
    await until(async () => (await outbox(t!)).some((r) => r.lastError?.includes('Retry-After 1s') === true));
    const rateLimited = (await outbox(t)).find((r) => r.lastError?.includes('Retry-After 1s'));
    expect(rateLimited?.status).toBe('pending');
    await until(() => dmsTo(t!, ALICE.id).length === 1);
    expect(Date.now() - before).toBeGreaterThanOrEqual(1000);
    await t.drained();
    expect(dmsTo(t, ALICE.id)).toHaveLength(1);
    expect((await outbox(t)).every((r) => r.status === 'sent')).toBe(true);
  });

  it('retries a 500 with backoff and delivers once', async () => {
    t = await startTestBot();
    await t.command(ADMIN.id, 'license add "Campus 2026" 5 assigned');
    t.slack.failNext('chat.postMessage', { status: 500 }, 1);
    await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice>`);
    // whichever message met the 500 (Alice's DM or the admin post), it is retried once the backoff is over
    await until(async () => (await outbox(t!)).every((r) => r.status === 'sent'));
    const failed = t.slack.callsTo('chat.postMessage').filter((c) => c.status === 500);
    expect(failed).toHaveLength(1);
    expect(dmsTo(t, ALICE.id)).toHaveLength(1);
    expect((await outbox(t)).find((r) => r.attempts === 2)?.status).toBe('sent');
  });

  it('gives up on a person who left the workspace and says why, without retrying forever', async () => {
    t = await startTestBot();
    await t.command(ADMIN.id, 'license add "Campus 2026" 5 assigned');
    t.slack.failNext('conversations.open', { error: 'user_not_found' });
    await t.command(ADMIN.id, `invite-license <@${BOB.id}|bob>`);
    await until(async () => (await outbox(t!)).some((r) => r.status === 'failed'));
    const failed = (await outbox(t)).find((r) => r.status === 'failed')!;
    expect(failed.lastError).toBe('user_not_found');
    expect(failed.attempts).toBe(1);
    // its personal link is not kept in the database once the row is done
    expect(failed.payload).not.toMatch(/\/invite\/[A-Za-z0-9_-]{43}/);
    // and nothing is dropped silently: the admin gets the link to forward, with the reason
    const forward = await t.slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === `D${ADMIN.id}` && /could not deliver/.test(textOf(c.args)));
    expect(textOf(forward.args)).toContain('Slack said `user_not_found`');
    expect(textOf(forward.args)).toMatch(/https:\/\/bot\.example\.edu\/invite\/[A-Za-z0-9_-]{43}/);
  });

  it('after a crash between Slack posting a DM and the database recording it, the DM is not sent again', async () => {
    t = await startTestBot();
    await t.command(ADMIN.id, 'license add "Campus 2026" 5 assigned');
    await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice>`);
    await t.drained();
    expect(dmsTo(t, ALICE.id)).toHaveLength(1);
    // the row looks as if the process died mid-attempt: claimed once, outcome never written
    await t.bot.stop();
    await t.queryStopped("UPDATE outbox SET status = 'pending', attempts = 1, last_error = NULL, lease_until = NULL, sent_at = NULL WHERE CAST(payload AS TEXT) LIKE '%license_invitation%'");
    // and the first look into the channel fails: the message must not be posted blind
    t.slack.failNext('conversations.history', { status: 500 });
    await t.restart();
    await until(() => t!.slack.callsTo('conversations.history').filter((c) => c.status === 200).length > 0, 10_000);
    await t.drained();
    expect(t.slack.callsTo('conversations.history').filter((c) => c.status === 500)).toHaveLength(1);
    expect(dmsTo(t, ALICE.id)).toHaveLength(1);
    expect((await outbox(t)).every((r) => r.status === 'sent')).toBe(true);
  });

  it('a delivered link is scrubbed from the outbox: the database keeps only its hash', async () => {
    t = await startTestBot();
    await t.command(ADMIN.id, 'license add "Campus 2026" 5 assigned');
    await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice>`);
    await t.drained();
    const token = /\/invite\/([A-Za-z0-9_-]{43})/.exec(textOf(dmsTo(t, ALICE.id)[0]!.args))![1]!;
    const dump = JSON.stringify(await t.query('SELECT * FROM outbox')) + JSON.stringify(await t.query('SELECT * FROM invitations'));
    expect(dump).not.toContain(token);
  });
});

describe('a restart keeps everything', () => {
  it('state survives a restart, and a DM that could not be sent before it goes out after, once', async () => {
    t = await startTestBot();
    await t.command(ADMIN.id, 'license add "Campus 2026" 5 assigned');
    // Slack is down when the invitation is made: the DM waits in the outbox
    t.slack.failNext('chat.postMessage', { status: 500 }, 50);
    await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice>`);
    await until(() => t!.slack.callsTo('chat.postMessage').some((c) => c.status === 500));
    await t.restart();
    t.slack.reset(); // Slack is back, and forgets the failures still queued
    await until(() => dmsTo(t!, ALICE.id).length === 1);
    await t.drained();
    expect(dmsTo(t, ALICE.id)).toHaveLength(1);

    const dm = dmsTo(t, ALICE.id)[0]!;
    const accept = buttonsOf(dm.args).find((b) => b.action_id === 'invitation_accept')!;
    await t.restart();
    const r = await t.click(ALICE.id, accept.action_id, accept.value);
    expect(textOf(r.reply?.args)).toContain('Accepted: an admin is adding you');
    const licenses = await t.command(ADMIN.id, 'licenses');
    expect(textOf(licenses.reply?.args)).toContain('*Campus 2026* · 1/5 seats used');
    const audit = await t.query('SELECT action, platform, actor_user_id AS actor FROM audit_log ORDER BY id');
    expect(audit).toEqual([
      { action: 'license.created', platform: 'slack', actor: ADMIN.id },
      { action: 'invitation.created', platform: 'slack', actor: ADMIN.id },
      { action: 'invitation.accepted', platform: 'slack', actor: ALICE.id },
      { action: 'seat.occupied', platform: 'slack', actor: ALICE.id },
    ]);
  });
});
