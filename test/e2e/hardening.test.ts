/**
 * Hardening (issue 16), each against the real bot on its own database (either engine; what is
 * about SQLite's own file is in sqlite-file.test.ts), with signed requests:
 * a replayed request does nothing, a timestamp out of the window either way is refused, and a
 * request acknowledged just before the process was killed is handled after the restart.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { ADMIN, ADMIN_CHANNEL, ALICE, BOB, SECRET, startTestBot, testBotEnv, textOf, type TestBot } from '../support/harness.js';
import { fakeTriggerId, postSigned, slashCommandBody } from '../support/slack-requests.js';
import { STANDIN_TEAM_ID, startSlackStandIn, type SlackStandIn } from '../support/slack-standin.js';
import { dropPgDatabase, freshPgDatabase, onPostgres, TEST_SECRET_KEY } from '../support/postgres.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const MINUTE = 60_000;

let bots: TestBot[] = [];
let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const b of bots.reverse()) await b.close();
  for (const c of cleanup.reverse()) await c();
  bots = [];
  cleanup = [];
});

async function bot(o: Parameters<typeof startTestBot>[0] = {}) {
  const t = await startTestBot(o);
  bots.push(t);
  return t;
}

const signedCommand = (t: TestBot, userId: string, text: string) =>
  slashCommandBody({ text, user_id: userId, team_id: STANDIN_TEAM_ID, response_url: t.slack.responseUrl(), trigger_id: fakeTriggerId() });
const count = (t: TestBot, sql: string) => t.count(sql);

it('the same signed request delivered again does nothing the second time (resend, admin add after admin remove)', async () => {
  const clock = { now: Date.now() };
  const t = await bot({ now: () => clock.now });
  await t.command(ADMIN.id, 'license add "Campus" 5 assigned');
  await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice>`);
  await t.drained();
  clock.now += 2 * MINUTE; // past the resend cooldown
  const url = `${t.bot.url}/slack/events`;
  const ts = Math.floor(Date.now() / 1000);
  const resend = signedCommand(t, ADMIN.id, 'resend 1');
  const resent = () => count(t, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'invitation.resent'");
  expect((await postSigned(url, SECRET, resend, { timestamp: ts })).status).toBe(200);
  // the resend is done after the ack
  await expect.poll(resent).toBe(1);
  await t.drained();
  const replayed = await postSigned(url, SECRET, resend, { timestamp: ts });
  expect(replayed.status).toBe(200);
  expect(replayed.body).toBe('');
  await new Promise((r) => setTimeout(r, 200));
  await t.drained();
  expect(await resent()).toBe(1);
  expect(t.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === `D${ALICE.id}` && /fresh copy/.test(textOf(c.args)))).toHaveLength(1);

  const add = signedCommand(t, ADMIN.id, `admin add <@${BOB.id}|bob>`);
  expect((await postSigned(url, SECRET, add, { timestamp: ts })).status).toBe(200);
  await t.slack.waitFor((c) => c.method === 'response_url' && /Bob Jones is now a license admin|admin/.test(textOf(c.args)));
  await t.command(ADMIN.id, `admin remove <@${BOB.id}|bob>`);
  const admins = () => count(t, "SELECT COUNT(*) AS n FROM admins a JOIN people p ON p.id = a.person_id WHERE p.slack_user_id = 'UBOB'");
  expect(await admins()).toBe(0);
  expect((await postSigned(url, SECRET, add, { timestamp: ts })).body).toBe('');
  await new Promise((r) => setTimeout(r, 200));
  expect(await admins()).toBe(0);
  expect(t.logs.some((l) => /already received was delivered again/.test(l))).toBe(true);
});

it('a request whose timestamp is more than 5 minutes away, in either direction, is refused and does nothing', async () => {
  const t = await bot();
  const url = `${t.bot.url}/slack/events`;
  const now = Math.floor(Date.now() / 1000);
  for (const timestamp of [now + 10 * 60, now + 365 * 24 * 3600, now - 10 * 60, 1e12]) {
    const r = await postSigned(url, SECRET, signedCommand(t, ADMIN.id, `license add "T${timestamp}" 5`), { timestamp });
    expect(r.status, String(timestamp)).toBe(401);
  }
  // a timestamp Slack never sends (`1e12` as written) is no number to trust either
  const odd = await postSigned(url, SECRET, signedCommand(t, ADMIN.id, 'license add "Odd" 5'), { timestamp: '1e12' as unknown as number });
  expect(odd.status).toBe(401);
  expect(await count(t, 'SELECT COUNT(*) AS n FROM licenses')).toBe(0);
  // inside the window it works
  expect((await postSigned(url, SECRET, signedCommand(t, ADMIN.id, 'license add "Now" 5'), { timestamp: now + 60 })).status).toBe(200);
});

/** The bot as `npm start` runs it, in a process of its own, on this Slack and this folder. */
async function startProcess(slack: SlackStandIn, dir: string, database: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/bot/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...testBotEnv(slack, dir), ...database },
  });
  const url = await new Promise<string>((res, rej) => {
    let out = '';
    const seen = (d: Buffer) => {
      out += d.toString();
      const m = /listening on http:\/\/localhost:(\d+)/.exec(out);
      if (m) res(`http://127.0.0.1:${m[1]}`);
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.on('exit', (code) => rej(new Error(`the bot exited (${code}) before it listened: ${out}`)));
  });
  return { child, url };
}

it('a bulk invite acknowledged and then lost to kill -9 is handled after the restart, and the admin hears the result', async () => {
  const slack = await startSlackStandIn();
  cleanup.push(() => slack.close());
  const dir = mkdtempSync(join(tmpdir(), 'atlas-crash-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const people = Array.from({ length: 300 }, (_, i) => ({ id: `UCLASS${i}`, name: `s${i}`, real_name: `Student ${i}`, email: `s${i}@uni.edu` }));
  for (const u of [ADMIN, ALICE, BOB, ...people]) slack.addUser(u);

  // the bot's own database: a file in `dir`, or (the PostgreSQL project) a database on the test server
  const database: Record<string, string> = onPostgres() ? { DATABASE_URL: await freshPgDatabase(), ATLAS_SECRET_KEY: TEST_SECRET_KEY } : {};
  if (database.DATABASE_URL) cleanup.push(() => dropPgDatabase(database.DATABASE_URL!));
  // the killed instance's hold on what it acknowledged lapses after a second (30 s by default)
  const env = { ...database, SLACK_INBOX_LEASE_MS: '1000' };
  const first = await startProcess(slack, dir, env);
  const killed = new Promise((r) => first.child.on('exit', r));
  cleanup.push(() => {
    if (first.child.exitCode === null) first.child.kill('SIGKILL');
  });
  const responseUrl = slack.responseUrl();
  const made = await postSigned(`${first.url}/slack/events`, SECRET, slashCommandBody({ text: 'license add "Campus" 500', user_id: ADMIN.id, team_id: STANDIN_TEAM_ID, response_url: slack.responseUrl(), trigger_id: fakeTriggerId() }));
  expect(made.status).toBe(200);
  await slack.waitFor((c) => c.method === 'response_url' && /Created/.test(textOf(c.args)));
  // Slack is slow to answer the first lookup: the work after the ack is still waiting when the process dies
  slack.failNext('users.info', { hangMs: 5000 });
  const text = `invite-license ${people.map((p) => `<@${p.id}|${p.name}>`).join(' ')}`;
  const acked = await postSigned(`${first.url}/slack/events`, SECRET, slashCommandBody({ text, user_id: ADMIN.id, team_id: STANDIN_TEAM_ID, response_url: responseUrl, trigger_id: fakeTriggerId() }));
  expect(acked.status).toBe(200);
  first.child.kill('SIGKILL');
  await killed;

  // the same database, a new process: the acknowledged request is handled, and answered where Slack asked
  const t = await bot({ slack, dir, env });
  // 300 lookups and invitations: generous for a loaded machine (alone it takes about 5 s)
  const answer = await slack.waitFor((c) => c.method === 'response_url' && c.url === responseUrl, 45_000);
  expect(textOf(answer.args)).toContain('300 invited of 300');
  expect(await count(t, "SELECT COUNT(*) AS n FROM invitations WHERE kind = 'license'")).toBe(300);
  expect(t.logs.some((l) => /handling 1 request\(s\) acknowledged before a restart or by an instance that stopped/.test(l))).toBe(true);
  // and it is marked done once its work finished (nothing is handled a third time)
  await expect.poll(() => count(t, "SELECT COUNT(*) AS n FROM slack_inbox WHERE status = 'received'"), { timeout: 10_000 }).toBe(0);
}, 90_000);

it('input limits: RFC 5321 email lengths, seat counts in plain digits only, and no address with a space in it', async () => {
  const t = await bot();
  for (const seats of ['1e3', '0x10', '0b11', '12.5']) {
    const r = await t.command(ADMIN.id, `license add "Lab ${seats}" ${seats}`);
    expect(textOf(r.reply?.args), seats).toContain('The number of seats must be a whole number, written in digits (like 25).');
  }
  expect(await count(t, 'SELECT COUNT(*) AS n FROM licenses')).toBe(0);
  await t.command(ADMIN.id, 'license add "Campus" 25');
  const long = await t.command(ADMIN.id, `invite-license ${'a'.repeat(65)}@uni.edu ${'b'.repeat(64)}@${'c'.repeat(186)}.edu`);
  expect(textOf(long.reply?.args)).toContain('is not a valid email address');
  const spaced = await t.command(ADMIN.id, 'invite-license alice smith@uni.edu');
  expect(textOf(spaced.reply?.args)).toContain('"alice smith@uni.edu" has a space in it, and an email address has none');
  expect(await count(t, 'SELECT COUNT(*) AS n FROM invitations')).toBe(0);
  // at the limits exactly, an address is fine
  const fine = await t.command(ADMIN.id, `invite-license ${'a'.repeat(64)}@uni.edu`);
  expect(textOf(fine.reply?.args)).toContain('1 of 1 invited');
});

it('error answers are short, with a request id and no stack or path; a cross-site post to an invitation page is refused', async () => {
  const t = await bot();
  await t.command(ADMIN.id, 'license add "Campus" 5 assigned');
  await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice>`);
  await t.drained();
  const token = /\/invite\/([A-Za-z0-9_-]{43})/.exec(textOf(t.slack.callsTo('chat.postMessage').find((c) => c.args.channel === `D${ALICE.id}`)!.args))![1]!;
  const answers = [
    await fetch(`${t.bot.url}/invite/%E0%A4%A`),
    await fetch(`${t.bot.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ x: 'a'.repeat(2_000_000) }) }),
    await fetch(`${t.bot.url}/nowhere`),
  ];
  for (const r of answers) {
    const body = await r.text();
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.headers.get('content-type')).toContain('application/json');
    expect(body).not.toMatch(/node_modules|\bat \S+:\d+|<html|Error:/);
    expect(r.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}$/);
  }
  const badUri = await fetch(`${t.bot.url}/invite/%E0%A4%A`);
  expect(await badUri.json()).toEqual({ ok: false, error: 'bad_request', message: 'The address is not valid.', requestId: badUri.headers.get('x-request-id') });

  // another site's form, posting to Alice's page: refused, and Alice gets nothing
  const before = t.slack.callsTo('chat.postMessage').length;
  const crossSite: Record<string, string>[] = [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }, { origin: 'null' }, { 'sec-fetch-site': 'same-site', origin: 'https://x.bot.example.edu' }];
  for (const headers of crossSite) {
    const r = await fetch(`${t.bot.url}/invite/${token}/accept`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: '' });
    expect(r.status, JSON.stringify(headers)).toBe(403);
  }
  await t.drained();
  expect(t.slack.callsTo('chat.postMessage').length).toBe(before);
  // the page itself may (same origin as the bot's public address)
  const own = await fetch(`${t.bot.url}/invite/${token}/accept`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://bot.example.edu', 'sec-fetch-site': 'same-origin' }, body: '' });
  expect(own.status).toBe(200);
  await t.drained();
  expect(t.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === `D${ALICE.id}` && /was just opened/.test(textOf(c.args)))).toHaveLength(1);
});

it('a post Slack answers only after the client gave up is looked for, not posted again, for as long as Slack may still apply it', async () => {
  const t = await bot({ env: { SLACK_DELIVERY_TIMEOUT_MS: '300', SLACK_IN_FLIGHT_MS: '4000' } });
  await t.command(ADMIN.id, 'license add "Campus" 5 assigned');
  await t.drained();
  // Slack takes 2 s to apply the DM: the bot's call times out at 0.3 s, and its first look (about 1.3 s later) finds nothing yet
  t.slack.failNext('chat.postMessage', { hangMs: 2000 });
  const start = Date.now();
  await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice>`);
  const settled = async () => (await count(t, "SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'")) === 0;
  await expect.poll(settled, { timeout: 15_000, interval: 100 }).toBe(true);
  // and until the slow post has surely landed
  await new Promise((r) => setTimeout(r, Math.max(0, start + 3000 - Date.now())));
  const dms = t.slack.messagesIn(`D${ALICE.id}`).filter((m) => /invited you to an ATLAS\.ti license seat/.test(textOf(m)));
  expect(dms).toHaveLength(1);
  // the admins' post too: whichever of the two Slack was slow with, once
  expect(t.slack.messagesIn(ADMIN_CHANNEL).filter((m) => /invited \*?Alice Smith/.test(textOf(m)))).toHaveLength(1);
  // the slow one was looked for, more than once, before it was found
  expect(t.slack.callsTo('conversations.history').length).toBeGreaterThanOrEqual(2);
  const sent = await t.query<{ payload: string }>("SELECT payload FROM outbox WHERE status = 'sent'");
  expect(sent.filter((r) => (JSON.parse(r.payload) as { type: string }).type === 'license_invitation')).toHaveLength(1);
}, 30_000);

it('deceptive text: bidi controls and zero-width characters never reach a message or the page, formatting characters show as written, and a look-alike email is flagged', async () => {
  const t = await bot();
  const eve = { id: 'UEVE', name: 'eve', real_name: 'Eve\u202Egnp.exe *Boss* \u200Bx', email: '\u0430lice.smith@uni.edu' };
  t.slack.addUser(eve);
  await t.command(ADMIN.id, 'license add "Campus" 5 assigned');
  await t.command(ALICE.id, 'status'); // Alice is known, with her real email
  await t.command(ADMIN.id, `invite-license <@${eve.id}|eve>`);
  await t.drained();
  const post = t.slack.callsTo('chat.postMessage').find((c) => c.args.channel === ADMIN_CHANNEL && /^created/.test(textOf(c.args)))!;
  const words = textOf(post.args);
  expect(words).not.toMatch(/[\u202A-\u202E\u2066-\u2069\uFEFF]/);
  expect(words).toContain('Evegnp.exe');
  // the name's asterisks are text, not bold: an invisible break keeps mrkdwn from opening bold there
  expect(words).toContain('\u200B*Boss*');
  expect(words).not.toMatch(/ \*Boss\*/);
  // the look-alike email is flagged to the admins
  expect(words).toContain('has letters from another alphabet that look like Latin ones');
  // the invitation page shows no bidi control either
  const dm = t.slack.callsTo('chat.postMessage').find((c) => c.args.channel === `D${eve.id}`)!;
  const token = /\/invite\/([A-Za-z0-9_-]{43})/.exec(textOf(dm.args))![1]!;
  expect(await (await fetch(`${t.bot.url}/invite/${token}`)).text()).not.toMatch(/[\u202A-\u202E\u200B-\u200F]/);
  // typed, the same look-alike is a question before anything is sent
  const typed = await t.command(ADMIN.id, 'invite-license \u0430lice.smith@uni.edu');
  expect(textOf(typed.reply?.args)).toContain('has letters from another alphabet that look like Latin ones, so it is not the address it seems');
  expect(await count(t, 'SELECT COUNT(*) AS n FROM invitations')).toBe(1);
});

it('an event delivered again with another Content-Type (which is not signed), or retried by Slack under a new signature, does nothing', async () => {
  const t = await bot();
  const url = `${t.bot.url}/slack/events`;
  const event = JSON.stringify({
    token: 'x', team_id: STANDIN_TEAM_ID, api_app_id: 'A0STANDIN', type: 'event_callback', event_id: 'EvREPLAY1', event_time: Math.floor(Date.now() / 1000),
    event: { type: 'app_home_opened', user: ALICE.id, channel: `D${ALICE.id}`, tab: 'home', event_ts: '1.2' },
  });
  const ts = Math.floor(Date.now() / 1000);
  expect((await postSigned(url, SECRET, event, { timestamp: ts })).status).toBe(200);
  await t.slack.waitFor((c) => c.method === 'views.publish' && c.args.user_id === ALICE.id);
  // the same bytes and signature, labelled text/plain: still the same request
  expect((await postSigned(url, SECRET, event, { timestamp: ts, contentType: 'text/plain' })).body).toBe('');
  // Slack's own retry of the event: signed anew, the same event id
  expect((await postSigned(url, SECRET, event, { timestamp: ts + 1 })).body).toBe('');
  await new Promise((r) => setTimeout(r, 300));
  expect(t.slack.callsTo('views.publish').filter((c) => c.args.user_id === ALICE.id)).toHaveLength(1);
});
