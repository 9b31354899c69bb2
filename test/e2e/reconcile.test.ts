/** /atlas reconcile: the form, the report in the admin's DM, and Resend of a missing hand-off. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ADMIN, ADMIN_CHANNEL, ALICE, BOB, MALLORY, buttonsOf, startTestBot, textOf, type TestBot } from '../support/harness.js';

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot();
});
afterEach(async () => {
  await t.close();
});

const acceptAs = async (person: { id: string }) => {
  const dm = t.slack.callsTo('chat.postMessage').find((c) => c.args.channel === `D${person.id}` && buttonsOf(c.args).some((b) => b.action_id === 'invitation_accept'))!;
  const accept = buttonsOf(dm.args).find((b) => b.action_id === 'invitation_accept')!;
  await t.click(person.id, accept.action_id, accept.value, { channel_id: `D${person.id}`, message_ts: dm.args.ts });
};

const values = (csv: string) => ({
  license: { license_select: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'Campus' }, value: 'Campus' } } },
  csv: { csv_text: { type: 'plain_text_input', value: csv } },
});

it('compares a license with the portal export: confirmed, missing with Resend, and never invited; strangers get no form', async () => {
  await t.command(ADMIN.id, 'license add "Campus" 50');
  await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice> <@${BOB.id}|bob>`);
  await t.drained();
  await acceptAs(ALICE);
  await acceptAs(BOB);
  await t.drained();

  expect(textOf((await t.command(MALLORY.id, 'reconcile')).reply?.args)).toMatch(/Only license admins/);
  await t.command(ADMIN.id, 'reconcile', { noReply: true });
  const opened = await t.slack.waitFor((c) => c.method === 'views.open');
  expect(opened.args.view.callback_id).toBe('reconcile_form');

  const bad = await t.submitView(ADMIN.id, 'reconcile_form', values('Name,Role\nAlice,User'));
  expect(bad.json).toEqual({ response_action: 'errors', errors: { csv: expect.stringContaining('no column whose header contains "email"') } });

  const ok = await t.submitView(ADMIN.id, 'reconcile_form', values('Name,Email\nAlice Smith,Alice.Smith@uni.edu\nEve,eve@elsewhere.org'));
  expect(ok.json.response_action).toBe('update');
  expect(textOf(ok.json.view)).toContain('Campus: 1 in both, 1 not in the portal, 1 never invited here');
  await t.drained();
  const report = await t.slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === `D${ADMIN.id}` && /compared with the ATLAS.ti portal/.test(textOf(c.args)));
  const words = textOf(report.args);
  expect(words).toContain('*In both (1)*, now marked as joined:\n• Alice Smith `Alice.Smith@uni.edu`');
  expect(words).toContain('*Accepted here, not in the portal (1)*');
  expect(words).toContain('• Bob Jones `bob@uni.edu`');
  expect(words).toContain('*In the portal, never invited here (1)*');
  expect(words).toContain('`eve@elsewhere.org`');

  const resend = buttonsOf(report.args).find((b) => b.action_id === 'seat_handoff_resend')!;
  expect(resend.text).toContain('Bob Jones');
  expect(textOf((await t.click(MALLORY.id, resend.action_id, resend.value, { channel_id: `D${MALLORY.id}` })).reply?.args)).toMatch(/Only license admins/);
  const again = await t.click(ADMIN.id, resend.action_id, resend.value, { channel_id: `D${ADMIN.id}`, message_ts: report.args.ts });
  expect(textOf(again.reply?.args)).toContain("Handing Bob Jones's seat in Campus over again: I posted a new to-do to add them in the portal.");
  await t.drained();
  const todos = t.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === ADMIN_CHANNEL && /To do:\* add `bob@uni.edu`/.test(textOf(c.args)));
  expect(todos).toHaveLength(2);
});
