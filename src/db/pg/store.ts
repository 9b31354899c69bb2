/**
 * Transactions on PostgreSQL. Each verb is one transaction at READ COMMITTED: its checks rest on
 * row locks, not on luck. Seats are counted only after the pool's row is locked (`usage` takes
 * `SELECT … FOR UPDATE`), so two instances accepting into a full pool take turns; state changes are
 * conditional updates (`… WHERE status = 'pending'`), which PostgreSQL re-checks against the row as
 * committed. A transaction that lost a race the database noticed (a deadlock, a unique key taken a
 * moment before) is run again from the start: it then sees what the other one wrote.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { DomainError, type Repositories, type SecretBox } from '../../domain/index.js';
import type { EngineStore } from '../engine.js';
import { someoneWaits } from '../patience.js';
import { databaseBusy, databaseDown } from '../unavailable.js';
import { postgresRepositories, type PgDb } from './repositories.js';

/** serialization_failure, deadlock_detected, unique_violation: the transaction is worth running again */
const RETRYABLE = new Set(['40001', '40P01', '23505']);
const ATTEMPTS = 5;
/** lock_not_available: the lock timeout (2 s) passed while others held the row */
const LOCK_TIMEOUT = '55P03';
/**
 * How many lock timeouts work with no deadline sits out before "busy" (about 6 s in all): 20 people
 * accepting into one pool at once queue on its row, and each of them gets their turn.
 */
const LOCK_ATTEMPTS = 3;

/** the errors behind this one (drizzle wraps the driver's: "Failed query: …", its cause the real one) */
const chainOf = (e: unknown): unknown[] => {
  const chain: unknown[] = [];
  for (let at = e; at && chain.length < 5; at = (at as { cause?: unknown }).cause) chain.push(at);
  return chain;
};

const codeOf = (e: unknown): string => String(chainOf(e).map((x) => (x as { code?: unknown }).code).find((c) => c !== undefined) ?? '');

/** A server gone, a lock waited for too long, a full disk: a polite answer, nothing changed. */
export function pgUnavailable(e: unknown): DomainError | undefined {
  const code = codeOf(e);
  // lock_not_available (lock_timeout), query_canceled (statement_timeout), too many connections
  if (code === '55P03' || code === '57014' || code === '53300') {
    return databaseBusy();
  }
  // connection exceptions (08…), the server shutting down (57P…), out of disk or memory (53…), a read-only server, or no connection at all
  if (/^(08|57P|53|25006)/.test(code) || /^E(CONNREFUSED|CONNRESET|NOTFOUND|TIMEDOUT|PIPE)$/.test(code) || chainOf(e).some((x) => /Connection terminated|not queryable|timeout exceeded when trying to connect|Query read timeout/i.test(String((x as Error).message)))) {
    return databaseDown('reached');
  }
  return undefined;
}

export function postgresStore(db: PgDb, o: { secrets?: SecretBox } = {}): EngineStore {
  const listeners: (() => void)[] = [];
  // the repositories of the transaction the caller runs in: a verb calling a verb joins it
  const open = new AsyncLocalStorage<Repositories>();
  const transaction = async <T>(fn: (r: Repositories) => Promise<T>): Promise<T> => {
    const joined = open.getStore();
    if (joined) return fn(joined);
    for (let attempt = 1, lockWaits = 0; ; attempt++) {
      let queued = false;
      try {
        const result = await db.transaction(async (tx) => {
          const base = postgresRepositories(tx, o.secrets);
          const repos: Repositories = {
            ...base,
            outbox: {
              ...base.outbox,
              enqueue: (...args) => {
                queued = true;
                return base.outbox.enqueue(...args);
              },
              enqueueMany: (items) => {
                queued ||= items.length > 0;
                return base.outbox.enqueueMany(items);
              },
              announce: (...args) => {
                queued = true;
                return base.outbox.announce(...args);
              },
            },
          };
          return { value: await open.run(repos, () => fn(repos)), queued };
        });
        // committed: a listener's trouble is its own, never this transaction's
        if (result.queued) {
          open.exit(() => {
            for (const l of listeners) {
              try {
                l();
              } catch {
                // the deliverer is woken by its poll anyway
              }
            }
          });
        }
        return result.value;
      } catch (e) {
        if (e instanceof DomainError) throw e;
        const code = codeOf(e);
        if (RETRYABLE.has(code) && attempt < ATTEMPTS) {
          // apart again, a little later each time, so the two do not meet again at once
          await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20 * attempt));
          continue;
        }
        // a queue on a lock: work no ack waits for takes another turn in it (a retry does not count as a race lost)
        if (code === LOCK_TIMEOUT && ++lockWaits < LOCK_ATTEMPTS && !someoneWaits()) {
          attempt--;
          await new Promise((r) => setTimeout(r, Math.random() * 50));
          continue;
        }
        throw pgUnavailable(e) ?? e;
      }
    }
  };
  return {
    transaction,
    afterCommit: (listener) => {
      listeners.push(listener);
    },
  };
}
