/**
 * Proves the Slack stand-in behaves the way the real clients expect: a real WebClient, a real SocketModeClient and a
 * real Bolt HTTP app talk to it unchanged, and the signed-request helpers produce what Bolt verifies.
 */
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { SocketModeClient } from '@slack/socket-mode';
import { ErrorCode, WebClient, type Logger } from '@slack/web-api';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  blockActionPayload,
  interactiveBody,
  postSigned,
  slackSignature,
  slashCommandBody,
  viewSubmissionPayload,
} from './slack-requests.js';
import { type SlackStandIn, startSlackStandIn } from './slack-standin.js';

const BOT_TOKEN = 'xoxb-1-test';

let standIn: SlackStandIn;

beforeAll(async () => {
  standIn = await startSlackStandIn({ botUserId: 'U0ATLASBOT', teamId: 'T0TEST' });
  standIn.addUser({ id: 'U0ALICE', name: 'alice', real_name: 'Alice Liddell', email: 'Alice.Liddell@Example.org', tz: 'Europe/Berlin' });
  standIn.addUser({ id: 'U0GONE', name: 'gone', email: 'gone@example.org', deleted: true });
});
afterAll(async () => {
  await standIn.close();
});
beforeEach(() => standIn.reset());

/** A WebClient configured the way the bot's tests should configure theirs. */
function webClient(token = BOT_TOKEN, extra: ConstructorParameters<typeof WebClient>[1] = {}): WebClient {
  return new WebClient(token, { slackApiUrl: standIn.apiUrl, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR, ...extra });
}

/** A WebClient logger that keeps what it is told instead of printing it (errors expected by a test). */
function recordingLogger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  let level = LogLevel.ERROR;
  return {
    errors,
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: (...msg: unknown[]) => void errors.push(msg.map(String).join(' ')),
    setLevel: (l: LogLevel) => void (level = l),
    getLevel: () => level,
    setName: () => undefined,
  };
}

/** Resolves with the error a promise rejects with (fails the test if it resolves). */
async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail');
}

describe('Web API stand-in with a real WebClient', () => {
  it('answers auth.test with the configured bot identity', async () => {
    const res = await webClient().auth.test();
    expect(res).toMatchObject({ ok: true, user_id: 'U0ATLASBOT', team_id: 'T0TEST', bot_id: 'B0BOT', is_enterprise_install: false });
    expect(standIn.callsTo('auth.test')[0]).toMatchObject({ token: BOT_TOKEN, status: 200 });
  });

  it('round-trips chat.postMessage → chat.update → conversations.history, decoding form-encoded JSON fields', async () => {
    const client = webClient();
    const dm = await client.conversations.open({ users: 'U0ALICE' });
    expect(dm.channel?.id).toBe('DU0ALICE');
    expect((await client.conversations.open({ users: 'U0ALICE' })).channel?.id).toBe('DU0ALICE'); // stable

    const blocks = [{ type: 'section', block_id: 'intro', text: { type: 'mrkdwn', text: 'Invite *Alice*?' } }];
    const metadata = { event_type: 'invite_request', event_payload: { request_id: 'r-1' } };
    const posted = await client.chat.postMessage({ channel: 'DU0ALICE', text: 'Invite Alice?', blocks, metadata });
    expect(posted).toMatchObject({ ok: true, channel: 'DU0ALICE', message: { type: 'message', text: 'Invite Alice?', user: 'U0ATLASBOT', blocks } });
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);

    // web-api 8 sends a urlencoded form with blocks/metadata as JSON strings; the stand-in records them decoded.
    const call = await standIn.waitFor((c) => c.method === 'chat.postMessage');
    expect(call.args).toMatchObject({ channel: 'DU0ALICE', text: 'Invite Alice?', blocks, metadata });
    expect(call.token).toBe(BOT_TOKEN);

    const second = await client.chat.postMessage({ channel: 'DU0ALICE', text: 'second' });
    expect(Number(second.ts)).toBeGreaterThan(Number(posted.ts));

    const updated = await client.chat.update({ channel: 'DU0ALICE', ts: posted.ts!, text: 'Alice invited', blocks: [] });
    expect(updated).toMatchObject({ ok: true, channel: 'DU0ALICE', ts: posted.ts, text: 'Alice invited' });
    expect(standIn.getMessage('DU0ALICE', posted.ts!)).toMatchObject({ text: 'Alice invited', metadata });

    const missing = await rejection(client.chat.update({ channel: 'DU0ALICE', ts: '1.000000', text: 'x' }));
    expect(missing.data.error).toBe('message_not_found');

    const history = await client.conversations.history({ channel: 'DU0ALICE', include_all_metadata: true });
    expect(history.messages?.map((m) => m.text)).toEqual(['second', 'Alice invited']); // newest first
    expect(history.messages?.[1]?.metadata).toEqual(metadata);
    const newer = await client.conversations.history({ channel: 'DU0ALICE', oldest: posted.ts! });
    expect(newer.messages?.map((m) => m.ts)).toEqual([second.ts]);
  });

  it('looks users up by email case-insensitively, with Slack error codes for misses', async () => {
    const client = webClient();
    const res = await client.users.lookupByEmail({ email: 'alice.liddell@EXAMPLE.org' });
    expect(res.user).toMatchObject({ id: 'U0ALICE', name: 'alice', real_name: 'Alice Liddell', tz: 'Europe/Berlin', profile: { email: 'Alice.Liddell@Example.org' } });
    expect([3600, 7200]).toContain(res.user?.tz_offset);

    expect((await rejection(client.users.lookupByEmail({ email: 'nobody@example.org' }))).data.error).toBe('users_not_found');
    expect((await client.users.info({ user: 'U0GONE' })).user?.deleted).toBe(true);
    expect((await rejection(client.users.info({ user: 'U0NOBODY' }))).data.error).toBe('user_not_found');
    expect((await rejection(client.conversations.open({ users: 'U0NOBODY' }))).data.error).toBe('user_not_found');
  });

  it('surfaces an injected 429 as the client rate-limit error carrying retryAfter, then recovers', async () => {
    const client = webClient(BOT_TOKEN, { rejectRateLimitedCalls: true });
    standIn.failNext('users.info', { status: 429, retryAfter: 7 });
    const e = await rejection(client.users.info({ user: 'U0ALICE' }));
    expect(e.code).toBe(ErrorCode.RateLimitedError);
    expect(e.retryAfter).toBe(7);
    expect(standIn.callsTo('users.info')[0]?.status).toBe(429);
    // Only the next call fails.
    expect((await client.users.info({ user: 'U0ALICE' })).ok).toBe(true);
  });

  it('surfaces an injected 500 as an HTTP error, and an injected Slack error as a platform error', async () => {
    const client = webClient();
    standIn.failNext('chat.postMessage', { status: 500 });
    const e = await rejection(client.chat.postMessage({ channel: 'DU0ALICE', text: 'hi' }));
    expect(e.code).toBe(ErrorCode.HTTPError);
    expect(e.statusCode).toBe(500);

    standIn.failNext('chat.postMessage', { error: 'channel_not_found' }, 2);
    for (let i = 0; i < 2; i += 1) {
      const p = await rejection(client.chat.postMessage({ channel: 'DU0ALICE', text: 'hi' }));
      expect(p.code).toBe(ErrorCode.PlatformError);
      expect(p.data.error).toBe('channel_not_found');
    }
    expect((await client.chat.postMessage({ channel: 'DU0ALICE', text: 'hi' })).ok).toBe(true);
  });

  it('retries an injected 500 when the client is configured to retry', async () => {
    const client = webClient(BOT_TOKEN, { retryConfig: { retries: 1, minTimeout: 10, maxTimeout: 10 } });
    standIn.failNext('auth.test', { status: 500 });
    expect((await client.auth.test()).ok).toBe(true);
    expect(standIn.callsTo('auth.test').map((c) => c.status)).toEqual([500, 200]);
  });

  it('rejects bad tokens like Slack does', async () => {
    expect((await rejection(webClient('xoxb-invalid').auth.test())).data.error).toBe('invalid_auth');
    expect((await rejection(webClient('not-a-token').auth.test())).data.error).toBe('invalid_auth');
    expect((await rejection(webClient('').auth.test())).data.error).toBe('not_authed');
    expect((await rejection(webClient('xapp-1-test').chat.postMessage({ channel: 'C1', text: 'x' }))).data.error).toBe('not_allowed_token_type');
    expect((await rejection(webClient().apps.connections.open({}))).data.error).toBe('not_allowed_token_type');
    expect((await rejection(webClient().apiCall('no.such.method'))).data.error).toBe('unknown_method');
  });

  it('accepts JSON bodies with a Bearer token, as other clients send them', async () => {
    const res = await fetch(`${standIn.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8', Authorization: `Bearer ${BOT_TOKEN}` },
      body: JSON.stringify({ channel: 'U0ALICE', text: 'via json' }),
    });
    // A user ID as channel posts into the DM with that user.
    expect(await res.json()).toMatchObject({ ok: true, channel: 'DU0ALICE' });
    expect(standIn.callsTo('chat.postMessage')[0]).toMatchObject({ token: BOT_TOKEN, args: { text: 'via json' } });
  });

  it('validates Block Kit and views the way Slack rejects them', async () => {
    const logger = recordingLogger();
    const client = webClient(BOT_TOKEN, { logger });
    const bad = await rejection(client.chat.postMessage({ channel: 'DU0ALICE', text: 'x', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '' } }] }));
    expect(bad.data.error).toBe('invalid_blocks');
    expect(bad.data.errors[0]).toContain('[json-pointer:/blocks/0/text/text]');

    const view = { type: 'modal' as const, callback_id: 'invite', title: { type: 'plain_text' as const, text: 'Invite' }, blocks: [] };
    const opened = await client.views.open({ trigger_id: '1.2.abc', view });
    expect(opened.view).toMatchObject({ type: 'modal', callback_id: 'invite', state: { values: {} } });
    expect(opened.view?.id).toMatch(/^V/);
    // A trigger_id is single-use.
    expect((await rejection(client.views.open({ trigger_id: '1.2.abc', view }))).data.error).toBe('exchanged_trigger_id');
    const updated = await client.views.update({ view_id: opened.view!.id!, view: { ...view, private_metadata: 'p' } });
    expect(updated.view).toMatchObject({ id: opened.view!.id, private_metadata: 'p' });

    const long = { ...view, title: { type: 'plain_text' as const, text: 'A title that is far too long for Slack' } };
    const e = await rejection(client.views.open({ trigger_id: '3.4.def', view: long }));
    expect(e.data.error).toBe('invalid_arguments');
    expect(e.data.response_metadata.messages[0]).toContain('/view/title/text');
    // the client reports each rejection as an error of its own, as it would against Slack
    expect(logger.errors).toEqual([expect.stringContaining('[json-pointer:/blocks/0/text/text]'), expect.stringContaining('/view/title/text')]);
  });

  it('records response_url posts and waitFor explains what it saw on timeout', async () => {
    const url = standIn.responseUrl();
    expect(url).not.toBe(standIn.responseUrl());
    const pending = standIn.waitFor((c) => c.method === 'response_url');
    const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: 'done', replace_original: true }) });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
    expect(await pending).toMatchObject({ method: 'response_url', args: { text: 'done', replace_original: true }, status: 200, url });

    await expect(standIn.waitFor((c) => c.method === 'chat.delete', 50)).rejects.toThrow(/calls seen: response_url\[200\]/);
  });

  it('holds every call unanswered while Slack is silent, then answers as usual', async () => {
    standIn.silentFor(400);
    const t0 = Date.now();
    const answeredAt = (p: Promise<unknown>) => p.then(() => Date.now() - t0);
    const [api, hook] = await Promise.all([
      answeredAt(webClient().users.info({ user: 'U0ALICE' })),
      answeredAt(fetch(standIn.responseUrl(), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: 'late' }) })),
    ]);
    // neither was answered (or recorded) before the silence ended
    expect(api).toBeGreaterThanOrEqual(390);
    expect(hook).toBeGreaterThanOrEqual(390);
    expect(standIn.calls.map((c) => c.method).sort()).toEqual(['response_url', 'users.info']);
    // once it is over, calls are answered at once again
    const t1 = Date.now();
    await webClient().auth.test();
    expect(Date.now() - t1).toBeLessThan(300);
  });
});

describe('Socket Mode stand-in with a real SocketModeClient', () => {
  let client: SocketModeClient | undefined;
  afterEach(async () => {
    // Disconnect before the stand-in closes, or the client schedules a reconnect to a dead server.
    await client?.disconnect();
    client = undefined;
  });

  it('connects via apps.connections.open + hello, delivers an envelope and returns the ack', async () => {
    client = new SocketModeClient({
      appToken: 'xapp-1-test',
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: standIn.apiUrl, retryConfig: { retries: 0 } },
    });
    client.on('slash_commands', ({ ack, body }: { ack: (r?: object) => Promise<void>; body: any }) => {
      void ack({ text: `got ${body.text}` });
    });
    await client.start(); // resolves on the stand-in's hello
    expect(standIn.socket.connections).toBe(1);
    expect(standIn.callsTo('apps.connections.open')[0]).toMatchObject({ token: 'xapp-1-test', status: 200 });

    const ack = await standIn.socket.sendEnvelope('slash_commands', { command: '/atlas', text: 'seats', user_id: 'U0ALICE' });
    expect(ack.envelope_id).toEqual(expect.any(String));
    expect(ack.payload).toEqual({ text: 'got seats' });

    await client.disconnect();
    client = undefined;
    await expect.poll(() => standIn.socket.connections).toBe(0);
  });
});

describe('signed requests', () => {
  it("matches Slack's documented signature example", () => {
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(slackSignature('8f742231b10e8888abcd99yyyzzz85a5', body, 1531420618)).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
  });

  it('slashCommandBody carries every field Slack sends', () => {
    const fields = new URLSearchParams(slashCommandBody({ text: 'invite bob', user_id: 'U0ALICE', response_url: 'http://x/r' }));
    expect([...fields.keys()]).toEqual([
      'token', 'team_id', 'team_domain', 'channel_id', 'channel_name', 'user_id', 'user_name',
      'command', 'text', 'api_app_id', 'is_enterprise_install', 'response_url', 'trigger_id',
    ]);
    expect(fields.get('command')).toBe('/atlas');
    expect(fields.get('text')).toBe('invite bob');
  });

  describe('against a real Bolt HTTP app', () => {
    const secret = 'test-signing-secret';
    let app: App;
    let url: string;

    beforeAll(async () => {
      app = new App({
        token: BOT_TOKEN,
        signingSecret: secret,
        logLevel: LogLevel.ERROR,
        clientOptions: { slackApiUrl: standIn.apiUrl, retryConfig: { retries: 0 } },
      });
      app.command('/atlas', async ({ ack, respond, command }) => {
        await ack(`working on "${command.text}"`);
        await respond({ text: `done: ${command.text}`, response_type: 'ephemeral' });
      });
      app.action('approve', async ({ ack, body, client }) => {
        await ack();
        const b = body as any;
        await client.chat.update({ channel: b.channel.id, ts: b.message.ts, text: `approved ${b.actions[0].value}` });
      });
      app.view('invite', async ({ ack, view }) => {
        const email = view.state.values.email?.value?.value ?? '';
        await ack(email.includes('@') ? undefined : { response_action: 'errors', errors: { email: 'Not an email' } });
      });
      const server = (await app.start(0)) as unknown as { address(): AddressInfo };
      url = `http://127.0.0.1:${server.address().port}/slack/events`;
    });
    afterAll(async () => {
      await app.stop();
    });

    it('handles a signed slash command: HTTP ack body, then respond() to the response_url', async () => {
      const responseUrl = standIn.responseUrl();
      const res = await postSigned(url, secret, slashCommandBody({ text: 'invite bob', user_id: 'U0ALICE', response_url: responseUrl }));
      expect(res.status).toBe(200);
      expect(res.body).toBe('working on "invite bob"');
      const posted = await standIn.waitFor((c) => c.method === 'response_url' && c.url === responseUrl);
      expect(posted.args).toEqual({ text: 'done: invite bob', response_type: 'ephemeral' });
    });

    it('rejects a bad signature and a stale timestamp with 401', async () => {
      const body = slashCommandBody({ text: 'x', user_id: 'U0ALICE', response_url: standIn.responseUrl() });
      expect((await postSigned(url, secret, body, { signature: 'v0=deadbeef' })).status).toBe(401);
      expect((await postSigned(url, secret, body, { timestamp: Math.floor(Date.now() / 1000) - 600 })).status).toBe(401);
      expect((await postSigned(url, 'wrong-secret', body)).status).toBe(401);
    });

    it('handles a block_actions click on a message the bot posted', async () => {
      const posted = await webClient().chat.postMessage({ channel: 'DU0ALICE', text: 'Approve?' });
      const payload = blockActionPayload({
        user_id: 'U0ALICE',
        action_id: 'approve',
        value: 'req-7',
        channel_id: 'DU0ALICE',
        message: standIn.getMessage('DU0ALICE', posted.ts!),
        response_url: standIn.responseUrl(),
      });
      const res = await postSigned(url, secret, interactiveBody(payload));
      expect(res.status).toBe(200);
      const update = await standIn.waitFor((c) => c.method === 'chat.update');
      expect(update).toMatchObject({ status: 200, args: { channel: 'DU0ALICE', ts: posted.ts, text: 'approved req-7' } });
    });

    it('returns view_submission acks (response_action) in the HTTP response', async () => {
      const submit = (value: string) =>
        postSigned(url, secret, interactiveBody(viewSubmissionPayload({ user_id: 'U0ALICE', callback_id: 'invite', values: { email: { value: { type: 'plain_text_input', value } } } })));
      const bad = await submit('not-an-email');
      expect(bad.json).toEqual({ response_action: 'errors', errors: { email: 'Not an email' } });
      const good = await submit('bob@example.org');
      expect(good.status).toBe(200);
      expect(good.body).toBe('');
    });
  });
});
