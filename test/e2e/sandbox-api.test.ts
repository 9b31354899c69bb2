/**
 * The sandbox's JSON API, driven as the page drives it: the real bot behind it answers signed
 * requests and talks to the in-memory Slack, and each person sees only their own conversations.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/bot/config.js';
import { createLogger } from '../../src/bot/logger.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/server.js';

let sandbox: RunningSandbox;
let dir: string;
let base: string;
/** what the sandbox and its bot logged as errors */
const errors: string[] = [];

interface Message { ts: string; user: string; text: string; blocks?: any[]; ephemeral?: boolean }
interface State { version: number; now: number; offsetMs: number; me: string; conversations: { id: string; name: string; messages: Message[] }[]; modal: { id: string; view: any; errors: Record<string, string> } | null; home: any }

const api = async (name: string, body: unknown): Promise<{ status: number; json: any }> => {
  const res = await fetch(`${base}/sandbox/api/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
};
const state = async (as: string): Promise<State> => (await fetch(`${base}/sandbox/api/state?as=${as}`)).json() as Promise<State>;
const messagesOf = (s: State, conversation: string) => s.conversations.find((c) => c.id === conversation)?.messages ?? [];

/** Polls what `as` sees until `pick` finds something (the bot delivers through its outbox, after the ack). */
async function eventually<T>(as: string, pick: (s: State) => T | undefined, what: string, timeoutMs = 8000): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const found = pick(await state(as));
    if (found !== undefined && found !== null && found !== false) return found;
    if (Date.now() > end) throw new Error(`sandbox: ${what} did not appear within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const buttonIn = (m: Message | undefined, text: RegExp) =>
  m?.blocks?.flatMap((b: any) => [...(b.elements ?? []), ...(b.accessory ? [b.accessory] : [])].map((e: any) => ({ ...e, block_id: b.block_id }))).find((e: any) => e.type === 'button' && text.test(e.text?.text ?? ''));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-sandbox-'));
  const config = loadConfig({ PORT: '0', DATABASE_URL: `file:${join(dir, 'unused.sqlite')}`, LOG_LEVEL: 'error' });
  sandbox = await startSandbox(config, { logger: createLogger('error', (line) => errors.push(line)), sandboxDatabaseUrl: `file:${join(dir, 'sandbox.sqlite')}` });
  base = `http://localhost:${sandbox.port}`;
});

afterAll(async () => {
  await sandbox?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the sandbox', () => {
  it('serves its page, and passes the bot its own paths', async () => {
    const page = await fetch(`${base}/sandbox`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('sandbox.js');
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ ok: true });
    // an unsigned request to the bot's Slack endpoint is refused by the bot itself
    expect((await fetch(`${base}/slack/events`, { method: 'POST', body: 'x' })).status).toBe(401);
  });

  it('an admin creates a license and invites Alice; Alice sees the invitation in her DM and accepts it', async () => {
    expect((await api('command', { as: 'U0ADA', channel: 'DU0ADA', text: 'license add "Campus" 10 assigned' })).json).toEqual({ ok: true });
    await eventually('U0ADA', (s) => messagesOf(s, 'DU0ADA').find((m) => m.ephemeral && /Campus/.test(m.text) && m.user === 'U0BOT'), 'the license confirmation');

    expect((await api('command', { as: 'U0ADA', channel: 'DU0ADA', text: 'invite-license @alice' })).json.ok).toBe(true);
    const invitation = await eventually('U0ALICE', (s) => messagesOf(s, 'DU0ALICE').find((m) => /license seat/.test(m.text)), "Alice's invitation");
    // Alice sees it; Bob does not, and Alice does not see the admin channel
    expect(messagesOf(await state('U0BOB'), 'DU0BOB')).toEqual([]);
    expect((await state('U0ALICE')).conversations.map((c) => c.id)).not.toContain('C0ADMINS');
    await eventually('U0ADA', (s) => messagesOf(s, 'C0ADMINS').find((m) => /Alice Martin/.test(m.text)), 'the admin channel post');

    const accept = buttonIn(invitation, /Accept/);
    expect(accept).toBeDefined();
    const click = await api('action', { as: 'U0ALICE', container: { type: 'message', channel: 'DU0ALICE', ts: invitation.ts }, action: { type: 'button', action_id: accept.action_id, block_id: accept.block_id, value: accept.value, text: accept.text } });
    expect(click.json).toEqual({ ok: true });
    await eventually('U0ALICE', (s) => messagesOf(s, 'DU0ALICE').some((m) => /You accepted a seat in Campus; an admin still has to add you/.test(m.text)), 'the accepted state');
  });

  it('someone else cannot click Alice’s button: the conversation is not theirs', async () => {
    const invitation = messagesOf(await state('U0ALICE'), 'DU0ALICE')[0]!;
    const r = await api('action', { as: 'U0BOB', container: { type: 'message', channel: 'DU0ALICE', ts: invitation.ts }, action: { type: 'button', action_id: 'x' } });
    expect(r.status).toBe(409);
    expect(r.json.error).toMatch(/not in that conversation/);
  });

  it('a project is shared through the modal: field errors come back into the form, a valid form goes through', async () => {
    await api('command', { as: 'U0ALICE', channel: 'DU0ALICE', text: 'share-project' });
    const modal = await eventually('U0ALICE', (s) => s.modal, 'the share modal');
    expect(modal.view.title.text).toBe('Share a project');
    // a modal is the person's own: Bob sees none
    expect((await state('U0BOB')).modal).toBeNull();

    const bad = await api('submit', { as: 'U0ALICE', viewId: modal.id, values: { project_new: { project_name: { type: 'plain_text_input', value: 'Interview study' } }, emails: { emails_input: { type: 'plain_text_input', value: 'not-an-email' } } } });
    expect(bad.json.ok).toBe(false);
    expect(Object.values(bad.json.errors).join(' ')).toMatch(/email/i);
    expect((await state('U0ALICE')).modal?.errors).toEqual(bad.json.errors);

    const good = await api('submit', {
      as: 'U0ALICE',
      viewId: modal.id,
      values: {
        project_new: { project_name: { type: 'plain_text_input', value: 'Interview study' } },
        edition: { edition_choice: { type: 'radio_buttons', selected_option: { text: { type: 'plain_text', text: 'Web' }, value: 'web' } } },
        users: { users_select: { type: 'multi_users_select', selected_users: ['U0ADA'] } },
      },
    });
    expect(good.json.ok).toBe(true);
    // the form turns into its result in place (views.update): Ada holds no seat yet, so the invitation waits for one
    const result = await eventually('U0ALICE', (s) => (JSON.stringify(s.modal?.view.blocks ?? []).includes('holds no seat') ? s.modal : undefined), 'the result in the form');
    expect(result.id).toBe(modal.id);
    await eventually('U0ALICE', (s) => messagesOf(s, 'DU0ALICE').find((m) => buttonIn(m, /Ask an admin/)), 'the button to ask an admin for a seat');
  });

  it('fast-forward moves the bot clock and runs the jobs: a pending invitation is reminded', async () => {
    await api('command', { as: 'U0ADA', channel: 'DU0ADA', text: 'invite-license @bob' });
    await eventually('U0BOB', (s) => messagesOf(s, 'DU0BOB').find((m) => /license seat/.test(m.text)), "Bob's invitation");
    const before = (await state('U0BOB')).now;
    const r = await api('clock', { advanceMs: 3 * 86_400_000 + 3_600_000 });
    expect(r.json.ok).toBe(true);
    expect(r.json.now - before).toBeGreaterThanOrEqual(3 * 86_400_000);
    expect((await state('U0BOB')).offsetMs).toBe(3 * 86_400_000 + 3_600_000);
    await eventually('U0BOB', (s) => messagesOf(s, 'DU0BOB').find((m) => /^Reminder: Ada Lovelace invited you/.test(m.text)), "Bob's reminder");
  });

  it('a CSV uploaded for a file input is served to the bot token only', async () => {
    const r = await api('upload', { as: 'U0ADA', name: 'class.csv', content: 'email\nx@uni.example\n' });
    expect(r.json.file.name).toBe('class.csv');
    expect((await fetch(r.json.file.url_private_download)).status).not.toBe(200);
    const withToken = await fetch(r.json.file.url_private_download, { headers: { authorization: 'Bearer xoxb-sandbox' } });
    expect(await withToken.text()).toContain('x@uni.example');
  });

  it('the person outside the workspace sees nothing until they join; bad input gets a clear answer', async () => {
    expect((await state('U0DANA')).conversations).toEqual([]);
    const before = await api('command', { as: 'U0DANA', channel: 'DU0DANA', text: 'status' });
    expect(before.json.error).toMatch(/not in the workspace yet/);
    // invited by email while outside: Ada gets her link to forward
    await api('command', { as: 'U0ADA', channel: 'DU0ADA', text: 'invite-license dana@partner.example' });
    const forward = await eventually('U0ADA', (s) => messagesOf(s, 'DU0ADA').find((m) => /dana@partner\.example/.test(m.text) && /http:\/\/localhost:\d+\/invite\//.test(JSON.stringify(m.blocks))), 'the link to forward');
    const link = /(http:\/\/localhost:\d+\/invite\/[A-Za-z0-9_-]+)/.exec(JSON.stringify(forward.blocks))![1]!.replace('localhost', '127.0.0.1');

    await api('join', { as: 'U0DANA' });
    expect((await state('U0DANA')).conversations.map((c) => c.id)).toEqual(['C0GENERAL', 'DU0DANA']);
    // having joined with that email, Dana opens the forwarded link: the confirmation reaches her own DM
    expect((await fetch(link)).status).toBe(200);
    expect((await fetch(`${link}/accept`, { method: 'POST' })).status).toBeLessThan(400);
    await eventually('U0DANA', (s) => messagesOf(s, 'DU0DANA').find((m) => /Confirm here that it was you/.test(m.text)), "Dana's confirmation");

    const malformed = await api('clock', { advanceMs: 'soon' });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error).toMatch(/advanceMs/);
  });

  it('the answer to a question in an ephemeral reply replaces that reply, buttons and all', async () => {
    await api('command', { as: 'U0ADA', channel: 'DU0ADA', text: 'license add "Tiny" 1 assigned' });
    await eventually('U0ADA', (s) => messagesOf(s, 'DU0ADA').find((m) => m.user === 'U0BOT' && /Tiny/.test(m.text)), 'the Tiny license');
    await api('command', { as: 'U0ADA', channel: 'DU0ADA', text: 'invite-license @chen @bob to "Tiny"' });
    const question = await eventually('U0ADA', (s) => messagesOf(s, 'DU0ADA').find((m) => m.ephemeral && buttonIn(m, /^Cancel$/)), 'the capacity question');
    const cancel = buttonIn(question, /^Cancel$/);
    expect((await api('action', { as: 'U0ADA', container: { type: 'message', channel: 'DU0ADA', ts: question.ts }, action: { type: 'button', action_id: cancel.action_id, block_id: cancel.block_id, value: cancel.value } })).json.ok).toBe(true);
    const replaced = await eventually('U0ADA', (s) => messagesOf(s, 'DU0ADA').find((m) => m.ts === question.ts && /Cancelled/.test(m.text)), 'the replaced question');
    expect(buttonIn(replaced, /.*/)).toBeUndefined();
    // no two messages share a timestamp (a click names its message by it)
    const all = (await state('U0ADA')).conversations.flatMap((c) => c.messages.map((m) => m.ts));
    expect(new Set(all).size).toBe(all.length);
  });

  it('takes only JSON, answers unknown requests plainly, and keeps the app’s Messages tab read-only', async () => {
    const text = await fetch(`${base}/sandbox/api/reset`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
    expect(text.status).toBe(415);
    expect((await state('U0ADA')).conversations.some((c) => c.messages.length > 0)).toBe(true); // nothing was wiped
    const unknown = await fetch(`${base}/sandbox/api/nothing-here`);
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error).toMatch(/no such sandbox request/);
    const dm = await api('message', { as: 'U0ADA', channel: 'DU0ADA', text: 'hello bot' });
    expect(dm.status).toBe(409);
    expect(dm.json.error).toMatch(/read-only.*\/atlas help/);
    expect((await api('message', { as: 'U0ADA', channel: 'C0GENERAL', text: 'hello everyone' })).json.ok).toBe(true);
    expect(messagesOf(await state('U0BOB'), 'C0GENERAL').map((m) => m.text)).toContain('hello everyone');
  });

  it('start over while commands are still arriving: each gets an answer, and nothing of before is left', async () => {
    const commands = ['licenses', 'pending', 'status'].map((text) => api('command', { as: 'U0ADA', channel: 'DU0ADA', text }));
    const reset = api('reset', {});
    const answers = await Promise.all([...commands, reset]);
    for (const a of answers) expect(a.json.ok === true || /starting over|did not answer|restarting/.test(a.json.error)).toBe(true);
    expect((await reset).json.ok).toBe(true);
    // the old bot finished its work against the old Slack before it went: no failure was logged
    expect(errors).toEqual([]);
    const after = await state('U0ADA');
    expect(after.conversations.every((c) => c.messages.length === 0)).toBe(true);
  });

  it('start over: a fresh database, an empty workspace and the real time again', async () => {
    expect((await api('reset', {})).json.ok).toBe(true);
    const s = await state('U0ADA');
    expect(s.offsetMs).toBe(0);
    expect(s.conversations.every((c) => c.messages.length === 0)).toBe(true);
    await api('command', { as: 'U0ADA', channel: 'DU0ADA', text: 'licenses' });
    await eventually('U0ADA', (st) => messagesOf(st, 'DU0ADA').find((m) => m.user === 'U0BOT' && /no license|license add/i.test(m.text)), 'the empty license list');
  });
});
