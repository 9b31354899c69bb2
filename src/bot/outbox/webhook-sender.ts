/**
 * Delivers provisioning events to PROVISIONING_WEBHOOK_URL as JSON, signed:
 *   X-Atlas-Timestamp: unix seconds
 *   X-Atlas-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" with PROVISIONING_WEBHOOK_SECRET>
 *   X-Atlas-Delivery:  the event's delivery id, the same on every retry
 * A 2xx answer counts as handed over; 408, 429, 5xx and network errors are retried (Retry-After
 * when given, else the deliverer's backoff); any other answer will not change by retrying.
 */
import { createHmac } from 'node:crypto';
// node:http underneath, as the Slack calls (src/bot/slack/slack-app.ts, which says why)
import fetch, { type Response } from 'node-fetch';
import type { OutboxRow } from '../../db/outbox-queue.js';
import type { ProvisioningEvent } from '../../domain/index.js';
import { backoffMs, type OutboxSender, type SendOutcome } from './deliverer.js';

function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export class WebhookSender implements OutboxSender {
  constructor(
    private readonly o: { url: string; secret: string; onDelivered: (event: ProvisioningEvent) => Promise<void> | void; timeoutMs?: number; now?: () => number },
  ) {}

  async send(row: OutboxRow): Promise<SendOutcome> {
    const m = row.payload;
    if (m.type !== 'provisioning_event') return { kind: 'failed', error: 'only provisioning events go to the webhook' };
    const body = JSON.stringify(m.event);
    const timestamp = Math.floor((this.o.now ?? Date.now)() / 1000);
    let res: Response;
    try {
      res = await fetch(this.o.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'atlas-invite-bot',
          'x-atlas-timestamp': String(timestamp),
          'x-atlas-signature': signWebhook(this.o.secret, timestamp, body),
          'x-atlas-delivery': m.event.deliveryId,
        },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
      });
      await res.arrayBuffer().catch(() => undefined);
    } catch (e) {
      // what went wrong, never the URL (node-fetch's message has it whole, and it may carry a secret)
      const why = (e as { code?: unknown }).code ?? (e instanceof Error ? e.name : 'error');
      return { kind: 'retry', afterMs: backoffMs(row.attempts + 1), error: `webhook unreachable (${String(why)}) at ${new URL(this.o.url).host}` };
    }
    if (res.ok) {
      await this.o.onDelivered(m.event);
      return { kind: 'sent' };
    }
    if (res.status === 408 || res.status === 429 || res.status >= 500) {
      const after = Number(res.headers.get('retry-after'));
      return { kind: 'retry', afterMs: Number.isFinite(after) && after >= 0 && res.headers.has('retry-after') ? after * 1000 : backoffMs(row.attempts + 1), error: `webhook answered ${res.status}` };
    }
    return { kind: 'failed', error: `webhook answered ${res.status}` };
  }
}
