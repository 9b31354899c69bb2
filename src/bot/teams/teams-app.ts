/**
 * The Teams side of the process: botbuilder's CloudAdapter behind `POST /api/messages`, with the
 * bot from src/handlers/teams. With TEAMS_APP_PASSWORD set, every activity must carry a valid Bot
 * Framework token (401 otherwise); with it empty (local emulation and tests only; production
 * refuses it at start), authentication is off.
 */
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import express, { type Application } from 'express';
import type { DomainDeps } from '../../domain/index.js';
import type { Database$ } from '../../db/connection.js';
import { AtlasTeamsBot } from '../../handlers/teams/atlas-teams-bot.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { slackViews } from '../slack/render/replies.js';
import { cardActivity, modalToAdaptiveCard, toAdaptiveCard } from './render/adaptive-card.js';
import { TeamsDirectory } from './directory.js';

type TeamsConfig = NonNullable<Config['teams']>;

export interface TeamsRuntime {
  adapter: CloudAdapter;
  /** the app id for proactive calls: '' when authentication is off */
  botAppId: string;
}

export function createTeams(cfg: TeamsConfig, o: { deps: DomainDeps; database: Database$; logger: Logger; http: Application }): TeamsRuntime {
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
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    o.logger.error('teams: unhandled error in a turn', error);
    await context.sendActivity('Something went wrong on my side, and nothing was changed. Please try again in a minute.').catch(() => undefined);
  };
  const directory = new TeamsDirectory(o.deps, o.database, cfg.tenantId);
  const bot = new AtlasTeamsBot({
    deps: o.deps,
    views: slackViews,
    toActivity: cardActivity,
    toCard: toAdaptiveCard,
    toForm: modalToAdaptiveCard,
    directory,
    logger: o.logger,
  });
  o.http.post('/api/messages', express.json({ limit: '1mb' }), async (req, res) => {
    await adapter.process(req, res, async (context) => {
      // a single-tenant bot serves its own organisation only; anything else is ignored
      if (!directory.servesTenantOf(context)) {
        o.logger.warn(`teams: ignored an activity from another tenant (${context.activity.conversation?.tenantId ?? 'unknown'})`);
        return;
      }
      await bot.run(context);
    });
  });
  if (!authenticated) o.logger.warn('teams: TEAMS_APP_PASSWORD is empty, so Teams activities are NOT authenticated (local emulation only)');
  return { adapter, botAppId: authenticated ? cfg.appId : '' };
}
