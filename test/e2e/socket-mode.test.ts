import { afterEach, describe, expect, it } from 'vitest';
import { undiciLoaded } from '../../src/bot/slack/defer-undici.js';
import { startSlackStandIn, STANDIN_TEAM_ID, type SlackStandIn } from '../support/slack-standin.js';
import { ADMIN, ALICE, startTestBot, textOf, type TestBot } from '../support/harness.js';

let t: TestBot | undefined;
let slack: SlackStandIn | undefined;
afterEach(async () => {
  await t?.close(); // stops the Socket Mode client before its server goes away
  await slack?.close();
});

const command = (text: string, userId: string, response_url: string) => ({
  token: 'x',
  team_id: STANDIN_TEAM_ID,
  team_domain: 'standin',
  channel_id: 'CGENERAL',
  channel_name: 'general',
  user_id: userId,
  user_name: 'someone',
  command: '/atlas',
  text,
  api_app_id: 'A0STANDIN',
  is_enterprise_install: 'false',
  response_url,
  trigger_id: '123.456.abc',
});

describe('Socket Mode', () => {
  it('with SLACK_APP_TOKEN the bot connects over a websocket, acks envelopes and answers commands', async () => {
    slack = await startSlackStandIn();
    t = await startTestBot({ slack, env: { SLACK_APP_TOKEN: 'xapp-1-A0STANDIN-test', SLACK_SIGNING_SECRET: '' } });
    await slack.socket.waitForConnection(5000);
    expect(slack.callsTo('apps.connections.open')).toHaveLength(1);
    // its websocket is undici's, loaded only now that Socket Mode is used (src/bot/slack/defer-undici.ts)
    expect(undiciLoaded()).toBe(true);

    const addUrl = slack.responseUrl();
    const ack = await slack.socket.sendEnvelope('slash_commands', command('license add "Campus 2026" 5 assigned', ADMIN.id, addUrl));
    expect(ack.envelope_id).toBeTruthy();
    const added = await slack.waitFor((c) => c.method === 'response_url' && c.url === addUrl);
    expect(textOf(added.args)).toContain('Created the license *Campus 2026*: 5 seats, one per member.');

    const inviteUrl = slack.responseUrl();
    await slack.socket.sendEnvelope('slash_commands', command(`invite-license <@${ALICE.id}|alice>`, ADMIN.id, inviteUrl));
    await slack.waitFor((c) => c.method === 'response_url' && c.url === inviteUrl);
    const dm = await slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === `D${ALICE.id}`);
    expect(textOf(dm.args)).toContain('ATLAS.ti license seat');

    const clickUrl = slack.responseUrl();
    await slack.socket.sendEnvelope('interactive', {
      type: 'block_actions',
      user: { id: ALICE.id, username: 'alice', name: 'alice', team_id: STANDIN_TEAM_ID },
      api_app_id: 'A0STANDIN',
      token: 'x',
      container: { type: 'message', message_ts: dm.args.ts, channel_id: `D${ALICE.id}`, is_ephemeral: false },
      trigger_id: '1.2.3',
      team: { id: STANDIN_TEAM_ID, domain: 'standin' },
      channel: { id: `D${ALICE.id}`, name: 'directmessage' },
      response_url: clickUrl,
      actions: [{ action_id: 'invitation_accept', block_id: 'invitation:1', value: 'inv:1', type: 'button', action_ts: '1' }],
    });
    const accepted = await slack.waitFor((c) => c.method === 'response_url' && c.url === clickUrl);
    expect(textOf(accepted.args)).toContain('Accepted: an admin is adding you');

    // no public Slack endpoint in Socket Mode; the link pages and health still are
    const health = await fetch(`${t.bot.url}/healthz`);
    expect(await health.json()).toEqual({ ok: true });
    expect((await fetch(`${t.bot.url}/slack/events`, { method: 'POST' })).status).toBe(404);
  });
});
