import { AshbyKafkaError, type AshbyKafkaErrorOptions } from '../errors.js';

/**
 * Every failure of an Ashby call, one class per thing the caller does differently about it.
 * The classification (which class for which response) lives in classify.ts; this file only
 * names the outcomes and writes messages that say what to do. docs/errors.md lists the codes
 * and test/ashby/errors.test.ts checks the table.
 */
export interface AshbyErrorOptions extends AshbyKafkaErrorOptions {
  /** `module.method`, e.g. `candidate.create`. */
  endpoint?: string;
  httpStatus?: number;
}

export class AshbyError extends AshbyKafkaError {
  readonly endpoint: string | undefined;
  readonly httpStatus: number | undefined;

  constructor(code: string, message: string, options: AshbyErrorOptions = {}) {
    super(code, message, {
      ...options,
      details: {
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        ...(options.httpStatus !== undefined ? { httpStatus: options.httpStatus } : {}),
        ...(options.details ?? {}),
      },
    });
    this.endpoint = options.endpoint;
    this.httpStatus = options.httpStatus;
  }
}

const KEY_HELP =
  'Check the credential (`ashby-kafka credentials test NAME`) or create a key under Admin → Integrations → API Keys in Ashby.';

/** HTTP 401: Ashby received no API key at all. */
export class AshbyMissingKeyError extends AshbyError {
  constructor(options: AshbyErrorOptions = {}) {
    super(
      'ASHBY_MISSING_KEY',
      `Ashby received no API key (HTTP 401). Set ashby.credential or ashby.api_key in the pipeline config. ${KEY_HELP}`,
      options,
    );
  }
}

/** HTTP 403 other than a missing permission: the key is wrong, revoked or deactivated. */
export class AshbyInvalidKeyError extends AshbyError {
  constructor(options: AshbyErrorOptions = {}) {
    super(
      'ASHBY_INVALID_KEY',
      `Ashby refused the API key (HTTP 403): it is wrong, revoked or deactivated. Rotate it with \`ashby-kafka credentials rotate NAME\`. ${KEY_HELP}`,
      options,
    );
  }
}

export type AshbyAccess = 'read' | 'write';

export interface AshbyPermissionErrorOptions extends AshbyErrorOptions {
  /** Display name of the permission module, e.g. "Candidates"; undefined when the endpoint is unknown. */
  module?: string;
  access?: AshbyAccess;
  /** What Ashby itself said, kept because it may name a setting our map does not know. */
  ashbyMessage?: string;
}

/** HTTP 403 `missing_endpoint_permission`: the key is valid but lacks a module permission. */
export class AshbyPermissionError extends AshbyError {
  readonly module: string | undefined;
  readonly access: AshbyAccess | undefined;

  constructor(options: AshbyPermissionErrorOptions) {
    const endpoint = options.endpoint ?? 'this endpoint';
    const needs =
      options.module && options.access ? `${options.module}: ${options.access}` : 'a permission this key lacks';
    const grant = options.module && options.access ? ` and grant ${options.module} ${options.access}` : '';
    const said = options.ashbyMessage ? ` (Ashby said: ${options.ashbyMessage})` : '';
    super(
      'ASHBY_PERMISSION_DENIED',
      `${endpoint} needs ${needs}. Ask an Ashby admin to edit this API key under Admin → Integrations → API Keys${grant}.${said}`,
      { ...options, details: { module: options.module, access: options.access, ...(options.details ?? {}) } },
    );
    this.module = options.module;
    this.access = options.access;
  }
}

export type RateLimitScope = 'api-key' | 'integration-partner';

/** HTTP 429. `retryAfterMs` is Ashby's Retry-After when it sent one. */
export class AshbyRateLimitedError extends AshbyError {
  readonly retryAfterMs: number | undefined;
  readonly scope: RateLimitScope;

  constructor(options: AshbyErrorOptions & { retryAfterMs?: number | undefined; scope?: RateLimitScope }) {
    const scope = options.scope ?? 'api-key';
    const wait =
      options.retryAfterMs !== undefined ? ` Ashby asked to wait ${Math.ceil(options.retryAfterMs / 1000)}s.` : '';
    const who =
      scope === 'integration-partner'
        ? 'Ashby is throttling the combined traffic of this integration partner across organisations;'
        : 'Ashby is throttling this API key;';
    super(
      'ASHBY_RATE_LIMITED',
      `${who} retries ran out.${wait} Lower ashby.rate.requests_per_second or run fewer pipelines on the same key.`,
      {
        ...options,
        retriable: true,
        details: { scope, retryAfterMs: options.retryAfterMs, ...(options.details ?? {}) },
      },
    );
    this.retryAfterMs = options.retryAfterMs;
    this.scope = scope;
  }
}

/** HTTP 200 with `success:false` (Ashby's "4xx"): the request itself is wrong; retrying cannot help. */
export class AshbyApiError extends AshbyError {
  readonly ashbyCode: string;

  constructor(
    ashbyCode: string,
    ashbyMessage: string | undefined,
    options: AshbyErrorOptions = {},
    code = 'ASHBY_API_ERROR',
  ) {
    const what = options.endpoint ? `${options.endpoint} failed` : 'Ashby call failed';
    super(code, `${what}: ${ashbyCode}${ashbyMessage ? ` — ${ashbyMessage}` : ''}`, {
      ...options,
      details: { ashbyCode, ...(options.details ?? {}) },
    });
    this.ashbyCode = ashbyCode;
  }
}

/**
 * The stored sync token can no longer be used (docs/ashby-api.md §2.2: sync_token_expired, sync_token_invalid,
 * incremental_sync_too_large). The caller drops the token and runs a full sync.
 */
export class AshbySyncTokenError extends AshbyApiError {
  constructor(ashbyCode: string, ashbyMessage: string | undefined, options: AshbyErrorOptions = {}) {
    super(ashbyCode, ashbyMessage, options, 'ASHBY_SYNC_TOKEN_REJECTED');
    this.message += '. Drop the stored sync token and run a full sync.';
  }
}

/** The page cursor is stale (docs/ashby-api.md §2.2: next_cursor_expired, invalid_next_cursor). The caller restarts the pass from page 1. */
export class AshbyCursorError extends AshbyApiError {
  constructor(ashbyCode: string, ashbyMessage: string | undefined, options: AshbyErrorOptions = {}) {
    super(ashbyCode, ashbyMessage, options, 'ASHBY_CURSOR_REJECTED');
    this.message += '. Restart the pass from the first page.';
  }
}

/**
 * The organisation lacks a feature the endpoint needs (AI Application Review, Fraud Detection, an
 * assessment partner, surveys). Ashby documents these notes but not the refusal's code, so
 * classify.ts recognises any error code or message that speaks of a feature.
 */
export class AshbyFeatureUnavailableError extends AshbyApiError {
  constructor(ashbyCode: string, ashbyMessage: string | undefined, options: AshbyErrorOptions = {}) {
    super(ashbyCode, ashbyMessage, options, 'ASHBY_FEATURE_UNAVAILABLE');
    this.message +=
      '. The Ashby organisation does not have the feature this endpoint needs; ask Ashby support to enable it, or leave the stream out.';
  }
}

/** HTTP 5xx. */
export class AshbyServerError extends AshbyError {
  constructor(options: AshbyErrorOptions & { ashbyCode?: string }) {
    super(
      'ASHBY_SERVER_ERROR',
      `Ashby returned HTTP ${options.httpStatus ?? '5xx'}${options.ashbyCode ? ` (${options.ashbyCode})` : ''}; retries ran out. Ashby may be degraded: try again later.`,
      { ...options, retriable: true },
    );
  }
}

/** The response could not be read as an Ashby envelope (not JSON, or no `success`). */
export class AshbyInvalidResponseError extends AshbyError {
  constructor(reason: string, options: AshbyErrorOptions = {}) {
    super(
      'ASHBY_INVALID_RESPONSE',
      `Ashby sent a response that is not a valid API envelope (${reason}). Check ashby.base_url points at the Ashby API; if it does, Ashby may be degraded.`,
      { ...options, retriable: true },
    );
  }
}

export interface AshbyNetworkErrorOptions extends AshbyErrorOptions {
  /** False only when the connection failed before any byte of the request left (safe to retry a write). */
  requestSent: boolean;
  /** The low-level code, e.g. ECONNREFUSED, UND_ERR_SOCKET. */
  systemCode?: string;
}

/** The connection failed (refused, reset, DNS…). */
export class AshbyNetworkError extends AshbyError {
  readonly requestSent: boolean;

  constructor(options: AshbyNetworkErrorOptions) {
    super(
      'ASHBY_NETWORK',
      `Could not reach Ashby${options.systemCode ? ` (${options.systemCode})` : ''}. Check the network and ashby.base_url.`,
      {
        ...options,
        retriable: true,
        details: { requestSent: options.requestSent, systemCode: options.systemCode, ...(options.details ?? {}) },
      },
    );
    this.requestSent = options.requestSent;
  }
}

export type TimeoutPhase = 'connect' | 'headers' | 'body';

/** A connect, headers or body timeout fired. Only a connect timeout proves a write was not sent. */
export class AshbyTimeoutError extends AshbyError {
  readonly phase: TimeoutPhase;
  readonly requestSent: boolean;

  constructor(options: AshbyErrorOptions & { phase: TimeoutPhase; timeoutMs?: number }) {
    const setting = { connect: 'connect_ms', headers: 'headers_ms', body: 'body_ms' }[options.phase];
    super(
      'ASHBY_TIMEOUT',
      `Ashby did not answer in time (${options.phase} timeout${options.timeoutMs ? ` after ${options.timeoutMs}ms` : ''}). Raise ashby.timeouts.${setting} if this persists.`,
      {
        ...options,
        retriable: true,
        details: { phase: options.phase, timeoutMs: options.timeoutMs, ...(options.details ?? {}) },
      },
    );
    this.phase = options.phase;
    this.requestSent = options.phase !== 'connect';
  }
}

/**
 * A write whose request may have reached Ashby but whose outcome we never saw (timeout after
 * sending, reset connection, 5xx, shutdown mid-flight). Never retried: blindly repeating a
 * create could duplicate a candidate. The writer must look the record up and reconcile.
 */
export class AshbyAmbiguousWriteError extends AshbyError {
  constructor(options: AshbyErrorOptions & { cause: AshbyKafkaError | Error }) {
    const why =
      options.cause instanceof AshbyKafkaError
        ? `${options.cause.code}: ${options.cause.message}`
        : options.cause.message;
    super(
      'ASHBY_WRITE_OUTCOME_UNKNOWN',
      `${options.endpoint ?? 'The write'} may or may not have been applied by Ashby (${why}). It was not retried; look the record up before writing again.`,
      { ...options, retriable: false },
    );
  }
}

/** The caller's AbortSignal fired (shutdown) while a read was waiting or in flight. */
export class AshbyAbortedError extends AshbyError {
  constructor(options: AshbyErrorOptions = {}) {
    super(
      'ASHBY_ABORTED',
      `${options.endpoint ?? 'The Ashby call'} was cancelled because the pipeline is shutting down.`,
      options,
    );
  }
}

/** True for the two restart errors of docs/ashby-api.md §2.2, which callers handle by restarting rather than failing. */
export function isRestartError(err: unknown): err is AshbySyncTokenError | AshbyCursorError {
  return err instanceof AshbySyncTokenError || err instanceof AshbyCursorError;
}
