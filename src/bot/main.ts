/**
 * `npm start`: reads the configuration, starts the bot, and stops cleanly on SIGINT/SIGTERM. Any
 * problem at start is one clear line and exit code 1, never a stack trace.
 */
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startBot } from './server.js';
import { SlackStartError } from './slack/slack-app.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const logger = createLogger(config.logLevel);
  let bot;
  try {
    bot = await startBot(config, { logger });
  } catch (e) {
    const known = e instanceof SlackStartError || (e instanceof Error && /EADDRINUSE|SQLITE|EACCES/.test(`${e.message} ${(e as { code?: string }).code ?? ''}`));
    process.stderr.write(`Could not start: ${e instanceof Error ? e.message : String(e)}\n`);
    if (!known) logger.debug('start failure', e);
    process.exit(1);
  }
  const shutdown = (signal: string) => {
    logger.info(`${signal}: stopping`);
    bot
      .stop()
      .then(() => process.exit(0))
      .catch((e: unknown) => {
        logger.error('stop failed', e);
        process.exit(1);
      });
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  const platforms = [
    bot.slack ? `Slack (${config.slack?.socketMode ? 'Socket Mode' : 'HTTP at /slack/events'})` : null,
    config.teams ? `Teams (at /api/messages${config.teams.appPassword ? '' : ', unauthenticated: local emulation only'})` : null,
  ].filter(Boolean);
  logger.info(`atlas-invite-bot listening on http://localhost:${bot.port}`);
  if (platforms.length) logger.info(`chat platforms: ${platforms.join(', ')}`);
  else logger.warn('no Slack or Teams credentials are set: only the invitation pages and /healthz are served. See the README to connect Slack.');
  logger.info(`database: ${config.databaseUrl}; invitation links: ${config.publicBaseUrl}/invite/…`);

}

process.on('unhandledRejection', (e) => {
  process.stderr.write(`Unexpected error: ${e instanceof Error ? e.message : String(e)}\n`);
});

await main();
