/**
 * What an idle bot does not need is not loaded (issue #19: an idle bot under 100 MB):
 * - HTTP mode never opens a websocket: undici, which Bolt's Socket Mode client loads for one (about
 *   17 MB), is never loaded (src/bot/slack/defer-undici.ts). Socket Mode loading it when used is in
 *   socket-mode.test.ts.
 * - The Web API calls go through node-fetch over node:http, not Node's own fetch: that one loads its
 *   bundled undici and compiles its WebAssembly HTTP parser at the first call (about 12 MB kept,
 *   40 MB at the peak): the stand-in tells the two apart by their headers.
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

it("in HTTP mode, commands, lookups and DMs work, undici is never loaded, and no Web API call goes through Node's fetch", async () => {
  t = await startTestBot();
  const added = await t.command(ADMIN.id, 'license add "Campus" 5 assigned');
  expect(textOf(added.reply?.args)).toContain('Created the license *Campus*');
  await t.command(ADMIN.id, `invite-license <@${ALICE.id}|alice>`);
  const dm = await t.slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === `D${ALICE.id}`);
  expect(textOf(dm.args)).toContain('ATLAS.ti license seat');
  expect(undiciLoaded()).toBe(false);
  // every Web API call came through node-fetch (Node's own fetch says sec-fetch-mode, and "node")
  const calls = t.slack.calls.filter((c) => c.method !== 'response_url');
  expect(calls.length).toBeGreaterThan(3);
  for (const c of calls) {
    expect(c.headers?.['user-agent']).toContain('@slack:web-api');
    expect(c.headers?.['sec-fetch-mode']).toBeUndefined();
  }
});
