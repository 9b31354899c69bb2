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
  /** a request recorded but declined (its record came too late): gone, as if never received */
  forget(id: number): Promise<void>;
}

/** not owned (rows from before owners were recorded), or the owner's lease lapsed */
const lapsed = (at: number) => sql`(lease_until IS NULL OR lease_until < ${at})`;

/** rows to one statement at most (SQLite takes 32,766 parameters, a request's row 8) */
const GATHER_MAX = 500;

/**
 * A call made while the same call is under way waits for it and then runs with every other one
 * that waited, as one statement: under load (50 requests at once) the inbox makes one round trip
 * for many requests instead of one each; alone, a call runs at once, as before. A batch that fails
 * is run again one call at a time, so each call gets its own outcome (one huge row that does not
 * fit on a full disk fails alone).
 */
function gathered<I, O>(runAll: (items: I[]) => Promise<O[]>): (item: I) => Promise<O> {
  let waiting: { item: I; resolve(o: O): void; reject(e: unknown): void }[] = [];
  let running = false;
  const next = (): void => {
    if (running || waiting.length === 0) return;
    running = true;
    const batch = waiting.slice(0, GATHER_MAX);
    waiting = waiting.slice(GATHER_MAX);
    runAll(batch.map((b) => b.item))
      .then(
        (outs) => batch.forEach((b, i) => b.resolve(outs[i]!)),
        (e: unknown) => {
          if (batch.length === 1) {
            batch[0]!.reject(e);
            return;
          }
          return Promise.all(batch.map((b) => runAll([b.item]).then((outs) => b.resolve(outs[0]!), (one: unknown) => b.reject(one))));
        },
      )
      .finally(() => {
        running = false;
        next();
      });
  };
  return (item) =>
    new Promise<O>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      next();
    });
}

const ids = (list: readonly number[]) => sql.join(list.map((id) => sql`${id}`), sql`, `);

export function inboxTable(run: SqlRunner): InboxTable {
  type Recorded = Parameters<InboxTable['record']>[0];
  const record = gathered<Recorded, number | undefined>(async (rs) => {
    const rows = await run.rows<{ id: number; key: string }>(sql`
      INSERT INTO slack_inbox (key, event_id, received_at, status, content_type, sealed_body, owner, lease_until)
      VALUES ${sql.join(
        rs.map((r) => sql`(${r.key}, ${r.eventId}, ${r.receivedAt}, 'received', ${r.contentType}, ${r.sealedBody}, ${r.owner}, ${r.leaseUntil})`),
        sql`, `,
      )}
      ON CONFLICT DO NOTHING RETURNING id, key`);
    // each row recorded answers the first request that carried its key; a copy beside it (or an
    // event whose id another row took) is a replay
    const byKey = new Map(rows.map((r) => [r.key, Number(r.id)]));
    return rs.map((r) => {
      const id = byKey.get(r.key);
      byKey.delete(r.key);
      return id;
    });
  });
  const acked = gathered<number, void>(async (list) => {
    await run.rows(sql`UPDATE slack_inbox SET status = 'acked' WHERE id IN (${ids(list)}) AND status = 'received'`);
    return list.map(() => undefined);
  });
  const done = gathered<{ id: number; at: number }, void>(async (list) => {
    // the moment only says when the row may be forgotten: the latest of the batch's will do
    const at = Math.max(...list.map((d) => d.at));
    await run.rows(sql`UPDATE slack_inbox SET status = 'done', done_at = ${at}, sealed_body = NULL, lease_until = NULL WHERE id IN (${ids(list.map((d) => d.id))})`);
    return list.map(() => undefined);
  });
  return {
    record,
    acked,
    done: (id, at) => done({ id, at }),
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
    forget: async (id) => {
      await run.rows(sql`DELETE FROM slack_inbox WHERE id = ${id} AND status = 'received'`);
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
