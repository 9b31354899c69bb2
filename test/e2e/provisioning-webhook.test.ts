/** The provisioning webhook: signed events through the outbox, retried with one delivery id, one effect. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ADMIN, ADMIN_CHANNEL, ALICE, buttonsOf, startTestBot, textOf, type TestBot } from '../support/harness.js';

const SECRET = 'webhook-secret-for-tests-0123456789';

interface Received {
  status: number;
  delivery: string;
  valid: boolean;
  event: { type: string; email: string | null; license?: { name: string }; deliveryId: string; seatId?: number };
}

let receiver: Server;
let received: Received[];
let failuresLeft: number;
let refuse: boolean;
let t: TestBot;

/** A receiver that checks the signature as the README shows, and fails the first attempts of each event. */
beforeEach(async () => {
  received = [];
  failuresLeft = 2;
  refuse = false;
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const timestamp = String(req.headers['x-atlas-timestamp'] ?? '');
      const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${raw}`).digest('hex')}`);
      const given = Buffer.from(String(req.headers['x-atlas-signature'] ?? ''));
      const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
      const valid = fresh && given.length === expected.length && timingSafeEqual(given, expected);
      const status = !valid ? 401 : refuse ? 422 : failuresLeft-- > 0 ? 503 : 200;
      received.push({ status, delivery: String(req.headers['x-atlas-delivery']), valid, event: JSON.parse(raw) });
      res.writeHead(status, status === 503 ? { 'retry-after': '0' } : {}).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/atlas`;
  t = await startTestBot({ env: { PROVISIONING_WEBHOOK_URL: url, PROVISIONING_WEBHOOK_SECRET: SECRET } });
});
afterEach(async () => {
  await t.close();
  await new Promise((r) => receiver.close(r));
});

it('a seat granted is POSTed signed, retried with the same delivery id after two failures, handed over once; a release follows', async () => {
  await t.command(ADMIN.id, 'license add "Campus" 50');
  await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice>`);
  await t.drained();
  expect(received).toEqual([]);
  const dm = t.slack.callsTo('chat.postMessage').find((c) => c.args.channel === `D${ALICE.id}`)!;
  const accept = buttonsOf(dm.args).find((b) => b.action_id === 'invitation_accept')!;
  const accepted = await t.click(ALICE.id, accept.action_id, accept.value, { channel_id: `D${ALICE.id}`, message_ts: dm.args.ts });
  expect(textOf(accepted.reply?.args)).toContain("passed to your organisation's license system");
  expect(textOf(accepted.reply?.args)).not.toMatch(/is ready/);

  const ready = await t.slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === `D${ALICE.id}` && /seat is ready/.test(textOf(c.args)), 10_000);
  expect(textOf(ready.args)).toContain("Your organisation's license system added `Alice.Smith@uni.edu` to *Campus*");
  await t.drained();

  // three attempts of one event, each validly signed, the same delivery id; only the last answered 200
  expect(received.map((r) => [r.status, r.valid])).toEqual([[503, true], [503, true], [200, true]]);
  expect(new Set(received.map((r) => r.delivery)).size).toBe(1);
  expect(received[0]!.delivery).toBe(received[0]!.event.deliveryId);
  expect(received[2]!.event).toMatchObject({ type: 'seat.granted', email: 'Alice.Smith@uni.edu', license: { name: 'Campus' } });
  // one effect: one "ready" message, no admin to-do
  expect(t.slack.calls.filter((c) => c.args.channel === `D${ALICE.id}` && /seat is ready/.test(textOf(c.args)))).toHaveLength(1);
  const adminButtons = t.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === ADMIN_CHANNEL).flatMap((c) => buttonsOf(c.args));
  expect(adminButtons.filter((b) => b.action_id === 'seat_handoff_done')).toEqual([]);

  failuresLeft = 0;
  const asked = await t.command(ADMIN.id, `seat release <@${ALICE.id}|alice>`);
  await t.click(ADMIN.id, 'seat_release', buttonsOf(asked.reply?.args)[0]!.value);
  await t.drained();
  expect(received.at(-1)).toMatchObject({ status: 200, valid: true, event: { type: 'seat.released', email: 'Alice.Smith@uni.edu', seatId: received[2]!.event.seatId } });
  expect(received.at(-1)!.delivery).not.toBe(received[2]!.delivery);
});

it('an event the receiver refuses for good is not lost: the admins are told, and the seat becomes a to-do with Done', async () => {
  refuse = true;
  await t.command(ADMIN.id, 'license add "Campus" 50');
  await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice>`);
  await t.drained();
  const dm = t.slack.callsTo('chat.postMessage').find((c) => c.args.channel === `D${ALICE.id}`)!;
  const accept = buttonsOf(dm.args).find((b) => b.action_id === 'invitation_accept')!;
  await t.click(ALICE.id, accept.action_id, accept.value, { channel_id: `D${ALICE.id}`, message_ts: dm.args.ts });
  const notice = await t.slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === ADMIN_CHANNEL && /provisioning webhook did not take/.test(textOf(c.args)), 10_000);
  expect(textOf(notice.args)).toContain('seat.granted for Alice.Smith@uni.edu (webhook answered 422)');
  expect(textOf(notice.args)).toContain('press Done on the to-do in the digest');
  expect(received).toHaveLength(1);
  const pending = await t.command(ADMIN.id, 'pending');
  expect(textOf(pending.reply?.args)).toContain('*To do: add 1 person to Campus in the ATLAS.ti account portal.*');
  expect(buttonsOf(pending.reply?.args).some((b) => b.action_id === 'seat_handoff_done_all')).toBe(true);
});
