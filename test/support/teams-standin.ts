/**
 * A local stand-in for the Bot Framework Connector service (the `serviceUrl` Teams puts in every activity) for
 * end-to-end tests of the Teams side of the bot.
 *
 * It is a real HTTP server on 127.0.0.1 that answers the Connector REST API v3 routes botbuilder's `ConnectorClient`
 * calls (botframework-connector/lib/connectorApi/operations/conversations.js), with the response bodies its mappers
 * expect, so a real `CloudAdapter` / `TeamsInfo` talk to it unchanged: put `standIn.serviceUrl` in the activities you
 * post to the bot (see teams-activities.ts) and in conversation references you continue.
 *
 * The bot must run with auth disabled — an EMPTY MicrosoftAppId (an empty password alone is not enough: with an app id
 * set, botbuilder requires a JWT on incoming requests and fetches a token for outgoing calls). Then outgoing calls carry
 * no Authorization header, and this stand-in does not look for one (it records the headers for assertions).
 *
 * Things the real client does that matter here (all verified by teams-standin.test.ts):
 *  - path parameters are encodeURIComponent-ed (Teams ids contain ':', '@', ';', '='); routes decode them.
 *  - `context.sendActivity` inside a turn sets `replyToId` (= the turn activity's id), so sends arrive as
 *    `POST /v3/conversations/{id}/activities/{replyToId}` (a "reply"), not `.../activities`; that includes proactive
 *    turns (`continueConversationAsync` uses a random uuid as the turn activity id, `createConversationAsync` the new
 *    conversation id). Both routes count as a send.
 *  - the client RETRIES transparently (@azure/core-rest-pipeline default retry policy, 3 retries): a 429 or 503 with a
 *    `Retry-After` header is retried after that many seconds; 5xx is retried with exponential backoff (~0.5–1 s,
 *    1–2 s, 2–4 s). So a single injected 429-with-retryAfter or 500 is invisible to the bot (just slower); to make
 *    the bot see the failure inject 4 of them (`times: 4`), or a 429 without `retryAfter` (no header → not retried).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TENANT_ID, newMessageId } from './teams-activities.js';

// ---------------------------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------------------------

interface ConnectorCall {
  method: string;
  /** Path without the query string, as received (still URL-encoded). */
  path: string;
  /** Parsed JSON request body (undefined when empty; the raw text when it is not JSON). */
  body: any;
  /** Date.now() when the request was answered. */
  at: number;
  /** Decoded `{conversationId}` path parameter. */
  conversationId?: string;
  /** Decoded `{activityId}` path parameter (the activity replied to, updated or deleted). */
  activityId?: string;
  /** Decoded `{memberId}` path parameter. */
  memberId?: string;
  /** Which operation the stand-in took it for (undefined for unknown routes → 404). */
  operation?: ConnectorOperation;
  /** Decoded query parameters. */
  query: Record<string, string>;
  /** Request headers (lower-case names). */
  headers: Record<string, string | string[] | undefined>;
  /** HTTP status the stand-in answered with. */
  status: number;
  /** The JSON body the stand-in answered with. */
  response?: any;
}

type ConnectorOperation =
  | 'createConversation'
  | 'sendToConversation'
  | 'replyToActivity'
  | 'updateActivity'
  | 'deleteActivity'
  | 'getConversationMember'
  | 'getConversationMembers'
  | 'getConversationPagedMembers';

export interface TeamsMember {
  /** '29:…' Teams user id */
  id: string;
  aadObjectId: string;
  name: string;
  email?: string;
  userPrincipalName?: string;
  givenName?: string;
  surname?: string;
  tenantId?: string;
  /** 'user' (default), 'guest', 'anonymous' */
  userRole?: string;
}

/** `conversationId`: only calls to that conversation fail (others pass untouched). */
type InjectedFailure = (
  | { status: 429; retryAfter?: number }
  | { status: 500 }
  | { status: 403; code?: string; message?: string }
  | { status: 404; code?: string; message?: string }
) & { conversationId?: string };

/** 'send' = POST …/activities and …/activities/{id}; 'update' = PUT; 'create' = POST /v3/conversations; 'members' = the GET member routes; 'delete' = DELETE …/activities/{id}. */
type FailureKind = 'send' | 'update' | 'create' | 'members' | 'delete';

export interface ConnectorStandIn {
  /** 'http://127.0.0.1:PORT/' — the serviceUrl to put in activities (ends with '/', like Teams' service URLs). */
  serviceUrl: string;
  /** Every request, in order (including failed and unknown ones). */
  calls: ConnectorCall[];
  /**
   * A member of these conversations (for members / pagedmembers). `getMember` resolves a known member in any
   * conversation by id or aadObjectId. The 1:1 conversation 'a:1on1-' + m.id always has m as its member.
   * For channel activities botbuilder asks about the TEAM id (channelData.team.id), so list the team id here.
   */
  addMember(m: TeamsMember, conversationIds?: string[]): void;
  /** Activities successfully POSTed to a conversation (all conversations when omitted), in order, each with its new `id`. */
  sent(conversationId?: string): any[];
  /** Activities successfully PUT (updates), in order. */
  updated(conversationId?: string): any[];
  /**
   * The next `times` (default 1) calls of `kind` fail:
   * 429 → `{error:{code:'Throttled'}}` + `Retry-After: retryAfter` header when retryAfter is given (seconds, decimals ok);
   * 500 → `{error:{code:'ServiceError'}}`; 403 → `{error:{code: code ?? 'ConversationBlockedByUser'}}`;
   * 404 → `{error:{code: code ?? 'ConversationNotFound'}}`. See the header comment about client retries.
   */
  failNext(kind: FailureKind, failure: InjectedFailure, times?: number): void;
  /** Resolves with the first matching call (including ones already recorded); rejects after timeoutMs (default 5000) listing what was recorded. */
  waitFor(predicate: (c: ConnectorCall) => boolean, timeoutMs?: number): Promise<ConnectorCall>;
  /** The 1:1 conversation id the stand-in gives (or gave) `memberId` when the bot creates one: 'a:1on1-' + member id. */
  personalConversationId(memberIdOrAadObjectId: string): string;
  /** The latest version of an activity the bot sent (after updates), or undefined. */
  getActivity(conversationId: string, activityId: string): any | undefined;
  /** Forget recorded calls, sent/updated lists and pending failures (keeps members and stored activities, so updates of earlier messages still work). */
  reset(): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------------
// Implementation
// ---------------------------------------------------------------------------------------------------------------

interface Route {
  operation: ConnectorOperation;
  kind: FailureKind;
  conversationId?: string;
  activityId?: string;
  memberId?: string;
}

/**
 * Teams takes a message of at most about 28 KB (text, cards and attachments together); a bigger
 * one is refused with 413 "Message size too large".
 */
export const TEAMS_MESSAGE_LIMIT_BYTES = 28 * 1024;
function rejectTooLarge(body: unknown): void {
  if (Buffer.byteLength(JSON.stringify(body)) > TEAMS_MESSAGE_LIMIT_BYTES) throw new HttpError(413, 'MessageSizeTooBig', 'Message size too large.');
}

/** As Microsoft's connector (and the Agents Playground) do: `conversation.conversationType: ""` is 400 BadArgument "Invalid input". */
function rejectEmptyConversationType(activity: Record<string, unknown>): void {
  const conversation = activity.conversation;
  if (typeof conversation === 'object' && conversation !== null && (conversation as { conversationType?: unknown }).conversationType === '') {
    throw new HttpError(400, 'BadArgument', 'Invalid input');
  }
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const DEFAULT_PAGE_SIZE = 200;

export async function startConnectorStandIn(opts: { tenantId?: string } = {}): Promise<ConnectorStandIn> {
  const tenantId = opts.tenantId ?? TENANT_ID;

  const calls: ConnectorCall[] = [];
  const members = new Map<string, TeamsMember>(); // by id
  const byAad = new Map<string, string>(); // aadObjectId (lower-case) → id
  const conversationMembers = new Map<string, string[]>(); // conversation id → member ids (ordered)
  const stored = new Map<string, Map<string, any>>(); // conversation id → activity id → latest activity
  let sentLog: Array<{ conversationId: string; activity: any }> = [];
  let updatedLog: Array<{ conversationId: string; activity: any }> = [];
  let failures: Record<FailureKind, InjectedFailure[]> = emptyFailures();
  let waiters: Array<{ predicate: (c: ConnectorCall) => boolean; resolve: (c: ConnectorCall) => void }> = [];
  let serviceUrl = '';

  function emptyFailures(): Record<FailureKind, InjectedFailure[]> {
    return { send: [], update: [], create: [], members: [], delete: [] };
  }

  function resolveMember(idOrAad: string): TeamsMember | undefined {
    return members.get(idOrAad) ?? members.get(byAad.get(idOrAad.toLowerCase()) ?? '');
  }

  function personalConversationId(memberIdOrAad: string): string {
    return `a:1on1-${resolveMember(memberIdOrAad)?.id ?? memberIdOrAad}`;
  }

  function joinConversation(conversationId: string, memberId: string): void {
    const list = conversationMembers.get(conversationId) ?? [];
    if (!list.includes(memberId)) list.push(memberId);
    conversationMembers.set(conversationId, list);
  }

  function membersOf(conversationId: string): TeamsMember[] {
    const ids = [...(conversationMembers.get(conversationId) ?? [])];
    const personal = /^a:1on1-(.+)$/.exec(conversationId);
    if (personal?.[1] && !ids.includes(personal[1])) ids.unshift(personal[1]);
    return ids.map((id) => members.get(id)).filter((m): m is TeamsMember => m !== undefined);
  }

  /** TeamsChannelAccount JSON as Teams returns it (both objectId and aadObjectId: TeamsInfo.getMembers copies objectId → aadObjectId). */
  function memberJson(m: TeamsMember): Record<string, unknown> {
    const json: Record<string, unknown> = {
      id: m.id,
      name: m.name,
      aadObjectId: m.aadObjectId,
      objectId: m.aadObjectId,
      givenName: m.givenName,
      surname: m.surname,
      email: m.email,
      userPrincipalName: m.userPrincipalName,
      tenantId: m.tenantId ?? tenantId,
      userRole: m.userRole ?? 'user',
    };
    for (const k of Object.keys(json)) if (json[k] === undefined) delete json[k];
    return json;
  }

  function store(conversationId: string, activity: any): void {
    let conv = stored.get(conversationId);
    if (!conv) stored.set(conversationId, (conv = new Map()));
    conv.set(activity.id, activity);
  }

  function route(method: string, segments: string[]): Route | undefined {
    // segments: ['v3', 'conversations', ...] already decoded
    if (segments[0] !== 'v3' || segments[1] !== 'conversations') return undefined;
    const rest = segments.slice(2);
    const [conversationId, sub, id, extra] = rest;
    if (rest.length === 0) return method === 'POST' ? { operation: 'createConversation', kind: 'create' } : undefined;
    if (conversationId === undefined || conversationId === '') return undefined;
    if (sub === 'activities') {
      if (rest.length === 2 && method === 'POST') return { operation: 'sendToConversation', kind: 'send', conversationId };
      if (rest.length === 3 && id) {
        if (method === 'POST') return { operation: 'replyToActivity', kind: 'send', conversationId, activityId: id };
        if (method === 'PUT') return { operation: 'updateActivity', kind: 'update', conversationId, activityId: id };
        if (method === 'DELETE') return { operation: 'deleteActivity', kind: 'delete', conversationId, activityId: id };
      }
      return undefined;
    }
    if (sub === 'members' && method === 'GET') {
      if (rest.length === 2) return { operation: 'getConversationMembers', kind: 'members', conversationId };
      if (rest.length === 3 && id) return { operation: 'getConversationMember', kind: 'members', conversationId, memberId: id };
      return undefined;
    }
    if (sub === 'pagedmembers' && method === 'GET' && rest.length === 2 && extra === undefined) {
      return { operation: 'getConversationPagedMembers', kind: 'members', conversationId };
    }
    return undefined;
  }

  function injected(kind: FailureKind, conversationId: string | undefined): HttpError | undefined {
    const at = failures[kind].findIndex((x) => x.conversationId === undefined || x.conversationId === conversationId);
    if (at < 0) return undefined;
    const f = failures[kind].splice(at, 1)[0]!;
    switch (f.status) {
      case 429: {
        const headers: Record<string, string> = {};
        if (f.retryAfter !== undefined) headers['retry-after'] = String(f.retryAfter);
        return new HttpError(429, 'Throttled', 'Too many requests, retry later (injected).', headers);
      }
      case 500:
        return new HttpError(500, 'ServiceError', 'Internal server error (injected).');
      case 403:
        return new HttpError(403, f.code ?? 'ConversationBlockedByUser', f.message ?? 'User blocked the conversation with the bot (injected).');
      case 404:
        return new HttpError(404, f.code ?? 'ConversationNotFound', f.message ?? 'Conversation not found (injected).');
    }
  }

  function handle(r: Route, body: any, query: Record<string, string>): { status: number; json: unknown } {
    const failure = injected(r.kind, r.conversationId);
    if (failure) throw failure;
    const convId = r.conversationId ?? '';

    switch (r.operation) {
      case 'createConversation': {
        if (!isRecord(body)) throw new HttpError(400, 'BadArgument', 'Request body must be ConversationParameters JSON.');
        const params = body;
        const memberList: any[] = Array.isArray(params.members) ? params.members : [];
        const tenant = params.tenantId ?? params.channelData?.tenant?.id;
        const channelId: string | undefined = params.channelData?.channel?.id ?? params.channelData?.teamsChannelId;
        const activityIn = isRecord(params.activity) ? params.activity : undefined;
        let id: string;
        let activityId: string | undefined;
        if (channelId) {
          // A new thread in a channel (TeamsInfo.sendMessageToTeamsChannel): the conversation id is the channel id plus
          // the id of the thread's first message.
          activityId = newMessageId();
          id = `${channelId};messageid=${activityId}`;
        } else if (params.isGroup) {
          throw new HttpError(400, 'BadArgument', 'Bots cannot create group chats; create a 1:1 conversation or a channel thread.');
        } else {
          // Teams needs the tenant to create a 1:1 conversation (a channel thread implies it).
          if (!tenant) throw new HttpError(400, 'BadArgument', 'A tenant id is required to create a 1:1 conversation (tenantId or channelData.tenant.id).');
          const only = memberList[0];
          if (memberList.length !== 1 || !isRecord(only) || typeof only.id !== 'string' || only.id === '') {
            throw new HttpError(400, 'BadArgument', 'A 1:1 conversation needs exactly one member with an id.');
          }
          id = personalConversationId(only.id);
          const m = resolveMember(only.id);
          joinConversation(id, m?.id ?? only.id);
          if (activityIn) activityId = newMessageId();
        }
        if (activityIn && activityId) {
          const a = { ...activityIn, id: activityId, conversation: { ...(activityIn.conversation ?? {}), id } };
          store(id, a);
          sentLog.push({ conversationId: id, activity: a });
        }
        const json: Record<string, unknown> = { id, serviceUrl };
        if (activityId) json.activityId = activityId;
        return { status: 200, json };
      }

      case 'sendToConversation':
      case 'replyToActivity': {
        if (!isRecord(body)) throw new HttpError(400, 'BadArgument', 'Request body must be an Activity.');
        rejectEmptyConversationType(body);
        rejectTooLarge(body);
        const id = newMessageId();
        const activity = { ...body, id };
        store(convId, activity);
        sentLog.push({ conversationId: convId, activity });
        return { status: 200, json: { id } };
      }

      case 'updateActivity': {
        if (!isRecord(body)) throw new HttpError(400, 'BadArgument', 'Request body must be an Activity.');
        rejectEmptyConversationType(body);
        rejectTooLarge(body);
        const activityId = r.activityId ?? '';
        const conv = stored.get(convId);
        const previous = conv?.get(activityId);
        if (!previous) {
          throw new HttpError(404, 'NotFound', `Activity '${activityId}' was never sent to conversation '${convId}' (through this stand-in), so it cannot be updated.`);
        }
        const activity = { ...body, id: activityId };
        conv?.set(activityId, activity);
        updatedLog.push({ conversationId: convId, activity });
        return { status: 200, json: { id: activityId } };
      }

      case 'deleteActivity': {
        const activityId = r.activityId ?? '';
        const conv = stored.get(convId);
        if (!conv?.has(activityId)) {
          throw new HttpError(404, 'NotFound', `Activity '${activityId}' was never sent to conversation '${convId}' (through this stand-in).`);
        }
        conv.delete(activityId);
        return { status: 200, json: {} };
      }

      case 'getConversationMember': {
        const m = resolveMember(r.memberId ?? '');
        if (!m) throw new HttpError(404, 'MemberNotFoundInConversation', `Member '${r.memberId}' was not found in conversation '${convId}'.`);
        return { status: 200, json: memberJson(m) };
      }

      case 'getConversationMembers':
        return { status: 200, json: membersOf(convId).map(memberJson) };

      case 'getConversationPagedMembers': {
        // Real Teams clamps pageSize to 50..500; the stand-in honours any positive value so paging can be tested.
        const all = membersOf(convId);
        const pageSize = Math.max(1, Number.parseInt(query.pageSize ?? '', 10) || DEFAULT_PAGE_SIZE);
        let offset = 0;
        if (query.continuationToken) {
          const decoded = /^page:(\d+)$/.exec(Buffer.from(query.continuationToken, 'base64url').toString('utf8'));
          if (!decoded?.[1]) throw new HttpError(400, 'BadArgument', `Invalid continuationToken '${query.continuationToken}'.`);
          offset = Number(decoded[1]);
        }
        const page = all.slice(offset, offset + pageSize);
        const json: Record<string, unknown> = { members: page.map(memberJson) };
        if (offset + pageSize < all.length) json.continuationToken = Buffer.from(`page:${offset + pageSize}`, 'utf8').toString('base64url');
        return { status: 200, json };
      }
    }
  }

  function record(call: ConnectorCall): void {
    calls.push(call);
    const matched = waiters.filter((w) => safeMatch(w.predicate, call));
    if (matched.length) {
      waiters = waiters.filter((w) => !matched.includes(w));
      for (const w of matched) w.resolve(call);
    }
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const raw = await readBody(req);
    let body: any;
    let badJson = false;
    if (raw !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
        badJson = true;
      }
    }

    let segments: string[] | undefined;
    try {
      segments = url.pathname.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
    } catch {
      segments = undefined;
    }
    const r = segments ? route(method, segments) : undefined;

    let status: number;
    let json: unknown;
    let headers: Record<string, string> = {};
    try {
      if (!r) throw new HttpError(404, 'NotFound', `The connector stand-in has no route for ${method} ${url.pathname}.`);
      if (badJson) throw new HttpError(400, 'BadSyntax', 'Request body is not valid JSON.');
      ({ status, json } = handle(r, body, query));
    } catch (err) {
      const e = err instanceof HttpError ? err : new HttpError(500, 'ServiceError', String((err as Error)?.stack ?? err));
      status = e.status;
      json = { error: { code: e.code, message: e.message } };
      headers = e.headers;
    }

    const call: ConnectorCall = {
      method,
      path: url.pathname,
      body,
      at: Date.now(),
      query,
      headers: { ...req.headers },
      status,
      response: json,
    };
    if (r?.conversationId !== undefined) call.conversationId = r.conversationId;
    if (r?.activityId !== undefined) call.activityId = r.activityId;
    if (r?.memberId !== undefined) call.memberId = r.memberId;
    if (r) call.operation = r.operation;
    record(call);

    const text = JSON.stringify(json);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ error: { code: 'ServiceError', message: String(err) } }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  serviceUrl = `http://127.0.0.1:${port}/`;

  const standIn: ConnectorStandIn = {
    serviceUrl,
    calls,
    addMember(m, conversationIds = []) {
      members.set(m.id, { ...m });
      byAad.set(m.aadObjectId.toLowerCase(), m.id);
      for (const c of conversationIds) joinConversation(c, m.id);
    },
    sent(conversationId) {
      return sentLog.filter((s) => conversationId === undefined || s.conversationId === conversationId).map((s) => s.activity);
    },
    updated(conversationId) {
      return updatedLog.filter((s) => conversationId === undefined || s.conversationId === conversationId).map((s) => s.activity);
    },
    failNext(kind, failure, times = 1) {
      for (let i = 0; i < times; i++) failures[kind].push(failure);
    },
    waitFor(predicate, timeoutMs = 5000) {
      const already = calls.find((c) => safeMatch(predicate, c));
      if (already) return Promise.resolve(already);
      return new Promise<ConnectorCall>((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: (c: ConnectorCall) => {
            clearTimeout(timer);
            resolve(c);
          },
        };
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== waiter);
          const seen = calls.length
            ? calls.map((c) => `  ${c.method} ${c.path} → ${c.status}${c.body?.text ? ` text=${JSON.stringify(String(c.body.text).slice(0, 80))}` : ''}`).join('\n')
            : '  (none)';
          reject(new Error(`connector stand-in: no matching call within ${timeoutMs} ms. Calls recorded so far:\n${seen}`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    personalConversationId,
    getActivity(conversationId, activityId) {
      return stored.get(conversationId)?.get(activityId);
    },
    reset() {
      calls.length = 0;
      sentLog = [];
      updatedLog = [];
      failures = emptyFailures();
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return standIn;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function safeMatch(predicate: (c: ConnectorCall) => boolean, c: ConnectorCall): boolean {
  try {
    return predicate(c);
  } catch {
    return false;
  }
}

function isRecord(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
