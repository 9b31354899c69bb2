/**
 * The Slack inbox's guard (src/bot/slack/inbox.ts) in front of a stand-in for Bolt: a request
 * replayed many times at once is acted on once, and an ack waits for its "acknowledged" mark at
 * most ACK_MARK_WAIT_MS, its timer gone once the answer is out.
 */
import express from 'express';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { openEngine, type Engine } from '../../src/db/engine.js';
import { slackInbox$ } from '../../src/bot/slack/inbox.js';
import { postSigned, slashCommandBody } from '../support/slack-requests.js';

const SECRET = 'inbox-test-signing-secret';
const secrets = { seal: (s: string) => s, open: (s: string) => s };
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

/** The guard, and behind it a listener that answers at once and counts what it was given. */
async function guarded(wrap: (e: Engine) => Engine = (e) => e) {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-inbox-'));
  const engine = await openEngine(`file:${join(dir, 'bot.sqlite')}`, { secrets });
  cleanup.push(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const inbox = slackInbox$({ engine: wrap(engine), secrets, signingSecret: SECRET, logger: quiet });
  cleanup.push(() => inbox.release());
  const handled: number[] = [];
  const app = express();
  app.post('/slack/events', inbox.guard, (req, res) => {
    const id = (req as { atlasInboxId?: number }).atlasInboxId!;
    handled.push(id);
    res.status(200).json({ text: 'handled' });
    inbox.done(id);
  });
  const server = app.listen(0);
  await new Promise<void>((r) => server.once('listening', () => r()));
  cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
  return { engine, handled, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events` };
}

const command = (text: string) => slashCommandBody({ text, user_id: 'UADMIN', response_url: 'https://hooks.slack.com/commands/T1/1/x' });

it('the same signed request delivered many times at once is acted on once', async () => {
  const { engine, handled, url } = await guarded();
  const body = command('license add "Campus" 5');
  const timestamp = Math.floor(Date.now() / 1000);
  const answers = await Promise.all(Array.from({ length: 25 }, () => postSigned(url, SECRET, body, { timestamp })));
  expect(answers.map((a) => a.status)).toEqual(Array(25).fill(200));
  expect(answers.filter((a) => a.json?.text === 'handled')).toHaveLength(1);
  expect(handled).toHaveLength(1);
  // and different requests at once are each taken
  const others = await Promise.all(Array.from({ length: 25 }, (_, i) => postSigned(url, SECRET, command(`help ${i}`))));
  expect(others.every((a) => a.json?.text === 'handled')).toBe(true);
  expect(new Set(handled).size).toBe(26);
  await expect.poll(async () => (await engine.sql.rows<{ n: number }>((await import('drizzle-orm')).sql`SELECT COUNT(*) AS n FROM slack_inbox WHERE status = 'done'`))[0]!.n).toBe(26);
});

it('once the answer is out, its ack timer is cleared (nothing holds the response for 500 ms)', async () => {
  const { url } = await guarded();
  const set = vi.spyOn(globalThis, 'setTimeout');
  const clear = vi.spyOn(globalThis, 'clearTimeout');
  const started = Date.now();
  const answer = await postSigned(url, SECRET, command('help'));
  expect(answer.json?.text).toBe('handled');
  expect(Date.now() - started).toBeLessThan(400);
  const ackTimers = set.mock.results.filter((_, i) => set.mock.calls[i]![1] === 500).map((r) => r.value as NodeJS.Timeout);
  expect(ackTimers).toHaveLength(1);
  expect(clear).toHaveBeenCalledWith(ackTimers[0]);
});

it('an "acknowledged" mark that does not come: the ack goes out after 500 ms all the same', async () => {
  const { handled, url } = await guarded((e) => ({ ...e, inbox: { ...e.inbox, acked: () => new Promise<void>(() => undefined) } }));
  const started = Date.now();
  const answer = await postSigned(url, SECRET, command('help'));
  expect(answer.status).toBe(200);
  expect(answer.json?.text).toBe('handled');
  expect(Date.now() - started).toBeGreaterThanOrEqual(450);
  expect(handled).toHaveLength(1);
});
