import { ErrorCode } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { AMBIGUOUS, classifySlackError } from '../src/bot/slack/slack-errors.js';

describe('sorting Slack failures', () => {
  it('429 waits its Retry-After; a 5xx came back from Slack (check before reposting); a timeout may still be in flight', () => {
    expect(classifySlackError({ code: ErrorCode.RateLimitedError, retryAfter: 7 })).toEqual({ kind: 'rate_limited', retryAfterMs: 7000, error: 'rate limited (Retry-After 7s)' });
    expect(classifySlackError({ code: ErrorCode.HTTPError, statusCode: 503 })).toEqual({ kind: 'transient', error: `${AMBIGUOUS}HTTP 503` });
    expect(classifySlackError({ code: ErrorCode.RequestError, message: 'timeout' })).toEqual({ kind: 'transient', error: `${AMBIGUOUS}timeout`, requestMayBeInFlight: true });
  });

  it('a person who left or a channel that is gone is for good; other platform errors are retried', () => {
    for (const error of ['user_not_found', 'account_inactive', 'channel_not_found', 'is_archived']) {
      expect(classifySlackError({ code: ErrorCode.PlatformError, data: { ok: false, error } })).toEqual({ kind: 'permanent', error });
    }
    expect(classifySlackError({ code: ErrorCode.PlatformError, data: { ok: false, error: 'internal_error' } })).toEqual({ kind: 'transient', error: 'internal_error' });
    expect(classifySlackError({ code: ErrorCode.HTTPError, statusCode: 404 })).toEqual({ kind: 'permanent', error: 'HTTP 404' });
  });
});
