/**
 * The tables beside the domain's, written once for both engines (see SqlRunner): the Slack inbox,
 * the Teams conversations and greetings, and node-cron's job leases.
 */
import { sql } from 'drizzle-orm';
import type { RunCoordinator } from 'node-cron';
import type { TeamsConversationRef } from '../domain/index.js';
import { jsonOf, type SqlRunner } from './sql-runner.js';

interface InboxRow {
  id: number;
  receivedAt: number;
  contentType: string;
  sealedBody: string | null;
}

/** The Slack inbox's rows (see src/bot/slack/inbox.ts for what each state means). */
export interface InboxTable {
  /** the new row's id, held by `owner` until `leaseUntil`; undefined when its key (or event id) was recorded already: a replay */
  record(r: { key: string; eventId: string | null; receivedAt: number; contentType: string; sealedBody: string; owner: string; leaseUntil: number }): Promise<number | undefined>;
  /** `received` → `acked`: its 2xx answer is going out */
  acked(id: number): Promise<void>;
  done(id: number, at: number): Promise<void>;
  /** the owner is still at work on its unfinished rows: their lease runs on */
  renew(owner: string, leaseUntil: number): Promise<void>;
  /** the owner stops: its unfinished rows are free for another instance (or its successor) at once */
  release(owner: string): Promise<void>;
  /** forgets finished rows received before `doneBefore`; gives up unfinished ones received before `abandonBefore` */
  prune(doneBefore: number, abandonBefore: number, at: number): Promise<void>;
  /**
   * Rows whose owner's lease lapsed (it stopped or died): those never acknowledged are given up,
   * those acknowledged are taken over by `owner` and returned (oldest first). Two instances
   * looking at once take each row once.
   */
  orphans(owner: string, leaseUntil: number, at: number): Promise<InboxRow[]>;
  abandon(id: number, at: number): Promise<void>;
}

/** not owned (rows from before owners were recorded), or the owner's lease lapsed */
const lapsed = (at: number) => sql`(lease_until IS NULL OR lease_until < ${at})`;

export function inboxTable(run: SqlRunner): InboxTable {
  return {
    record: async (r) => {
      const rows = await run.rows<{ id: number }>(sql`
        INSERT INTO slack_inbox (key, event_id, received_at, status, content_type, sealed_body, owner, lease_until)
        VALUES (${r.key}, ${r.eventId}, ${r.receivedAt}, 'received', ${r.contentType}, ${r.sealedBody}, ${r.owner}, ${r.leaseUntil})
        ON CONFLICT DO NOTHING RETURNING id`);
      return rows[0]?.id;
    },
    acked: async (id) => {
      await run.rows(sql`UPDATE slack_inbox SET status = 'acked' WHERE id = ${id} AND status = 'received'`);
    },
    done: async (id, at) => {
      await run.rows(sql`UPDATE slack_inbox SET status = 'done', done_at = ${at}, sealed_body = NULL, lease_until = NULL WHERE id = ${id}`);
    },
    renew: async (owner, leaseUntil) => {
      await run.rows(sql`UPDATE slack_inbox SET lease_until = ${leaseUntil} WHERE owner = ${owner} AND status IN ('received', 'acked')`);
    },
    release: async (owner) => {
      await run.rows(sql`UPDATE slack_inbox SET lease_until = 0 WHERE owner = ${owner} AND status IN ('received', 'acked')`);
    },
    prune: async (doneBefore, abandonBefore, at) => {
      await run.rows(sql`DELETE FROM slack_inbox WHERE received_at < ${doneBefore} AND status IN ('done', 'abandoned')`);
      await run.rows(sql`UPDATE slack_inbox SET status = 'abandoned', done_at = ${at}, sealed_body = NULL WHERE received_at < ${abandonBefore} AND status IN ('received', 'acked')`);
    },
    orphans: async (owner, leaseUntil, at) => {
      await run.rows(sql`UPDATE slack_inbox SET status = 'abandoned', done_at = ${at}, sealed_body = NULL WHERE status = 'received' AND ${lapsed(at)}`);
      // taken in one conditional update: of two instances at once, each row goes to one
      const rows = await run.rows<InboxRow & Record<string, unknown>>(sql`
        UPDATE slack_inbox SET owner = ${owner}, lease_until = ${leaseUntil} WHERE status = 'acked' AND ${lapsed(at)}
        RETURNING id, received_at AS "receivedAt", content_type AS "contentType", sealed_body AS "sealedBody"`);
      return rows.sort((a, b) => a.id - b.id);
    },
    abandon: async (id, at) => {
      await run.rows(sql`UPDATE slack_inbox SET status = 'abandoned', done_at = ${at}, sealed_body = NULL WHERE id = ${id}`);
    },
  };
}

/** Teams conversations the bot can post into (channels), and the ones it has greeted. */
export interface TeamsTables {
  channel(id: string): Promise<TeamsConversationRef | undefined>;
  channels(): Promise<{ id: string; ref: TeamsConversationRef }[]>;
  rememberChannel(id: string, ref: TeamsConversationRef, at: number): Promise<void>;
  /** true for the first caller only (of every process): the greeting goes out once */
  claimWelcome(conversationId: string, at: number): Promise<boolean>;
  forgetWelcome(conversationId: string): Promise<void>;
}

export function teamsTables(run: SqlRunner): TeamsTables {
  return {
    channel: async (id) => {
      const [row] = await run.rows<{ ref: unknown }>(sql`SELECT ref FROM teams_conversations WHERE id = ${id}`);
      return row ? jsonOf<TeamsConversationRef>(row.ref) : undefined;
    },
    channels: async () =>
      (await run.rows<{ id: string; ref: unknown }>(sql`SELECT id, ref FROM teams_conversations ORDER BY id`)).map((r) => ({ id: r.id, ref: jsonOf<TeamsConversationRef>(r.ref) })),
    rememberChannel: async (id, ref, at) => {
      await run.rows(sql`
        INSERT INTO teams_conversations (id, ref, updated_at) VALUES (${id}, ${JSON.stringify(ref)}, ${at})
        ON CONFLICT (id) DO UPDATE SET ref = excluded.ref, updated_at = excluded.updated_at`);
    },
    claimWelcome: async (conversationId, at) =>
      (await run.rows(sql`INSERT INTO teams_welcomes (conversation_id, at) VALUES (${conversationId}, ${at}) ON CONFLICT DO NOTHING RETURNING conversation_id`)).length === 1,
    forgetWelcome: async (conversationId) => {
      await run.rows(sql`DELETE FROM teams_welcomes WHERE conversation_id = ${conversationId}`);
    },
  };
}

const DAY_MS = 86_400_000;

/**
 * node-cron's distributed run coordinator on the database: of several bot processes sharing it,
 * one runs each scheduled slot. node-cron keys a run by task and slot time; the first process to
 * insert that key runs it, and a crashed run's key can be taken over once its lease runs out. (The
 * jobs stay safe to run twice anyway: exactly-once rests on conditional updates in the database.)
 */
export function runCoordinator(run: SqlRunner, owner: string, now: () => number = Date.now): RunCoordinator {
  return {
    shouldRun: async (key, ttlMs) => {
      const t = now();
      await run.rows(sql`DELETE FROM job_leases WHERE until < ${t - DAY_MS}`);
      const won = await run.rows(sql`
        INSERT INTO job_leases (key, owner, until) VALUES (${key}, ${owner}, ${t + ttlMs})
        ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, until = excluded.until WHERE job_leases.until < ${t}
        RETURNING key`);
      return won.length === 1;
    },
  };
}
