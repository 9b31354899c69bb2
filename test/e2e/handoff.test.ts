/** Accept → the admin's to-do → Done → "your seat is ready" → I'm in, through signed Slack requests. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ADMIN, ADMIN_CHANNEL, ALICE, BOB, MALLORY, buttonsOf, startTestBot, textOf, type TestBot } from '../support/harness.js';

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot();
});
afterEach(async () => {
  await t.close();
});

it('nobody hears "ready" until an admin added them in the portal and pressed Done; a stranger cannot press it', async () => {
  await t.command(ADMIN.id, 'license add "Campus" 50');
  await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice>`);
  await t.drained();
  const dm = t.slack.callsTo('chat.postMessage').find((c) => c.args.channel === `D${ALICE.id}`)!;
  const accept = buttonsOf(dm.args).find((b) => b.action_id === 'invitation_accept')!;
  const accepted = await t.click(ALICE.id, accept.action_id, accept.value, { channel_id: `D${ALICE.id}`, message_ts: dm.args.ts });
  const answer = textOf(accepted.reply?.args);
  expect(answer).toContain('Accepted: an admin is adding you');
  expect(answer).toContain('ATLAS.ti does not know about it yet');
  expect(answer).not.toMatch(/is ready|start working/);
  await t.drained();

  // the admin channel's post is a to-do with the exact email and a Done button
  const todo = await t.slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === ADMIN_CHANNEL && /accepted a seat/.test(textOf(c.args)));
  expect(textOf(todo.args)).toContain(':white_check_mark: *Alice Smith* accepted a seat in *Campus*.\n:clipboard: *To do:* add `Alice.Smith@uni.edu` to *Campus* in the ATLAS.ti account portal');
  const done = buttonsOf(todo.args).find((b) => b.action_id === 'seat_handoff_done')!;
  expect(done).toBeDefined();

  const stranger = await t.click(MALLORY.id, done.action_id, done.value, { channel_id: ADMIN_CHANNEL, message_ts: todo.args.ts });
  expect(textOf(stranger.reply?.args)).toMatch(/Only license admins/);
  expect(stranger.reply?.args.replace_original).not.toBe(true);
  await t.drained();
  expect(t.slack.calls.filter((c) => c.args.channel === `D${ALICE.id}` && /is ready/.test(textOf(c.args)))).toHaveLength(0);

  const pressed = await t.click(ADMIN.id, done.action_id, done.value, { channel_id: ADMIN_CHANNEL, message_ts: todo.args.ts });
  expect(pressed.reply?.args.replace_original).toBe(true);
  expect(textOf(pressed.reply?.args)).toContain('*Ada Admin* added *Alice Smith* (`Alice.Smith@uni.edu`) to *Campus* in the ATLAS.ti account portal');
  expect(buttonsOf(pressed.reply?.args)).toEqual([]);
  await t.drained();

  // news for Alice: one new message says it, with I'm in; her first message points to it, with no button left
  const ready = await t.slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === `D${ALICE.id}` && /seat is ready/.test(textOf(c.args)));
  expect(textOf(ready.args)).toContain('Sign in to ATLAS.ti with exactly that email');
  const first = await t.slack.waitFor((c) => c.method === 'chat.update' && c.args.channel === `D${ALICE.id}` && /newest message about it/.test(textOf(c.args)));
  expect(buttonsOf(first.args)).toEqual([]);
  expect(t.slack.calls.filter((c) => c.args.channel === `D${ALICE.id}` && /is ready/.test(textOf(c.args)))).toHaveLength(1);
  // and the admins' to-do says it is done, with no Done left
  const todoNow = await t.slack.waitFor((c) => c.method === 'chat.update' && c.args.channel === ADMIN_CHANNEL && /accepted a seat/.test(textOf(c.args)) && /Done: added in the portal/.test(textOf(c.args)));
  expect(buttonsOf(todoNow.args)).toEqual([]);
  const imIn = buttonsOf(ready.args).find((b) => b.action_id === 'seat_joined')!;
  expect((await t.click(MALLORY.id, imIn.action_id, imIn.value, { channel_id: `D${MALLORY.id}` })).reply?.args.replace_original).not.toBe(true);
  const joined = await t.click(ALICE.id, imIn.action_id, imIn.value, { channel_id: `D${ALICE.id}`, message_ts: ready.args.ts });
  expect(joined.reply?.args.replace_original).toBe(true);
  expect(textOf(joined.reply?.args)).toContain("You're in");
  expect(buttonsOf(joined.reply?.args)).toEqual([]);

  // pressing the old Done again says it is done already, and tells Alice nothing new
  await t.drained();
  const updatesBefore = t.slack.callsTo('chat.update').length;
  const again = await t.click(ADMIN.id, done.action_id, done.value, { channel_id: ADMIN_CHANNEL, message_ts: todo.args.ts });
  expect(textOf(again.reply?.args)).toContain('was already added to *Campus* (by Ada Admin)');
  await t.drained();
  expect(t.slack.callsTo('chat.update').length).toBe(updatesBefore);
});

it('the digest groups the to-dos left undone per license, with the exact emails to copy and one Done for all', async () => {
  await t.command(ADMIN.id, 'license add "Campus" 50');
  await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice> <@${BOB.id}|bob>`);
  await t.drained();
  for (const person of [ALICE, BOB]) {
    const dm = t.slack.callsTo('chat.postMessage').find((c) => c.args.channel === `D${person.id}` && buttonsOf(c.args).some((b) => b.action_id === 'invitation_accept'))!;
    const accept = buttonsOf(dm.args).find((b) => b.action_id === 'invitation_accept')!;
    await t.click(person.id, accept.action_id, accept.value, { channel_id: `D${person.id}`, message_ts: dm.args.ts });
  }
  await t.drained();
  const pending = await t.command(ADMIN.id, 'pending');
  const words = textOf(pending.reply?.args);
  expect(words).toContain('*To do: add 2 people to Campus in the ATLAS.ti account portal.*');
  expect(words).toContain('```Alice.Smith@uni.edu\nbob@uni.edu```');
  const all = buttonsOf(pending.reply?.args).find((b) => b.action_id === 'seat_handoff_done_all')!;
  expect(all.text).toBe('Done: all 2 added');
  expect(textOf((await t.click(MALLORY.id, all.action_id, all.value)).reply?.args)).toMatch(/Only license admins/);
  const done = await t.click(ADMIN.id, all.action_id, all.value);
  expect(textOf(done.reply?.args)).toContain('Marked 2 as added in the portal (Alice Smith, Bob Jones)');
  await t.drained();
  for (const person of [ALICE, BOB]) {
    await t.slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === `D${person.id}` && /seat is ready/.test(textOf(c.args)));
  }
  expect(textOf((await t.command(ADMIN.id, 'pending')).reply?.args)).not.toContain('To do: add');
});
