/**
 * In front of Bolt on /slack/events: every request is verified here, recorded, and only then passed
 * on to be acknowledged.
 *
 * - **Signature and time.** The HMAC of `v0:timestamp:body` must match, and the timestamp must be
 *   within 5 minutes of now in either direction (Bolt refuses old ones only).
 * - **Replays do nothing.** A request is recorded by its signature (an Events API delivery by its
 *   event id, since Slack signs its own retries anew). The same bytes delivered again are answered
 *   200 and not acted on.
 * - **What was acknowledged is not lost.** The request is written (its body sealed) before Bolt
 *   acks it, and marked done once its listener finished. A restart in between handles it then,
 *   answering through its response_url (valid for 30 minutes).
 * - **One instance handles it.** A request belongs to the instance that received it, under a lease
 *   that instance renews while it works. Several instances share the inbox: another one takes an
 *   acknowledged request over only once that lease lapsed (its owner died, or stopped and released
 *   it), so a live instance's work is never run a second time beside it. Leases compare each
 *   machine's clock with the others': keep the clocks synchronized (NTP).
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import express, { type RequestHandler } from 'express';
import type { Engine } from '../../db/engine.js';
import type { SecretBox } from '../../domain/index.js';
import type { Logger } from '../logger.js';

/** Slack's window for a signed request, either way. */
const WINDOW_S = 5 * 60;
/** how long a recorded request keeps its key (replays within the window) and an unhandled one can still be handled */
const KEEP_MS = 10 * 60_000;
/** a response_url works for 30 minutes: a request unhandled for longer is given up */
const RESUME_WITHIN_MS = 30 * 60_000;
const BODY_LIMIT = '1mb';
/** how long an ack waits for its "acknowledged" mark to be written, at most */
const ACK_MARK_WAIT_MS = 500;
/** how often the log says that requests are declined (the database could not record them), at most */
const DECLINED_SAID_EVERY_MS = 10_000;
/**
 * how long a request waits for its record at most: a database that holds it longer (a lock held
 * elsewhere, every connection busy waiting for one) gets it declined within Slack's 3 s
 */
const RECORD_WAIT_MS = 2000;
/** an instance's hold on the requests it works on (SLACK_INBOX_LEASE_MS), renewed a few times within it */
const INBOX_LEASE_MS = 30_000;

interface ResumedRequest {
  inboxId: number;
  body: Record<string, unknown>;
}

export interface SlackInbox {
  /** express middleware for POST /slack/events, before Bolt's receiver */
  guard: RequestHandler;
  /** the request's listener finished (whatever it answered) */
  done(inboxId: number): void;
  /**
   * Requests acknowledged but not handled by an instance that is gone (this one before a restart,
   * or another one), taken over to handle now (oldest first). Asked at start and then every lease.
   */
  unfinished(): Promise<ResumedRequest[]>;
  /** this instance stops: what it still holds is free for the others (and its successor) at once */
  release(): Promise<void>;
  /** how long a hold lasts unrenewed: how often to look for requests an instance left */
  leaseMs: number;
}

const header = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

function signatureMatches(secret: string, timestamp: string, raw: Buffer, signature: string): boolean {
  const expected = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(raw).digest('hex')}`;
  const a = Buffer.from(expected);
  const b = Buffer.from(signature);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The body exactly as Bolt reads it: a form (its `payload` field holding JSON) only for exactly
 * `application/x-www-form-urlencoded`, JSON for anything else. Reading it any other way would let
 * a replay with another Content-Type (which is not signed) be keyed differently from what Bolt runs.
 */
function parseSlackBody(raw: string, contentType: string): Record<string, unknown> {
  if (contentType === 'application/x-www-form-urlencoded') {
    const form = Object.fromEntries(new URLSearchParams(raw));
    return typeof form.payload === 'string' ? (JSON.parse(form.payload) as Record<string, unknown>) : form;
  }
  return JSON.parse(raw) as Record<string, unknown>;
}

export function slackInbox$(o: { engine: Engine; secrets: SecretBox; signingSecret: string; logger: Logger; now?: () => number; leaseMs?: number }): SlackInbox {
  const { inbox } = o.engine;
  const now = o.now ?? Date.now;
  const leaseMs = o.leaseMs ?? INBOX_LEASE_MS;
  const owner = `inbox-${process.pid}-${randomUUID().slice(0, 8)}`;
  // the requests this instance holds and has not finished (by id, since when): while there are any, their lease is renewed
  const held = new Map<number, number>();
  let renewing: NodeJS.Timeout | undefined;
  const hold = (id: number) => {
    held.set(id, now());
    renewing ??= setInterval(() => {
      // one no listener ever finished is given up by the prune in time: not held past that
      for (const [heldId, since] of held) if (since < now() - RESUME_WITHIN_MS) letGo(heldId);
      if (held.size) inbox.renew(owner, now() + leaseMs).catch((e: unknown) => o.logger.warn(`slack: could not renew the hold on ${held.size} request(s): ${e instanceof Error ? e.message : String(e)}`));
    }, Math.max(100, Math.floor(leaseMs / 3))).unref();
  };
  const letGo = (id: number) => {
    held.delete(id);
    if (held.size === 0 && renewing) {
      clearInterval(renewing);
      renewing = undefined;
    }
  };
  // a database in trouble declines every request for as long as it lasts (hundreds a second): one
  // line says so, then one every DECLINED_SAID_EVERY_MS with how many more, and a last one with the
  // count of the end of the burst
  let declinedSaidAt = -Infinity;
  let declinedSince = 0;
  let tally: NodeJS.Timeout | undefined;
  const sayDeclined = (e?: unknown) => {
    const more = declinedSince ? ` (${declinedSince} more declined since the last line like this)` : '';
    declinedSaidAt = Date.now();
    declinedSince = 0;
    o.logger.error(`slack: could not record a request, so answered that it was not taken${more}`, e);
  };
  const declined = (e: unknown) => {
    if (Date.now() - declinedSaidAt >= DECLINED_SAID_EVERY_MS) {
      sayDeclined(e);
      return;
    }
    declinedSince++;
    tally ??= setTimeout(() => {
      tally = undefined;
      if (declinedSince) sayDeclined();
    }, DECLINED_SAID_EVERY_MS).unref();
  };
  const readRaw = express.raw({ type: () => true, limit: BODY_LIMIT });
  let prunedAt = 0;
  const prune = async (at: number) => {
    if (at - prunedAt < 60_000) return;
    prunedAt = at;
    // done ones are forgotten after the replay window; what Bolt never ran to the end (nothing
    // listened, or it failed) and is too old to handle is given up
    await inbox.prune(at - KEEP_MS, at - RESUME_WITHIN_MS, at);
  };

  const record = async (req: Parameters<RequestHandler>[0], res: Parameters<RequestHandler>[1], next: Parameters<RequestHandler>[2]) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    // Bolt reads the body from here, instead of the stream already read
    (req as { rawBody?: Buffer }).rawBody = raw;
    const signature = header(req.headers['x-slack-signature']) ?? '';
    const timestamp = header(req.headers['x-slack-request-timestamp']) ?? '';
    const at = now();
    // digits only: `1e12` or `0x10` is no Slack timestamp
    if (!/^\d{1,12}$/.test(timestamp) || Math.abs(at / 1000 - Number(timestamp)) > WINDOW_S || !signatureMatches(o.signingSecret, timestamp, raw, signature)) {
      o.logger.warn('slack: refused a request whose signature or timestamp did not hold');
      res.status(401).json({ ok: false, error: 'invalid_signature' });
      return;
    }
    const contentType = header(req.headers['content-type']) ?? '';
    let body: Record<string, unknown>;
    try {
      body = parseSlackBody(raw.toString('utf8'), contentType);
    } catch {
      res.status(400).json({ ok: false, error: 'bad_request' });
      return;
    }
    // Slack's own checks of the endpoint are answered by Bolt and change nothing
    if (body.ssl_check || body.type === 'url_verification') {
      next();
      return;
    }
    // by its signature (the same bytes again), and an Events API delivery also by its event id
    const eventId = body.type === 'event_callback' && typeof body.event_id === 'string' ? body.event_id : null;
    let id: number | undefined;
    try {
      // (a file that is no longer the one on disk would take the record and lose it: the engine
      // looks before it writes, so the record is refused then)
      const recording = prune(at).then(() => inbox.record({ key: signature, eventId, receivedAt: at, contentType, sealedBody: o.secrets.seal(raw.toString('utf8')), owner, leaseUntil: at + leaseMs }));
      let late: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        recording.then((recordedId) => ({ recordedId })),
        new Promise<'late'>((resolve) => (late = setTimeout(() => resolve('late'), RECORD_WAIT_MS))),
      ]).finally(() => clearTimeout(late));
      if (outcome === 'late') {
        // declined: a record written after all is forgotten, so that the same request sent again
        // (Slack's retry of an event) is taken then
        recording
          .then((lateId) => (lateId === undefined ? undefined : inbox.forget(lateId)))
          .catch((e: unknown) => o.logger.warn(`slack: could not forget a request declined while the database was slow: ${e instanceof Error ? e.message : String(e)}`));
        throw new Error(`the database did not record the request within ${RECORD_WAIT_MS} ms`);
      }
      id = outcome.recordedId;
    } catch (e) {
      // not recorded, so not taken: say so rather than ack something that could be lost
      declined(e);
      if (typeof body.command === 'string') {
        res.status(200).json({ response_type: 'ephemeral', text: 'I could not take that just now: nothing was done. Please try again in a minute.' });
      } else res.status(503).json({ ok: false, error: 'try_again' });
      return;
    }
    if (id === undefined) {
      o.logger.info('slack: a request already received was delivered again; not acted on');
      res.status(200).send();
      return;
    }
    hold(id);
    (req as { atlasInboxId?: number }).atlasInboxId = id;
    // only a request whose ok went out is handled again after a restart (one never answered, the
    // person sees fail and retries): noted before the answer's bytes leave, so it holds after a kill
    const recorded = id;
    const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
    res.end = ((...args: unknown[]) => {
      if (res.statusCode < 200 || res.statusCode >= 300) {
        // refused: it stays unacknowledged, and is never run again
        letGo(recorded);
        return end(...args);
      }
      // the ack is never held up for long by the database: after ACK_MARK_WAIT_MS it goes out anyway
      // (the request then counts as never acknowledged: it is not run again after a restart)
      let sent = false;
      let waiting: NodeJS.Timeout | undefined = undefined;
      const send = () => {
        if (sent) return;
        sent = true;
        // once the answer is out, nothing holds on to it (nor to the request) any longer
        clearTimeout(waiting);
        end(...args);
      };
      waiting = setTimeout(send, ACK_MARK_WAIT_MS).unref();
      inbox
        .acked(recorded)
        .catch((e: unknown) => o.logger.warn(`slack: could not note that request #${recorded} was acknowledged: ${e instanceof Error ? e.message : String(e)}`))
        .finally(send);
      return res;
    }) as typeof res.end;
    next();
  };

  return {
    guard: (req, res, next) => {
      readRaw(req, res, (err?: unknown) => {
        if (err) {
          const status = (err as { status?: number }).status === 413 ? 413 : 400;
          res.status(status).json({ ok: false, error: status === 413 ? 'too_large' : 'bad_request' });
          return;
        }
        record(req, res, next).catch(next);
      });
    },
    done: (inboxId) => {
      letGo(inboxId);
      // a lock held elsewhere for a moment must not leave it to be handled a second time: tried again
      // a few times, later (a synchronous retry would stop the whole process meanwhile)
      const attempt = (n: number) =>
        inbox.done(inboxId, now()).catch((e: unknown) => {
          if (n >= 5) o.logger.error(`slack: could not mark request #${inboxId} done; it may be handled again after a restart`, e);
          else setTimeout(() => void attempt(n + 1), 500 * n).unref();
        });
      void attempt(1);
    },
    unfinished: async () => {
      const at = now();
      // never acknowledged (its instance died before its ok went out): the person saw it fail and may retry, so it is not run
      const rows = await inbox.orphans(owner, at + leaseMs, at);
      const out: ResumedRequest[] = [];
      for (const r of rows) {
        let body: Record<string, unknown> | undefined;
        try {
          if (r.receivedAt >= at - RESUME_WITHIN_MS && r.sealedBody) body = parseSlackBody(o.secrets.open(r.sealedBody), r.contentType);
        } catch {
          body = undefined;
        }
        if (body) {
          hold(r.id);
          out.push({ inboxId: r.id, body });
        } else {
          o.logger.warn(`slack: request #${r.id} was acknowledged but could not be handled in time; given up`);
          await inbox.abandon(r.id, at);
        }
      }
      return out;
    },
    leaseMs,
    release: async () => {
      if (renewing) clearInterval(renewing);
      renewing = undefined;
      if (held.size === 0) return;
      held.clear();
      await inbox.release(owner);
    },
  };
}
