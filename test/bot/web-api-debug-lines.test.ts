/**
 * The Web API client makes a redacted copy of every request and answer for its debug lines, and
 * made it whether the line was written or not: 50 ms of the event loop for a users.list page of
 * 1,000 (issue #19). patches/@slack+web-api+8.2.0.patch (applied by `npm install`'s postinstall)
 * makes it only when the logger says DEBUG. This fails if the patch is not applied.
 */
import { LogLevel, WebClient, type Logger } from '@slack/web-api';
import { afterEach, expect, it } from 'vitest';
import { startSlackStandIn, type SlackStandIn } from '../support/slack-standin.js';

let standIn: SlackStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

function recordingLogger(level: LogLevel): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    debug: (...m: unknown[]) => lines.push(m.map(String).join(' ')),
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
    setLevel: () => undefined,
    getLevel: () => level,
    setName: () => undefined,
  };
}

it('the redacted copies of a call are made only for a logger at DEBUG, and then say what went out and came back, the token hidden', async () => {
  standIn = await startSlackStandIn();
  for (let i = 0; i < 30; i++) standIn.addUser({ id: `UDBG${i}`, name: `u${i}`, real_name: `User ${i}`, email: `u${i}@uni.edu` });
  const call = async (level: LogLevel) => {
    const logger = recordingLogger(level);
    const client = new WebClient('xoxb-debug-lines', { slackApiUrl: standIn!.apiUrl, logger, retryConfig: { retries: 0 } });
    const page = await client.users.list({ limit: 1000 });
    expect(page.members?.length).toBeGreaterThanOrEqual(30);
    return logger.lines;
  };
  const quiet = await call(LogLevel.INFO);
  expect(quiet.filter((l) => /http request (result|body|headers)/.test(l))).toEqual([]);
  const loud = await call(LogLevel.DEBUG);
  const result = loud.find((l) => l.startsWith('http request result:'));
  expect(result).toContain('UDBG29');
  expect(loud.find((l) => l.startsWith('http request body:'))).toContain('"limit":1000');
  const headers = loud.find((l) => l.startsWith('http request headers:'));
  expect(headers).toContain('[[REDACTED]]');
  expect(loud.join('\n')).not.toContain('xoxb-debug-lines');
});
