/**
 * The Teams side of the process: botbuilder's CloudAdapter behind `POST /api/messages`, with the
 * bot from src/handlers/teams. With TEAMS_APP_PASSWORD set, every activity must carry a valid Bot
 * Framework token (401 otherwise); with it empty (local emulation and tests only; production
 * refuses it at start), authentication is off.
 */
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import { AuthenticationError, type AuthenticateRequestResult } from 'botframework-connector';
import express, { type Application } from 'express';
import type { DomainDeps } from '../../domain/index.js';
import type { TeamsTables } from '../../db/side-tables.js';
import { AtlasTeamsBot } from '../../handlers/teams/atlas-teams-bot.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { views } from '../messages/replies.js';
import { cardActivity, formCard, toAdaptiveCard } from './render/adaptive-card.js';
import { TeamsDirectory } from './directory.js';

type TeamsConfig = NonNullable<Config['teams']>;

/**
 * CloudAdapter whose turn runs on a request we authenticated ourselves: its own `process()` prints
 * every refused token to the console with a stack trace and answers 500s with the error's message.
 */
class AuthenticatedAdapter extends CloudAdapter {
  runAuthenticated(auth: AuthenticateRequestResult, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(auth, activity, logic);
  }
}

/** As botbuilder's own request path does: the wire's ISO dates become Dates, the raw strings kept. */
function withDates(activity: Activity): Activity {
  const a = activity as Activity & Record<string, unknown>;
  for (const [field, raw] of [['timestamp', 'rawTimestamp'], ['expiration', 'rawExpiration'], ['localTimestamp', 'rawLocalTimestamp']] as const) {
    const v = a[field];
    if (typeof v === 'string') Object.assign(a, { [raw]: v, [field]: new Date(v) });
  }
  return a;
}

const isActivity = (body: unknown): body is Activity =>
  typeof body === 'object' && body !== null && !Array.isArray(body) && typeof (body as { type?: unknown }).type === 'string' && (body as { type: string }).type !== '';

export interface TeamsRuntime {
  adapter: CloudAdapter;
  /** the app id for proactive calls: '' when authentication is off */
  botAppId: string;
}

export function createTeams(cfg: TeamsConfig, o: { deps: DomainDeps; tables: TeamsTables; logger: Logger; http: Application }): TeamsRuntime {
  const authenticated = Boolean(cfg.appPassword);
  const auth = new ConfigurationBotFrameworkAuthentication(
    authenticated
      ? {
          MicrosoftAppId: cfg.appId,
          MicrosoftAppPassword: cfg.appPassword,
          MicrosoftAppType: cfg.tenantId ? 'SingleTenant' : 'MultiTenant',
          ...(cfg.tenantId ? { MicrosoftAppTenantId: cfg.tenantId } : {}),
        }
      : // no app id: botbuilder then neither checks incoming tokens nor asks for outgoing ones
        { MicrosoftAppId: '', MicrosoftAppPassword: '' },
  );
  const adapter = new AuthenticatedAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    o.logger.error('teams: unhandled error in a turn', error);
    await context.sendActivity('Something went wrong on my side, and nothing was changed. Please try again in a minute.').catch(() => undefined);
  };
  const directory = new TeamsDirectory(o.deps, o.tables, cfg.tenantId);
  const bot = new AtlasTeamsBot({
    deps: o.deps,
    views,
    toActivity: cardActivity,
    toCard: toAdaptiveCard,
    toForm: formCard,
    directory,
    logger: o.logger,
  });
  const turn = async (context: TurnContext) => {
    // a single-tenant bot serves its own organisation only; anything else is ignored
    if (!directory.servesTenantOf(context)) {
      o.logger.warn(`teams: ignored an activity from another tenant (${context.activity.conversation?.tenantId ?? 'unknown'})`);
      return;
    }
    await bot.run(context);
  };
  // with a password, a request without a bearer token is refused before its body is even read
  const bearerFirst: express.RequestHandler = (req, res, next) => {
    if (authenticated && !/^Bearer \S+$/i.test(req.get('authorization') ?? '')) {
      o.logger.warn('teams: refused an activity without a Bot Framework token');
      res.status(401).json({ error: 'unauthorized' });
      return;
    }
    next();
  };
  o.http.post('/api/messages', bearerFirst, express.json({ limit: '1mb' }), async (req, res) => {
    const body: unknown = req.body;
    // authentication before anything is made of the body (an empty one is checked as an empty activity)
    if (!isActivity(body) && !authenticated) {
      res.status(400).json({ error: 'bad_request', message: 'Expected a Bot Framework activity (a JSON object with a type).' });
      return;
    }
    let authResult: AuthenticateRequestResult;
    try {
      authResult = await auth.authenticateRequest((isActivity(body) ? body : {}) as Activity, req.get('authorization') ?? '');
    } catch (e) {
      if (e instanceof AuthenticationError) {
        o.logger.warn(`teams: refused an activity without a valid Bot Framework token (${e.message})`);
        res.status(401).json({ error: 'unauthorized' });
        return;
      }
      throw e;
    }
    if (!isActivity(body)) {
      res.status(400).json({ error: 'bad_request', message: 'Expected a Bot Framework activity (a JSON object with a type).' });
      return;
    }
    try {
      const answer = await adapter.runAuthenticated(authResult, withDates(body), turn);
      res.status(answer?.status ?? 200);
      if (answer?.body === undefined) res.end();
      else res.json(answer.body);
    } catch (e) {
      o.logger.error('teams: an activity could not be processed', e);
      if (!res.headersSent) res.status(500).json({ error: 'internal_error' });
    }
  });
  if (!authenticated) o.logger.warn('teams: TEAMS_APP_PASSWORD is empty, so Teams activities are NOT authenticated (local emulation only)');
  return { adapter, botAppId: authenticated ? cfg.appId : '' };
}
