import { createHmac } from 'node:crypto';
import { request } from 'undici';
import type { Logger } from '../../log/logger.js';
import type { WebhookEvent } from '../http/request-context.js';

/**
 * Delivers webhook events as Ashby does (docs/ashby-api.md §6.1, §6.2): POST `{action, data}` as JSON with
 * `Ashby-Signature: sha256=<hex HMAC-SHA256 of the raw body keyed with the secret>`. Failed
 * deliveries are retried with backoff, except on 401/403/404/405/410, which Ashby never retries.
 * Ashby waits 10 s, 30 s, 70 s…; the sandbox keeps the shape with much shorter delays.
 */

/** Statuses Ashby does not retry. */
const NO_RETRY = new Set([401, 403, 404, 405, 410]);
export const WEBHOOK_MAX_ATTEMPTS = 3;
const BASE_DELAY_MS = 100;
const TIMEOUT_MS = 5_000;
const DELIVERY_LOG_CAPACITY = 10_000;

export interface WebhookTarget {
  url: string;
  secret: string;
  events: string[] | undefined;
}

export interface WebhookDelivery {
  url: string;
  action: string;
  /** Final HTTP status, or 0 when the receiver could not be reached. */
  status: number;
  attempts: number;
  ok: boolean;
  error?: string;
}

export function signWebhook(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export class WebhookDispatcher {
  private readonly log: WebhookDelivery[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  /** Deliveries to one URL go one after another, in event order. */
  private readonly tails = new Map<string, Promise<void>>();
  private closed = false;

  constructor(private readonly targets: readonly WebhookTarget[], private readonly logger: Logger) {}

  enqueue(events: readonly WebhookEvent[]): void {
    if (this.closed) return;
    for (const event of events) {
      for (const target of this.targets) {
        if (target.events && !target.events.includes(event.action)) continue;
        const previous = this.tails.get(target.url) ?? Promise.resolve();
        const p: Promise<void> = previous.then(() => this.deliver(target, event)).finally(() => this.inFlight.delete(p));
        this.tails.set(target.url, p);
        this.inFlight.add(p);
      }
    }
  }

  private async deliver(target: WebhookTarget, event: WebhookEvent): Promise<void> {
    const body = JSON.stringify({ action: event.action, data: event.data });
    const headers = { 'content-type': 'application/json', 'ashby-signature': signWebhook(body, target.secret) };
    const record: WebhookDelivery = { url: target.url, action: event.action, status: 0, attempts: 0, ok: false };
    for (let attempt = 1; attempt <= WEBHOOK_MAX_ATTEMPTS && !this.closed; attempt++) {
      record.attempts = attempt;
      try {
        const res = await request(target.url, { method: 'POST', headers, body, headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS });
        await res.body.dump();
        record.status = res.statusCode;
        record.ok = res.statusCode >= 200 && res.statusCode < 300;
        delete record.error;
        if (record.ok || NO_RETRY.has(res.statusCode)) break;
      } catch (err) {
        record.error = err instanceof Error ? err.message : String(err);
      }
      if (attempt < WEBHOOK_MAX_ATTEMPTS) await new Promise((r) => setTimeout(r, BASE_DELAY_MS * (2 ** attempt - 1)));
    }
    if (!record.ok) this.logger.warn('sandbox webhook delivery failed', { url: target.url, action: event.action, status: record.status, error: record.error });
    this.log.push(record);
    if (this.log.length > DELIVERY_LOG_CAPACITY) this.log.shift();
  }

  deliveries(): WebhookDelivery[] {
    return this.log.map((d) => ({ ...d }));
  }

  async flush(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }
}
