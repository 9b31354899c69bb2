/**
 * The sandbox: the bot, unchanged, beside a small in-memory Slack (the stand-in the end-to-end
 * tests use) and a page at /sandbox that plays that Slack in the browser. One HTTP port serves
 * the page and its JSON API, and passes everything else (the invitation pages, /healthz,
 * /slack/events) on to the bot, which listens on a private port of its own. The bot's clock can be
 * moved forward; "start over" stops the bot, deletes the sandbox's own SQLite file and starts both
 * again.
 */
import express, { type Request, type Response } from 'express';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Config } from '../bot/config.js';
import type { Logger } from '../bot/logger.js';
import { startBot, type RunningBot } from '../bot/server.js';
import { sqlitePathOf } from '../db/connection.js';
import { parseReminderWindow } from '../domain/reminder-window.js';
import { startSlackStandIn, type SlackStandIn } from './slack-standin.js';
import { ADMIN_CHANNEL, SANDBOX_PEOPLE, SandboxError, SandboxWorkspace } from './workspace.js';

export interface RunningSandbox {
  url: string;
  port: number;
  /** the bot currently running behind the sandbox (a new one after each reset) */
  bot(): RunningBot;
  stop(): Promise<void>;
}

const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));
const ADMIN_ID = SANDBOX_PEOPLE[0]!.id;
const DAY = 86_400_000;

// every input of the page's API, checked before anything is done with it
const userId = z.string().regex(/^U[A-Z0-9]+$/, 'a sandbox person');
const channelId = z.string().regex(/^[CDG][A-Z0-9]+$/, 'a conversation');
const values = z.record(z.string(), z.record(z.string(), z.record(z.string(), z.unknown()))).default({});
const schemas = {
  command: z.object({ as: userId, channel: channelId, text: z.string().max(4000) }),
  message: z.object({ as: userId, channel: channelId, text: z.string().trim().min(1, 'Type a message first.').max(4000) }),
  action: z.object({
    as: userId,
    container: z.discriminatedUnion('type', [
      z.object({ type: z.literal('message'), channel: channelId, ts: z.string().regex(/^\d+\.\d+$/) }),
      z.object({ type: z.literal('view'), viewId: z.string().min(1).max(40) }),
    ]),
    action: z.object({ action_id: z.string().min(1).max(255), block_id: z.string().max(255).optional(), type: z.string().max(40) }).passthrough(),
    values,
  }),
  submit: z.object({ as: userId, viewId: z.string().min(1).max(40), values }),
  close: z.object({ as: userId, viewId: z.string().min(1).max(40) }),
  home: z.object({ as: userId }),
  shortcut: z.object({ as: userId, callbackId: z.string().min(1).max(255) }),
  upload: z.object({ as: userId, name: z.string().trim().min(1).max(200), content: z.string().max(2_000_000, 'The file is larger than 2 MB.') }),
  clock: z.object({ advanceMs: z.number().int().min(60_000).max(60 * DAY) }),
  join: z.object({ as: userId }),
  reset: z.object({}).passthrough(),
};

/** Headers that belong to one connection, not to the message (RFC 9110 §7.6.1): not passed on by the proxy. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'proxy-authenticate', 'proxy-authorization']);
function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const named = new Set(String(headers.connection ?? '').split(',').map((h) => h.trim().toLowerCase()));
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !HOP_BY_HOP.has(k.toLowerCase()) && !named.has(k.toLowerCase())));
}

/** Resolves once the stand-in has answered no call for `quietMs` (or after `maxMs`). */
async function quiet(standIn: SlackStandIn, quietMs: number, maxMs: number): Promise<void> {
  let last = Date.now();
  const off = standIn.onCall(() => (last = Date.now()));
  const end = Date.now() + maxMs;
  while (Date.now() - last < quietMs && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  off();
}

export async function startSandbox(config: Config, o: { logger: Logger; sandboxDatabaseUrl: string }): Promise<RunningSandbox> {
  const { logger } = o;
  const signingSecret = randomBytes(24).toString('hex');
  let offsetMs = 0;
  const now = () => Date.now() + offsetMs;
  let standIn!: SlackStandIn;
  let bot!: RunningBot;
  let workspace!: SandboxWorkspace;
  let publicBaseUrl = config.publicBaseUrl;
  let generation = 0;

  const wipe = () => {
    const path = sqlitePathOf(o.sandboxDatabaseUrl);
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  };

  /** A fresh workspace, a fresh database, and the bot started against both. */
  const boot = async () => {
    wipe();
    standIn = await startSlackStandIn({ now, keepCalls: false });
    const botConfig: Config = {
      ...config,
      port: 0,
      databaseUrl: o.sandboxDatabaseUrl,
      publicBaseUrl,
      slack: {
        botToken: 'xoxb-sandbox',
        signingSecret,
        appToken: undefined,
        socketMode: false,
        apiUrl: standIn.apiUrl,
        channelIntervalMs: 1000,
        progressEveryMs: 2000,
        deliveryTimeoutMs: 15_000,
        inFlightMs: 180_000,
        postsPerMinute: 300,
      },
      teams: undefined,
      admins: [ADMIN_ID],
      adminChannel: ADMIN_CHANNEL,
      supportChannel: ADMIN_CHANNEL,
      // reminders at any hour, so a fast-forward always shows them (the real default keeps to working hours)
      reminderWindow: parseReminderWindow('Mon-Sun 00:00-24:00'),
      reminderWindowText: 'Mon-Sun 00:00-24:00',
      outboxPollMs: 250,
    };
    bot = await startBot(botConfig, { logger, now, host: '127.0.0.1' });
    workspace = new SandboxWorkspace({ standIn, eventsUrl: () => `${bot.url}/slack/events`, signingSecret, now, adminIds: [ADMIN_ID] });
    generation += 1;
    booted = true;
  };

  let booted = false;
  const shutdown = async () => {
    if (!booted) return;
    booted = false;
    workspace.dispose();
    await bot.stop();
    // the bot may still finish work it began after an ack: the old Slack stays up until it is quiet
    await quiet(standIn, 300, 3000);
    await standIn.close();
  };

  const app = express();
  app.disable('x-powered-by');
  // The API changes things: only JSON is taken (a form or text/plain post from another site is
  // refused, since a browser sends those cross-site without asking), and not while starting over.
  let inFlight = 0;
  let resetting: Promise<void> | undefined;
  app.use('/sandbox/api', (req, res, next) => {
    if (req.method === 'POST' && !req.is('application/json')) {
      res.status(415).json({ ok: false, error: 'The sandbox API takes JSON (content-type: application/json).' });
      return;
    }
    if (resetting && req.path !== '/reset') {
      res.status(503).json({ ok: false, error: 'The sandbox is starting over; try again in a moment.' });
      return;
    }
    inFlight += 1;
    res.once('close', () => (inFlight -= 1));
    next();
  });
  app.use('/sandbox/api', express.json({ limit: '3mb' }));
  app.get(['/sandbox', '/sandbox/'], (_req, res) => {
    res
      .set('cache-control', 'no-store')
      .set('content-security-policy', "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
      .set('x-content-type-options', 'nosniff')
      .sendFile('index.html', { root: PUBLIC_DIR });
  });
  app.use('/sandbox/assets', express.static(PUBLIC_DIR, { index: false, maxAge: 0 }));

  app.get('/sandbox/api/state', async (req, res) => {
    const as = typeof req.query.as === 'string' ? req.query.as : undefined;
    res.set('cache-control', 'no-store').json({
      version: workspace.version * 1000 + generation,
      now: now(),
      offsetMs,
      busy: (await pendingDeliveries()) > 0,
      ...workspace.viewFor(as),
    });
  });

  const pendingDeliveries = async (): Promise<number> => {
    try {
      return (await bot.engine.queue.counts()).pending ?? 0;
    } catch {
      return 0;
    }
  };

  /** One POST endpoint: its input checked by its schema, its errors answered as one sentence. */
  const post = <K extends keyof typeof schemas>(name: K, handle: (input: z.output<(typeof schemas)[K]>) => Promise<Record<string, unknown> | void> | Record<string, unknown> | void) => {
    app.post(`/sandbox/api/${name}`, async (req: Request, res: Response) => {
      const parsed = schemas[name].safeParse(req.body ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        res.status(400).json({ ok: false, error: `That request was not understood (${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}).` });
        return;
      }
      try {
        const extra = await handle(parsed.data as z.output<(typeof schemas)[K]>);
        res.json({ ok: true, ...(extra ?? {}) });
      } catch (e) {
        if (!(e instanceof SandboxError)) logger.error(`sandbox ${name} failed`, e);
        res.status(e instanceof SandboxError ? 409 : 500).json({ ok: false, error: e instanceof Error ? e.message : String(e) });
      }
    });
  };

  post('command', (i) => workspace.command(i.as, i.channel, i.text));
  post('message', (i) => workspace.message(i.as, i.channel, i.text));
  post('action', (i) => workspace.action(i.as, i.container, i.action, i.values));
  post('submit', async (i) => {
    const r = await workspace.submit(i.as, i.viewId, i.values);
    return r.errors ? { ok: false, errors: r.errors } : {};
  });
  post('close', (i) => workspace.close(i.as, i.viewId));
  post('home', (i) => workspace.openHome(i.as));
  post('shortcut', (i) => workspace.shortcut(i.as, i.callbackId));
  post('upload', (i) => ({ file: workspace.upload(i.as, i.name, i.content) }));
  post('join', (i) => workspace.join(i.as));
  post('clock', async (i) => {
    offsetMs += i.advanceMs;
    workspace.version += 1;
    // the jobs run at once, as their schedule would have while the time passed
    await bot.jobs.run('sweep');
    if (i.advanceMs >= DAY) await bot.jobs.run('digest');
    return { now: now() };
  });
  post('reset', async () => {
    resetting ??= (async () => {
      // the requests already in (other than this one) finish first
      const end = Date.now() + 5000;
      while (inFlight > 1 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      await shutdown();
      offsetMs = 0;
      await boot();
    })().finally(() => (resetting = undefined));
    await resetting;
  });
  app.use('/sandbox/api', (_req, res) => {
    res.status(404).json({ ok: false, error: 'There is no such sandbox request.' });
  });

  // everything else is the bot's: invitation pages, /healthz, Slack's requests
  app.use((req, res) => {
    // the page's port is open a moment before the bot behind it has started
    if (!booted) {
      res.status(503).json({ ok: false, error: 'The sandbox bot is starting; try again in a moment.' });
      return;
    }
    const target = new URL(bot.url);
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.originalUrl, headers: { ...endToEnd(req.headers), host: `${target.hostname}:${target.port}` } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.status(503).json({ ok: false, error: 'The sandbox bot is restarting; try again in a moment.' });
      else res.destroy();
    });
    res.once('close', () => upstream.destroy());
    req.pipe(upstream);
  });

  const server: Server = await new Promise((resolve, reject) => {
    // express 5 hands a listen error (a port in use) to this callback
    // on this machine only: whoever reaches the page can act as anyone in the sandbox
    const s = app.listen(config.port, '127.0.0.1', (e?: Error) => (e ? reject(e) : resolve(s)));
  });
  const port = (server.address() as AddressInfo).port;
  // the links the bot writes point at this port (with PORT=0, the one the sandbox got)
  if (config.port === 0) publicBaseUrl = `http://localhost:${port}`;
  try {
    await boot();
  } catch (e) {
    server.close();
    throw e;
  }
  logger.debug(`sandbox: bot on ${bot.url}, Slack stand-in on ${standIn.baseUrl}`);

  return {
    url: `http://localhost:${port}/sandbox`,
    port,
    bot: () => bot,
    stop: async () => {
      await resetting;
      await shutdown();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

