/**
 * Helpers that send requests to a Bolt HTTP app exactly as Slack does: signed with the signing secret
 * (https://docs.slack.dev/authentication/verifying-requests-from-slack), form-encoded, with the payload shapes
 * Slack documents for slash commands, block_actions and view_submission.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { STANDIN_APP_ID, STANDIN_BOT_ID, STANDIN_BOT_USER_ID, STANDIN_TEAM_DOMAIN, STANDIN_TEAM_ID } from './slack-standin.js';

/** The (deprecated) verification token Slack still puts in every payload. */
const VERIFICATION_TOKEN = 'standinVerificationToken';

/** `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>` keyed with the signing secret. */
export function slackSignature(secret: string, rawBody: string, timestamp: number): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

/**
 * POSTs `rawBody` to `url` signed like Slack: `X-Slack-Request-Timestamp` (unix seconds, default now) and
 * `X-Slack-Signature`. The content type defaults to `application/json` for bodies starting with '{', else
 * EXACTLY `application/x-www-form-urlencoded` — Bolt's HTTPReceiver compares the header verbatim and JSON-parses
 * anything else, so a `; charset=…` suffix (which fetch adds for URLSearchParams bodies) breaks it.
 * Pass `signature` to send a forged/bad one.
 */
export async function postSigned(
  url: string,
  secret: string,
  rawBody: string,
  opts: { timestamp?: number; contentType?: string; signature?: string } = {},
): Promise<{ status: number; body: string; json?: any }> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const contentType =
    opts.contentType ?? (rawBody.trimStart().startsWith('{') ? 'application/json' : 'application/x-www-form-urlencoded');
  const headers = {
    'Content-Type': contentType,
    'Content-Length': String(Buffer.byteLength(rawBody)),
    'X-Slack-Request-Timestamp': String(timestamp),
    'X-Slack-Signature': opts.signature ?? slackSignature(secret, rawBody, timestamp),
    'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    Accept: 'application/json,*/*',
  };
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : request;
  return new Promise((resolve, reject) => {
    // agent:false → one connection per request, so no keep-alive socket holds the app's server open at shutdown.
    const req = send(target, { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: any;
        try {
          json = body === '' ? undefined : JSON.parse(body);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, body, ...(json !== undefined ? { json } : {}) });
      });
    });
    req.on('error', reject);
    req.end(rawBody);
  });
}

/** A trigger_id in Slack's format ("<digits>.<digits>.<32 hex>"). */
export function fakeTriggerId(): string {
  const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join('');
  return `${digits(13)}.${digits(11)}.${randomBytes(16).toString('hex')}`;
}

/** An action_ts / message ts in Slack's format, near the current time. */
function nowTs(): string {
  const micros = Date.now() * 1000 + Math.floor(Math.random() * 1000);
  return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
}

/** Slack's channel_name for IDs: DMs say "directmessage", private channels/MPDMs "privategroup". */
function channelNameFor(channelId: string): string {
  if (channelId.startsWith('D')) return 'directmessage';
  if (channelId.startsWith('G')) return 'privategroup';
  return 'general';
}

/**
 * The form body Slack POSTs for a slash command, with every field it sends (in Slack's order), URL-encoded the way
 * Slack does (spaces as '+').
 */
export function slashCommandBody(p: {
  text: string;
  user_id: string;
  user_name?: string;
  team_id?: string;
  channel_id?: string;
  response_url: string;
  trigger_id?: string;
  command?: string;
}): string {
  const channelId = p.channel_id ?? `D${p.user_id}`;
  return new URLSearchParams({
    token: VERIFICATION_TOKEN,
    team_id: p.team_id ?? STANDIN_TEAM_ID,
    team_domain: STANDIN_TEAM_DOMAIN,
    channel_id: channelId,
    channel_name: channelNameFor(channelId),
    user_id: p.user_id,
    user_name: p.user_name ?? p.user_id.toLowerCase(),
    command: p.command ?? '/atlas',
    text: p.text,
    api_app_id: STANDIN_APP_ID,
    is_enterprise_install: 'false',
    response_url: p.response_url,
    trigger_id: p.trigger_id ?? fakeTriggerId(),
  }).toString();
}

function userOf(userId: string, teamId: string) {
  const name = userId.toLowerCase();
  return { id: userId, username: name, name, team_id: teamId };
}

/**
 * The `block_actions` payload Slack sends when a button is clicked. By default the button sits in a bot message in
 * `channel_id` (container type "message", with `channel`, `message` and `response_url`); pass `view` for a button in
 * a modal/home tab (container type "view", with `view` and no message). Pass `message` (e.g. from
 * `standIn.getMessage()`) to send the real message the button belongs to.
 */
export function blockActionPayload(p: {
  user_id: string;
  team_id?: string;
  action_id: string;
  value?: string;
  block_id?: string;
  channel_id?: string;
  message_ts?: string;
  response_url?: string;
  trigger_id?: string;
  view?: any;
  message?: any;
  state?: { values: Record<string, Record<string, any>> };
}): object {
  const teamId = p.team_id ?? STANDIN_TEAM_ID;
  const channelId = p.channel_id ?? `D${p.user_id}`;
  const messageTs = p.message_ts ?? p.message?.ts ?? nowTs();
  const action = {
    action_id: p.action_id,
    block_id: p.block_id ?? 'actions',
    text: { type: 'plain_text', text: p.action_id, emoji: true },
    ...(p.value !== undefined ? { value: p.value } : {}),
    type: 'button',
    action_ts: nowTs(),
  };
  const common = {
    type: 'block_actions',
    user: userOf(p.user_id, teamId),
    api_app_id: STANDIN_APP_ID,
    token: VERIFICATION_TOKEN,
  };
  const tail = {
    trigger_id: p.trigger_id ?? fakeTriggerId(),
    team: { id: teamId, domain: STANDIN_TEAM_DOMAIN },
    enterprise: null,
    is_enterprise_install: false,
  };

  if (p.view !== undefined) {
    return {
      ...common,
      container: { type: 'view', view_id: p.view.id ?? 'V0STANDIN' },
      ...tail,
      view: { ...p.view, state: p.state ?? p.view.state ?? { values: {} } },
      actions: [action],
      ...(p.response_url !== undefined ? { response_url: p.response_url } : {}),
    };
  }
  const message = p.message ?? {
    type: 'message',
    user: STANDIN_BOT_USER_ID,
    ts: messageTs,
    bot_id: STANDIN_BOT_ID,
    app_id: STANDIN_APP_ID,
    text: '',
    team: teamId,
    blocks: [],
  };
  return {
    ...common,
    container: { type: 'message', message_ts: messageTs, channel_id: channelId, is_ephemeral: false },
    ...tail,
    channel: { id: channelId, name: channelNameFor(channelId) },
    message,
    state: p.state ?? { values: {} },
    ...(p.response_url !== undefined ? { response_url: p.response_url } : {}),
    actions: [action],
  };
}

/**
 * The `view_submission` payload Slack sends when a modal is submitted. `values` is `view.state.values`:
 * `{ [block_id]: { [action_id]: { type: 'plain_text_input', value: '…' } } }`. Pass `view` (e.g. from
 * `standIn.getView()`) to submit the modal that was actually opened.
 */
export function viewSubmissionPayload(p: {
  user_id: string;
  team_id?: string;
  callback_id: string;
  private_metadata?: string;
  values: Record<string, Record<string, any>>;
  view_id?: string;
  view?: any;
  trigger_id?: string;
}): object {
  const teamId = p.team_id ?? STANDIN_TEAM_ID;
  const viewId = p.view_id ?? p.view?.id ?? `V${randomBytes(5).toString('hex').toUpperCase()}`;
  return {
    type: 'view_submission',
    team: { id: teamId, domain: STANDIN_TEAM_DOMAIN },
    user: userOf(p.user_id, teamId),
    api_app_id: STANDIN_APP_ID,
    token: VERIFICATION_TOKEN,
    trigger_id: p.trigger_id ?? fakeTriggerId(),
    view: {
      id: viewId,
      team_id: teamId,
      type: 'modal',
      blocks: [],
      title: { type: 'plain_text', text: 'Modal', emoji: true },
      close: null,
      submit: { type: 'plain_text', text: 'Submit', emoji: true },
      clear_on_close: false,
      notify_on_close: false,
      previous_view_id: null,
      root_view_id: viewId,
      app_id: STANDIN_APP_ID,
      external_id: '',
      app_installed_team_id: teamId,
      bot_id: STANDIN_BOT_ID,
      hash: randomBytes(8).toString('hex'),
      ...(p.view ?? {}),
      private_metadata: p.private_metadata ?? p.view?.private_metadata ?? '',
      callback_id: p.callback_id,
      state: { values: p.values },
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** Interactive payloads are POSTed as a form with a single `payload` field holding the JSON. */
export function interactiveBody(payload: object): string {
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
