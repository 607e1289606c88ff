import { Pool } from 'undici';
import { silentLogger, type Logger } from '../../log/logger.js';
import { registerSecret } from '../../log/secrets.js';
import { withRetry, type RetryPolicy } from '../../retry.js';
import { DEFAULT_REGISTRY_RETRY, DEFAULT_REGISTRY_TIMEOUT_MS, type RegistryRetry } from './defaults.js';
import {
  RegistryAuthError,
  RegistryIncompatibleSchemaError,
  RegistryNotFoundError,
  RegistryRequestError,
  RegistryUnavailableError,
  type RegistryError,
} from '../errors.js';

/**
 * A Confluent-compatible schema registry client (Confluent Schema Registry, Apicurio's
 * ccompat API, Redpanda, Karapace) over an undici keep-alive pool. It knows the five calls the
 * serde needs; caching of ids lives in the serde, which knows which lookups are hot.
 *
 * Every call is idempotent (registering a schema that is already there returns its id, setting
 * a compatibility level twice changes nothing), so each one that times out, fails to connect or
 * gets a 429 or 5xx is retried through the connector's one retry loop (src/retry.ts). The
 * per-request deadline is what makes a lost answer retriable: Apicurio 3 has been seen to
 * leave a request unanswered forever, even one it logged as answered (docs/avro.md, "Registry
 * requests").
 */
export type CompatibilityLevel =
  'BACKWARD' | 'FORWARD' | 'FULL' | 'NONE' | 'BACKWARD_TRANSITIVE' | 'FORWARD_TRANSITIVE' | 'FULL_TRANSITIVE';

export type RegistryAuth = { username: string; password: string } | { bearerToken: string };

export interface RegistryClientOptions {
  /** Base URL, e.g. http://127.0.0.1:8081/apis/ccompat/v7 or https://psrc-….confluent.cloud */
  url: string;
  auth?: RegistryAuth | undefined;
  /** Deadline of one attempt (connect, headers, body), default DEFAULT_REGISTRY_TIMEOUT_MS; a late attempt is retried. */
  timeoutMs?: number | undefined;
  /** Overrides of DEFAULT_REGISTRY_RETRY; `retries: 0` disables retries. */
  retry?: Partial<RegistryRetry> | undefined;
  /** Where retries are logged (warn). */
  logger?: Logger | undefined;
  /** Called before each retry (service mode counts them in a metric). */
  onRetry?: RegistryRetryObserver | undefined;
}

/**
 * Told of each retry of a registry call: its route, the method and path with the subject, id
 * and version left out (`POST /subjects/{subject}/versions`), and the error's code.
 */
export type RegistryRetryObserver = (route: string, code: string) => void;

/** `POST /subjects/{subject}/versions` for `POST /subjects/a-value/versions`: few values, fit for a metric label. */
export function routeOf(method: string, path: string): string {
  const route = path
    .replace(/\/subjects\/[^/]+/, '/subjects/{subject}')
    .replace(/\/config\/[^/]+/, '/config/{subject}')
    .replace(/\/ids\/[^/]+/, '/ids/{id}')
    .replace(/\/versions\/(?!latest$)[^/]+/, '/versions/{version}');
  return `${method} ${route}`;
}

export type { RegistryRetry };

export interface RegisteredSchema {
  subject: string;
  id: number;
  version: number;
  schema: string;
}

/** Registry API media type (the JSON body format of every Confluent-compatible registry). */
const MEDIA_TYPE = 'application/vnd.schemaregistry.v1+json';
/** undici's codes for an attempt that ran out of time. */
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
// Confluent error codes (Schema Registry API reference, "Errors").
const SUBJECT_NOT_FOUND = 40401;
const VERSION_NOT_FOUND = 40402;
const SCHEMA_NOT_FOUND = 40403;

interface Response {
  status: number;
  json: Record<string, unknown> | undefined;
  text: string;
}

export class RegistryClient {
  private readonly pool: Pool;
  private readonly prefix: string;
  private readonly headers: Record<string, string>;
  private readonly retryPolicy: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly logger: Logger;
  private readonly onRetry: RegistryRetryObserver | undefined;
  readonly url: string;

  constructor(options: RegistryClientOptions) {
    const url = new URL(options.url);
    this.url = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
    this.prefix = url.pathname.replace(/\/+$/, '');
    const timeout = options.timeoutMs ?? DEFAULT_REGISTRY_TIMEOUT_MS;
    this.timeoutMs = timeout;
    // A registry's 429 carries no Retry-After this client reads: the backoff alone paces it.
    this.retryPolicy = { ...DEFAULT_REGISTRY_RETRY, ...options.retry, maxRetryAfterMs: 0 };
    this.logger = options.logger ?? silentLogger;
    this.onRetry = options.onRetry;
    this.pool = new Pool(url.origin, {
      connections: 4,
      connect: { timeout },
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
    this.headers = { accept: `${MEDIA_TYPE}, application/json`, 'content-type': MEDIA_TYPE };
    const auth = options.auth;
    if (auth && 'bearerToken' in auth) {
      registerSecret(auth.bearerToken);
      this.headers.authorization = `Bearer ${auth.bearerToken}`;
    } else if (auth) {
      registerSecret(auth.password);
      const basic = Buffer.from(`${auth.username}:${auth.password}`).toString('base64');
      registerSecret(basic);
      this.headers.authorization = `Basic ${basic}`;
    }
  }

  /** Registers a schema under a subject (idempotent: an identical schema gets its existing id). */
  async register(subject: string, schema: string): Promise<number> {
    const res = await this.call(
      'POST',
      `/subjects/${encodeURIComponent(subject)}/versions`,
      { schemaType: 'AVRO', schema },
      `register a schema for subject "${subject}"`,
    );
    if (res.status === 409) {
      const level = (await this.getCompatibility(subject).catch(() => undefined)) ?? 'the configured';
      throw new RegistryIncompatibleSchemaError(subject, level, registryMessage(res), {
        url: this.url,
        httpStatus: 409,
        registryCode: errorCode(res),
      });
    }
    this.expectOk(res, `register a schema for subject "${subject}"`);
    return idOf(res, 'register');
  }

  /** The id of a schema already registered under the subject, or undefined. */
  async lookup(subject: string, schema: string): Promise<number | undefined> {
    const res = await this.call(
      'POST',
      `/subjects/${encodeURIComponent(subject)}`,
      { schemaType: 'AVRO', schema },
      `look up a schema in subject "${subject}"`,
    );
    if (res.status === 404) return undefined;
    this.expectOk(res, `look up a schema in subject "${subject}"`);
    return idOf(res, 'lookup');
  }

  /** The schema text stored under a global id. */
  async schemaById(id: number): Promise<string> {
    const res = await this.call('GET', `/schemas/ids/${id}`, undefined, `fetch schema id ${id}`);
    this.expectOk(res, `fetch schema id ${id}`, `schema with id ${id}`);
    const schema = res.json?.schema;
    if (typeof schema !== 'string')
      throw new RegistryRequestError(`fetch schema id ${id}`, 'the answer has no schema', {
        url: this.url,
        httpStatus: res.status,
      });
    return schema;
  }

  async latest(subject: string): Promise<RegisteredSchema> {
    const res = await this.call(
      'GET',
      `/subjects/${encodeURIComponent(subject)}/versions/latest`,
      undefined,
      `read the latest schema of "${subject}"`,
    );
    this.expectOk(res, `read the latest schema of "${subject}"`, `subject "${subject}"`);
    const j = res.json ?? {};
    return { subject, id: Number(j.id), version: Number(j.version), schema: String(j.schema) };
  }

  async setCompatibility(subject: string, level: CompatibilityLevel): Promise<void> {
    const res = await this.call(
      'PUT',
      `/config/${encodeURIComponent(subject)}`,
      { compatibility: level },
      `set compatibility ${level} on "${subject}"`,
    );
    this.expectOk(res, `set compatibility ${level} on "${subject}"`);
  }

  /** The subject's own compatibility level, or undefined when it inherits the global one. */
  async getCompatibility(subject: string): Promise<string | undefined> {
    const res = await this.call(
      'GET',
      `/config/${encodeURIComponent(subject)}`,
      undefined,
      `read the compatibility of "${subject}"`,
    );
    if (res.status === 404) return undefined;
    this.expectOk(res, `read the compatibility of "${subject}"`);
    const level = res.json?.compatibilityLevel ?? res.json?.compatibility;
    return typeof level === 'string' ? level : undefined;
  }

  /** Whether the schema could be registered under the subject's compatibility rules. */
  async isCompatible(subject: string, schema: string): Promise<boolean> {
    const res = await this.call(
      'POST',
      `/compatibility/subjects/${encodeURIComponent(subject)}/versions/latest`,
      { schemaType: 'AVRO', schema },
      `check compatibility for "${subject}"`,
    );
    if (res.status === 404) return true;
    this.expectOk(res, `check compatibility for "${subject}"`);
    return res.json?.is_compatible === true;
  }

  /** Every subject (a cheap call that proves the URL and the credentials). */
  async subjects(): Promise<string[]> {
    const res = await this.call('GET', '/subjects', undefined, 'list subjects');
    this.expectOk(res, 'list subjects');
    const list = JSON.parse(res.text) as unknown;
    if (!Array.isArray(list))
      throw new RegistryRequestError(
        'list subjects',
        'the answer is not a list; is the URL the Confluent-compatible API?',
        { httpStatus: res.status },
      );
    return list.filter((x): x is string => typeof x === 'string');
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  /**
   * One registry call with its retries. A 429 or 5xx answer is retried like a failure to
   * connect; once retries run out it surfaces as RegistryUnavailableError, which is also what
   * the callers' own classification (errorFor) makes of it.
   */
  private async call(method: 'GET' | 'POST' | 'PUT', path: string, body: unknown, action: string): Promise<Response> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    let attempts = 0;
    try {
      return await withRetry(
        async () => {
          attempts++;
          const res = await this.attempt(method, path, payload, action);
          if (res.status === 429 || res.status >= 500) throw this.errorFor(res, action);
          return res;
        },
        this.retryPolicy,
        {
          onRetry: ({ error, retry, delayMs }) => {
            this.onRetry?.(routeOf(method, path), error.code);
            this.logger.warn('retrying schema registry call', {
              registry: this.url,
              action,
              retry,
              delayMs,
              code: error.code,
              error: error.message,
            });
          },
        },
      );
    } catch (err) {
      throw attempts > 1 && err instanceof RegistryUnavailableError ? err.afterAttempts(attempts) : err;
    }
  }

  private async attempt(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    payload: string | undefined,
    action: string,
  ): Promise<Response> {
    try {
      const res = await this.pool.request({
        method,
        path: `${this.prefix}${path}`,
        headers: this.headers,
        ...(payload === undefined ? {} : { body: payload }),
      });
      const text = await res.body.text();
      let json: Record<string, unknown> | undefined;
      try {
        json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
      } catch {
        json = undefined;
      }
      return { status: res.statusCode, json, text };
    } catch (err) {
      const code = (err as { code?: string }).code ?? (err as Error).name;
      // A registry that is slow rather than down needs a longer deadline, not a restart.
      const hint = TIMEOUT_CODES.has(code)
        ? `; no answer within ${this.timeoutMs} ms: if the registry is slow rather than down, raise schema_registry.timeout_ms`
        : '';
      throw new RegistryUnavailableError(this.url, `${action}: ${code}: ${(err as Error).message}${hint}`, {
        cause: err,
      });
    }
  }

  private expectOk(res: Response, action: string, notFoundWhat?: string): void {
    if (res.status >= 200 && res.status < 300) return;
    throw this.errorFor(res, action, notFoundWhat);
  }

  private errorFor(res: Response, action: string, notFoundWhat?: string): RegistryError {
    const opts = { url: this.url, httpStatus: res.status, registryCode: errorCode(res) };
    if (res.status === 429 || res.status >= 500)
      return new RegistryUnavailableError(this.url, `${action}: HTTP ${res.status} ${registryMessage(res)}`, opts);
    if (res.status === 401 || res.status === 403) return new RegistryAuthError(this.url, res.status, opts);
    const code = errorCode(res);
    if (
      res.status === 404 &&
      (notFoundWhat || code === SUBJECT_NOT_FOUND || code === VERSION_NOT_FOUND || code === SCHEMA_NOT_FOUND)
    ) {
      return new RegistryNotFoundError(notFoundWhat ?? registryMessage(res), opts);
    }
    return new RegistryRequestError(action, `HTTP ${res.status} ${registryMessage(res)}`, opts);
  }
}

function errorCode(res: Response): number | undefined {
  const code = res.json?.error_code;
  return typeof code === 'number' ? code : undefined;
}

function registryMessage(res: Response): string {
  const m = res.json?.message;
  return typeof m === 'string' ? m : res.text.slice(0, 300);
}

function idOf(res: Response, action: string): number {
  const id = res.json?.id;
  if (typeof id !== 'number')
    throw new RegistryRequestError(action, `the answer has no schema id: ${res.text.slice(0, 200)}`, {
      httpStatus: res.status,
    });
  return id;
}
