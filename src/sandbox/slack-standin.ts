/**
 * A local stand-in for Slack's Web API (and Socket Mode) for end-to-end tests.
 *
 * It is a real HTTP server on 127.0.0.1 that answers the handful of Web API methods the bot uses, in the formats
 * Slack documents, so that the real `@slack/web-api` / `@slack/socket-mode` / Bolt clients can talk to it unchanged
 * (point them at it with `slackApiUrl: standIn.apiUrl`). Every call is recorded so tests can assert on what the bot
 * sent, and failures (rate limits, HTTP 500, Slack errors) can be injected per method.
 *
 * Behaviours that follow Slack (and that the real clients depend on) are commented where they are implemented.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';
import { type WebSocket, WebSocketServer } from 'ws';

// ---------------------------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------------------------

export interface RecordedCall {
  /** Web API method name (e.g. "chat.postMessage"), or "response_url" for a post to a response URL. */
  method: string;
  /** The arguments as Slack would see them: form/JSON fields, with `blocks`, `view`, `attachments`, `metadata` JSON-decoded. */
  args: Record<string, any>;
  /** The token the client authenticated with (Authorization: Bearer header, else a `token` form field). */
  token?: string;
  /** Date.now() when the request was answered. */
  at: number;
  /** HTTP status the stand-in answered with. */
  status: number;
  /** For "response_url" calls: the full response URL that was posted to. */
  url?: string;
  /** What the stand-in answered (the parsed JSON body; for response_url the plain text). */
  result?: unknown;
  /** For Web API calls: the request's HTTP headers, as Node read them (lower-case names). */
  headers?: Record<string, string | string[] | undefined>;
}

/** A file uploaded into the workspace (a file_input in a modal), served to the bot token at `url_private_download`. */
export interface StandInFile {
  id: string;
  name: string;
  title: string;
  filetype: string;
  mimetype: string;
  size: number;
  user: string;
  url_private: string;
  url_private_download: string;
}

interface StandInUser {
  id: string;
  name: string;
  real_name?: string;
  email?: string;
  tz?: string;
  deleted?: boolean;
  is_bot?: boolean;
  team_id?: string;
}

/** `hangMs`: the call is answered normally, but only after that long (a slow or hanging Slack) */
type InjectedFailure = { status: 429; retryAfter: number } | { status: 500 } | { error: string } | { hangMs: number };

export interface SlackStandIn {
  /** e.g. "http://127.0.0.1:PORT/api/" — pass as WebClient `slackApiUrl` (it ends with '/'). */
  apiUrl: string;
  /** "http://127.0.0.1:PORT" */
  baseUrl: string;
  /** Every Web API call AND every response_url post, in order. */
  calls: RecordedCall[];
  addUser(u: StandInUser): void;
  /** Slack's rate limit for a method, per minute; and how many calls it answered with 429 */
  setRateLimit(method: string, perMinute: number): void;
  rateLimited(method: string): number;
  /** a user group (`S…`) or a channel roster (`C…`) with these member ids */
  setGroup(id: string, userIds: string[]): void;
  setChannelMembers(id: string, userIds: string[]): void;
  callsTo(method: string): RecordedCall[];
  /**
   * Make the next `times` (default 1) calls of `method` fail ("response_url" works too):
   * `{status:429, retryAfter}` → HTTP 429 + `Retry-After` header + `{"ok":false,"error":"ratelimited"}`;
   * `{status:500}` → HTTP 500; `{error}` → HTTP 200 `{"ok":false,"error":error}` (for response_url: HTTP 404 + error text).
   */
  failNext(method: string, failure: InjectedFailure, times?: number): void;
  /**
   * Slack not answering: every call that arrives in the next `ms` (Web API and response_url, any
   * method) is held, unanswered, until that time is over, and then answered as usual.
   */
  silentFor(ms: number): void;
  /** A fresh response URL served by the stand-in; a POST to it is recorded as method "response_url" with args = the JSON body. */
  responseUrl(): string;
  /** Resolves with the first matching recorded call (including ones already recorded); rejects after timeoutMs (default 5000). */
  waitFor(predicate: (c: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  /** The stored message (as conversations.history would show it), or undefined. */
  getMessage(channel: string, ts: string): StoredMessage | undefined;
  /** A view opened/pushed/updated/published through the stand-in, by view id. */
  getView(viewId: string): Record<string, any> | undefined;
  /** Every call as it is answered (Web API and response_url); returns the unsubscribe function. The sandbox follows the bot this way. */
  onCall(listener: (c: RecordedCall) => void): () => void;
  /** The users the workspace holds (the bot's own user included). */
  listUsers(): StandInUser[];
  /** A conversation's messages, oldest first (copies). */
  messagesIn(channel: string): StoredMessage[];
  /** A person (not the app) writes a message in a conversation, as someone typing in Slack would. */
  postAsUser(channel: string, userId: string, text: string, blocks?: any[]): StoredMessage;
  /** A response_url `replace_original`: the whole message (text and blocks) is replaced in place. */
  replaceMessage(channel: string, ts: string, content: { text: string; blocks?: any[] }): boolean;
  /** The next message timestamp of this workspace (strictly increasing; one source for every message, ephemeral ones too). */
  nextTs(): string;
  /** Removes a message (a response_url `delete_original`). */
  deleteMessage(channel: string, ts: string): boolean;
  /** Replaces (or with no id, creates) a view the way a `response_action` of update/push does; returns it. */
  putView(view: Record<string, any>, id?: string): Record<string, any>;
  /** A file someone uploaded; its `url_private_download` answers only with a bot token. */
  addFile(userId: string, name: string, content: string): StandInFile;
  /**
   * Files the app uploaded (files.getUploadURLExternal → POST to the upload URL →
   * files.completeUploadExternal), with their bytes as text, the conversation each was shared in
   * (null: completed without a channel, so private to the app) and the comment it came with.
   */
  uploadedFiles(): { id: string; filename: string; title: string; channel: string | null; comment: string | null; content: string }[];
  /** Forget recorded calls and pending injected failures (keeps users, messages and views). */
  reset(): void;
  close(): Promise<void>;
  socket: {
    /** Currently open Socket Mode websocket connections. */
    readonly connections: number;
    waitForConnection(timeoutMs?: number): Promise<void>;
    /**
     * Sends `{envelope_id, type, payload, accepts_response_payload}` to the (newest) connected client and resolves
     * with the client's ack (parsed JSON: `{envelope_id, payload?}`). Waits up to timeoutMs (default 5000) for a
     * connection and for the ack.
     */
    sendEnvelope(
      type: 'slash_commands' | 'interactive' | 'events_api',
      payload: unknown,
      timeoutMs?: number,
    ): Promise<{ envelope_id: string; payload?: any }>;
  };
}

interface StoredMessage {
  type: 'message';
  ts: string;
  text: string;
  user: string;
  bot_id: string;
  app_id: string;
  team: string;
  blocks?: any[];
  attachments?: any[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  thread_ts?: string;
  edited?: { user: string; ts: string };
  /** files shared with the message (files.completeUploadExternal) */
  files?: StandInFile[];
}

// Identifiers the stand-in reports for "its" app; exported so payload helpers can use the same values.
export const STANDIN_TEAM_ID = 'T0STANDIN';
export const STANDIN_TEAM_DOMAIN = 'standin';
export const STANDIN_APP_ID = 'A0STANDIN';
export const STANDIN_BOT_ID = 'B0BOT';
export const STANDIN_BOT_USER_ID = 'U0BOT';

// ---------------------------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------------------------

type SlackResult = Record<string, unknown> & { ok: boolean };
type MethodHandler = (args: Record<string, any>, token: string) => SlackResult;

const err = (error: string, extra: Record<string, unknown> = {}): SlackResult => ({ ok: false, error, ...extra });

/** Fields that clients (web-api's serializeBody) send as JSON strings inside a form body. */
const JSON_FIELDS = ['files', 'blocks', 'view', 'attachments', 'metadata'] as const;

/** Slack form fields are strings; booleans arrive as "true"/"1". */
const flag = (v: unknown): boolean => v === true || v === 1 || v === 'true' || v === '1';

const randomId = (prefix: string, length = 10): string =>
  prefix + randomBytes(length).toString('hex').toUpperCase().slice(0, length);

const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Offset in seconds and long name of an IANA time zone right now (Slack's `tz_offset` / `tz_label`).
 * Worked out once a minute per zone: two Intl formatters per user made a page of 1,000 users take
 * 300 ms, which the bench's bulk run then counted as the bot's.
 */
const zoneInfo = new Map<string, { at: number; info: { tz_offset: number; tz_label: string } }>();
function timeZoneInfo(tz: string): { tz_offset: number; tz_label: string } {
  const at = Date.now();
  const known = zoneInfo.get(tz);
  if (known && at - known.at < 60_000) return known.info;
  let info: { tz_offset: number; tz_label: string };
  try {
    const part = (timeZoneName: 'longOffset' | 'long') =>
      new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName })
        .formatToParts(new Date(at))
        .find((p) => p.type === 'timeZoneName')?.value ?? '';
    const m = /GMT([+-])(\d{2}):(\d{2})/.exec(part('longOffset'));
    const offset = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60) : 0;
    info = { tz_offset: offset, tz_label: part('long') };
  } catch {
    info = { tz_offset: 0, tz_label: 'Coordinated Universal Time' };
  }
  zoneInfo.set(tz, { at, info });
  return info;
}

/** Cheap structuredClone for JSON data, so stored state never aliases what a test holds. */
const copy = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

// ---------------------------------------------------------------------------------------------------------------
// Block Kit / view validation — a deliberately small subset of the limits Slack documents, enough to catch the
// usual mistakes (empty texts, over-long texts, too many blocks, duplicate ids). Slack answers these with
// `invalid_blocks` (messages) or `invalid_arguments` (views) plus "[json-pointer:…]" messages.
// ---------------------------------------------------------------------------------------------------------------

function checkText(obj: unknown, ptr: string, max: number, problems: string[], plainOnly = false): void {
  if (!isObject(obj)) {
    problems.push(`must provide an object [json-pointer:${ptr}]`);
    return;
  }
  if (obj.type !== 'plain_text' && (plainOnly || obj.type !== 'mrkdwn')) {
    problems.push(`must be one of ${plainOnly ? '[plain_text]' : '[plain_text, mrkdwn]'} [json-pointer:${ptr}/type]`);
  }
  if (typeof obj.text !== 'string' || obj.text.length === 0) {
    problems.push(`must be more than 0 characters [json-pointer:${ptr}/text]`);
  } else if (obj.text.length > max) {
    problems.push(`must be less than ${max + 1} characters [json-pointer:${ptr}/text]`);
  }
}

function checkElement(el: unknown, ptr: string, problems: string[], actionIds: Set<string>): void {
  if (!isObject(el) || typeof el.type !== 'string') {
    problems.push(`must provide an object with a type [json-pointer:${ptr}]`);
    return;
  }
  if (el.action_id !== undefined) {
    if (typeof el.action_id !== 'string' || el.action_id.length > 255) {
      problems.push(`must be less than 256 characters [json-pointer:${ptr}/action_id]`);
    } else if (actionIds.has(el.action_id)) {
      problems.push(`action_id must be unique within the block [json-pointer:${ptr}/action_id]`);
    } else {
      actionIds.add(el.action_id);
    }
  }
  if (el.type === 'button') {
    checkText(el.text, `${ptr}/text`, 75, problems, true);
    if (typeof el.value === 'string' && el.value.length > 2000) {
      problems.push(`must be less than 2001 characters [json-pointer:${ptr}/value]`);
    }
    if (typeof el.url === 'string' && el.url.length > 3000) {
      problems.push(`must be less than 3001 characters [json-pointer:${ptr}/url]`);
    }
  }
}

/** Returns the list of problems, empty when the blocks pass. */
function validateBlocks(blocks: unknown, ptr: string, maxBlocks: number): string[] {
  const problems: string[] = [];
  if (!Array.isArray(blocks)) return [`must provide an array [json-pointer:${ptr}]`];
  if (blocks.length > maxBlocks) problems.push(`no more than ${maxBlocks} items allowed [json-pointer:${ptr}]`);
  const blockIds = new Set<string>();
  blocks.forEach((block: unknown, i) => {
    const p = `${ptr}/${i}`;
    if (!isObject(block) || typeof block.type !== 'string') {
      problems.push(`must provide an object with a type [json-pointer:${p}]`);
      return;
    }
    if (block.block_id !== undefined) {
      if (typeof block.block_id !== 'string' || block.block_id.length > 255) {
        problems.push(`must be less than 256 characters [json-pointer:${p}/block_id]`);
      } else if (blockIds.has(block.block_id)) {
        problems.push(`block_id must be unique [json-pointer:${p}/block_id]`);
      } else {
        blockIds.add(block.block_id);
      }
    }
    const actionIds = new Set<string>();
    switch (block.type) {
      case 'section':
        if (block.text === undefined && block.fields === undefined) {
          problems.push(`must provide either text or fields [json-pointer:${p}]`);
        }
        if (block.text !== undefined) checkText(block.text, `${p}/text`, 3000, problems);
        if (block.fields !== undefined) {
          if (!Array.isArray(block.fields) || block.fields.length > 10) {
            problems.push(`no more than 10 items allowed [json-pointer:${p}/fields]`);
          } else {
            block.fields.forEach((f: unknown, j: number) => checkText(f, `${p}/fields/${j}`, 2000, problems));
          }
        }
        if (block.accessory !== undefined) checkElement(block.accessory, `${p}/accessory`, problems, actionIds);
        break;
      case 'header':
        checkText(block.text, `${p}/text`, 150, problems, true);
        break;
      case 'actions':
        if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 25) {
          problems.push(`must provide 1 to 25 elements [json-pointer:${p}/elements]`);
        } else {
          block.elements.forEach((el: unknown, j: number) => checkElement(el, `${p}/elements/${j}`, problems, actionIds));
        }
        break;
      case 'context':
        if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 10) {
          problems.push(`must provide 1 to 10 elements [json-pointer:${p}/elements]`);
        }
        break;
      case 'input':
        checkText(block.label, `${p}/label`, 2000, problems, true);
        checkElement(block.element, `${p}/element`, problems, actionIds);
        break;
      default:
        // Other block types (divider, image, rich_text, …) are accepted as-is.
        break;
    }
  });
  return problems;
}

/** Slack's view limits (modal title/submit/close ≤ 24 chars, private_metadata ≤ 3000, callback_id ≤ 255, 100 blocks). */
function validateView(view: unknown, expectType?: 'modal' | 'home'): string[] {
  if (!isObject(view)) return ['must provide an object [json-pointer:/view]'];
  const problems: string[] = [];
  if (view.type !== 'modal' && view.type !== 'home') problems.push('must be one of [modal, home] [json-pointer:/view/type]');
  else if (expectType && view.type !== expectType) problems.push(`must be ${expectType} [json-pointer:/view/type]`);
  if (view.type === 'modal') {
    checkText(view.title, '/view/title', 24, problems, true);
    if (view.submit !== undefined) checkText(view.submit, '/view/submit', 24, problems, true);
    if (view.close !== undefined) checkText(view.close, '/view/close', 24, problems, true);
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b: any) => isObject(b) && b.type === 'input');
    if (hasInput && view.submit === undefined) problems.push('must provide submit when there are input blocks [json-pointer:/view/submit]');
  }
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > 3000) {
    problems.push('must be less than 3001 characters [json-pointer:/view/private_metadata]');
  }
  if (typeof view.callback_id === 'string' && view.callback_id.length > 255) {
    problems.push('must be less than 256 characters [json-pointer:/view/callback_id]');
  }
  problems.push(...validateBlocks(view.blocks ?? [], '/view/blocks', 100));
  return problems;
}

const invalidBlocks = (problems: string[]): SlackResult =>
  err('invalid_blocks', { errors: problems, response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) } });

const invalidArguments = (problems: string[]): SlackResult =>
  err('invalid_arguments', { response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) } });

// ---------------------------------------------------------------------------------------------------------------
// Request parsing
// ---------------------------------------------------------------------------------------------------------------

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The first value of a possibly repeated form field. */
const single = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

interface ParsedRequest {
  args: Record<string, any>;
  /** A `token` sent as a form field (Slack accepts it there, but not inside a JSON body). */
  bodyToken?: string;
  /** A Slack error for an unparseable body. */
  error?: string;
}

/**
 * Parses a Web API request the way Slack does. `@slack/web-api` 8 posts `application/x-www-form-urlencoded`
 * (no charset) with objects/arrays flattened to JSON strings, or multipart/form-data when a Buffer is present;
 * other clients post `application/json` with the token in the Authorization header. Query-string arguments are
 * honoured too (Slack accepts GET for most methods).
 */
async function parseApiRequest(req: IncomingMessage, raw: Buffer, query: URLSearchParams): Promise<ParsedRequest> {
  const args: Record<string, any> = Object.fromEntries(query);
  let bodyToken: string | undefined = single(query.getAll('token'));
  const contentType = (req.headers['content-type'] ?? '').toLowerCase();
  const text = raw.toString('utf8');

  if (contentType.startsWith('application/json')) {
    if (text.trim() !== '') {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return { args, error: 'invalid_json' };
      }
      if (!isObject(body)) return { args, error: 'json_not_object' };
      // Slack ignores a token inside a JSON body: JSON requests must authenticate with the Authorization header.
      const { token: _ignored, ...rest } = body;
      Object.assign(args, rest);
    }
  } else if (contentType.startsWith('multipart/form-data')) {
    try {
      const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': req.headers['content-type'] ?? '' } }).formData();
      for (const [key, value] of form) args[key] = typeof value === 'string' ? value : `<file ${value.size} bytes>`;
    } catch {
      return { args, error: 'invalid_form_data' };
    }
    if (typeof args.token === 'string') bodyToken = args.token;
  } else if (text !== '') {
    // application/x-www-form-urlencoded (and, leniently, anything else that looks like it).
    for (const [key, value] of Object.entries(parseQuery(text))) args[key] = single(value);
    if (typeof args.token === 'string') bodyToken = args.token;
  }
  delete args.token;

  for (const field of JSON_FIELDS) {
    if (typeof args[field] === 'string' && args[field] !== '') {
      try {
        args[field] = JSON.parse(args[field]);
      } catch {
        // Leave the string in place; the method handler reports it as Slack would (e.g. invalid_blocks_format).
      }
    }
  }
  return { args, bodyToken };
}

function bearerToken(req: IncomingMessage): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return m?.[1];
}

// ---------------------------------------------------------------------------------------------------------------
// The stand-in
// ---------------------------------------------------------------------------------------------------------------

export async function startSlackStandIn(
  opts: {
    botUserId?: string;
    teamId?: string;
    /** the workspace's clock for message timestamps (the sandbox fast-forwards it) */
    now?: () => number;
    /** keep every call in `calls` (tests read them); a long-running sandbox only follows them with onCall */
    keepCalls?: boolean;
  } = {},
): Promise<SlackStandIn> {
  const clockNow = opts.now ?? Date.now;
  const botUserId = opts.botUserId ?? STANDIN_BOT_USER_ID;
  const teamId = opts.teamId ?? STANDIN_TEAM_ID;

  const calls: RecordedCall[] = [];
  const callListeners = new Set<(c: RecordedCall) => void>();
  const users = new Map<string, StandInUser>();
  const rateLimits = new Map<string, { perMinute: number; window: number[]; limited: number }>();
  // user groups and channel rosters, for usergroups.users.list and conversations.members
  const groups = new Map<string, string[]>();
  const rosters = new Map<string, string[]>();
  const failures = new Map<string, InjectedFailure[]>();
  const messages = new Map<string, StoredMessage[]>(); // channel → messages, oldest first
  const views = new Map<string, Record<string, any>>();
  const usedTriggerIds = new Set<string>();
  const openedIms = new Set<string>();
  const tickets = new Set<string>(); // apps.connections.open tickets, single use
  const files = new Map<string, { file: StandInFile; content: string }>();
  // the app's own uploads, by file id: asked for (a URL), then its bytes, then completed into a conversation
  const uploads = new Map<string, { id: string; filename: string; length: number; urlKey: string; bytes?: Buffer; completed?: { title: string; channel: string | null; comment: string | null } }>();
  let responseUrlCounter = 0;
  let lastTsMicros = 0;

  // The bot's own user exists, as it does in a real workspace.
  users.set(botUserId, { id: botUserId, name: 'atlas-invite-bot', real_name: 'ATLAS Invite Bot', is_bot: true, tz: 'UTC' });

  const server = createServer();
  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Set<WebSocket>();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const apiUrl = `${baseUrl}/api/`;

  // --- recording ----------------------------------------------------------------------------------------------

  function record(call: Omit<RecordedCall, 'at'>): void {
    const recorded: RecordedCall = { ...call, at: Date.now() };
    if (opts.keepCalls !== false) calls.push(recorded);
    for (const listener of [...callListeners]) listener(recorded);
  }

  let silentUntil = 0;
  /** holds a call while Slack is silent (silentFor) */
  const waitOutSilence = async (): Promise<void> => {
    const left = silentUntil - Date.now();
    if (left > 0) await new Promise((r) => setTimeout(r, left));
  };

  function takeFailure(method: string): InjectedFailure | undefined {
    const queue = failures.get(method);
    const failure = queue?.shift();
    if (queue && queue.length === 0) failures.delete(method);
    return failure;
  }

  /** Message timestamps: "<unix seconds>.<6 digits>", strictly increasing, close to the wall clock like Slack's. */
  function nextTs(): string {
    lastTsMicros = Math.max(Math.floor(clockNow()) * 1000, lastTsMicros + 100);
    return `${Math.floor(lastTsMicros / 1e6)}.${String(lastTsMicros % 1e6).padStart(6, '0')}`;
  }

  // --- Slack object shapes -------------------------------------------------------------------------------------

  function userObject(u: StandInUser): Record<string, unknown> {
    const tz = u.tz ?? 'America/Los_Angeles';
    const realName = u.real_name ?? u.name;
    return {
      id: u.id,
      team_id: u.team_id ?? teamId,
      name: u.name,
      deleted: u.deleted ?? false,
      real_name: realName,
      tz,
      ...timeZoneInfo(tz),
      is_admin: false,
      is_owner: false,
      is_bot: u.is_bot ?? false,
      is_app_user: false,
      updated: 1700000000,
      profile: {
        real_name: realName,
        real_name_normalized: realName,
        display_name: u.name,
        display_name_normalized: u.name,
        // Slack omits `email` when there is none (or without users:read.email).
        ...(u.email !== undefined ? { email: u.email } : {}),
        team: u.team_id ?? teamId,
      },
    };
  }

  /** Slack resolves a user ID passed as `channel` to the app's DM with that user. */
  function resolveChannel(channel: string): string | undefined {
    if (/^[UW]/.test(channel)) return users.has(channel) ? `D${channel}` : undefined;
    return channel;
  }

  function checkMessageContent(args: Record<string, any>): SlackResult | undefined {
    if (args.blocks !== undefined) {
      if (!Array.isArray(args.blocks)) return err('invalid_blocks_format');
      const problems = validateBlocks(args.blocks, '/blocks', 50);
      if (problems.length > 0) return invalidBlocks(problems);
    }
    if (args.attachments !== undefined && !Array.isArray(args.attachments)) return err('invalid_attachments');
    return undefined;
  }

  function storeView(base: Record<string, any>, id = randomId('V')): Record<string, any> {
    const view = {
      id,
      team_id: teamId,
      type: base.type,
      blocks: base.blocks ?? [],
      private_metadata: base.private_metadata ?? '',
      callback_id: base.callback_id ?? '',
      external_id: base.external_id ?? '',
      state: { values: {} },
      title: base.title,
      close: base.close ?? null,
      submit: base.submit ?? null,
      clear_on_close: base.clear_on_close ?? false,
      notify_on_close: base.notify_on_close ?? false,
      previous_view_id: null,
      root_view_id: id,
      app_id: STANDIN_APP_ID,
      app_installed_team_id: teamId,
      bot_id: STANDIN_BOT_ID,
      ...copy(base),
    };
    // Fields Slack owns win over anything in the request; every store gets a new hash (see views.update).
    Object.assign(view, {
      id,
      state: { values: {} },
      hash: randomId('', 16).toLowerCase(),
      team_id: teamId,
      app_id: STANDIN_APP_ID,
      bot_id: STANDIN_BOT_ID,
    });
    views.set(id, view);
    return view;
  }

  // --- Web API methods -----------------------------------------------------------------------------------------

  const methods: Record<string, MethodHandler> = {
    'auth.test': () => ({
      ok: true,
      url: `https://${STANDIN_TEAM_DOMAIN}.slack.com/`,
      team: 'Stand-in Team',
      user: users.get(botUserId)?.name ?? 'bot',
      team_id: teamId,
      user_id: botUserId,
      bot_id: STANDIN_BOT_ID,
      is_enterprise_install: false,
    }),

    // everyone in the workspace, a page at a time (`limit`, `cursor`), as Slack pages it
    'users.list': (args) => {
      const all = [...users.values()];
      const limit = Math.max(1, Math.min(1000, Number(args.limit ?? 200)));
      const start = Number(args.cursor ? Buffer.from(String(args.cursor), 'base64').toString() : 0);
      const next = start + limit < all.length ? Buffer.from(String(start + limit)).toString('base64') : '';
      return { ok: true, members: all.slice(start, start + limit).map(userObject), response_metadata: { next_cursor: next } };
    },

    'usergroups.users.list': (args) => {
      const members = typeof args.usergroup === 'string' ? groups.get(args.usergroup) : undefined;
      return members ? { ok: true, users: members } : err('no_such_subteam');
    },

    // paged like Slack: `limit` per page, `response_metadata.next_cursor` until the last page
    'conversations.members': (args) => {
      const members = typeof args.channel === 'string' ? rosters.get(args.channel) : undefined;
      if (!members) return err('channel_not_found');
      const limit = Math.max(1, Math.min(1000, Number(args.limit ?? 100)));
      const start = Number(args.cursor ? Buffer.from(String(args.cursor), 'base64').toString() : 0);
      const page = members.slice(start, start + limit);
      const next = start + limit < members.length ? Buffer.from(String(start + limit)).toString('base64') : '';
      return { ok: true, members: page, response_metadata: { next_cursor: next } };
    },

    'users.info': (args) => {
      const user = typeof args.user === 'string' ? users.get(args.user) : undefined;
      // Deactivated users are still returned, with deleted: true.
      return user ? { ok: true, user: userObject(user) } : err('user_not_found');
    },

    'users.lookupByEmail': (args) => {
      const email = typeof args.email === 'string' ? args.email.trim().toLowerCase() : '';
      // Slack compares email addresses case-insensitively; note the error is plural here ("users_not_found").
      const user = [...users.values()].find((u) => u.email !== undefined && u.email.toLowerCase() === email);
      return user && email !== '' ? { ok: true, user: userObject(user) } : err('users_not_found');
    },

    'conversations.open': (args) => {
      if (typeof args.channel === 'string' && args.channel !== '') {
        return { ok: true, no_op: true, already_open: true, channel: { id: args.channel } };
      }
      const ids = String(args.users ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (ids.length === 0) return err('users_list_not_supplied');
      for (const id of ids) {
        const user = users.get(id);
        if (!user) return err('user_not_found');
        if (user.deleted) return err('user_disabled');
      }
      // A single user gives a stable DM id; several users give a multi-person DM.
      const id = ids.length === 1 ? `D${ids[0]}` : `G${ids.join('').slice(0, 20)}`;
      const alreadyOpen = openedIms.has(id);
      openedIms.add(id);
      // Without return_im Slack answers only the id (plus no_op/already_open when it already existed).
      const channel = flag(args.return_im) ? { id, created: 1700000000, is_im: ids.length === 1, user: ids[0] } : { id };
      return alreadyOpen ? { ok: true, no_op: true, already_open: true, channel } : { ok: true, channel };
    },

    'chat.postMessage': (args) => {
      if (typeof args.channel !== 'string' || args.channel === '') return err('channel_not_found');
      const channel = resolveChannel(args.channel);
      if (!channel) return err('channel_not_found');
      const hasText = typeof args.text === 'string' && args.text !== '';
      if (!hasText && args.blocks === undefined && args.attachments === undefined) return err('no_text');
      const invalid = checkMessageContent(args);
      if (invalid) return invalid;
      if (args.metadata !== undefined) {
        if (!isObject(args.metadata)) return err('invalid_metadata_format');
        if (typeof args.metadata.event_type !== 'string' || !isObject(args.metadata.event_payload)) {
          return err('invalid_metadata_schema');
        }
      }
      const ts = nextTs();
      const message: StoredMessage = {
        type: 'message',
        ts,
        text: typeof args.text === 'string' ? args.text : '',
        user: botUserId,
        bot_id: STANDIN_BOT_ID,
        app_id: STANDIN_APP_ID,
        team: teamId,
        // Slack assigns a block_id to blocks that were sent without one.
        ...(Array.isArray(args.blocks)
          ? { blocks: copy(args.blocks).map((b: any) => ({ block_id: randomId('', 5), ...b })) }
          : {}),
        ...(Array.isArray(args.attachments) ? { attachments: copy(args.attachments) } : {}),
        ...(args.metadata !== undefined ? { metadata: copy(args.metadata) } : {}),
        ...(typeof args.thread_ts === 'string' && args.thread_ts !== '' ? { thread_ts: args.thread_ts } : {}),
      };
      const list = messages.get(channel) ?? [];
      list.push(message);
      messages.set(channel, list);
      return { ok: true, channel, ts, message: copy(message) };
    },

    'chat.update': (args) => {
      const channel = typeof args.channel === 'string' ? args.channel : '';
      const message = messages.get(channel)?.find((m) => m.ts === args.ts);
      if (!message) return err('message_not_found');
      const invalid = checkMessageContent(args);
      if (invalid) return invalid;
      if (typeof args.text === 'string') message.text = args.text;
      if (Array.isArray(args.blocks)) message.blocks = copy(args.blocks).map((b: any) => ({ block_id: randomId('', 5), ...b }));
      if (Array.isArray(args.attachments)) message.attachments = copy(args.attachments);
      if (isObject(args.metadata)) message.metadata = copy(args.metadata) as StoredMessage['metadata'];
      message.edited = { user: botUserId, ts: nextTs() };
      return { ok: true, channel, ts: message.ts, text: message.text, message: copy(message) };
    },

    'chat.postEphemeral': (args) => {
      if (typeof args.channel !== 'string' || args.channel === '') return err('channel_not_found');
      const user = typeof args.user === 'string' ? users.get(args.user) : undefined;
      if (!user) return err('user_not_found');
      const hasText = typeof args.text === 'string' && args.text !== '';
      if (!hasText && args.blocks === undefined && args.attachments === undefined) return err('no_text');
      const invalid = checkMessageContent(args);
      if (invalid) return invalid;
      return { ok: true, message_ts: nextTs() };
    },

    'views.open': (args) => openView(args),
    'views.push': (args) => openView(args),

    'views.update': (args) => {
      const existing =
        typeof args.view_id === 'string' && args.view_id !== ''
          ? views.get(args.view_id)
          : [...views.values()].find((v) => v.external_id !== '' && v.external_id === args.external_id);
      if (!existing) return err('not_found');
      // Slack rejects an update whose `hash` no longer matches (the view changed in between).
      if (typeof args.hash === 'string' && args.hash !== '' && args.hash !== existing.hash) return err('hash_conflict');
      const problems = validateView(args.view);
      if (problems.length > 0) return invalidArguments(problems);
      const view = storeView({ ...args.view, root_view_id: existing.root_view_id }, existing.id);
      return { ok: true, view: copy(view) };
    },

    'views.publish': (args) => {
      if (typeof args.user_id !== 'string' || !users.has(args.user_id)) return err('user_not_found');
      const problems = validateView(args.view, 'home');
      if (problems.length > 0) return invalidArguments(problems);
      const view = storeView(args.view);
      return { ok: true, view: copy(view) };
    },

    'conversations.history': (args) => {
      if (typeof args.channel !== 'string' || args.channel === '') return err('channel_not_found');
      const inclusive = flag(args.inclusive);
      const oldest = args.oldest !== undefined ? Number(args.oldest) : undefined;
      const latest = args.latest !== undefined ? Number(args.latest) : undefined;
      const limit = Math.min(Math.max(Number(args.limit ?? 100) || 100, 1), 999);
      const all = (messages.get(args.channel) ?? [])
        // Thread replies are not part of the channel history (only their parents are).
        .filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts)
        .filter((m) => oldest === undefined || (inclusive ? Number(m.ts) >= oldest : Number(m.ts) > oldest))
        .filter((m) => latest === undefined || (inclusive ? Number(m.ts) <= latest : Number(m.ts) < latest))
        .reverse(); // newest first
      // Messages posted by the calling app always carry their metadata (all messages here are the app's own).
      return {
        ok: true,
        messages: copy(all.slice(0, limit)),
        has_more: all.length > limit,
        pin_count: 0,
        response_metadata: { next_cursor: '' },
      };
    },

    // the current upload API, step 1: a URL to send the bytes to (files.upload is retired)
    'files.getUploadURLExternal': (args) => {
      const filename = typeof args.filename === 'string' ? args.filename : '';
      const length = Number(args.length);
      if (filename === '' || args.length === undefined || !Number.isInteger(length) || length < 1) {
        return err('invalid_arguments', { response_metadata: { messages: ['[ERROR] filename and a positive integer length are required'] } });
      }
      if (length > 1024 * 1024 * 1024) return err('file_too_large');
      const id = randomId('F');
      const urlKey = randomBytes(12).toString('hex');
      uploads.set(id, { id, filename, length, urlKey });
      return { ok: true, upload_url: `${baseUrl}/upload/v1/${urlKey}`, file_id: id };
    },

    // step 3: the uploaded files are completed, and shared into one conversation (or kept private)
    'files.completeUploadExternal': (args) => {
      const list: unknown = args.files;
      if (!Array.isArray(list) || list.length === 0 || list.length > 10) return err('invalid_arguments', { response_metadata: { messages: ['[ERROR] files must be a JSON array of 1 to 10 {id, title}'] } });
      const picked: { upload: NonNullable<ReturnType<typeof uploads.get>>; title: string }[] = [];
      for (const f of list) {
        const upload = isObject(f) && typeof f.id === 'string' ? uploads.get(f.id) : undefined;
        // never asked for, never uploaded, or completed already
        if (!upload || !upload.bytes || upload.completed) return err('file_not_found');
        picked.push({ upload, title: isObject(f) && typeof f.title === 'string' && f.title !== '' ? f.title : upload.filename });
      }
      let channel: string | null = null;
      if (typeof args.channel_id === 'string' && args.channel_id !== '') {
        // a conversation id: a channel, or a DM the app opened (conversations.open); never a user id
        const id = args.channel_id;
        if (!/^[CGD][A-Z0-9]+$/.test(id) || (id.startsWith('D') && !openedIms.has(id))) return err('channel_not_found');
        channel = id;
      } else if (args.channels !== undefined) {
        return err('invalid_arguments', { response_metadata: { messages: ['[ERROR] use channel_id (one conversation id)'] } });
      }
      const comment = typeof args.initial_comment === 'string' && args.initial_comment !== '' ? args.initial_comment : null;
      const shared = picked.map(({ upload, title }) => {
        upload.completed = { title, channel, comment };
        const file: StandInFile = {
          id: upload.id,
          name: upload.filename,
          title,
          filetype: /\.([A-Za-z0-9]+)$/.exec(upload.filename)?.[1]?.toLowerCase() ?? 'text',
          mimetype: upload.filename.endsWith('.csv') ? 'text/csv' : 'text/plain',
          size: upload.length,
          user: botUserId,
          url_private: `${baseUrl}/files-pri/${teamId}-${upload.id}/${encodeURIComponent(upload.filename)}`,
          url_private_download: `${baseUrl}/files-pri/${teamId}-${upload.id}/download/${encodeURIComponent(upload.filename)}`,
        };
        files.set(upload.id, { file, content: upload.bytes!.toString('utf8') });
        return file;
      });
      if (channel) {
        const list = messages.get(channel) ?? [];
        list.push({ type: 'message', ts: nextTs(), text: comment ?? '', user: botUserId, bot_id: STANDIN_BOT_ID, app_id: STANDIN_APP_ID, team: teamId, files: copy(shared) });
        messages.set(channel, list);
      }
      return { ok: true, files: shared.map((f) => ({ id: f.id, title: f.title })) };
    },

    'apps.connections.open': () => {
      const ticket = randomBytes(16).toString('hex');
      tickets.add(ticket);
      // Slack answers a wss:// URL with a one-time ticket; the client just opens whatever URL it is given.
      return { ok: true, url: `ws://127.0.0.1:${port}/link/?ticket=${ticket}&app_id=${STANDIN_APP_ID}` };
    },
  };

  function openView(args: Record<string, any>): SlackResult {
    const trigger = typeof args.trigger_id === 'string' ? args.trigger_id : '';
    if (trigger === '') return err('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: trigger_id'] } });
    // A trigger_id can be exchanged for a view only once.
    if (usedTriggerIds.has(trigger)) return err('exchanged_trigger_id');
    const problems = validateView(args.view, 'modal');
    if (problems.length > 0) return invalidArguments(problems);
    usedTriggerIds.add(trigger);
    return { ok: true, view: copy(storeView(args.view)) };
  }

  // --- HTTP plumbing -------------------------------------------------------------------------------------------

  function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, method: string, query: URLSearchParams): Promise<void> {
    const raw = await readBody(req);
    const { args, bodyToken, error } = await parseApiRequest(req, raw, query);
    const token = bearerToken(req) ?? bodyToken;
    const answer = (status: number, body: unknown, headers?: Record<string, string>) => {
      sendJson(res, status, body, headers);
      record({ method, args, ...(token !== undefined ? { token } : {}), status, result: body, headers: req.headers });
    };

    await waitOutSilence();
    // Injected failures come first, like a rate limiter or a failing backend in front of the method.
    let failure = takeFailure(method);
    if (failure && 'hangMs' in failure) {
      await new Promise((r) => setTimeout(r, (failure as { hangMs: number }).hangMs));
      failure = undefined;
    }
    if (failure) {
      if ('error' in failure) return answer(200, err(failure.error));
      if (failure.status === 429) {
        // web-api reads Retry-After (seconds) from a 429; without a numeric header it aborts instead of retrying.
        return answer(429, err('ratelimited'), { 'retry-after': String(failure.retryAfter) });
      }
      // web-api treats any non-200/429 status as a WebAPIHTTPError (and retries it per its retryConfig).
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Internal Server Error');
      record({ method, args, ...(token !== undefined ? { token } : {}), status: 500, headers: req.headers });
      return;
    }

    const handler = methods[method];
    if (!handler) return answer(200, err('unknown_method'));
    // Slack's rate limits, when a test sets them: over the allowance → 429 with Retry-After
    const limit = rateLimits.get(method);
    if (limit) {
      const now = Date.now();
      while (limit.window.length && now - limit.window[0]! >= 60_000) limit.window.shift();
      if (limit.window.length >= limit.perMinute) {
        limit.limited += 1;
        const retryAfter = Math.max(1, Math.ceil((60_000 - (now - limit.window[0]!)) / 1000));
        return answer(429, err('ratelimited'), { 'Retry-After': String(retryAfter) });
      }
      limit.window.push(now);
    }
    if (error) return answer(200, err(error));

    // Authentication: Slack says not_authed without a token and invalid_auth for a token it doesn't know.
    if (token === undefined || token === '') return answer(200, err('not_authed'));
    if (!/^(xoxb|xapp)-/.test(token) || token === 'xoxb-invalid') return answer(200, err('invalid_auth'));
    // App-level tokens (xapp-) only work for apps.connections.open, and that method only takes app-level tokens.
    const needsAppToken = method === 'apps.connections.open';
    if (method !== 'auth.test' && needsAppToken !== token.startsWith('xapp-')) {
      return answer(200, err('not_allowed_token_type'));
    }

    return answer(200, handler(args, token));
  }

  async function handleResponseUrl(req: IncomingMessage, res: ServerResponse, url: string): Promise<void> {
    const text = (await readBody(req)).toString('utf8');
    let args: Record<string, any> = {};
    let valid = true;
    try {
      // Bolt's respond() posts JSON; incoming-webhook style `payload=<json>` forms are accepted as well.
      const contentType = req.headers['content-type'] ?? '';
      const json = contentType.startsWith('application/x-www-form-urlencoded') ? single(parseQuery(text).payload) ?? '' : text;
      const parsed: unknown = JSON.parse(json);
      if (isObject(parsed)) args = parsed;
      else valid = false;
    } catch {
      valid = false;
    }
    const reply = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(body);
      record({ method: 'response_url', args, status, url, result: body });
    };
    await waitOutSilence();
    let failure = takeFailure('response_url');
    if (failure && 'hangMs' in failure) {
      await new Promise((r) => setTimeout(r, (failure as { hangMs: number }).hangMs));
      failure = undefined;
    }
    if (failure) {
      if ('error' in failure) return reply(404, failure.error);
      if (failure.status === 429) {
        res.setHeader('retry-after', String(failure.retryAfter));
        return reply(429, 'rate_limited');
      }
      return reply(500, 'Internal Server Error');
    }
    // Like incoming webhooks, response URLs answer a plain "ok" (or 400 "invalid_payload" for bad JSON).
    return valid ? reply(200, 'ok') : reply(400, 'invalid_payload');
  }

  // step 2: the bytes, raw or as multipart/form-data (what web-api sends), exactly the length asked for, once
  async function handleUpload(req: IncomingMessage, res: ServerResponse, key: string): Promise<void> {
    const raw = await readBody(req);
    const upload = [...uploads.values()].find((u) => u.urlKey === key);
    const reply = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(body);
      record({ method: 'file_upload', args: { file_id: upload?.id ?? null, bytes: raw.length }, status, url: `${baseUrl}/upload/v1/${key}`, result: body });
    };
    if (!upload || upload.bytes) return reply(404, 'upload_url_not_found');
    let bytes = raw;
    if ((req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data')) {
      try {
        const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': req.headers['content-type'] ?? '' } }).formData();
        const file = [...form.values()].find((v): v is File => typeof v !== 'string');
        if (!file) return reply(400, 'no_file_data');
        bytes = Buffer.from(await file.arrayBuffer());
      } catch {
        return reply(400, 'invalid_form_data');
      }
    }
    if (bytes.length !== upload.length) return reply(400, `length_mismatch: expected ${upload.length} bytes, got ${bytes.length}`);
    upload.bytes = bytes;
    return reply(200, `OK - ${bytes.length}`);
  }

  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', baseUrl);
    const apiMatch = /^\/api\/([A-Za-z0-9_.]+)$/.exec(url.pathname);
    let work: Promise<void>;
    if (apiMatch && (req.method === 'POST' || req.method === 'GET')) {
      work = handleApi(req, res, apiMatch[1]!, url.searchParams);
    } else if (url.pathname.startsWith('/response/') && req.method === 'POST') {
      work = handleResponseUrl(req, res, `${baseUrl}${url.pathname}`);
    } else if (url.pathname.startsWith('/upload/v1/') && req.method === 'POST') {
      work = handleUpload(req, res, url.pathname.slice('/upload/v1/'.length));
    } else if (url.pathname.startsWith('/files-pri/') && req.method === 'GET') {
      // Slack serves private files only to a token of the workspace (Authorization: Bearer xoxb-…)
      const id = url.pathname.split('/')[2]?.split('-').pop() ?? '';
      const stored = files.get(id);
      const token = bearerToken(req) ?? '';
      if (!stored || !/^xoxb-/.test(token)) {
        // (Slack itself redirects a browser without a session to its sign-in page; a plain refusal says the same here)
        res.writeHead(stored ? 403 : 404, { 'content-type': 'text/plain' });
        res.end(stored ? 'not_authed' : 'file_not_found');
        return;
      }
      res.writeHead(200, { 'content-type': `${stored.file.mimetype}; charset=utf-8` });
      res.end(stored.content);
      return;
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    work.catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`stand-in error: ${e instanceof Error ? e.message : String(e)}`);
    });
  });

  // --- Socket Mode ---------------------------------------------------------------------------------------------

  const pendingAcks = new Map<string, (ack: { envelope_id: string; payload?: any }) => void>();
  const connectionListeners = new Set<() => void>();

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', baseUrl);
    const ticket = url.searchParams.get('ticket') ?? '';
    // Only /link/ with a ticket from apps.connections.open (each usable once) is accepted.
    if (url.pathname !== '/link/' || !tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', () => sockets.delete(ws));
      ws.on('message', (data, isBinary) => {
        if (isBinary) return;
        let msg: unknown;
        try {
          msg = JSON.parse(data.toString());
        } catch {
          return;
        }
        if (isObject(msg) && typeof msg.envelope_id === 'string') {
          const resolve = pendingAcks.get(msg.envelope_id);
          pendingAcks.delete(msg.envelope_id);
          resolve?.(msg as { envelope_id: string; payload?: any });
        }
      });
      // The client (SocketModeClient) only reports "connected" — and Bolt's app.start() only resolves — after hello.
      // The `ws` server answers the client's pings with pongs automatically, which keeps its heartbeat happy.
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: sockets.size,
          debug_info: { host: 'standin', approximate_connection_time: 18060 },
          connection_info: { app_id: STANDIN_APP_ID },
        }),
      );
      for (const listener of [...connectionListeners]) listener();
    });
  });

  function openSockets(): WebSocket[] {
    return [...sockets].filter((ws) => ws.readyState === ws.OPEN);
  }

  function waitForConnection(timeoutMs = 5000): Promise<void> {
    if (openSockets().length > 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onConnect = () => {
        clearTimeout(timer);
        connectionListeners.delete(onConnect);
        resolve();
      };
      const timer = setTimeout(() => {
        connectionListeners.delete(onConnect);
        reject(new Error(`slack stand-in: no Socket Mode connection within ${timeoutMs}ms`));
      }, timeoutMs);
      connectionListeners.add(onConnect);
    });
  }

  async function sendEnvelope(
    type: 'slash_commands' | 'interactive' | 'events_api',
    payload: unknown,
    timeoutMs = 5000,
  ): Promise<{ envelope_id: string; payload?: any }> {
    // SocketModeClient dispatches events_api envelopes on payload.event.type and would throw (unhandled) without it.
    if (type === 'events_api' && !(isObject(payload) && isObject(payload.event) && typeof payload.event.type === 'string')) {
      throw new Error('slack stand-in: an events_api payload needs an `event` object with a `type` (an event_callback body)');
    }
    const started = Date.now();
    await waitForConnection(timeoutMs);
    const ws = openSockets().at(-1);
    if (!ws) throw new Error('slack stand-in: the Socket Mode connection closed before the envelope could be sent');
    const envelopeId = randomBytes(16).toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
    // Slack's envelope: commands and interactivity accept a response payload in the ack; Events API envelopes don't
    // (and carry retry_attempt / retry_reason instead).
    const envelope =
      type === 'events_api'
        ? { envelope_id: envelopeId, payload, type, accepts_response_payload: false, retry_attempt: 0, retry_reason: '' }
        : { envelope_id: envelopeId, payload, type, accepts_response_payload: true };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pendingAcks.delete(envelopeId);
        reject(new Error(`slack stand-in: no ack for ${type} envelope ${envelopeId} within ${timeoutMs}ms`));
      }, Math.max(timeoutMs - (Date.now() - started), 1));
      pendingAcks.set(envelopeId, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
      ws.send(JSON.stringify(envelope));
    });
  }

  // --- public API ----------------------------------------------------------------------------------------------

  function waitFor(predicate: (c: RecordedCall) => boolean, timeoutMs = 5000): Promise<RecordedCall> {
    const found = calls.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const listener = (c: RecordedCall) => {
        if (!predicate(c)) return;
        clearTimeout(timer);
        callListeners.delete(listener);
        resolve(c);
      };
      const timer = setTimeout(() => {
        callListeners.delete(listener);
        const seen = calls.length === 0 ? '(none)' : calls.map((c) => `${c.method}[${c.status}]`).join(', ');
        reject(new Error(`slack stand-in: no matching call within ${timeoutMs}ms; calls seen: ${seen}`));
      }, timeoutMs);
      callListeners.add(listener);
    });
  }

  async function close(): Promise<void> {
    // Close websockets with a close frame (1001 "going away") so clients see a clean close, then force the rest.
    // A connected SocketModeClient will still schedule a reconnect: disconnect() it before closing the stand-in.
    const closing = [...sockets].map(
      (ws) => new Promise<void>((resolve) => (ws.readyState === ws.CLOSED ? resolve() : ws.once('close', () => resolve()))),
    );
    for (const ws of sockets) ws.close(1001, 'stand-in closing');
    await Promise.race([Promise.all(closing), new Promise((resolve) => setTimeout(resolve, 250))]);
    for (const ws of sockets) ws.terminate();
    sockets.clear();
    wss.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  return {
    apiUrl,
    baseUrl,
    calls,
    addUser(u) {
      users.set(u.id, { ...u });
    },
    setGroup(id, userIds) {
      groups.set(id, [...userIds]);
    },
    setChannelMembers(id, userIds) {
      rosters.set(id, [...userIds]);
    },
    callsTo(method) {
      return calls.filter((c) => c.method === method);
    },
    setRateLimit(method, perMinute) {
      rateLimits.set(method, { perMinute, window: [], limited: 0 });
    },
    rateLimited(method) {
      return rateLimits.get(method)?.limited ?? 0;
    },
    failNext(method, failure, times = 1) {
      const queue = failures.get(method) ?? [];
      for (let i = 0; i < times; i += 1) queue.push(failure);
      failures.set(method, queue);
    },
    silentFor(ms) {
      silentUntil = Date.now() + ms;
    },
    responseUrl() {
      responseUrlCounter += 1;
      return `${baseUrl}/response/${responseUrlCounter}`;
    },
    waitFor,
    getMessage(channel, ts) {
      return copy(messages.get(channel)?.find((m) => m.ts === ts));
    },
    getView(viewId) {
      return copy(views.get(viewId));
    },
    onCall(listener) {
      callListeners.add(listener);
      return () => callListeners.delete(listener);
    },
    listUsers() {
      return [...users.values()].map((u) => ({ ...u }));
    },
    messagesIn(channel) {
      return copy(messages.get(channel) ?? []);
    },
    postAsUser(channel, userId, text, blocks) {
      const app = userId === botUserId;
      const message: StoredMessage = {
        type: 'message',
        ts: nextTs(),
        text,
        user: userId,
        bot_id: app ? STANDIN_BOT_ID : '',
        app_id: app ? STANDIN_APP_ID : '',
        team: teamId,
        ...(Array.isArray(blocks) ? { blocks: copy(blocks).map((b: any) => ({ block_id: randomId('', 5), ...b })) } : {}),
      };
      const list = messages.get(channel) ?? [];
      list.push(message);
      messages.set(channel, list);
      return copy(message);
    },
    replaceMessage(channel, ts, content) {
      const message = messages.get(channel)?.find((m) => m.ts === ts);
      if (!message) return false;
      // unlike chat.update, a response URL's replace_original replaces the whole message: no stale buttons stay
      message.text = content.text;
      if (Array.isArray(content.blocks)) message.blocks = copy(content.blocks).map((b: any) => ({ block_id: randomId('', 5), ...b }));
      else delete message.blocks;
      message.edited = { user: botUserId, ts: nextTs() };
      return true;
    },
    nextTs,
    deleteMessage(channel, ts) {
      const list = messages.get(channel) ?? [];
      const i = list.findIndex((m) => m.ts === ts);
      if (i >= 0) list.splice(i, 1);
      return i >= 0;
    },
    putView(view, id) {
      const existing = id ? views.get(id) : undefined;
      return copy(storeView({ ...view, ...(existing ? { root_view_id: existing.root_view_id } : {}) }, id));
    },
    addFile(userId, name, content) {
      const id = randomId('F');
      const safe = name.replace(/[^A-Za-z0-9._-]/g, '_') || 'file';
      const ext = /\.([A-Za-z0-9]+)$/.exec(safe)?.[1]?.toLowerCase() ?? 'text';
      const file: StandInFile = {
        id,
        name,
        title: name,
        filetype: ext,
        mimetype: ext === 'csv' ? 'text/csv' : 'text/plain',
        size: Buffer.byteLength(content),
        user: userId,
        url_private: `${baseUrl}/files-pri/${teamId}-${id}/${safe}`,
        url_private_download: `${baseUrl}/files-pri/${teamId}-${id}/download/${safe}`,
      };
      files.set(id, { file, content });
      return { ...file };
    },
    uploadedFiles() {
      return [...uploads.values()]
        .filter((u) => u.completed && u.bytes)
        .map((u) => ({ id: u.id, filename: u.filename, title: u.completed!.title, channel: u.completed!.channel, comment: u.completed!.comment, content: u.bytes!.toString('utf8') }));
    },
    reset() {
      calls.length = 0; // keep the array identity: tests may hold `standIn.calls`
      failures.clear();
      silentUntil = 0;
    },
    close,
    socket: {
      get connections() {
        return openSockets().length;
      },
      waitForConnection,
      sendEnvelope,
    },
  };
}
