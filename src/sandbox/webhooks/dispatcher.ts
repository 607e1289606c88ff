import { createHmac, randomUUID } from 'node:crypto';
import { request } from 'undici';
import type { Logger } from '../../log/logger.js';
import type { WebhookEvent } from '../http/request-context.js';

/**
 * Delivers webhook events as Ashby does (docs/ashby-api.md §6.1, §6.2): POST `{action, data}` as JSON with
 * `Ashby-Signature: sha256=<hex HMAC-SHA256 of the raw body keyed with the secret>`. Failed
 * deliveries are retried with backoff, except on 401/403/404/405/410, which Ashby never retries.
 * Ashby waits 10 s, 30 s, 70 s…; the sandbox keeps the shape with much shorter delays.
 *
 * Targets can be added and removed while running (webhook.create / webhook.delete, or the admin
 * command addWebhook), and faults can be injected for the next deliveries: duplicates (the same
 * body twice), reordering (an event delivered after the one that follows it) and bad signatures.
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
  /** Targets made by webhook.create: one event type each, with an id. */
  id?: string;
  enabled?: boolean;
}

/** A webhook setting as webhook.create / webhook.info return it. */
export interface WebhookSetting {
  id: string;
  enabled: boolean;
  requestUrl: string;
  secretToken: string;
  webhookType: string;
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

/** Faults applied to the next deliveries; each count goes down by one per event it affects. */
export interface WebhookFaults {
  /** The next n events are delivered twice, byte for byte. */
  duplicate?: number;
  /** The next n events are each held back and delivered after the event that follows them (or after 200 ms). */
  reorder?: number;
  /** The next n events are signed with a wrong secret. */
  badSignature?: number;
}

/** How long a held-back event waits for a successor before it is delivered anyway. */
const REORDER_HOLD_MS = 200;

export function signWebhook(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export class WebhookDispatcher {
  private readonly log: WebhookDelivery[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  /** Deliveries to one URL go one after another, in event order. */
  private readonly tails = new Map<string, Promise<void>>();
  private closed = false;
  private readonly targets: WebhookTarget[];
  private readonly faults: Required<WebhookFaults> = { duplicate: 0, reorder: 0, badSignature: 0 };
  /** An event held back by a reorder fault; `release` settles its in-flight placeholder. */
  private held: { event: WebhookEvent; timer: NodeJS.Timeout; release: () => void } | undefined;

  constructor(
    targets: readonly WebhookTarget[],
    private readonly logger: Logger,
  ) {
    this.targets = [...targets];
  }

  addTarget(target: WebhookTarget): void {
    this.targets.push(target);
  }

  /** Removes every target with this URL; returns how many there were. */
  removeTarget(url: string): number {
    const before = this.targets.length;
    for (let i = this.targets.length - 1; i >= 0; i--) if (this.targets[i]!.url === url) this.targets.splice(i, 1);
    return before - this.targets.length;
  }

  createSetting(webhookType: string, requestUrl: string, secretToken: string): WebhookSetting {
    const target: WebhookTarget = {
      id: randomUUID(),
      enabled: true,
      url: requestUrl,
      secret: secretToken,
      events: [webhookType],
    };
    this.targets.push(target);
    return settingOf(target);
  }

  setting(id: string): WebhookSetting | undefined {
    const t = this.targets.find((x) => x.id === id);
    return t && settingOf(t);
  }

  updateSetting(
    id: string,
    patch: { enabled?: boolean; requestUrl?: string; secretToken?: string },
  ): WebhookSetting | undefined {
    const t = this.targets.find((x) => x.id === id);
    if (!t) return undefined;
    if (patch.enabled !== undefined) t.enabled = patch.enabled;
    if (patch.requestUrl !== undefined) t.url = patch.requestUrl;
    if (patch.secretToken !== undefined) t.secret = patch.secretToken;
    return settingOf(t);
  }

  deleteSetting(id: string): WebhookSetting | undefined {
    const i = this.targets.findIndex((x) => x.id === id);
    if (i < 0) return undefined;
    const [t] = this.targets.splice(i, 1);
    return settingOf(t!);
  }

  injectFaults(faults: WebhookFaults): void {
    for (const k of ['duplicate', 'reorder', 'badSignature'] as const) {
      const n = faults[k];
      if (n !== undefined) this.faults[k] = Math.max(0, Math.floor(n));
    }
  }

  enqueue(events: readonly WebhookEvent[]): void {
    if (this.closed) return;
    for (const event of events) {
      const held = this.held;
      if (held) {
        this.held = undefined;
        clearTimeout(held.timer);
        this.send(event);
        this.send(held.event);
        held.release();
        continue;
      }
      if (this.faults.reorder > 0) {
        this.faults.reorder--;
        this.hold(event);
        continue;
      }
      this.send(event);
    }
  }

  private hold(event: WebhookEvent): void {
    let release!: () => void;
    // A placeholder in flight, so flush() waits for the held event too.
    const p: Promise<void> = new Promise<void>((resolve) => (release = resolve)).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
    const timer = setTimeout(() => {
      if (this.held?.event !== event) return;
      this.held = undefined;
      this.send(event);
      release();
    }, REORDER_HOLD_MS);
    this.held = { event, timer, release };
  }

  private send(event: WebhookEvent): void {
    const copies = this.faults.duplicate > 0 ? (this.faults.duplicate--, 2) : 1;
    const badSignature = this.faults.badSignature > 0 ? (this.faults.badSignature--, true) : false;
    for (let c = 0; c < copies; c++) {
      for (const target of this.targets) {
        if (target.enabled === false || (target.events && !target.events.includes(event.action))) continue;
        const previous = this.tails.get(target.url) ?? Promise.resolve();
        const p: Promise<void> = previous
          .then(() => this.deliver(target, event, badSignature))
          .finally(() => this.inFlight.delete(p));
        this.tails.set(target.url, p);
        this.inFlight.add(p);
      }
    }
  }

  private async deliver(target: WebhookTarget, event: WebhookEvent, badSignature: boolean): Promise<void> {
    const body = JSON.stringify({ action: event.action, data: event.data });
    const headers = {
      'content-type': 'application/json',
      'ashby-signature': signWebhook(body, badSignature ? `${target.secret}-wrong` : target.secret),
    };
    const record: WebhookDelivery = { url: target.url, action: event.action, status: 0, attempts: 0, ok: false };
    for (let attempt = 1; attempt <= WEBHOOK_MAX_ATTEMPTS && !this.closed; attempt++) {
      record.attempts = attempt;
      try {
        const res = await request(target.url, {
          method: 'POST',
          headers,
          body,
          headersTimeout: TIMEOUT_MS,
          bodyTimeout: TIMEOUT_MS,
        });
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
    if (!record.ok)
      this.logger.warn('sandbox webhook delivery failed', {
        url: target.url,
        action: event.action,
        status: record.status,
        error: record.error,
      });
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
    if (this.held) {
      clearTimeout(this.held.timer);
      this.held.release();
      this.held = undefined;
    }
    this.closed = true;
    await this.flush();
  }
}

function settingOf(t: WebhookTarget): WebhookSetting {
  return {
    id: t.id!,
    enabled: t.enabled !== false,
    requestUrl: t.url,
    secretToken: t.secret,
    webhookType: t.events?.[0] ?? '',
  };
}
