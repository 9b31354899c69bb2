import { ErrorCode, type WebAPICallError } from '@slack/web-api';

/** Slack answers that will not change on a retry: the person or channel is gone or unusable. */
const PERMANENT_ERRORS = new Set([
  'user_not_found',
  'users_not_found',
  'account_inactive',
  'user_disabled',
  'channel_not_found',
  'is_archived',
  'not_in_channel',
  'cannot_dm_bot',
  'messages_tab_disabled',
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_too_long',
  'no_text',
  'restricted_action',
]);

/** Marks a failed attempt whose effect is unknown (it may have been posted). */
export const AMBIGUOUS = 'ambiguous: ';

export type SlackFailure =
  | { kind: 'rate_limited'; retryAfterMs: number; error: string }
  | { kind: 'transient'; error: string; requestMayBeInFlight?: boolean }
  | { kind: 'permanent'; error: string };

/** Sorts a Web API failure into wait-and-retry, retry-with-backoff, or give up. */
export function classifySlackError(e: unknown): SlackFailure {
  const err = e as Partial<WebAPICallError> & { message?: string };
  switch (err.code) {
    case ErrorCode.RateLimitedError: {
      const seconds = (err as { retryAfter?: number }).retryAfter ?? 1;
      return { kind: 'rate_limited', retryAfterMs: Math.max(1, seconds) * 1000, error: `rate limited (Retry-After ${seconds}s)` };
    }
    case ErrorCode.HTTPError: {
      const status = (err as { statusCode?: number }).statusCode ?? 0;
      // a 5xx may come after Slack already acted: the retry first looks whether the message is there
      return status >= 500 || status === 408 ? { kind: 'transient', error: `${AMBIGUOUS}HTTP ${status}` } : { kind: 'permanent', error: `HTTP ${status}` };
    }
    case ErrorCode.PlatformError: {
      const code = (err as { data?: { error?: string } }).data?.error ?? 'unknown_error';
      if (PERMANENT_ERRORS.has(code)) return { kind: 'permanent', error: code };
      // ratelimited / internal_error / fatal_error / service_unavailable and the like: try again later
      return { kind: 'transient', error: code };
    }
    default: {
      // the connection never opened (refused, no such host): the request did not leave, a plain retry
      const cause = `${(err as { original?: { code?: string } }).original?.code ?? ''} ${err.message ?? ''}`;
      if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH/.test(cause)) return { kind: 'transient', error: err.message ?? String(e) };
      // a timeout or a dropped connection: the request may or may not have reached Slack
      return { kind: 'transient', error: `${AMBIGUOUS}${err.message ?? String(e)}`, requestMayBeInFlight: true };
    }
  }
}

export const slackErrorCode = (e: unknown): string | undefined => (e as { data?: { error?: string } }).data?.error;
