import { Pool } from 'undici';
import { markReleasable } from '../json/bytes.js';
import type { RawResponse } from './classify.js';
import { AshbyAbortedError, AshbyNetworkError, AshbyTimeoutError, type AshbyError } from './errors.js';
import { encodeMultipart, hasFilePart } from './multipart.js';

/**
 * One POST to Ashby over a keep-alive undici pool: headers, timeouts, and the mapping of
 * low-level failures to AshbyNetworkError / AshbyTimeoutError with an honest `requestSent`.
 * No retries here (retry.ts owns them) and no envelope parsing (classify.ts owns it).
 */
export interface ResolvedTimeouts {
  connectMs: number;
  headersMs: number;
  bodyMs: number;
}

export interface TransportOptions {
  baseUrl: string;
  apiKey: string;
  ashbyVersion?: string | undefined;
  userAgent: string;
  timeouts: ResolvedTimeouts;
  /** Sockets kept to the origin; the rate budget's concurrency cap is the real limiter. */
  connections: number;
}

/** docs/ashby-api.md §1.3: the legacy version pin every Ashby client sends. */
const ACCEPT = 'application/json; version=1';

/** Codes Node/undici raise before a socket exists: nothing of the request can have left. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EADDRNOTAVAIL',
  'ENETDOWN',
]);

export class Transport {
  private readonly pool: Pool;
  private readonly pathPrefix: string;
  private readonly headers: Record<string, string>;
  private readonly timeouts: ResolvedTimeouts;

  constructor(options: TransportOptions) {
    const url = new URL(options.baseUrl);
    this.pathPrefix = url.pathname.replace(/\/+$/, '');
    this.timeouts = options.timeouts;
    this.pool = new Pool(url.origin, {
      connections: options.connections,
      connect: { timeout: options.timeouts.connectMs },
      headersTimeout: options.timeouts.headersMs,
      bodyTimeout: options.timeouts.bodyMs,
    });
    // Built once: the key exists in this process only inside this header and the caller's options.
    this.headers = {
      authorization: `Basic ${Buffer.from(`${options.apiKey}:`).toString('base64')}`,
      'content-type': 'application/json',
      accept: ACCEPT,
      'user-agent': options.userAgent,
      ...(options.ashbyVersion ? { 'ashby-version': options.ashbyVersion } : {}),
    };
  }

  /**
   * POST `/<endpoint>` with a JSON body, or multipart/form-data when the body holds a FilePart.
   * Resolves with any HTTP status; rejects only on transport failure.
   */
  async post(endpoint: string, body: unknown, signal?: AbortSignal): Promise<RawResponse> {
    let dispatched = false;
    try {
      signal?.throwIfAborted();
      const fields = (body ?? {}) as Record<string, unknown>;
      const multipart = hasFilePart(fields) ? encodeMultipart(fields) : undefined;
      dispatched = true;
      const res = await this.pool.request({
        method: 'POST',
        path: `${this.pathPrefix}/${endpoint}`,
        headers: multipart ? { ...this.headers, 'content-type': multipart.contentType } : this.headers,
        body: multipart ? multipart.bytes : JSON.stringify(fields),
        signal,
      });
      // Bytes, not text: classify.ts decodes a list page record by record (json-body.ts). The
      // ArrayBuffer is this body's alone, so the source may release it once the page is encoded.
      const bytes = markReleasable(Buffer.from(await res.body.arrayBuffer()));
      return { status: res.statusCode, headers: res.headers, body: bytes };
    } catch (err) {
      throw this.mapError(endpoint, err, dispatched, signal);
    }
  }

  private mapError(endpoint: string, err: unknown, dispatched: boolean, signal: AbortSignal | undefined): AshbyError {
    if (signal?.aborted) {
      return new AshbyAbortedError({ endpoint, cause: err, details: { requestSent: dispatched } });
    }
    const code = (err as { code?: unknown })?.code;
    switch (code) {
      case 'UND_ERR_CONNECT_TIMEOUT':
        return new AshbyTimeoutError({ endpoint, phase: 'connect', timeoutMs: this.timeouts.connectMs, cause: err });
      case 'UND_ERR_HEADERS_TIMEOUT':
        return new AshbyTimeoutError({ endpoint, phase: 'headers', timeoutMs: this.timeouts.headersMs, cause: err });
      case 'UND_ERR_BODY_TIMEOUT':
        return new AshbyTimeoutError({ endpoint, phase: 'body', timeoutMs: this.timeouts.bodyMs, cause: err });
    }
    const systemCode = typeof code === 'string' ? code : undefined;
    return new AshbyNetworkError({
      endpoint,
      systemCode,
      requestSent: !(systemCode && NOT_SENT_CODES.has(systemCode)),
      cause: err,
    });
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  /** Sockets are torn down at once; in-flight requests fail. For shutdown after a timeout. */
  async destroy(): Promise<void> {
    await this.pool.destroy();
  }
}
