/**
 * Starts the real bot (startBot, the same path as `npm start`) on a free port against the Slack
 * stand-in, with a database of its own (a SQLite file; in the suite's PostgreSQL project, a
 * database on the test server), and drives it with signed requests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/bot/config.js';
import { createLogger } from '../../src/bot/logger.js';
import { startBot, type RunningBot } from '../../src/bot/server.js';
import { blockActionPayload, interactiveBody, postSigned, slashCommandBody, viewSubmissionPayload, fakeTriggerId } from './slack-requests.js';
import { startSlackStandIn, STANDIN_TEAM_ID, type RecordedCall, type SlackStandIn } from './slack-standin.js';
import { dropPgDatabase, freshPgDatabase, onPostgres, TEST_SECRET_KEY } from './postgres.js';
import { sql, type SQL } from 'drizzle-orm';
import type { SqlRunner } from '../../src/db/sql-runner.js';
import { openEngine } from '../../src/db/engine.js';

export const SECRET = 'test-signing-secret-0123456789abcdef';
export const ADMIN = { id: 'UADMIN', name: 'ada', real_name: 'Ada Admin', email: 'ada@uni.edu', tz: 'Europe/Berlin' };
export const ALICE = { id: 'UALICE', name: 'alice', real_name: 'Alice Smith', email: 'Alice.Smith@uni.edu', tz: 'America/New_York' };
export const BOB = { id: 'UBOB', name: 'bob', real_name: 'Bob Jones', email: 'bob@uni.edu', tz: 'Europe/London' };
export const MALLORY = { id: 'UMALLORY', name: 'mallory', real_name: 'Mallory', email: 'mallory@uni.edu' };
export const CAROL = { id: 'UCAROL', name: 'carol', real_name: 'Carol Diaz', email: 'carol@uni.edu', tz: 'Europe/Madrid' };
export const ADMIN_CHANNEL = 'CADMINS';

export interface TestBot {
  bot: RunningBot;
  slack: SlackStandIn;
  dir: string;
  logs: string[];
  env: Record<string, string>;
  /**
   * Rows of a statement both engines read (`?` for each parameter), alike on both: whole numbers
   * and booleans as numbers (SQLite's 1 and 0), JSON as the text SQLite keeps.
   */
  query<T = Record<string, any>>(text: string, ...params: unknown[]): Promise<T[]>;
  /** the `n` of `SELECT COUNT(*) AS n …` */
  count(text: string, ...params: unknown[]): Promise<number>;
  /**
   * Like `query`, while the bot is stopped (after `bot.stop()`, before `restart()`): the database
   * is opened for this one statement, then closed.
   */
  queryStopped<T = Record<string, any>>(text: string, ...params: unknown[]): Promise<T[]>;
  /** a slash command; its answer (in the ack, or else on its response_url, waited for) unless `noReply` (e.g. a form opens instead) */
  command(userId: string, text: string, opts?: { trigger_id?: string; noReply?: boolean }): Promise<{ status: number; reply: RecordedCall | undefined }>;
  click(userId: string, actionId: string, value: string, opts?: { channel_id?: string; message_ts?: string; noReply?: boolean }): Promise<{ status: number; reply: RecordedCall | undefined }>;
  submitView(userId: string, callbackId: string, values: Record<string, Record<string, unknown>>, opts?: { private_metadata?: string; view_id?: string }): Promise<{ status: number; json?: any }>;
  /** a global shortcut, as Slack sends it */
  shortcut(userId: string, callbackId: string): Promise<{ status: number }>;
  /** click a button on a message the bot posted (its blocks as Slack stored them) */
  clickIn(userId: string, posted: RecordedCall, actionId: string): Promise<{ status: number; reply: RecordedCall | undefined }>;
  /** waits until the outbox has nothing left that is due */
  drained(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** The environment a test bot runs with: this Slack stand-in, a database in `dir`, and no scheduled jobs. */
export const testBotEnv = (slack: SlackStandIn, dir: string): Record<string, string> => ({
  PORT: '0',
  DATABASE_URL: `file:${join(dir, 'bot.sqlite')}`,
  PUBLIC_BASE_URL: 'https://bot.example.edu',
  SLACK_BOT_TOKEN: 'xoxb-test-token',
  SLACK_SIGNING_SECRET: SECRET,
  SLACK_API_URL: slack.apiUrl,
  ATLAS_ADMINS: ADMIN.id,
  ATLAS_ADMIN_CHANNEL: ADMIN_CHANNEL,
  OUTBOX_POLL_MS: '50',
  SLACK_CHANNEL_INTERVAL_MS: '0',
  SLACK_POSTS_PER_MINUTE: '60000',
  REMINDER_CRON: '0 0 1 1 *',
  DIGEST_CRON: '0 0 1 1 *',
  LOG_LEVEL: 'info',
});

/** A test bot on a clock of its own, starting at `start` (move `clock.now` to go forward in time). */
export async function startTestBotAt(start: number, env: Record<string, string> = {}): Promise<{ t: TestBot; clock: { now: number } }> {
  const clock = { now: start };
  const t = await startTestBot({ now: () => clock.now, env });
  return { t, clock };
}

/** `text` with `?` placeholders as a statement of either engine */
function statement(text: string, params: readonly unknown[]): SQL {
  const parts = text.split('?');
  if (parts.length - 1 !== params.length) throw new Error(`${parts.length - 1} placeholders for ${params.length} parameters in ${text}`);
  const q = sql.raw(parts[0]!);
  params.forEach((p, i) => q.append(sql`${p}`).append(sql.raw(parts[i + 1]!)));
  return q;
}

async function rowsAlike<T>(run: SqlRunner, text: string, params: readonly unknown[]): Promise<T[]> {
  const rows = await run.rows(statement(text, params));
  const alike = (v: unknown) => (typeof v === 'boolean' ? Number(v) : v !== null && typeof v === 'object' ? JSON.stringify(v) : v);
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, alike(v)])) as T);
}

export async function startTestBot(opts: { env?: Record<string, string>; slack?: SlackStandIn; dir?: string; now?: () => number } = {}): Promise<TestBot> {
  const slack = opts.slack ?? (await startSlackStandIn());
  for (const u of [ADMIN, ALICE, BOB, MALLORY, CAROL]) slack.addUser(u);
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'atlas-bot-'));
  const pgUrl = onPostgres() && !opts.env?.DATABASE_URL ? await freshPgDatabase() : undefined;
  const env: Record<string, string> = { ...testBotEnv(slack, dir), ...(pgUrl ? { DATABASE_URL: pgUrl, ATLAS_SECRET_KEY: TEST_SECRET_KEY } : {}), ...opts.env };
  const logs: string[] = [];
  const start = () => startBot(loadConfig(env), { logger: createLogger('debug', (l) => logs.push(l)), ...(opts.now ? { now: opts.now } : {}) });
  let bot = await start();

  const responseCall = async (url: string) => slack.waitFor((c) => c.method === 'response_url' && c.url === url, 5000).catch(() => undefined);

  const t: TestBot = {
    get bot() {
      return bot;
    },
    slack,
    dir,
    logs,
    env,
    query: (text, ...params) => rowsAlike(bot.engine.sql, text, params),
    async count(text, ...params) {
      const [row] = await rowsAlike<{ n: number }>(bot.engine.sql, text, params);
      return row?.n ?? 0;
    },
    async queryStopped(text, ...params) {
      // the statement seals nothing: a box that refuses to is enough to open the engine
      const refuse = (): never => {
        throw new Error('queryStopped does not seal or open secrets');
      };
      const engine = await openEngine(env.DATABASE_URL!, { secrets: { seal: refuse, open: refuse } });
      try {
        return await rowsAlike(engine.sql, text, params);
      } finally {
        await engine.close();
      }
    },
    async command(userId, text, o = {}) {
      const response_url = slack.responseUrl();
      const body = slashCommandBody({ text, user_id: userId, team_id: STANDIN_TEAM_ID, response_url, trigger_id: o.trigger_id ?? fakeTriggerId() });
      const res = await postSigned(`${bot.url}/slack/events`, SECRET, body);
      // an instant answer rides on the ack itself (Slack shows it to the person only); others come to the response_url
      if (res.status === 200 && res.json && (res.json.text || res.json.blocks)) {
        return { status: res.status, reply: o.noReply ? undefined : { method: 'ack', args: res.json, at: Date.now(), status: 200 } };
      }
      return { status: res.status, reply: res.status === 200 && !o.noReply ? await responseCall(response_url) : undefined };
    },
    async click(userId, actionId, value, { noReply, ...o } = {}) {
      const response_url = slack.responseUrl();
      const payload = blockActionPayload({ user_id: userId, team_id: STANDIN_TEAM_ID, action_id: actionId, value, response_url, ...o });
      const res = await postSigned(`${bot.url}/slack/events`, SECRET, interactiveBody(payload));
      return { status: res.status, reply: res.status === 200 && !noReply ? await responseCall(response_url) : undefined };
    },
    async shortcut(userId, callbackId) {
      const payload = { type: 'shortcut', token: 'x', action_ts: '1.2', team: { id: STANDIN_TEAM_ID, domain: 'standin' }, user: { id: userId, username: userId.toLowerCase(), team_id: STANDIN_TEAM_ID }, is_enterprise_install: false, enterprise: null, callback_id: callbackId, trigger_id: fakeTriggerId() };
      const res = await postSigned(`${bot.url}/slack/events`, SECRET, interactiveBody(payload));
      return { status: res.status };
    },
    async clickIn(userId, posted, actionId) {
      const b = buttonsOf(posted.args).find((x) => x.action_id === actionId);
      if (!b) throw new Error(`no ${actionId} button in ${JSON.stringify(posted.args.blocks)}`);
      return t.click(userId, b.action_id, b.value, { channel_id: posted.args.channel, ...(posted.args.ts ? { message_ts: posted.args.ts } : {}) });
    },
    async submitView(userId, callbackId, values, o = {}) {
      const payload = viewSubmissionPayload({ user_id: userId, team_id: STANDIN_TEAM_ID, callback_id: callbackId, values, ...o });
      const res = await postSigned(`${bot.url}/slack/events`, SECRET, interactiveBody(payload));
      return { status: res.status, ...(res.json !== undefined ? { json: res.json } : {}) };
    },
    async drained() {
      const deadline = Date.now() + 8000;
      for (;;) {
        const due = await t.count(`SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending' AND next_attempt_at <= ?`, Date.now() + 100);
        if (due === 0) return;
        if (Date.now() > deadline) throw new Error(`outbox still has ${due} due messages`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async restart() {
      await bot.stop();
      bot = await start();
    },
    async close() {
      await bot.stop();
      if (!opts.slack) await slack.close();
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
      if (pgUrl) await dropPgDatabase(pgUrl);
    },
  };
  return t;
}

/** What a person reads: the text of every block, with Slack's &amp; &lt; &gt; shown as & < >. */
export function textOf(args: Record<string, any> | undefined): string {
  return rawTextOf(args).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The text of every block exactly as sent to Slack (escaped). */
export function rawTextOf(args: Record<string, any> | undefined): string {
  if (!args) return '';
  const parts: string[] = [String(args.text ?? '')];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'text' && typeof x === 'string') parts.push(x);
        else walk(x);
      }
    }
  };
  walk(args.blocks);
  return parts.join('\n');
}

/** Every button (action_id, value) of a message. */
/** The buttons of a Block Kit message; `confirm` is Slack's "are you sure" dialog, when the button has one. */
export function buttonsOf(args: Record<string, any> | undefined): { action_id: string; value: string; text: string; confirm?: Record<string, any> }[] {
  const out: { action_id: string; value: string; text: string; confirm?: Record<string, any> }[] = [];
  const take = (e: any) => out.push({ action_id: e.action_id, value: e.value, text: e.text.text, ...(e.confirm ? { confirm: e.confirm } : {}) });
  for (const b of (args?.blocks ?? []) as any[]) {
    if (b.type === 'actions') for (const e of b.elements) if (e.type === 'button') take(e);
    if (b.accessory?.type === 'button') take(b.accessory);
  }
  return out;
}

/**
 * Every row of every table of the bot's database, by table (on either engine): to check that
 * something is kept nowhere in it, on PostgreSQL where there is no file to read.
 */
export async function everyTable(t: TestBot): Promise<Record<string, Record<string, any>[]>> {
  const tables = await t.query<{ name: string }>(
    t.bot.engine.kind === 'sqlite' ? "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name" : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
  );
  const out: Record<string, Record<string, any>[]> = {};
  for (const { name } of tables) out[name] = await t.query(`SELECT * FROM ${name}`);
  return out;
}
