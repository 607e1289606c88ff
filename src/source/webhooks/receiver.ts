import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import Fastify, { type FastifyInstance } from 'fastify';
import { silentLogger, type Logger } from '../../log/logger.js';

/**
 * The webhook receiver: an HTTP endpoint for Ashby's deliveries (Ashby's developer docs,
 * "Setting up webhooks": `POST {"action": "...", "data": {...}}`, signed with
 * `Ashby-Signature: sha256=<hex HMAC-SHA256 of the raw body keyed with the webhook's secret>`).
 *
 * It answers fast and does no work inline: a valid delivery is handed to `onDelivery` (which
 * only queues) and answered 204. The signature is checked over the exact bytes received, before
 * any JSON parsing, in constant time. Refusals: 401 for a missing or bad signature, 413 for a
 * body over the limit, 400 for a signed body that is not a delivery; each is counted and none
 * reaches `onDelivery`. A delivery whose body was accepted before (Ashby retries, or a replay)
 * is answered 200 and dropped: Ashby's deliveries carry no id, so the event id is the SHA-256 of
 * the signed body, which nobody can change without the secret.
 *
 * Plain HTTP only: TLS is terminated by a reverse proxy in front of it (docs/webhooks.md).
 * Self-contained so that `source` and `serve` can both host it.
 */

export interface WebhookEvent {
  /** SHA-256 (hex, 32 chars) of the signed body. */
  id: string;
  action: string;
  data: Record<string, unknown>;
  receivedAt: string;
}

export interface ReceiverCounters {
  accepted: number;
  badSignature: number;
  tooLarge: number;
  malformed: number;
  replayed: number;
}

export interface ReceiverOptions {
  host: string;
  port: number;
  path: string;
  secret: string;
  maxBodyBytes: number;
  replayWindowMs: number;
  onEvent: (event: WebhookEvent) => void;
  logger?: Logger;
}

export const SIGNATURE_HEADER = 'ashby-signature';

/** Event ids remembered at most (the oldest go first), whatever the window: bounds memory under a flood. */
const MAX_REMEMBERED = 100_000;

const Delivery = Type.Object({
  action: Type.String({ minLength: 1 }),
  data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});

/** True when `header` is `sha256=<hex>` of the HMAC of `body` with `secret`; constant time in the signature. */
export function signatureValid(body: Buffer, header: string | undefined, secret: string): boolean {
  if (typeof header !== 'string') return false;
  const m = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (!m) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(m[1]!, 'hex'));
}

export class WebhookReceiver {
  private readonly counts: ReceiverCounters = { accepted: 0, badSignature: 0, tooLarge: 0, malformed: 0, replayed: 0 };
  /** Event id → when it leaves the replay window; insertion order is arrival order. */
  private readonly seen = new Map<string, number>();

  private listening = '';

  private constructor(
    private readonly app: FastifyInstance,
    private readonly opts: ReceiverOptions,
  ) {}

  /** Where the receiver listens, e.g. http://127.0.0.1:8088/webhooks/ashby. */
  get url(): string {
    return this.listening;
  }

  static async start(opts: ReceiverOptions): Promise<WebhookReceiver> {
    const logger = (opts.logger ?? silentLogger).child({ component: 'webhooks' });
    const app = Fastify({ bodyLimit: opts.maxBodyBytes, logger: false, return503OnClosing: true });
    const receiver = new WebhookReceiver(app, opts);
    // The raw bytes, whatever the content type: the signature covers them exactly.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    app.setErrorHandler((err: { statusCode?: number; code?: string; message: string }, _req, reply) => {
      if (err.statusCode === 413) {
        receiver.counts.tooLarge++;
        logger.warn('webhook refused: body over source.webhooks.max_body_bytes', { limit: opts.maxBodyBytes });
        return reply.code(413).send({ error: 'body too large' });
      }
      const status = err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
      if (status === 500) logger.error('webhook receiver failed', { err: err as Error });
      return reply.code(status).send({ error: status === 500 ? 'internal error' : err.message });
    });
    app.get(opts.path, async () => ({ receiver: 'ashby-kafka' }));
    app.post(opts.path, async (req, reply) => receiver.handle(req.body, req.headers[SIGNATURE_HEADER], reply));
    const address = await app.listen({ host: opts.host, port: opts.port });
    const port = (app.server.address() as AddressInfo).port;
    receiver.listening = `http://${hostForUrl(opts.host)}:${port}${opts.path}`;
    logger.info('webhook receiver listening', { address, path: opts.path });
    return receiver;
  }

  counters(): ReceiverCounters {
    return { ...this.counts };
  }

  async close(): Promise<void> {
    await this.app.close();
  }

  private handle(
    body: unknown,
    signature: string | string[] | undefined,
    reply: { code(n: number): { send(b?: unknown): unknown } },
  ): unknown {
    const raw = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
    if (!signatureValid(raw, Array.isArray(signature) ? signature[0] : signature, this.opts.secret)) {
      this.counts.badSignature++;
      this.log().warn(
        "webhook refused: missing or bad Ashby-Signature (check source.webhooks.secret against the webhook's secret token)",
      );
      return reply.code(401).send({ error: 'bad signature' });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      parsed = undefined;
    }
    if (!Value.Check(Delivery, parsed)) {
      this.counts.malformed++;
      return reply.code(400).send({ error: 'not an Ashby delivery: expected {"action": "...", "data": {...}}' });
    }
    const id = createHash('sha256').update(raw).digest('hex').slice(0, 32);
    const now = Date.now();
    this.forgetExpired(now);
    if (this.seen.has(id)) {
      this.counts.replayed++;
      return reply.code(200).send({ duplicate: true });
    }
    this.seen.set(id, now + this.opts.replayWindowMs);
    if (this.seen.size > MAX_REMEMBERED) this.seen.delete(this.seen.keys().next().value!);
    this.counts.accepted++;
    this.opts.onEvent({ id, action: parsed.action, data: parsed.data ?? {}, receivedAt: new Date(now).toISOString() });
    return reply.code(204).send();
  }

  private forgetExpired(now: number): void {
    for (const [id, until] of this.seen) {
      if (until > now) break;
      this.seen.delete(id);
    }
  }

  private log(): Logger {
    return (this.opts.logger ?? silentLogger).child({ component: 'webhooks' });
  }
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
