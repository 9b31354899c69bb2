/**
 * HTTP mode never opens a websocket: undici, which Bolt's Socket Mode client loads for one (about
 * 17 MB of an idle bot), is never loaded (src/bot/slack/defer-undici.ts). Socket Mode loading it
 * when used is in socket-mode.test.ts.
 */
import { afterEach, expect, it } from 'vitest';
// the bot first, as it loads itself (were this test to load the stand-in itself, it would prove nothing)
import { ADMIN, ALICE, startTestBot, textOf, type TestBot } from '../support/harness.js';
import { undiciLoaded } from '../../src/bot/slack/defer-undici.js';

let t: TestBot | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

it('in HTTP mode, commands and DMs work and undici is never loaded', async () => {
  t = await startTestBot();
  const added = await t.command(ADMIN.id, 'license add "Campus" 5 assigned');
  expect(textOf(added.reply?.args)).toContain('Created the license *Campus*');
  await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice>`);
  const dm = await t.slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === `D${ALICE.id}`);
  expect(textOf(dm.args)).toContain('ATLAS.ti license seat');
  expect(undiciLoaded()).toBe(false);
});
