/**
 * `npm start`: reads the configuration, starts the bot, and stops cleanly on SIGINT/SIGTERM. Any
 * problem at start is one clear line and exit code 1, never a stack trace.
 */
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { startBot } from './server.js';
import { redactedUrl } from '../db/engine.js';
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
  if (config.sandbox) {
    await sandbox(config, logger);
    return;
  }
  let bot;
  try {
    bot = await startBot(config, { logger });
  } catch (e) {
    const known = e instanceof SlackStartError || (e instanceof Error && /EADDRINUSE|SQLITE|EACCES|DatabaseUnavailable/.test(`${e.name} ${e.message} ${(e as { code?: string }).code ?? ''}`));
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
  logger.info(`chat platforms: ${platforms.join(', ')}`);
  logger.info(`database: ${redactedUrl(config.databaseUrl)}; invitation links: ${config.publicBaseUrl}/invite/…`);

}

/** No credentials outside production: the bot runs beside a small local Slack, in the browser. */
async function sandbox(config: Config, logger: Logger): Promise<void> {
  let running;
  try {
    // loaded only here: a normal start does not load the sandbox (its small Slack, its page)
    const { startSandbox } = await import('../sandbox/server.js');
    running = await startSandbox(config, { logger, sandboxDatabaseUrl: config.sandboxDatabaseUrl });
  } catch (e) {
    process.stderr.write(`Could not start the sandbox: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
  const stop = (signal: string) => {
    logger.info(`${signal}: stopping`);
    running.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        logger.error('stop failed', e);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  logger.info(`no Slack or Teams credentials: the bot runs in a local sandbox, a small Slack in your browser.`);
  logger.info(`sandbox: open ${running.url}  (its data: ${config.sandboxDatabaseUrl}, started fresh; see the README to connect a real workspace)`);
}

process.on('unhandledRejection', (e) => {
  process.stderr.write(`Unexpected error: ${e instanceof Error ? e.message : String(e)}\n`);
});

await main();
