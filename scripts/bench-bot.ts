/**
 * The bot (or, with BENCH_BARE=1, a bare Bolt app that only acks) in a process of its own, for
 * `npm run bench`: the load generator and the Slack stand-in run in the bench's process, so what
 * is measured here is the bot alone, its requests per second and its peak RSS. The parent talks
 * to it over IPC: `{ url }` once it listens; `stop` → `{ maxRss }` (bytes) and exit.
 */
import { App, ExpressReceiver, LogLevel } from '@slack/bolt';
import { loadConfig } from '../src/bot/config.js';
import { createLogger } from '../src/bot/logger.js';
import { startBot } from '../src/bot/server.js';

const send = (m: unknown) => new Promise<void>((resolve) => process.send!(m, () => resolve()));

let stop: () => Promise<void>;
if (process.env.BENCH_BARE === '1') {
  const receiver = new ExpressReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET!, endpoints: '/slack/events', logLevel: LogLevel.ERROR });
  const app = new App({ receiver, token: 'xoxb-bare', botId: 'B1', botUserId: 'U1', tokenVerificationEnabled: false, logLevel: LogLevel.ERROR });
  app.command('/atlas', async ({ ack }) => ack());
  const server = await receiver.start(0);
  stop = () => receiver.stop();
  await send({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}` });
} else {
  const bot = await startBot(loadConfig(process.env), { logger: createLogger('error') });
  stop = () => bot.stop();
  await send({ url: bot.url });
}
process.on('message', (m) => {
  if (m !== 'stop') return;
  void (async () => {
    await stop();
    // maxRSS: the operating system's own high-water mark for this process, in kilobytes
    await send({ maxRss: process.resourceUsage().maxRSS * 1024 });
    process.exit(0);
  })();
});
