import { expect, it } from 'vitest';
import { createLogger } from '../../src/bot/logger.js';

it('the log never carries a token, a personal link or a response URL, and keeps what the line is about', () => {
  const lines: string[] = [];
  const log = createLogger('debug', (l) => lines.push(l));
  log.error('slack: a post failed', new Error('request to https://hooks.slack.com/commands/T0001/123456/AbCdEfGh failed, reason: socket hang up'));
  log.warn('token xoxb-1234-5678-abcdef and link https://bot.example.edu/invite/abcdefghijklmnopqrstuvwxyz012345');
  const all = lines.join('\n');
  expect(all).not.toContain('AbCdEfGh');
  expect(all).not.toContain('T0001/123456');
  expect(all).not.toContain('xoxb-1234');
  expect(all).not.toContain('abcdefghijklmnopqrstuvwxyz012345');
  expect(all).toContain('request to https://hooks.slack.com/[redacted] failed, reason: socket hang up');
  expect(all).toContain('/invite/[redacted]');
});
