/**
 * The bot on Teams only, against the Bot Connector stand-in: Ada (an admin), Alice and Mallory in
 * the default team, the bot added to its channel (the admin channel), and the ways a person talks
 * to it: words in the 1:1 chat, a card button, a dialog.
 */
import { expect } from 'vitest';
import { startTestBot, type TestBot } from './harness.js';
import { startConnectorStandIn, type ConnectorStandIn, type TeamsMember } from './teams-standin.js';
import { DEFAULT_TEAM_ID, TENANT_ID, actionExecuteValue, conversationUpdateBotAdded, invokeActivity, messageActivity, postActivity, type TeamsUser } from './teams-activities.js';

export const ADA: TeamsUser = { id: '29:ada', aadObjectId: '0a0a0a0a-0000-4000-8000-00000000ada0', name: 'Ada Admin' };
export const ALICE: TeamsUser = { id: '29:alice', aadObjectId: '0a0a0a0a-0000-4000-8000-0000000a11ce', name: 'Alice Smith' };
export const MALLORY: TeamsUser = { id: '29:mallory', aadObjectId: '0a0a0a0a-0000-4000-8000-0000000ba11d', name: 'Mallory' };

export interface TeamsBot {
  t: TestBot;
  connector: ConnectorStandIn;
  /** words typed to the bot in a 1:1 chat; what it answered there */
  say(from: TeamsUser, text: string): Promise<any[]>;
  /** an Action.Execute button on a card */
  click(from: TeamsUser, verb: string, value: string): Promise<{ status: number; body: any }>;
  dialog(from: TeamsUser, name: 'task/fetch' | 'task/submit', data: Record<string, unknown>): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export async function startTeamsBot(o: { env?: Record<string, string>; now?: () => number; members?: (TeamsMember & { id: string })[] } = {}): Promise<TeamsBot> {
  const connector = await startConnectorStandIn({ tenantId: TENANT_ID });
  connector.addMember({ ...ADA, email: 'ada@uni.edu', userPrincipalName: 'ada@uni.edu', tenantId: TENANT_ID }, [DEFAULT_TEAM_ID]);
  connector.addMember({ ...ALICE, email: 'Alice.Smith@uni.edu', userPrincipalName: 'Alice.Smith@uni.edu', tenantId: TENANT_ID }, [DEFAULT_TEAM_ID]);
  connector.addMember({ ...MALLORY, email: 'mallory@uni.edu', tenantId: TENANT_ID }, [DEFAULT_TEAM_ID]);
  for (const m of o.members ?? []) connector.addMember(m, [DEFAULT_TEAM_ID]);
  const t = await startTestBot({
    ...(o.now ? { now: o.now } : {}),
    env: { SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '', TEAMS_APP_ID: 'atlas-test-app', TEAMS_APP_PASSWORD: '', TEAMS_TENANT_ID: TENANT_ID, ATLAS_ADMINS: ADA.aadObjectId, ATLAS_ADMIN_CHANNEL: DEFAULT_TEAM_ID, ...o.env },
  });
  // the bot is in the admins' channel, so it can post there
  await postActivity(t.bot.url, conversationUpdateBotAdded({ serviceUrl: connector.serviceUrl, from: ADA, tenantId: TENANT_ID, conversation: { id: DEFAULT_TEAM_ID, conversationType: 'channel' } }));
  return {
    t,
    connector,
    say: async (from, text) => {
      const before = connector.sent(`a:1on1-${from.id}`).length;
      expect((await postActivity(t.bot.url, messageActivity({ serviceUrl: connector.serviceUrl, from, text, tenantId: TENANT_ID }))).status).toBe(200);
      return connector.sent(`a:1on1-${from.id}`).slice(before);
    },
    click: (from, verb, value) =>
      postActivity(t.bot.url, invokeActivity({ serviceUrl: connector.serviceUrl, from, tenantId: TENANT_ID, name: 'adaptiveCard/action', value: actionExecuteValue({ verb, data: { actionId: verb, value } }) })),
    dialog: (from, name, data) => postActivity(t.bot.url, invokeActivity({ serviceUrl: connector.serviceUrl, from, tenantId: TENANT_ID, name, value: { data } })),
    close: async () => {
      await t.close();
      await connector.close();
    },
  };
}
