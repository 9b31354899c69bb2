/**
 * The Slack side of the process: a Bolt app on our express server (HTTP mode, every request to
 * /slack/events signature-verified: by the inbox's guard when there is one, else by Bolt) or over
 * Socket Mode, with every listener registered from src/handlers/slack.
 */
// before Bolt: undici (Socket Mode's websocket) is loaded only if Socket Mode is used
import './defer-undici.js';
import { App, ExpressReceiver, LogLevel, SocketModeReceiver, type Logger as BoltLogger } from '@slack/bolt';
import { WebClient, type WebClientOptions } from '@slack/web-api';
// the Web API calls go over node:http: Node's own fetch (web-api's default) loads its bundled undici
// and compiles a WebAssembly HTTP parser at the first call, about 12 MB an idle bot keeps (40 MB at
// the peak), for calls node:http makes as well. (A file upload still builds its body with Node's
// FormData, which loads that undici: only once someone exports a file.)
import nodeFetch from 'node-fetch';
import type { Application } from 'express';
import type { DomainDeps } from '../../domain/index.js';
import { registerSlackHandlers } from '../../handlers/slack/index.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { SlackDirectory } from './directory.js';
import { views } from '../messages/replies.js';
import { toSlack } from './render/block-kit.js';
import { homeView, modalMessage, toModal } from './render/modal.js';
import { slackErrorCode } from './slack-errors.js';
import type { SlackInbox } from './inbox.js';


type SlackConfig = NonNullable<Config['slack']>;

/** a call that names no deadline of its own (Bolt's respond() to a response_url) gives up after this */
const FETCH_TIMEOUT_MS = 30_000;

/**
 * node-fetch for the Web API clients and Bolt's respond(): unlike Node's fetch (undici's 300 s), it
 * waits forever unless told otherwise, so a call without a signal gets FETCH_TIMEOUT_MS. (Its types
 * name its own Request and Response classes; web-api asks for the WHATWG ones, which it implements.)
 */
const webFetch = ((url: string, init: RequestInit = {}) =>
  (nodeFetch as unknown as typeof fetch)(url, { ...init, signal: init.signal ?? AbortSignal.timeout(FETCH_TIMEOUT_MS) })) as typeof fetch;

export class SlackStartError extends Error {
  override name = 'SlackStartError';
}

/** Slack's SDK logs through ours, so its lines are redacted and leveled like the rest. */
function boltLogger(logger: Logger, name = 'slack'): BoltLogger {
  let level = LogLevel.INFO;
  // Bolt logs several debug lines for every request: they are not even put together unless written
  const debugOn = logger.enabled?.('debug') ?? true;
  return {
    debug: (...m: unknown[]) => {
      if (debugOn) logger.debug(`${name}: ${m.map(String).join(' ')}`);
    },
    info: (...m: unknown[]) => logger.info(`${name}: ${m.map(String).join(' ')}`),
    warn: (...m: unknown[]) => logger.warn(`${name}: ${m.map(String).join(' ')}`),
    error: (...m: unknown[]) => logger.error(`${name}: ${m.map(String).join(' ')}`),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    // the Web API client builds its debug lines (a redacted copy of every request and answer: 50 ms
    // for a users.list page of 1,000) only when this says DEBUG (patches/@slack+web-api+*.patch)
    getLevel: () => (debugOn ? LogLevel.DEBUG : level),
    setName: () => undefined,
  };
}

export interface SlackRuntime {
  app: App;
  /** the client the outbox delivers with: it never retries by itself, the outbox does */
  deliveryClient: WebClient;
  directory: SlackDirectory;
  teamId: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function createSlack(cfg: SlackConfig, o: { deps: DomainDeps; logger: Logger; http: Application; inbox?: SlackInbox }): Promise<SlackRuntime> {
  // short, bounded retries for calls made while someone waits (lookups, modals); the default
  // policy would retry for about 30 minutes
  const clientOptions: WebClientOptions = {
    slackApiUrl: cfg.apiUrl,
    fetch: webFetch,
    logger: boltLogger(o.logger, 'slack web api'),
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1000 },
    timeout: 10_000,
  };
  const probe = new WebClient(cfg.botToken, {
    ...clientOptions,
    logger: boltLogger(o.logger, 'slack auth.test'),
    retryConfig: { retries: 1, minTimeout: 200, maxTimeout: 500 },
  });
  let auth: { team_id?: string; user_id?: string; bot_id?: string; team?: string };
  try {
    auth = await probe.auth.test();
  } catch (e) {
    const code = slackErrorCode(e);
    throw new SlackStartError(
      code === 'invalid_auth' || code === 'not_authed' || code === 'token_revoked' || code === 'account_inactive'
        ? `Slack rejected SLACK_BOT_TOKEN (${code}): copy the Bot User OAuth Token (xoxb-…) from your app's "OAuth & Permissions" page.`
        : `Could not reach Slack at ${cfg.apiUrl} to check SLACK_BOT_TOKEN: ${e instanceof Error ? e.message : String(e)}.`,
    );
  }

  const logger = boltLogger(o.logger);
  const inbox = cfg.socketMode ? undefined : o.inbox;
  // before Bolt: every request is verified (both ways in time), refused if seen before, and recorded before its ack
  if (inbox) o.http.post('/slack/events', inbox.guard);
  const receiver = cfg.socketMode
    ? new SocketModeReceiver({ appToken: cfg.appToken!, logger, installerOptions: { clientOptions } })
    : new ExpressReceiver({
        signingSecret: cfg.signingSecret!,
        endpoints: '/slack/events',
        app: o.http,
        logger,
        // ack first, work after: Bolt answers Slack as soon as a listener calls ack()
        processBeforeResponse: false,
        // With the inbox, its guard (registered on this POST /slack/events just above, so before
        // Bolt's router on the same path, matched alike) has already checked the same HMAC, with a
        // stricter clock (5 minutes either way, where Bolt refuses old ones only) and refused
        // replays: Bolt checking it again only costs CPU on every request (issue #19). The guard
        // calls next() only once the signature over the raw bytes holds, url_verification and
        // ssl_check included; a missing or bad signature, a timestamp out of the window (or not
        // plain digits) is a 401, an unreadable body a 400/413, a replay a bare 200, and an error
        // goes to the error handlers, past Bolt. It hands Bolt those verified bytes (req.rawBody),
        // which Bolt parses instead of reading the stream, so Bolt runs exactly what was signed,
        // whatever the Content-Type. Without the inbox (no guard), Bolt verifies as before.
        // test/e2e/license-edge-cases.test.ts ("requests Slack did not sign") drives these refusals.
        signatureVerification: !inbox,
        customPropertiesExtractor: (req) => {
          const id = (req as { atlasInboxId?: number }).atlasInboxId;
          return id === undefined ? {} : { inboxId: id };
        },
      });
  const app = new App({
    token: cfg.botToken,
    receiver,
    logger,
    clientOptions,
    botId: auth.bot_id,
    botUserId: auth.user_id,
    tokenVerificationEnabled: false, // verified just above, with a clear message when it fails
    deferInitialization: true,
    // Bolt's conversation store (unused here) made and threw away an Error for every request
    convoStore: false,
  });
  await app.init();
  app.error(async (e) => {
    o.logger.error('slack: unhandled listener error', e);
  });
  // A recorded request is done once its listener finished, whatever it answered. The work after an
  // ack is tracked too, so a stop waits for it before the database closes.
  const inflight = new Set<Promise<void>>();
  app.use(async ({ context, next }) => {
    let finished!: () => void;
    const work = new Promise<void>((r) => (finished = r));
    inflight.add(work);
    try {
      await next();
    } finally {
      try {
        if (inbox && typeof context.inboxId === 'number') inbox.done(context.inboxId);
      } finally {
        inflight.delete(work);
        finished();
      }
    }
  });

  const directory = new SlackDirectory(app.client, o.deps, { token: cfg.botToken, apiUrl: cfg.apiUrl });
  registerSlackHandlers(app, { deps: o.deps, directory, views, render: { message: toSlack, modal: toModal, modalMessage, home: homeView }, logger: o.logger });

  const deliveryClient = new WebClient(cfg.botToken, {
    slackApiUrl: cfg.apiUrl,
    fetch: webFetch,
    logger: boltLogger(o.logger, 'slack outbox'),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: cfg.deliveryTimeoutMs,
  });
  // requests an instance acknowledged and left unhandled (this one before a restart, or another
  // one that died): looked for at start and then once a lease, one look at a time
  let resuming: Promise<void> = Promise.resolve();
  let looking: NodeJS.Timeout | undefined;
  const handle = (unfinished: Awaited<ReturnType<SlackInbox['unfinished']>>) => {
    if (unfinished.length) o.logger.info(`slack: handling ${unfinished.length} request(s) acknowledged before a restart or by an instance that stopped`);
    return (async () => {
      for (const r of unfinished) {
        await app.processEvent({ body: r.body, ack: async () => undefined, customProperties: { inboxId: r.inboxId, resumed: true } }).catch((e: unknown) => o.logger.error('slack: a resumed request failed', e));
      }
    })();
  };
  return {
    app,
    deliveryClient,
    directory,
    teamId: auth.team_id ?? '',
    // HTTP mode is served by our own express server; Socket Mode opens its websocket here
    start: async () => {
      if (cfg.socketMode) await app.start();
      if (!inbox) return;
      // found before the start is done, handled after it (answered through their response_url)
      resuming = handle(await inbox.unfinished());
      let queued = false;
      looking = setInterval(() => {
        // one look waits for the one before (and what it found) to finish; no more than one waits
        if (queued) return;
        queued = true;
        resuming = resuming
          .then(async () => {
            queued = false;
            await handle(await inbox.unfinished());
          })
          .catch((e: unknown) => o.logger.warn(`slack: could not look for requests left unhandled: ${e instanceof Error ? e.message : String(e)}`));
      }, inbox.leaseMs).unref();
    },
    stop: async () => {
      if (looking) clearInterval(looking);
      // what was acknowledged (and what is being handled again) is finished before the database closes, at most 10 s
      await Promise.race([Promise.all([resuming, ...inflight]), new Promise((r) => setTimeout(r, 10_000).unref())]);
      // whatever is still unfinished is another instance's to take at once, rather than after the lease
      await inbox?.release().catch((e: unknown) => o.logger.warn(`slack: could not release the requests still held: ${e instanceof Error ? e.message : String(e)}`));
      if (cfg.socketMode) await app.stop();
    },
  };
}
