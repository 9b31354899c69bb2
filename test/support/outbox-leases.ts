/**
 * The outbox's leases, alike on both engines (test/db/outbox-lease.test.ts on SQLite,
 * test/postgres/outbox-lease.test.ts on PostgreSQL): a row taken over after its lease ran out is
 * the new holder's alone, and a row still being sent keeps its lease however long the send takes.
 */
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutboxDeliverer, type OutboxSender, type SendOutcome } from '../../src/bot/outbox/deliverer.js';
import type { Logger } from '../../src/bot/logger.js';
import { openEngine, type Engine } from '../../src/db/engine.js';
import type { OutboxRow, PostedAt } from '../../src/db/outbox-queue.js';

/** A database for one test: its URL, and how to be rid of it. */
export interface LeaseDatabase {
  url: string;
  drop(): Promise<void>;
}

interface Row extends Record<string, unknown> {
  id: number;
  status: string;
  leaseOwner: string | null;
  lastError: string | null;
  nextAttemptAt: number;
}

// nothing here seals or opens a link
const refuse = (): never => {
  throw new Error('the lease tests seal and open nothing');
};

const at: PostedAt = { platform: 'slack', channel: 'C1', messageId: '1.1' };

export function outboxLeaseTests(engineName: string, freshDatabase: () => Promise<LeaseDatabase>): void {
  let database: LeaseDatabase;
  let engines: Engine[];
  let deliverers: OutboxDeliverer[];
  const open = async (): Promise<Engine> => {
    const engine = await openEngine(database.url, { secrets: { seal: refuse, open: refuse } });
    engines.push(engine);
    return engine;
  };
  beforeEach(async () => {
    database = await freshDatabase();
    engines = [];
    deliverers = [];
  });
  afterEach(async () => {
    for (const d of deliverers) await d.stop();
    for (const e of engines) await e.close();
    await database.drop();
  });

  /** one message to each of `n` people, due at once */
  const queued = async (engine: Engine, n: number) =>
    engine.store.transaction(async (r) => {
      for (let p = 1; p <= n; p++) await r.outbox.enqueue({ type: 'person', personId: p }, { type: 'notice', text: `n${p}` }, 1000);
    });
  const rows = (engine: Engine) =>
    engine.sql.rows<Row>(sql`SELECT id, status, lease_owner AS "leaseOwner", last_error AS "lastError", next_attempt_at AS "nextAttemptAt" FROM outbox ORDER BY id`);
  const posted = (engine: Engine) => engine.sql.rows<{ outboxId: number; messageId: string }>(sql`SELECT outbox_id AS "outboxId", message_id AS "messageId" FROM posted_messages`);
  const logger = (warns: string[]): Logger => ({ debug() {}, info() {}, warn: (m) => void warns.push(m), error: (m) => void warns.push(`error: ${m}`) });
  const deliverer = (engine: Engine, o: { sender: OutboxSender; clock: { now(): number }; leaseMs: number; warns: string[]; onUndeliverable?: (row: OutboxRow) => void }) => {
    const d = new OutboxDeliverer({ queue: engine.queue, sender: o.sender, clock: o.clock, logger: logger(o.warns), pollMs: 50, leaseMs: o.leaseMs, ...(o.onUndeliverable ? { onUndeliverable: o.onUndeliverable } : {}) });
    deliverers.push(d);
    return d;
  };

  describe(`outbox leases (${engineName})`, () => {
    it("a row taken over after its lease ran out is the new holder's: the old holder's marks change nothing, the new holder's apply", async () => {
      const engine = await open();
      const { queue } = engine;
      await queued(engine, 3);
      expect((await queue.claim('a', 1000, 1000, 10)).map((r) => r.id)).toEqual([1, 2, 3]);
      // "a" is still sending when its lease runs out, and "b" takes the rows over
      expect((await queue.claim('b', 2001, 1000, 10)).map((r) => r.id)).toEqual([1, 2, 3]);
      expect(await queue.markSent('a', 1, 2500, undefined, { ...at, messageId: 'from-a' })).toBe(false);
      expect(await queue.markFailed('a', 2, 2500, 'channel_not_found')).toBe(false);
      expect(await queue.retryLater('a', 3, 9000, 'HTTP 500')).toBe(false);
      expect(await rows(engine)).toEqual([1, 2, 3].map((id) => ({ id, status: 'pending', leaseOwner: 'b', lastError: null, nextAttemptAt: 0 })));
      expect(await posted(engine)).toEqual([]);

      expect(await queue.markSent('b', 1, 2600, undefined, at)).toBe(true);
      expect(await queue.markFailed('b', 2, 2600, 'user_not_found')).toBe(true);
      expect(await queue.retryLater('b', 3, 9000, 'HTTP 503')).toBe(true);
      const done = [
        { id: 1, status: 'sent', leaseOwner: null, lastError: null, nextAttemptAt: 0 },
        { id: 2, status: 'failed', leaseOwner: null, lastError: 'user_not_found', nextAttemptAt: 0 },
        { id: 3, status: 'pending', leaseOwner: null, lastError: 'HTTP 503', nextAttemptAt: 9000 },
      ];
      expect(await rows(engine)).toEqual(done);
      expect(await posted(engine)).toEqual([{ outboxId: 1, messageId: '1.1' }]);
      // nor does a mark of a row already done, or waiting for its retry, by anyone
      expect(await queue.markFailed('a', 1, 2700, 'late')).toBe(false);
      expect(await queue.markSent('b', 2, 2700)).toBe(false);
      expect(await queue.markSent('b', 3, 2700)).toBe(false);
      expect(await rows(engine)).toEqual(done);
    });

    it('a late mark of a row nobody took over still applies: it was sent once', async () => {
      const engine = await open();
      await queued(engine, 1);
      await engine.queue.claim('a', 1000, 1000, 10);
      expect(await engine.queue.markSent('a', 1, 5000, undefined, at)).toBe(true);
      expect((await rows(engine))[0]).toMatchObject({ status: 'sent', leaseOwner: null });
      expect(await posted(engine)).toEqual([{ outboxId: 1, messageId: '1.1' }]);
    });

    it('a renewed lease keeps a row in flight past its first lease from any other owner; only its holder renews it, and only until it is done', async () => {
      const engine = await open();
      const { queue } = engine;
      await queued(engine, 2);
      expect((await queue.claim('a', 1000, 1000, 10)).map((r) => r.id)).toEqual([1, 2]);
      expect(await queue.extend('a', [1, 2], 2500)).toEqual([1, 2]);
      expect(await queue.extend('b', [1, 2], 9000)).toEqual([]);
      expect(await queue.extend('a', [], 9000)).toEqual([]);
      expect(await queue.claim('b', 2001, 1000, 10)).toEqual([]);
      expect(await queue.extend('a', [1, 2], 3500)).toEqual([1, 2]);
      expect(await queue.claim('b', 3000, 1000, 10)).toEqual([]);
      expect(await queue.markSent('a', 1, 3100)).toBe(true);
      expect(await queue.extend('a', [1, 2], 4500)).toEqual([2]);
      // renewals stopped (the holder hung): once the lease runs out, another owner takes the row, and the holder renews it no more
      expect((await queue.claim('b', 4501, 1000, 10)).map((r) => r.id)).toEqual([2]);
      expect(await queue.extend('a', [2], 9000)).toEqual([]);
      expect(await queue.markSent('a', 2, 4600)).toBe(false);
      expect(await queue.claim('c', 5000, 1000, 10)).toEqual([]);
    });

    it('two deliverers on one database, a send that takes longer than the lease: each message is sent once', async () => {
      const first = await open();
      const second = await open();
      await queued(first, 3);
      const sends: number[] = [];
      const warns: string[] = [];
      const sender: OutboxSender = {
        send: async (row): Promise<SendOutcome> => {
          sends.push(row.id);
          // paced, or told to wait by the platform: well past the lease
          await new Promise((r) => setTimeout(r, 1500));
          return { kind: 'sent' };
        },
      };
      for (const engine of [first, second]) deliverer(engine, { sender, clock: { now: Date.now }, leaseMs: 600, warns }).start();
      for (let i = 0; i < 100 && (await first.queue.counts()).sent !== 3; i++) await new Promise((r) => setTimeout(r, 50));
      for (const d of deliverers) await d.stop();
      expect(await first.queue.counts()).toEqual({ sent: 3 });
      expect([...sends].sort((x, y) => x - y)).toEqual([1, 2, 3]);
      expect(warns).toEqual([]);
    });

    it('a deliverer whose rows were taken over while it sent them records nothing of them, reports nothing undeliverable, and says so', async () => {
      const engine = await open();
      await queued(engine, 2);
      const warns: string[] = [];
      const undeliverable: number[] = [];
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const started: number[] = [];
      const sender: OutboxSender = {
        send: async (row): Promise<SendOutcome> => {
          started.push(row.id);
          await gate;
          return row.id === 1 ? { kind: 'sent', at } : { kind: 'failed', error: 'user_not_found' };
        },
      };
      // its clock stands still, so its renewals fall behind another instance's clock (as a clock
      // off by more than a lease, or renewals that did not reach the database, would)
      const d = deliverer(engine, { sender, clock: { now: () => 1000 }, leaseMs: 300, warns, onUndeliverable: (row) => void undeliverable.push(row.id) });
      const round = d.runOnce();
      for (let i = 0; i < 100 && started.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
      expect((await engine.queue.claim('b', 5000, 1000, 10)).map((r) => r.id)).toEqual([1, 2]);
      // a renewal or two while "b" holds the rows: they renew nothing
      await new Promise((r) => setTimeout(r, 250));
      release();
      expect(await round).toBe(2);
      expect(warns).toHaveLength(2);
      for (const w of warns) expect(w).toMatch(/^outbox: #[12] \(notice\) was taken over by another instance/);
      expect(undeliverable).toEqual([]);
      expect((await rows(engine)).map((r) => r.leaseOwner)).toEqual(['b', 'b']);
      expect(await posted(engine)).toEqual([]);
      expect(await engine.queue.markSent('b', 1, 5100)).toBe(true);
    });
  });
}
