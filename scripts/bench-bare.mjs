// The bare Bolt app `npm run bench` compares the bot with: it checks each request's signature and
// acks it, nothing else. Plain JavaScript in a process of its own, as the bot runs from dist/.
// Prints `listening <port>` once it listens on PORT.
import bolt from '@slack/bolt';

const { App, ExpressReceiver, LogLevel } = bolt;
const receiver = new ExpressReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET, endpoints: '/slack/events', logLevel: LogLevel.ERROR });
const app = new App({ receiver, token: 'xoxb-bare', botId: 'B1', botUserId: 'U1', tokenVerificationEnabled: false, logLevel: LogLevel.ERROR });
app.command('/atlas', async ({ ack }) => ack());
const server = await receiver.start(Number(process.env.PORT ?? 0));
process.stdout.write(`listening ${server.address().port}\n`);
process.once('SIGTERM', () => void receiver.stop().then(() => process.exit(0)));
