/** What a careless or hostile client sends to /api/messages: each answered 200/400/401, no stack, nothing posted. */
import { afterEach, describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from '../support/harness.js';
import { startConnectorStandIn, type ConnectorStandIn } from '../support/teams-standin.js';
import { TENANT_ID, actionExecuteValue, invokeActivity, postActivity, type TeamsUser } from '../support/teams-activities.js';

const ADA: TeamsUser = { id: '29:ada', aadObjectId: '0a0a0a0a-0000-4000-8000-00000000ada0', name: 'Ada Admin' };

let t: TestBot | undefined;
let connector: ConnectorStandIn | undefined;
afterEach(async () => {
  await t?.close();
  await connector?.close();
  t = undefined;
  connector = undefined;
});

async function start(env: Record<string, string> = {}) {
  connector = await startConnectorStandIn({ tenantId: TENANT_ID });
  connector.addMember({ ...ADA, email: 'ada@uni.edu', userPrincipalName: 'ada@uni.edu', tenantId: TENANT_ID });
  t = await startTestBot({ env: { SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '', TEAMS_APP_ID: 'atlas-test-app', TEAMS_APP_PASSWORD: '', TEAMS_TENANT_ID: TENANT_ID, ATLAS_ADMINS: ADA.aadObjectId, ...env } });
  return t;
}

const raw = async (body: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${t!.bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: res.status, text: await res.text() };
};
const noStack = (text: string) => {
  expect(text).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\/src\/|<html|<pre/i);
};
const posted = () => connector!.calls.filter((c) => c.operation === 'sendToConversation' || c.operation === 'replyToActivity');

describe('bad input on /api/messages', () => {
  it.each(['__proto__', 'toString', 'constructor', 'valueOf', 'hasOwnProperty'])('an Action.Execute verb %j is no button: 200 with a polite card, nothing posted', async (verb) => {
    await start();
    const r = await postActivity(t!.bot.url, invokeActivity({ serviceUrl: connector!.serviceUrl, from: ADA, tenantId: TENANT_ID, name: 'adaptiveCard/action', value: actionExecuteValue({ verb, data: { actionId: verb } }) }));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ statusCode: 200, value: expect.stringContaining('That button is no longer in use') });
    noStack(JSON.stringify(r.body));
    expect(posted()).toEqual([]);
  });

  it('a dialog named __proto__, and a task/fetch with no value, are answered: that form is not available', async () => {
    await start();
    for (const value of [{ data: { dialog: '__proto__' } }, { data: { dialog: 'constructor' } }, undefined]) {
      for (const name of ['task/fetch', 'task/submit'] as const) {
        const activity = invokeActivity({ serviceUrl: connector!.serviceUrl, from: ADA, tenantId: TENANT_ID, name, value: value ?? {} });
        if (value === undefined) delete activity.value;
        const r = await postActivity(t!.bot.url, activity);
        expect(r.status, `${name} ${JSON.stringify(value)}`).toBe(200);
        expect(JSON.stringify(r.body)).toContain('That form is no longer available');
        noStack(JSON.stringify(r.body));
      }
    }
    expect(posted()).toEqual([]);
  });

  it('invalid JSON is a 400 with a small JSON body; an empty body is 400 without a password and 401 with one', async () => {
    await start();
    const bad = await raw('{"type": "message",');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text)).toMatchObject({ error: 'bad_request' });
    noStack(bad.text);
    const empty = await raw('');
    expect(empty.status).toBe(400);
    noStack(empty.text);
    // the same handler for every other route
    const elsewhere = await fetch(`${t!.bot.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect([400, 404]).toContain(elsewhere.status);
    noStack(await elsewhere.text());
  });

  it('with a password set, an empty or broken body without a valid token is 401, before anything is parsed', async () => {
    await start({ TEAMS_APP_PASSWORD: 'a-secret' });
    for (const body of ['', '{', '{"type":"message"}']) {
      const r = await raw(body);
      expect(r.status, JSON.stringify(body)).toBe(401);
      expect(JSON.parse(r.text)).toEqual({ error: 'unauthorized' });
    }
    const forged = await raw('', { authorization: 'Bearer not-a-token' });
    expect(forged.status).toBe(401);
    noStack(forged.text);
    expect(posted()).toEqual([]);
  });
});
