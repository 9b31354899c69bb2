/**
 * Builders for Bot Framework activities shaped the way Microsoft Teams posts them to a bot's messaging endpoint,
 * plus `postActivity` to deliver one to the bot under test (`POST {botUrl}/api/messages`).
 *
 * Shapes follow what Teams actually sends (see the Teams bot docs: "Conversation basics", "Channel and group chat
 * conversations", "Universal Actions for Adaptive Cards", "Dialogs (task modules)", "Conversation events") and
 * botframework-schema's `Activity` / `TeamsChannelData` types:
 *  - `channelId` is 'msteams'; ids of users are '29:…', of the bot '28:<app id>'; every activity carries the tenant in
 *    both `conversation.tenantId` and `channelData.tenant.id`.
 *  - personal (1:1) conversations have `conversationType: 'personal'` and no `isGroup`; channel and group chat
 *    conversations have `isGroup: true`. Channel conversation ids are '19:…@thread.tacv2[;messageid=…]' and
 *    channelData carries `teamsChannelId`/`teamsTeamId`/`channel`/`team`; group chats are '19:…@thread.v2'.
 *  - message text in channels and group chats only reaches the bot when the bot is @mentioned; the text then starts
 *    with '<at>Atlas</at> ' and `entities` holds a `mention` entity next to the `clientInfo` one.
 *  - message and event ids are numeric strings (epoch millis) for messages, 'f:…' for invokes and events.
 *
 * NOTE (how botbuilder reacts): if `channelData.team.id` is present (every channel activity), `TeamsInfo.getMember` /
 * `getPagedMembers` ask the connector about the *team id*, not the conversation id — so register channel members in
 * the stand-in under the team id too (`standIn.addMember(m, [teamId, conversationId])`).
 */
import { randomBytes } from 'node:crypto';

// ---------------------------------------------------------------------------------------------------------------
// Fixed identities
// ---------------------------------------------------------------------------------------------------------------

/** The bot as Teams addresses it: '28:' + the Microsoft App ID. */
export const BOT = { id: '28:atlas-bot-app-id', name: 'Atlas' } as const;
/** The Entra (AAD) tenant every test activity comes from. */
export const TENANT_ID = '6b0e1c5a-3f2d-4c8e-9a71-2d54f0b8c9e3';
/** Default team / channel for `conversationType: 'channel'` when no conversation id is given (General channel: team id == channel id). */
export const DEFAULT_TEAM_ID = '19:atlas-team-general@thread.tacv2';

export interface TeamsUser {
  /** Teams user id, '29:…' */
  id: string;
  /** Entra (AAD) object id of the user (a GUID). */
  aadObjectId: string;
  name: string;
}

interface TeamsConversation {
  /** 'a:…' (personal), '19:…@thread.tacv2[;messageid=…]' (channel / channel thread), '19:…@thread.v2' (group chat) */
  id: string;
  conversationType: 'personal' | 'channel' | 'groupChat';
  tenantId?: string;
  /** Channel conversations: the team id (defaults to the channel id without ';messageid=…', i.e. the General channel). */
  teamId?: string;
  /** Channel / group chat display name (optional, Teams sends it for group chats that have a topic). */
  name?: string;
}

/** Common parameters of every builder. */
interface Base {
  serviceUrl: string;
  from: TeamsUser;
  conversation?: TeamsConversation;
  tenantId?: string;
  botId?: string;
  botName?: string;
  /** Override the generated activity id. */
  id?: string;
  /** Override the timestamp (default: now). */
  timestamp?: Date;
  locale?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------------------------

/**
 * A message from a user. Personal (1:1) by default, conversation id 'a:1on1-' + from.id — the same id the connector
 * stand-in gives the 1:1 conversation when the bot creates it proactively for that member, as Teams keeps one 1:1
 * conversation per user and bot.
 * `mentionBot` (default: true for channel / groupChat conversations, false for personal) prefixes the text with
 * '<at>Atlas</at> ' and adds the mention entity, as Teams does when the bot is @mentioned.
 * `value` is set for Action.Submit card submits (Teams sends those as a message with `value` and no text).
 */
export function messageActivity(
  p: Base & { text: string; mentionBot?: boolean; value?: unknown; replyToId?: string },
): Record<string, any> {
  const a = base('message', p);
  const mention = p.mentionBot ?? a.conversation.conversationType !== 'personal';
  const botName = p.botName ?? BOT.name;
  const atText = `<at>${escapeHtml(botName)}</at>`;
  const text = mention ? `${atText} ${p.text}` : p.text;
  a.text = text;
  a.textFormat = 'plain';
  // Teams attaches the rich (HTML) form of every typed message.
  a.attachments = [{ contentType: 'text/html', content: `<p>${mention ? `<span itemscope="" itemtype="http://schema.skype.com/Mention" itemid="0">${escapeHtml(botName)}</span>&nbsp;` : ''}${escapeHtml(p.text)}</p>` }];
  if (mention) {
    a.entities = [{ type: 'mention', text: atText, mentioned: { id: p.botId ?? BOT.id, name: botName } }, ...a.entities];
  }
  if (p.value !== undefined) {
    a.value = p.value;
    if (p.text === '') {
      delete a.text;
      delete a.attachments;
    }
  }
  if (p.replyToId) a.replyToId = p.replyToId;
  return a;
}

/** The `value` of an `adaptiveCard/action` invoke (Universal Actions, Action.Execute), exactly as Teams sends it. */
export function actionExecuteValue(p: { verb: string; data?: unknown; id?: string; title?: string }): Record<string, any> {
  const action: Record<string, any> = { type: 'Action.Execute', verb: p.verb, data: p.data ?? {} };
  if (p.id !== undefined) action.id = p.id;
  if (p.title !== undefined) action.title = p.title;
  return { action, trigger: 'manual' };
}

/** The `value` of a `task/fetch` / `task/submit` invoke: `{ data, context: { theme } }`. */
export function taskModuleValue(data: unknown, theme: 'default' | 'dark' | 'contrast' = 'default'): Record<string, any> {
  return { data, context: { theme } };
}

/**
 * An invoke (card action / dialog). Answer it with an invoke response: `postActivity` returns its status and body.
 *
 * `value` is used as `activity.value` when it already has the Teams shape, otherwise it is wrapped:
 *  - 'adaptiveCard/action': an object with an `action` object is taken as is (`trigger: 'manual'` added when missing);
 *    anything else must be `{ verb, data?, id? }` and becomes `{ action: { type: 'Action.Execute', verb, data, id }, trigger: 'manual' }`.
 *  - 'task/fetch' / 'task/submit': an object with a `data` key and no keys besides data/context/tabContext is taken
 *    as is (`context: { theme: 'default' }` added when missing); anything else is the card data and becomes
 *    `{ data: value, context: { theme: 'default' } }`.
 * `replyToId` is the id of the message holding the card (Teams sets it for card actions on a message).
 */
export function invokeActivity(
  p: Base & { name: 'adaptiveCard/action' | 'task/fetch' | 'task/submit' | (string & {}); value: unknown; replyToId?: string },
): Record<string, any> {
  const a = base('invoke', p);
  a.name = p.name;
  a.value = invokeValue(p.name, p.value);
  if (p.replyToId) a.replyToId = p.replyToId;
  // Teams marks where the invoke came from; card actions on a bot message carry source 'message'.
  a.channelData = { ...a.channelData, source: { name: 'message' } };
  if (p.replyToId) a.channelData.legacy = { replyToId: p.replyToId };
  return a;
}

/** The app was installed ('add') / uninstalled ('remove') in the conversation (personal by default). */
export function installationUpdate(p: Base & { action?: 'add' | 'remove' | 'add-upgrade' | 'remove-upgrade' }): Record<string, any> {
  const a = base('installationUpdate', p);
  a.action = p.action ?? 'add';
  if (a.conversation.conversationType !== 'personal' && a.action.startsWith('add')) {
    a.channelData = { ...a.channelData, settings: { selectedChannel: { id: a.channelData.channel?.id ?? a.conversation.id.split(';')[0] } } };
  }
  if (a.action === 'add') a.channelData = { ...a.channelData, source: { name: 'message' } };
  return a;
}

/**
 * conversationUpdate with the bot in `membersAdded` (app added to a personal scope, team or group chat). In a team,
 * Teams sends it on the team's General channel with `channelData.eventType: 'teamMemberAdded'`.
 */
export function conversationUpdateBotAdded(p: Base): Record<string, any> {
  const a = base('conversationUpdate', p);
  a.membersAdded = [{ id: p.botId ?? BOT.id }];
  if (a.conversation.conversationType === 'channel') {
    // the team's conversationUpdate names the team only (not the channel) and says what happened
    a.channelData = { team: a.channelData.team, eventType: 'teamMemberAdded', tenant: a.channelData.tenant };
  }
  // NOTE: the samples in the Teams docs show conversationUpdate without `entities`/`locale`; they are kept here (like on
  // every other builder) so handlers see a uniform shape — don't rely on them in conversationUpdate handlers.
  return a;
}

/**
 * POSTs an activity to the bot like the Bot Connector service does: `POST {botUrl}/api/messages`, JSON body.
 * `botUrl` is the bot's origin (a trailing '/' and a trailing '/api/messages' are tolerated).
 * Resolves with the HTTP status and the parsed JSON body (undefined when empty; the raw text when not JSON).
 */
export async function postActivity(botUrl: string, activity: object, opts: { authorization?: string } = {}): Promise<{ status: number; body: any }> {
  const url = botUrl.replace(/\/+$/, '').replace(/\/api\/messages$/, '') + '/api/messages';
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Microsoft-SkypeBotApi (Microsoft-BotFramework/3.0)' };
  if (opts.authorization !== undefined) headers.authorization = opts.authorization;
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(activity) });
  const text = await res.text();
  let body: any;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: res.status, body };
}

// ---------------------------------------------------------------------------------------------------------------
// Internals
// ---------------------------------------------------------------------------------------------------------------

let lastMessageId = 0;
/** Teams message ids are epoch-millisecond strings; keep them unique and increasing within a process. */
export function newMessageId(): string {
  lastMessageId = Math.max(lastMessageId + 1, Date.now());
  return String(lastMessageId);
}

function newEventId(): string {
  return `f:${BigInt('0x' + randomBytes(8).toString('hex')).toString()}`;
}

function base(type: string, p: Base): Record<string, any> {
  const tenantId = p.conversation?.tenantId ?? p.tenantId ?? TENANT_ID;
  const conversation = p.conversation ?? { id: `a:1on1-${p.from.id}`, conversationType: 'personal' as const };
  const now = p.timestamp ?? new Date();
  const conv: Record<string, any> = { conversationType: conversation.conversationType, tenantId, id: conversation.id };
  if (conversation.conversationType !== 'personal') conv.isGroup = true;
  if (conversation.name !== undefined) conv.name = conversation.name;

  const channelData: Record<string, any> = { tenant: { id: tenantId } };
  if (conversation.conversationType === 'channel') {
    const channelId = conversation.id.split(';')[0] ?? conversation.id;
    const teamId = conversation.teamId ?? channelId;
    Object.assign(channelData, {
      teamsChannelId: channelId,
      teamsTeamId: teamId,
      channel: { id: channelId },
      team: { id: teamId },
    });
  }

  return {
    type,
    id: p.id ?? (type === 'message' ? newMessageId() : newEventId()),
    timestamp: now.toISOString(),
    localTimestamp: localTimestamp(now),
    localTimezone: 'Europe/Berlin',
    serviceUrl: p.serviceUrl,
    channelId: 'msteams',
    from: { id: p.from.id, name: p.from.name, aadObjectId: p.from.aadObjectId },
    conversation: conv,
    recipient: { id: p.botId ?? BOT.id, name: p.botName ?? BOT.name },
    entities: [{ locale: p.locale ?? 'en-US', country: 'US', platform: 'Web', timezone: 'Europe/Berlin', type: 'clientInfo' }],
    channelData,
    locale: p.locale ?? 'en-US',
  };
}

function invokeValue(name: string, value: unknown): unknown {
  const obj = isRecord(value) ? value : undefined;
  if (name === 'adaptiveCard/action') {
    if (obj && isRecord(obj.action)) return { ...obj, trigger: obj.trigger ?? 'manual' };
    if (obj && typeof obj.verb === 'string') {
      return actionExecuteValue({ verb: obj.verb, data: obj.data, ...(typeof obj.id === 'string' ? { id: obj.id } : {}) });
    }
    throw new Error("invokeActivity('adaptiveCard/action'): value must be { action: {...}, trigger } or { verb, data?, id? }");
  }
  if (name === 'task/fetch' || name === 'task/submit') {
    const teamsShaped = obj !== undefined && 'data' in obj && Object.keys(obj).every((k) => k === 'data' || k === 'context' || k === 'tabContext');
    if (teamsShaped) return { ...obj, context: obj.context ?? { theme: 'default' } };
    return taskModuleValue(value);
  }
  return value;
}

function isRecord(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** ISO-8601 with the +01:00/+02:00 style offset of Europe/Berlin-ish local time — Teams sends the client's local time. */
function localTimestamp(d: Date): string {
  const offsetMin = 60;
  const local = new Date(d.getTime() + offsetMin * 60_000);
  return local.toISOString().replace('Z', '+01:00');
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The text a person reads on a card: its TextBlocks, in order. */
export function cardText(activity: any): string {
  const parts: string[] = [];
  const walk = (v: any): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      if (v.type === 'TextBlock' && typeof v.text === 'string') parts.push(v.text);
      // a RichTextBlock is one line of TextRuns (the runs are not walked again)
      if (v.type === 'RichTextBlock' && Array.isArray(v.inlines)) {
        parts.push(v.inlines.map((r: any) => (typeof r === 'string' ? r : typeof r?.text === 'string' ? r.text : '')).join(''));
        return;
      }
      Object.values(v).forEach(walk);
    }
  };
  walk(activity?.attachments ?? activity);
  return parts.join('\n');
}

/** A card's Action.Execute buttons: their verb and the value they carry. */
export function cardVerbs(activity: any): { verb: string; value: string }[] {
  const out: { verb: string; value: string }[] = [];
  const walk = (v: any): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      if (v.type === 'Action.Execute') out.push({ verb: v.verb, value: v.data?.value });
      Object.values(v).forEach(walk);
    }
  };
  walk(activity?.attachments ?? activity);
  return out;
}
