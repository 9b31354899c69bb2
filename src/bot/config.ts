/**
 * The whole configuration, parsed once from the environment by one zod schema (the README's Configuration table lists
 * every variable). Nothing below main.ts reads process.env.
 */
import { parseSecretKey } from './secret-box.js';
import { resolve as resolvePath } from 'node:path';
import { z } from 'zod';
import { validate as validateCron } from 'node-cron';
import { parseReminderWindow } from '../domain/reminder-window.js';

const DURATION = /^(\d+)(s|m|h|d)$/;
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

function parseDuration(v: string): number | null {
  const m = DURATION.exec(v.trim());
  if (!m) return null;
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

const duration = (example: string) =>
  z.string().transform((v, ctx) => {
    const ms = parseDuration(v);
    if (ms === null || ms <= 0) {
      ctx.addIssue({ code: 'custom', message: `must be a duration like ${example} (<n>s, <n>m, <n>h or <n>d), got "${v}"` });
      return z.NEVER;
    }
    return ms;
  });

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));

const list = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean));

const cron = z
  .string()
  .trim()
  .refine((v) => validateCron(v), 'must be a cron expression like "0 * * * *" (minute hour day month weekday; a seconds field may come first)');

const configSchema = z
  .object({
    NODE_ENV: z.string().optional().default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    DATABASE_URL: z
      .string()
      .default('file:./data/atlas-bot.sqlite')
      .refine((v) => /^file:.+/.test(v) || /^postgres(ql)?:\/\/[^/]+/.test(v), 'must be a file: URL (for example file:./data/atlas-bot.sqlite) or a postgres:// URL (postgres://user:password@host:5432/db)'),
    /** the sandbox's own database (npm start without credentials, outside production); wiped at each start */
    SANDBOX_DATABASE_URL: z
      .string()
      .default('file:./data/sandbox.sqlite')
      .refine((v) => /^file:.+/.test(v) && v !== 'file::memory:', 'must be a file: URL like file:./data/sandbox.sqlite'),
    PUBLIC_BASE_URL: z.url({ message: 'must be a URL like https://bot.example.edu' }).optional(),
    SLACK_BOT_TOKEN: optionalText.refine((v) => v === undefined || v.startsWith('xoxb-'), 'must be a bot token starting with xoxb-'),
    SLACK_SIGNING_SECRET: optionalText,
    SLACK_APP_TOKEN: optionalText.refine((v) => v === undefined || v.startsWith('xapp-'), 'must be an app-level token starting with xapp-'),
    SLACK_API_URL: z.url().default('https://slack.com/api/'),
    TEAMS_APP_ID: optionalText,
    TEAMS_APP_PASSWORD: optionalText,
    TEAMS_TENANT_ID: optionalText,
    /** 32 bytes (64 hex characters or base64) sealing secrets at rest; required in production */
    ATLAS_SECRET_KEY: optionalText.refine((v) => v === undefined || parseSecretKey(v) !== undefined, 'must be 32 bytes, as 64 hex characters or base64 (openssl rand -hex 32)'),
    /** where seats given or taken back and Web members added are POSTed, signed with the secret below */
    PROVISIONING_WEBHOOK_URL: optionalText.refine((v) => v === undefined || /^https?:\/\//.test(v), 'must be an http(s) URL'),
    PROVISIONING_WEBHOOK_SECRET: optionalText,
    ATLAS_ADMINS: list,
    ATLAS_ADMIN_CHANNEL: optionalText,
    ATLAS_SUPPORT_CHANNEL: optionalText,
    INVITE_TTL: duration('14d').default(14 * UNIT_MS.d),
    REMINDER_AFTER: duration('3d').default(3 * UNIT_MS.d),
    REMINDER_MAX: z.coerce.number().int().min(0).default(3),
    REMINDER_WINDOW: z
      .string()
      .default('Mon-Fri 09:00-18:00')
      .transform((v, ctx) => {
        try {
          return { text: v, window: parseReminderWindow(v) };
        } catch (e) {
          ctx.addIssue({ code: 'custom', message: (e as Error).message });
          return z.NEVER;
        }
      }),
    REMINDER_CRON: cron.default('0 * * * *'),
    DIGEST_CRON: cron.default('0 9 * * 1-5'),
    LINK_ALLOWED_HOSTS: list.transform((v) => (v.length ? v : ['atlasti.com', '*.atlasti.com'])),
    /** a concurrent pool warns when it has more members than this many per seat (people may find every seat busy) */
    CONCURRENT_WARN_MEMBERS_PER_SEAT: z.coerce.number().positive().max(1000).default(4),
    /** self-service seat requests: an admin answers each (manual), or the bot approves what the policy allows (auto) */
    SEAT_REQUEST_APPROVAL: z.enum(['manual', 'auto'], { message: 'must be manual or auto' }).default('manual'),
    /** email domains that auto approves at once (when the pool has room); a request from another is left to an admin, and flagged. Empty: any */
    SEAT_REQUEST_DOMAINS: list.transform((v, ctx) => {
      const domains = v.map((d) => d.trim().toLowerCase().replace(/^@/, ''));
      const bad = domains.find((d) => !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(d));
      if (bad !== undefined) {
        ctx.addIssue({ code: 'custom', message: `"${bad}" is not an email domain (like uni.edu)` });
        return z.NEVER;
      }
      return domains;
    }),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    /** outbox polling interval; a commit also wakes the deliverer at once */
    OUTBOX_POLL_MS: z.coerce.number().int().min(10).default(1000),
    /** how long a message being sent is this process's alone: an instance that died mid-send has its messages taken over after this */
    OUTBOX_LEASE_MS: z.coerce.number().int().min(1000).default(60_000),
    /** how long a Slack request being handled is this instance's alone: one an instance acknowledged and then died with is handled by another after this */
    SLACK_INBOX_LEASE_MS: z.coerce.number().int().min(1000).default(30_000),
    /** Slack allows about one message per second per channel: the least time between two posts to one channel */
    SLACK_CHANNEL_INTERVAL_MS: z.coerce.number().int().min(0).default(1000),
    /** Slack's workspace-wide allowance for chat.postMessage (several hundred a minute): the deliverer stays under it */
    SLACK_POSTS_PER_MINUTE: z.coerce.number().int().min(1).default(300),
    /** how long the deliverer waits for Slack to answer one call */
    SLACK_DELIVERY_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
    /** after a post Slack never answered, how long it may still apply it: until then a retry only looks for it, and posts nothing */
    SLACK_IN_FLIGHT_MS: z.coerce.number().int().min(100).default(180_000),
    /** how often a bulk run's progress message is updated */
    BULK_PROGRESS_EVERY_MS: z.coerce.number().int().min(100).default(3000),
  })
  .transform((c, ctx) => {
    const slackHttp = Boolean(c.SLACK_BOT_TOKEN && c.SLACK_SIGNING_SECRET);
    const slackSocket = Boolean(c.SLACK_BOT_TOKEN && c.SLACK_APP_TOKEN);
    if (c.SLACK_BOT_TOKEN && !slackHttp && !slackSocket) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_SIGNING_SECRET'],
        message: 'is required with SLACK_BOT_TOKEN (or set SLACK_APP_TOKEN to use Socket Mode)',
      });
    }
    if ((c.SLACK_SIGNING_SECRET || c.SLACK_APP_TOKEN) && !c.SLACK_BOT_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: 'is required when Slack credentials are set' });
    }
    const production = c.NODE_ENV === 'production';
    if (production && c.TEAMS_APP_ID && !c.TEAMS_APP_PASSWORD) {
      ctx.addIssue({ code: 'custom', path: ['TEAMS_APP_PASSWORD'], message: 'is required in production (an empty password runs Teams unauthenticated)' });
    }
    if (production && !c.SLACK_BOT_TOKEN && !c.TEAMS_APP_ID) {
      ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: 'is required in production (set Slack or Teams credentials)' });
    }
    if (c.PROVISIONING_WEBHOOK_URL && (c.PROVISIONING_WEBHOOK_SECRET ?? '').length < 16) {
      ctx.addIssue({ code: 'custom', path: ['PROVISIONING_WEBHOOK_SECRET'], message: 'is required (at least 16 characters) when PROVISIONING_WEBHOOK_URL is set: every event is signed with it' });
    }
    if (production && c.PROVISIONING_WEBHOOK_URL && !c.PROVISIONING_WEBHOOK_URL.startsWith('https://')) {
      ctx.addIssue({ code: 'custom', path: ['PROVISIONING_WEBHOOK_URL'], message: 'must be https in production' });
    }
    // every instance seals and opens the same rows: they share the key, which no single data folder can keep
    if (!c.ATLAS_SECRET_KEY && /^postgres/.test(c.DATABASE_URL)) {
      ctx.addIssue({ code: 'custom', path: ['ATLAS_SECRET_KEY'], message: 'is required with a postgres:// DATABASE_URL (every instance needs the same key; make one with openssl rand -hex 32)' });
    } else if (production && !c.ATLAS_SECRET_KEY) {
      ctx.addIssue({ code: 'custom', path: ['ATLAS_SECRET_KEY'], message: 'is required in production (it seals license links at rest; make one with openssl rand -hex 32)' });
    }
    // no credentials outside production: the sandbox, a local Slack in the browser; only on this machine
    const sandbox = !c.SLACK_BOT_TOKEN && !c.TEAMS_APP_ID && !production;
    if (sandbox && c.PUBLIC_BASE_URL && !LOCAL_HOSTS.has(new URL(c.PUBLIC_BASE_URL).hostname)) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_BOT_TOKEN'],
        message: `is required when PUBLIC_BASE_URL is a public address (${c.PUBLIC_BASE_URL}): without credentials only the local sandbox runs`,
      });
    }
    if (sandbox && resolvePath(c.SANDBOX_DATABASE_URL.replace(/^file:/, '')) === resolvePath(c.DATABASE_URL.replace(/^file:/, ''))) {
      ctx.addIssue({ code: 'custom', path: ['SANDBOX_DATABASE_URL'], message: 'must not name the DATABASE_URL file: the sandbox wipes its file at every start' });
    }
    return {
      nodeEnv: c.NODE_ENV,
      sandbox,
      production,
      port: c.PORT,
      databaseUrl: c.DATABASE_URL,
      provisioning: c.PROVISIONING_WEBHOOK_URL ? { url: c.PROVISIONING_WEBHOOK_URL, secret: c.PROVISIONING_WEBHOOK_SECRET ?? '' } : undefined,
      secretKey: c.ATLAS_SECRET_KEY === undefined ? undefined : parseSecretKey(c.ATLAS_SECRET_KEY),
      sandboxDatabaseUrl: c.SANDBOX_DATABASE_URL,
      publicBaseUrl: (c.PUBLIC_BASE_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, ''),
      slack: c.SLACK_BOT_TOKEN
        ? {
            botToken: c.SLACK_BOT_TOKEN,
            signingSecret: c.SLACK_SIGNING_SECRET,
            appToken: c.SLACK_APP_TOKEN,
            socketMode: Boolean(c.SLACK_APP_TOKEN),
            apiUrl: c.SLACK_API_URL.endsWith('/') ? c.SLACK_API_URL : `${c.SLACK_API_URL}/`,
            channelIntervalMs: c.SLACK_CHANNEL_INTERVAL_MS,
            progressEveryMs: c.BULK_PROGRESS_EVERY_MS,
            postsPerMinute: c.SLACK_POSTS_PER_MINUTE,
            deliveryTimeoutMs: c.SLACK_DELIVERY_TIMEOUT_MS,
            inFlightMs: c.SLACK_IN_FLIGHT_MS,
          }
        : undefined,
      teams: c.TEAMS_APP_ID ? { appId: c.TEAMS_APP_ID, appPassword: c.TEAMS_APP_PASSWORD, tenantId: c.TEAMS_TENANT_ID } : undefined,
      /** how often a bulk run's progress message is updated, on either platform */
      bulkProgressEveryMs: c.BULK_PROGRESS_EVERY_MS,
      admins: c.ATLAS_ADMINS,
      adminChannel: c.ATLAS_ADMIN_CHANNEL,
      supportChannel: c.ATLAS_SUPPORT_CHANNEL ?? c.ATLAS_ADMIN_CHANNEL,
      inviteTtlMs: c.INVITE_TTL,
      reminderAfterMs: c.REMINDER_AFTER,
      reminderMax: c.REMINDER_MAX,
      reminderWindow: c.REMINDER_WINDOW.window,
      reminderWindowText: c.REMINDER_WINDOW.text,
      reminderCron: c.REMINDER_CRON,
      digestCron: c.DIGEST_CRON,
      linkAllowedHosts: c.LINK_ALLOWED_HOSTS,
      crowdRatio: c.CONCURRENT_WARN_MEMBERS_PER_SEAT,
      seatRequests: { approval: c.SEAT_REQUEST_APPROVAL, domains: c.SEAT_REQUEST_DOMAINS },
      logLevel: c.LOG_LEVEL,
      outboxPollMs: c.OUTBOX_POLL_MS,
      outboxLeaseMs: c.OUTBOX_LEASE_MS,
      inboxLeaseMs: c.SLACK_INBOX_LEASE_MS,
    };
  });

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment; a bad value throws one line naming the variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // an empty variable is the same as an unset one
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const r = configSchema.safeParse(cleaned);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const name = String(issue.path[0] ?? 'configuration');
  const message = issue.code === 'invalid_type' && cleaned[name] === undefined ? 'is required' : issue.message;
  throw new ConfigError(`Configuration error: ${name} ${message}.`);
}
