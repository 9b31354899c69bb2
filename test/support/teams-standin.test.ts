/**
 * Proves the Bot Framework Connector stand-in behaves the way botbuilder expects: a real CloudAdapter (auth disabled)
 * sends, replies, updates, creates conversations and looks members up through it unchanged, and the activity
 * builders produce what CloudAdapter / TeamsActivityHandler accept and dispatch as Teams activities.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Activity,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConversationParameters,
  type ConversationReference,
  type TaskModuleRequest,
  type TaskModuleResponse,
  TeamsActivityHandler,
  TeamsInfo,
  type TurnContext,
} from 'botbuilder';
import express from 'express';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  BOT,
  TENANT_ID,
  type TeamsUser,
  actionExecuteValue,
  conversationUpdateBotAdded,
  installationUpdate,
  invokeActivity,
  messageActivity,
  postActivity,
  taskModuleValue,
} from './teams-activities.js';
import { type ConnectorStandIn, type TeamsMember, startConnectorStandIn } from './teams-standin.js';

const X: TeamsMember = {
  id: '29:x',
  aadObjectId: '00000000-0000-4000-8000-00000000000a',
  name: 'Xavier Example',
  givenName: 'Xavier',
  surname: 'Example',
  email: 'Xavier.Example@uni.edu',
  userPrincipalName: 'xavier@uni.edu',
};
const Y: TeamsMember = { id: '29:y', aadObjectId: '00000000-0000-4000-8000-00000000000b', name: 'Yvonne', email: 'yvonne@uni.edu' };
const Z: TeamsMember = { id: '29:z', aadObjectId: '00000000-0000-4000-8000-00000000000c', name: 'Zed' };
const ALICE: TeamsUser = { id: '29:1alice-teams-id', aadObjectId: '00000000-0000-4000-8000-0000000a11ce', name: 'Alice Smith' };
const CHANNEL = '19:general-channel@thread.tacv2';
const THREAD = `${CHANNEL};messageid=1700000000000`;

let standIn: ConnectorStandIn;
let adapter: CloudAdapter;

/** Auth disabled the only way botbuilder allows: an EMPTY app id (and password). */
function unauthenticatedAdapter(): CloudAdapter {
  const a = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: '', MicrosoftAppPassword: '' }));
  a.onTurnError = async (_ctx, err) => {
    throw err;
  };
  return a;
}

function reference(conversationId: string, user: { id: string; name?: string } = { id: X.id, name: X.name }): Partial<ConversationReference> {
  const personal = conversationId.startsWith('a:');
  return {
    channelId: 'msteams',
    serviceUrl: standIn.serviceUrl,
    bot: { id: BOT.id, name: BOT.name },
    user: { id: user.id, name: user.name ?? '' },
    conversation: { id: conversationId, conversationType: personal ? 'personal' : 'channel', tenantId: TENANT_ID, isGroup: !personal, name: '' },
  };
}

/** Runs `logic` in a proactive turn on `conversationId`. */
function continueIn(conversationId: string, logic: (ctx: TurnContext) => Promise<void>): Promise<void> {
  return adapter.continueConversationAsync('', reference(conversationId), logic);
}

async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

beforeAll(async () => {
  standIn = await startConnectorStandIn({ tenantId: TENANT_ID });
  standIn.addMember(X, ['19:team@thread.tacv2']);
  standIn.addMember(Y, ['19:team@thread.tacv2']);
  standIn.addMember(Z, ['19:team@thread.tacv2']);
  adapter = unauthenticatedAdapter();
});
afterAll(async () => {
  await standIn.close();
});
beforeEach(() => standIn.reset());

describe('outgoing calls from a real CloudAdapter (auth disabled)', () => {
  it('serviceUrl ends with "/" and points at the stand-in', () => {
    expect(standIn.serviceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('continueConversationAsync with an empty app id: sendActivity is a reply to the turn id, updateActivity a PUT', async () => {
    const conv = 'a:1on1-29:x';
    let sentId: string | undefined;
    let updateResult: unknown;
    await continueIn(conv, async (ctx) => {
      const r = await ctx.sendActivity('hi');
      sentId = r?.id;
      updateResult = await ctx.updateActivity({ type: 'message', text: 'hi (edited)', id: r?.id, conversation: ctx.activity.conversation });
    });

    expect(sentId).toMatch(/^\d+$/);
    const [send, update] = standIn.calls;
    expect(standIn.calls).toHaveLength(2);
    // the continuation activity has a random uuid id, and TurnContext replies to it
    expect(send).toMatchObject({ method: 'POST', operation: 'replyToActivity', conversationId: conv, status: 200 });
    expect(send?.activityId).toMatch(/^[0-9a-f-]{36}$/);
    expect(send?.path).toBe(`/v3/conversations/${encodeURIComponent(conv)}/activities/${send?.activityId}`);
    expect(send?.body).toMatchObject({
      type: 'message',
      text: 'hi',
      channelId: 'msteams',
      serviceUrl: standIn.serviceUrl,
      replyToId: send?.activityId,
      from: { id: BOT.id },
      recipient: { id: X.id },
      conversation: { id: conv },
    });
    // no token: the adapter sends no Authorization header at all
    expect(send?.headers.authorization).toBeUndefined();
    expect(send?.headers['content-type']).toMatch(/^application\/json/);
    expect(send?.headers['user-agent']).toContain('botframework-connector');

    expect(update).toMatchObject({ method: 'PUT', operation: 'updateActivity', conversationId: conv, activityId: sentId, status: 200 });
    expect(updateResult).toEqual({ id: sentId });

    expect(standIn.sent(conv)).toHaveLength(1);
    expect(standIn.sent(conv)[0]).toMatchObject({ id: sentId, text: 'hi' });
    expect(standIn.updated(conv)).toEqual([expect.objectContaining({ id: sentId, text: 'hi (edited)' })]);
    expect(standIn.getActivity(conv, sentId ?? '')).toMatchObject({ text: 'hi (edited)' });
    expect(standIn.sent('a:other')).toEqual([]);
  });

  it('createConversationAsync creates the (stable) 1:1 conversation and sends into it', async () => {
    const params = {
      isGroup: false,
      bot: { id: BOT.id, name: BOT.name },
      members: [{ id: '29:x' }],
      tenantId: TENANT_ID,
      channelData: { tenant: { id: TENANT_ID } },
    } as unknown as ConversationParameters;
    const seen: string[] = [];
    await adapter.createConversationAsync('', 'msteams', standIn.serviceUrl, '', params, async (ctx) => {
      seen.push(ctx.activity.conversation.id);
      await ctx.sendActivity('hello');
    });
    // again, addressing the member by AAD object id: same conversation
    await adapter.createConversationAsync('', 'msteams', standIn.serviceUrl, '', { ...params, members: [{ id: X.aadObjectId }] } as ConversationParameters, async (ctx) => {
      seen.push(ctx.activity.conversation.id);
    });

    const creates = standIn.calls.filter((c) => c.operation === 'createConversation');
    expect(creates).toHaveLength(2);
    expect(creates[0]).toMatchObject({ method: 'POST', path: '/v3/conversations', status: 200 });
    expect(creates[0]?.body).toMatchObject({ isGroup: false, bot: { id: BOT.id }, members: [{ id: '29:x' }], tenantId: TENANT_ID, channelData: { tenant: { id: TENANT_ID } } });
    expect(creates[0]?.response).toEqual({ id: 'a:1on1-29:x', serviceUrl: standIn.serviceUrl });
    expect(seen).toEqual(['a:1on1-29:x', 'a:1on1-29:x']);
    expect(standIn.personalConversationId(X.aadObjectId)).toBe('a:1on1-29:x');

    const sent = standIn.sent('a:1on1-29:x');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ type: 'message', text: 'hello', conversation: { id: 'a:1on1-29:x', tenantId: TENANT_ID } });
    // the create turn's activity id is the new conversation id, so the message is a "reply" to it
    const send = standIn.calls.find((c) => c.operation === 'replyToActivity');
    expect(send).toMatchObject({ conversationId: 'a:1on1-29:x', activityId: 'a:1on1-29:x' });
  });

  it('createConversation without a tenant id is rejected like Teams does', async () => {
    const err = await rejection(
      adapter.createConversationAsync('', 'msteams', standIn.serviceUrl, '', { isGroup: false, bot: BOT, members: [{ id: '29:x' }] } as unknown as ConversationParameters, async () => {}),
    );
    expect(err.statusCode).toBe(400);
  });

  it('TeamsInfo.sendMessageToTeamsChannel creates a channel thread through the stand-in (needs a NON-empty botAppId)', async () => {
    // with botAppId '' TeamsInfo takes the legacy BotFrameworkAdapter path, which CloudAdapter does not support
    const legacy = await rejection(continueIn(THREAD, async (ctx) => void (await TeamsInfo.sendMessageToTeamsChannel(ctx, { type: 'message', text: 'x' } as Activity, CHANNEL, ''))));
    expect(String(legacy)).toMatch(/createConnectorClient is not a function/);
    expect(standIn.calls).toEqual([]);

    // any non-empty app id works: auth is disabled by the adapter's (empty) configuration, not by this argument
    let result: unknown;
    await continueIn(THREAD, async (ctx) => {
      result = await TeamsInfo.sendMessageToTeamsChannel(ctx, { type: 'message', text: 'new thread' } as Activity, CHANNEL, BOT.id);
    });
    expect(standIn.calls[0]?.headers.authorization).toBeUndefined();
    const create = await standIn.waitFor((c) => c.operation === 'createConversation');
    const activityId = create.response.activityId as string;
    expect(create.body).toMatchObject({ isGroup: true, channelData: { channel: { id: CHANNEL } }, activity: { text: 'new thread' } });
    // botbuilder quirk: on CloudAdapter the returned "activity id" is the create turn's activity id, i.e. the new
    // conversation id — the connector's activityId is dropped by createConversationAsync
    expect(result).toEqual([
      expect.objectContaining({ conversation: expect.objectContaining({ id: `${CHANNEL};messageid=${activityId}` }) }),
      `${CHANNEL};messageid=${activityId}`,
    ]);
    expect(standIn.sent(`${CHANNEL};messageid=${activityId}`)).toEqual([expect.objectContaining({ id: activityId, text: 'new thread' })]);
  });

  it('URL-encoded Teams ids (":" "@" ";" "=") are decoded in routes and recorded decoded', async () => {
    await continueIn(THREAD, async (ctx) => {
      await ctx.sendActivity('in a thread');
    });
    const [call] = standIn.calls;
    expect(call?.path).toContain('19%3Ageneral-channel%40thread.tacv2%3Bmessageid%3D1700000000000');
    expect(call?.conversationId).toBe(THREAD);
    expect(standIn.sent(THREAD)).toEqual([expect.objectContaining({ text: 'in a thread' })]);
  });

  it('TeamsInfo.getMember returns the member added with addMember (by id or AAD id); an unknown member rejects with 404', async () => {
    await continueIn('a:1on1-29:x', async (ctx) => {
      const m = await TeamsInfo.getMember(ctx, '29:x');
      expect(m).toMatchObject({
        id: '29:x',
        name: 'Xavier Example',
        aadObjectId: X.aadObjectId,
        email: 'Xavier.Example@uni.edu',
        userPrincipalName: 'xavier@uni.edu',
        givenName: 'Xavier',
        surname: 'Example',
        tenantId: TENANT_ID,
        userRole: 'user',
      });
      expect(await TeamsInfo.getMember(ctx, Y.aadObjectId)).toMatchObject({ id: '29:y', email: 'yvonne@uni.edu' });

      const err = await rejection(TeamsInfo.getMember(ctx, '29:nobody'));
      expect(err.statusCode).toBe(404);
      expect(err.code).toBe('MemberNotFoundInConversation');
    });
    const call = standIn.calls[0];
    expect(call).toMatchObject({ method: 'GET', operation: 'getConversationMember', conversationId: 'a:1on1-29:x', memberId: '29:x' });
    expect(call?.path).toBe('/v3/conversations/a%3A1on1-29%3Ax/members/29%3Ax');
  });

  it('in a channel turn TeamsInfo asks about the team id (channelData.team.id); paged members page with continuationToken', async () => {
    const ref = { ...reference(THREAD), conversation: { id: THREAD, conversationType: 'channel', tenantId: TENANT_ID, isGroup: true, name: '' } };
    await adapter.continueConversationAsync('', ref, async (ctx) => {
      ctx.activity.channelData = { team: { id: '19:team@thread.tacv2' }, tenant: { id: TENANT_ID } };
      const first = await TeamsInfo.getPagedMembers(ctx, 2);
      expect(first.members.map((m) => m.id)).toEqual(['29:x', '29:y']);
      expect(first.continuationToken).toBeTruthy();
      const second = await TeamsInfo.getPagedMembers(ctx, 2, first.continuationToken);
      expect(second.members.map((m) => m.id)).toEqual(['29:z']);
      expect(second.continuationToken).toBeUndefined();
      // the deprecated list API copies objectId into aadObjectId: the stand-in sends both
      const all = await TeamsInfo.getMembers(ctx);
      expect(all.map((m) => m.aadObjectId)).toEqual([X.aadObjectId, Y.aadObjectId, Z.aadObjectId]);
    });
    const paged = standIn.calls.filter((c) => c.operation === 'getConversationPagedMembers');
    expect(paged[0]).toMatchObject({ conversationId: '19:team@thread.tacv2', query: { pageSize: '2' } });
    expect(paged[1]?.query.continuationToken).toBe(paged[0]?.response.continuationToken);
    expect(standIn.calls.at(-1)).toMatchObject({ operation: 'getConversationMembers', path: '/v3/conversations/19%3Ateam%40thread.tacv2/members' });
  });

  it('an injected 429 without Retry-After surfaces to the bot as an error with statusCode 429', async () => {
    standIn.failNext('send', { status: 429 });
    const err = await rejection(continueIn('a:1on1-29:x', async (ctx) => void (await ctx.sendActivity('nope'))));
    expect(err.statusCode).toBe(429);
    expect(err.code).toBe('Throttled');
    expect(standIn.calls).toHaveLength(1);
    expect(standIn.sent()).toEqual([]);
  });

  it('a 429 WITH Retry-After is retried by the client itself (3 retries): once is invisible, 4 times surfaces', async () => {
    standIn.failNext('send', { status: 429, retryAfter: 0.01 });
    await continueIn('a:1on1-29:x', async (ctx) => void (await ctx.sendActivity('after a retry')));
    expect(standIn.calls.map((c) => c.status)).toEqual([429, 200]);
    expect(standIn.calls[0]?.headers).toBeDefined();
    expect(standIn.sent()).toEqual([expect.objectContaining({ text: 'after a retry' })]);

    standIn.reset();
    standIn.failNext('send', { status: 429, retryAfter: 0.01 }, 4);
    const err = await rejection(continueIn('a:1on1-29:x', async (ctx) => void (await ctx.sendActivity('never'))));
    expect(err.statusCode).toBe(429);
    expect(standIn.calls.map((c) => c.status)).toEqual([429, 429, 429, 429]);
  });

  it('a 500 is retried with backoff (invisible when it happens once)', async () => {
    standIn.failNext('send', { status: 500 });
    const started = Date.now();
    await continueIn('a:1on1-29:x', async (ctx) => void (await ctx.sendActivity('eventually')));
    expect(standIn.calls.map((c) => c.status)).toEqual([500, 200]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  });

  it('403 ConversationBlockedByUser on send, and failures for update / create', async () => {
    standIn.failNext('send', { status: 403 });
    const blocked = await rejection(continueIn('a:1on1-29:x', async (ctx) => void (await ctx.sendActivity('blocked'))));
    expect(blocked.statusCode).toBe(403);
    expect(blocked.code).toBe('ConversationBlockedByUser');

    standIn.failNext('update', { status: 404, code: 'ActivityNotFound' });
    const updateErr = await rejection(
      continueIn('a:1on1-29:x', async (ctx) => {
        const r = await ctx.sendActivity('to edit');
        await ctx.updateActivity({ type: 'message', id: r?.id, text: 'x', conversation: ctx.activity.conversation });
      }),
    );
    expect(updateErr.statusCode).toBe(404);
    expect(updateErr.code).toBe('ActivityNotFound');

    standIn.failNext('create', { status: 403, code: 'BotNotInConversationRoster' });
    const createErr = await rejection(
      adapter.createConversationAsync('', 'msteams', standIn.serviceUrl, '', { isGroup: false, bot: BOT, members: [{ id: '29:y' }], tenantId: TENANT_ID } as unknown as ConversationParameters, async () => {}),
    );
    expect(createErr.statusCode).toBe(403);
    expect(createErr.code).toBe('BotNotInConversationRoster');
  });

  it('updating an activity that was never sent is a 404; unknown routes are 404 and recorded', async () => {
    const err = await rejection(
      continueIn('a:1on1-29:x', async (ctx) => void (await ctx.updateActivity({ type: 'message', id: '123', text: 'x', conversation: ctx.activity.conversation }))),
    );
    expect(err.statusCode).toBe(404);

    const res = await fetch(`${standIn.serviceUrl}v3/nothing/here`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'NotFound' } });
    expect(standIn.calls.at(-1)).toMatchObject({ method: 'GET', path: '/v3/nothing/here', status: 404 });
    expect(standIn.calls.at(-1)?.operation).toBeUndefined();
  });

  it('waitFor resolves with already-recorded and future calls, and rejects helpfully on timeout', async () => {
    const later = standIn.waitFor((c) => c.body?.text === 'later');
    await continueIn('a:1on1-29:x', async (ctx) => {
      await ctx.sendActivity('first');
      await ctx.sendActivity('later');
    });
    expect((await later).body.text).toBe('later');
    expect((await standIn.waitFor((c) => c.body?.text === 'first')).body.text).toBe('first');
    await expect(standIn.waitFor((c) => c.body?.text === 'never', 50)).rejects.toThrow(/no matching call within 50 ms[\s\S]*text="later"/);
  });
});

describe('activity builders, delivered to a real CloudAdapter + TeamsActivityHandler behind express', () => {
  let server: Server;
  let botUrl: string;
  const seen: Activity[] = [];

  class Probe extends TeamsActivityHandler {
    constructor() {
      super();
      this.onMessage(async (ctx, next) => {
        seen.push(ctx.activity);
        const text = ctx.activity.text ? ctx.activity.text : '';
        await ctx.sendActivity(`echo: ${text}`);
        await next();
      });
      this.onInstallationUpdateAdd(async (ctx, next) => {
        seen.push(ctx.activity);
        await ctx.sendActivity('thanks for installing');
        await next();
      });
      this.onInstallationUpdateRemove(async (ctx, next) => {
        seen.push(ctx.activity);
        await next();
      });
      this.onMembersAdded(async (ctx, next) => {
        seen.push(ctx.activity);
        await next();
      });
    }
    protected override async onAdaptiveCardInvoke(ctx: TurnContext, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
      seen.push(ctx.activity);
      return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: `verb=${value.action.verb} data=${JSON.stringify(value.action.data)}` as any };
    }
    protected override async handleTeamsTaskModuleFetch(ctx: TurnContext, req: TaskModuleRequest): Promise<TaskModuleResponse> {
      seen.push(ctx.activity);
      return { task: { type: 'message', value: `fetch ${JSON.stringify(req.data)} theme=${req.context?.theme}` } };
    }
    protected override async handleTeamsTaskModuleSubmit(ctx: TurnContext, req: TaskModuleRequest): Promise<TaskModuleResponse> {
      seen.push(ctx.activity);
      return { task: { type: 'message', value: `submit ${JSON.stringify(req.data)}` } };
    }
  }

  beforeAll(async () => {
    const botAdapter = unauthenticatedAdapter();
    const probe = new Probe();
    const app = express();
    app.use(express.json());
    app.post('/api/messages', (req, res) => {
      void botAdapter.process(req, res, (ctx) => probe.run(ctx));
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    botUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  afterEach(() => {
    seen.length = 0;
  });

  it('a personal message: the bot replies into a:1on1-<user id>, replying to the message id', async () => {
    const activity = messageActivity({ serviceUrl: standIn.serviceUrl, from: ALICE, text: 'hello bot' });
    expect(activity).toMatchObject({
      type: 'message',
      channelId: 'msteams',
      locale: 'en-US',
      text: 'hello bot',
      from: ALICE,
      recipient: BOT,
      conversation: { id: `a:1on1-${ALICE.id}`, conversationType: 'personal', tenantId: TENANT_ID },
      channelData: { tenant: { id: TENANT_ID } },
      entities: [expect.objectContaining({ type: 'clientInfo', locale: 'en-US' })],
    });
    expect(activity.conversation.isGroup).toBeUndefined();

    const res = await postActivity(botUrl, activity);
    expect(res.status).toBe(200);
    const reply = await standIn.waitFor((c) => c.body?.text === 'echo: hello bot');
    expect(reply).toMatchObject({ operation: 'replyToActivity', conversationId: `a:1on1-${ALICE.id}`, activityId: activity.id });
    expect(reply.body).toMatchObject({ from: { id: BOT.id, name: BOT.name }, recipient: { id: ALICE.id }, replyToId: activity.id });
    expect(seen[0]).toMatchObject({ id: activity.id, from: { aadObjectId: ALICE.aadObjectId } });
  });

  it('a channel @mention: text starts with <at>Atlas</at>, removeRecipientMention recovers the text', async () => {
    const activity = messageActivity({
      serviceUrl: standIn.serviceUrl,
      from: ALICE,
      text: 'invite bob',
      conversation: { id: THREAD, conversationType: 'channel' },
      mentionBot: true,
    });
    expect(activity.text).toBe('<at>Atlas</at> invite bob');
    expect(activity.conversation).toMatchObject({ id: THREAD, isGroup: true, conversationType: 'channel', tenantId: TENANT_ID });
    expect(activity.channelData).toMatchObject({ teamsChannelId: CHANNEL, team: { id: CHANNEL }, channel: { id: CHANNEL }, tenant: { id: TENANT_ID } });
    expect(activity.entities[0]).toEqual({ type: 'mention', text: '<at>Atlas</at>', mentioned: { id: BOT.id, name: 'Atlas' } });

    expect((await postActivity(botUrl, activity)).status).toBe(200);
    await standIn.waitFor((c) => c.conversationId === THREAD && c.body?.text?.startsWith('echo:'));
    const { TurnContext: TC } = await import('botbuilder');
    expect(TC.removeRecipientMention(seen[0] as Partial<Activity>)?.trim()).toBe('invite bob');
  });

  it('adaptiveCard/action invoke: the invoke response comes back in the HTTP response body', async () => {
    const activity = invokeActivity({ serviceUrl: standIn.serviceUrl, from: ALICE, name: 'adaptiveCard/action', value: { verb: 'accept', data: { inviteId: 7 } }, replyToId: '1700000000001' });
    expect(activity.value).toEqual({ action: { type: 'Action.Execute', verb: 'accept', data: { inviteId: 7 } }, trigger: 'manual' });
    expect(invokeActivity({ serviceUrl: standIn.serviceUrl, from: ALICE, name: 'adaptiveCard/action', value: actionExecuteValue({ verb: 'accept', data: { inviteId: 7 } }) }).value).toEqual(activity.value);
    const res = await postActivity(botUrl, activity);
    expect(res).toEqual({ status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'verb=accept data={"inviteId":7}' } });
    expect(seen[0]).toMatchObject({ type: 'invoke', name: 'adaptiveCard/action', replyToId: '1700000000001' });
  });

  it('task/fetch and task/submit invokes reach the task module handlers with { data, context }', async () => {
    const fetchAct = invokeActivity({ serviceUrl: standIn.serviceUrl, from: ALICE, name: 'task/fetch', value: { form: 'invite' } });
    expect(fetchAct.value).toEqual(taskModuleValue({ form: 'invite' }));
    expect(await postActivity(botUrl, fetchAct)).toEqual({ status: 200, body: { task: { type: 'message', value: 'fetch {"form":"invite"} theme=default' } } });

    const submitAct = invokeActivity({ serviceUrl: standIn.serviceUrl, from: ALICE, name: 'task/submit', value: { data: { email: 'b@uni.edu' }, context: { theme: 'dark' } } });
    expect(submitAct.value).toEqual({ data: { email: 'b@uni.edu' }, context: { theme: 'dark' } });
    expect(await postActivity(botUrl, submitAct)).toEqual({ status: 200, body: { task: { type: 'message', value: 'submit {"email":"b@uni.edu"}' } } });
  });

  it('installationUpdate add/remove and conversationUpdate (bot added) dispatch to the right handlers', async () => {
    const add = installationUpdate({ serviceUrl: standIn.serviceUrl, from: ALICE });
    expect((await postActivity(botUrl, add)).status).toBe(200);
    await standIn.waitFor((c) => c.body?.text === 'thanks for installing' && c.conversationId === `a:1on1-${ALICE.id}`);
    expect((await postActivity(botUrl, installationUpdate({ serviceUrl: standIn.serviceUrl, from: ALICE, action: 'remove' }))).status).toBe(200);

    const added = conversationUpdateBotAdded({ serviceUrl: standIn.serviceUrl, from: ALICE });
    expect(added.membersAdded).toEqual([{ id: BOT.id }]);
    expect((await postActivity(botUrl, added)).status).toBe(200);
    const teamAdded = conversationUpdateBotAdded({ serviceUrl: standIn.serviceUrl, from: ALICE, conversation: { id: CHANNEL, conversationType: 'channel' } });
    expect(teamAdded.channelData).toEqual({ team: { id: CHANNEL }, eventType: 'teamMemberAdded', tenant: { id: TENANT_ID } });
    expect((await postActivity(botUrl, teamAdded)).status).toBe(200);

    expect(seen.map((a) => `${a.type}:${a.action ?? a.membersAdded?.[0]?.id}`)).toEqual([
      'installationUpdate:add',
      'installationUpdate:remove',
      `conversationUpdate:${BOT.id}`,
      `conversationUpdate:${BOT.id}`,
    ]);
  });

  it('with auth disabled the Authorization header is ignored; with an app id set (even without password) it is required', async () => {
    const ok = await postActivity(botUrl, messageActivity({ serviceUrl: standIn.serviceUrl, from: ALICE, text: 'with junk auth' }), { authorization: 'Bearer junk' });
    expect(ok.status).toBe(200);

    const withAppId = new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: '00000000-0000-4000-8000-00000000a99d', MicrosoftAppPassword: '' });
    const act = messageActivity({ serviceUrl: standIn.serviceUrl, from: ALICE, text: 'x' }) as Activity;
    await expect(withAppId.authenticateRequest(act, '')).rejects.toMatchObject({ statusCode: 401 });
  });
});
