/**
 * The composition root's body: one process with the database, the outbox deliverer, Slack (HTTP or
 * Socket Mode), the invitation pages and /healthz, on one HTTP port. main.ts and the end-to-end
 * tests both start the bot through here.
 */
import { randomUUID } from 'node:crypto';
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { claimEmailInvitations, inviteeOfLink, provisioningAcknowledged, reportUndeliverable, type DomainDeps } from '../domain/index.js';
import { DatabaseUnavailable } from '../db/connection.js';
import { openEngine, redactedUrl, type Engine } from '../db/engine.js';
import { pacing } from '../db/pacing.js';
import { untilAnswered } from '../db/patience.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { OutboxDeliverer } from './outbox/deliverer.js';
import { createSlack, type SlackRuntime } from './slack/slack-app.js';
import { slackInbox$ } from './slack/inbox.js';
import { SlackSender } from './slack/slack-sender.js';
import { toSlack } from './slack/render/block-kit.js';
import { BulkProgressReporter, type ProgressUpdater } from './outbox/bulk-progress-reporter.js';
import { RoutingSender } from './outbox/routing-sender.js';
import { createSecretBox, secretKeyFor } from './secret-box.js';
import { UnsealingSender } from './outbox/unsealing-sender.js';
import { RestatingSender } from './outbox/restating-sender.js';
import { WebhookSender } from './outbox/webhook-sender.js';
import type { TeamsRuntime } from './teams/teams-app.js';
import { TeamsSender } from './teams/teams-sender.js';
import { invitePageRouter } from './web/invite-page.js';
import { downloadsRouter } from './web/downloads.js';
import { startJobs, type Jobs } from './jobs/index.js';

export interface RunningBot {
  url: string;
  port: number;
  /** the database, whichever engine */
  engine: Engine;
  deps: DomainDeps;
  deliverer: OutboxDeliverer | undefined;
  slack: SlackRuntime | undefined;
  jobs: Jobs;
  stop(): Promise<void>;
}

export interface StartOptions {
  logger: Logger;
  /** a fixed clock for tests; the system clock otherwise */
  now?: () => number;
  /** the interface to listen on (all of them by default; the sandbox keeps its bot on 127.0.0.1) */
  host?: string;
}

export async function startBot(config: Config, o: StartOptions): Promise<RunningBot> {
  const { logger } = o;
  const secrets = createSecretBox(secretKeyFor({ configured: config.secretKey, databaseUrl: config.databaseUrl }));
  const engine = await openEngine(config.databaseUrl, { secrets });
  // a database that cannot be written is refused at the start, not found out by the first person
  if ((await engine.health({ fresh: true })) === 'unwritable') {
    await engine.close();
    throw new DatabaseUnavailable(`the database ${redactedUrl(config.databaseUrl)} cannot be written (read-only, a full disk, or no permission)`);
  }
  const { store } = engine;
  const deps: DomainDeps = {
    store,
    clock: { now: o.now ?? Date.now },
    settings: {
      inviteTtlMs: config.inviteTtlMs,
      publicBaseUrl: config.publicBaseUrl,
      configuredAdmins: config.admins,
      hasAdminChannel: Boolean(config.adminChannel),
      hasSupportChannel: Boolean(config.supportChannel),
      linkAllowedHosts: config.linkAllowedHosts,
      crowdRatio: config.crowdRatio,
      hasProvisioningWebhook: config.provisioning !== undefined,
      seatRequests: config.seatRequests,
      reminders: { afterMs: config.reminderAfterMs, max: config.reminderMax, window: config.reminderWindow },
    },
    secrets,
  };

  const http = express();
  http.disable('x-powered-by');
  // every answer names its request, so a person's report can be found in the log (never a stack)
  http.use((_req, res, next) => {
    const id = randomUUID().slice(0, 8);
    res.locals.requestId = id;
    res.setHeader('X-Request-Id', id);
    next();
  });
  // healthy only while the database file is the one open and takes a write (not deleted, not full, not read-only)
  http.get('/healthz', async (_req, res) => {
    const db = await engine.health();
    if (db === 'unwritable') res.status(503).json({ ok: false, error: 'database_unwritable' });
    else res.json({ ok: true, ...(db === 'busy' ? { database: 'busy' } : {}) });
  });

  // Slack drops an ack later than 3 s: until a request's answer has gone out, a lock the database
  // cannot have within its timeout is "busy" at once; after it (the work an ack promised) it waits
  // its turn longer (on PostgreSQL, where transactions queue on a row lock: SQLite waits for its
  // write lock a second at most either way)
  if (engine.kind === 'postgres') {
    http.post('/slack/events', (_req, res, next) => {
      untilAnswered((answered) => {
        res.once('finish', answered);
        next();
      });
    });
  }

  let slack: SlackRuntime | undefined;
  let teams: TeamsRuntime | undefined;
  let deliverer: OutboxDeliverer | undefined;
  let reporter: BulkProgressReporter | undefined;
  try {
    if (config.slack) {
      const inbox = config.slack.socketMode ? undefined : slackInbox$({ engine, secrets, signingSecret: config.slack.signingSecret!, logger, leaseMs: config.inboxLeaseMs });
      slack = await createSlack(config.slack, { deps, logger, http, ...(inbox ? { inbox } : {}) });
    }
    // botbuilder is loaded only when Teams is on: it is the largest library here (about 50 MB of
    // memory), and a Slack-only bot has no use for it
    if (config.teams) teams = (await import('./teams/teams-app.js')).createTeams(config.teams, { deps, tables: engine.teams, logger, http });
    if (slack || teams) {
      const { queue } = engine;
      const teamsSender = teams ? new TeamsSender({ adapter: teams.adapter, botAppId: teams.botAppId, queue, store, teams: engine.teams, adminChannel: config.adminChannel, supportChannel: config.supportChannel }) : undefined;
      const slackSender = slack
        ? new SlackSender({ client: slack.deliveryClient, queue, store, adminChannel: config.adminChannel, supportChannel: config.supportChannel, channelIntervalMs: config.slack!.channelIntervalMs, postsPerMinute: config.slack!.postsPerMinute, pacing: pacing(engine.sql), inFlightMs: config.slack!.inFlightMs })
        : undefined;
      deliverer = new OutboxDeliverer({
        queue,
        // every message shows the newest state of what it is about, and is updated when that changes
        sender: new RestatingSender({
          queue,
          logger,
          secrets,
          updaters: { ...(slackSender ? { slack: slackSender } : {}), ...(teamsSender ? { teams: teamsSender } : {}) },
          inner: new UnsealingSender({
            secrets,
            logger,
            inner: new RoutingSender({
              store,
              adminChannel: config.adminChannel,
              supportChannel: config.supportChannel,
              ...(slackSender ? { slack: slackSender } : {}),
              ...(teamsSender ? { teams: teamsSender } : {}),
              ...(config.provisioning
                ? { webhook: new WebhookSender({ ...config.provisioning, onDelivered: (event) => provisioningAcknowledged(deps, event) }) }
                : {}),
            }),
          }),
        }),
        // retries and leases are real time, even when the domain's clock is fast-forwarded (tests, sandbox)
        clock: { now: Date.now },
        logger,
        pollMs: config.outboxPollMs,
        leaseMs: config.outboxLeaseMs,
        onUndeliverable: (row, error, permanent) => reportUndeliverable(deps, row.payload, error, permanent),
      });
      const d = deliverer;
      store.afterCommit(() => d.nudge());
      // a bulk run's progress message is updated where the admin got it: a Slack DM or a Teams 1:1 chat
      const updaters: Partial<Record<'slack' | 'teams', ProgressUpdater>> = {};
      if (slack) {
        const client = slack.deliveryClient;
        updaters.slack = async (run, m) => {
          const shown = toSlack(m);
          await client.chat.update({ channel: run.channel, ts: run.ts, text: shown.text, blocks: shown.blocks });
        };
      }
      if (teamsSender) updaters.teams = (run, m) => teamsSender.updateRunMessage(run, m);
      reporter = new BulkProgressReporter({ queue, deps, logger, everyMs: config.bulkProgressEveryMs, updaters });
    }
  } catch (e) {
    await engine.close();
    throw e;
  }

  const runtime = slack;
  http.use(
    invitePageRouter({
      deps,
      logger,
      chatName: 'Slack',
      ...(runtime
        ? {
            linkInvitee: async (token: string) => {
              const invitee = await inviteeOfLink(deps, token);
              if (invitee?.email && !invitee.slackUserId) {
                const inSlack = await runtime.directory.email(runtime.teamId, invitee.email);
                await claimEmailInvitations(deps, { emailPersonId: invitee.id, chatPersonId: inSlack.id });
              }
            },
          }
        : {}),
    }),
  );
  http.use(downloadsRouter(deps));
  http.use((_req, res) => {
    res.status(404).json({ ok: false, error: 'not_found' });
  });
  // one error handler for every route, in every NODE_ENV: a small JSON answer with the request id,
  // never Express's page with a stack and paths
  http.use((err: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    const status = typeof (err as { status?: unknown }).status === 'number' ? (err as { status: number }).status : 500;
    if (res.headersSent) return next(err);
    const requestId = String(res.locals.requestId ?? '');
    if (status >= 500) logger.error(`http: request ${requestId} failed`, err);
    const said =
      err instanceof URIError
        ? { status: 400, error: 'bad_request', message: 'The address is not valid.' }
        : (err as { type?: string }).type === 'entity.parse.failed'
          ? { status: 400, error: 'bad_request', message: 'The request body is not valid JSON.' }
          : status === 413
            ? { status: 413, error: 'too_large', message: 'The request body is too large.' }
            : status >= 400 && status < 500
              ? { status, error: 'bad_request', message: 'The request could not be understood.' }
              : { status: 500, error: 'internal_error', message: 'Something went wrong on our side; nothing was changed.' };
    res.status(said.status).json({ ok: false, error: said.error, message: said.message, requestId });
  });

  const server: Server = await new Promise((resolve, reject) => {
    // express 5 hands a listen error (a port in use) to this callback
    const done = (e?: Error) => (e ? reject(e) : resolve(s));
    const s = o.host ? http.listen(config.port, o.host, done) : http.listen(config.port, done);
  });
  const port = (server.address() as AddressInfo).port;
  try {
    await slack?.start();
  } catch (e) {
    server.close();
    await engine.close();
    throw e;
  }
  deliverer?.start();
  reporter?.start();
  const jobs = startJobs({ config, deps, engine, logger });

  let stopped = false;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    engine,
    deps,
    deliverer,
    slack,
    jobs,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await jobs.stop();
      reporter?.stop();
      await deliverer?.stop();
      // no new request is taken; those acknowledged finish their work before the database closes
      const closed = new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      try {
        await slack?.stop();
      } finally {
        server.closeAllConnections();
        await closed;
        await engine.close();
      }
    },
  };
}
