import {
  AshbyApiError,
  AshbyCursorError,
  type AshbyError,
  AshbyFeatureUnavailableError,
  AshbyInvalidKeyError,
  AshbyInvalidResponseError,
  AshbyMissingKeyError,
  AshbyPermissionError,
  AshbyRateLimitedError,
  AshbyServerError,
  AshbySyncTokenError,
  AshbyTimeoutError,
  type RateLimitScope,
} from './errors.js';
import { parseJsonBody, type ParseOptions } from './json-body.js';
import { permissionFor } from './permissions.js';

/**
 * Turns one HTTP exchange into either the parsed envelope or the error class that says what
 * the caller should do. Never trusts the HTTP status alone (docs/ashby-api.md §1.5): a 200 can carry
 * `success:false`, and the code is read as `errorInfo.code ?? errors[0]` (docs/ashby-api.md §1.4).
 */

/** docs/ashby-api.md §2.2: codes that mean "drop the sync token and run a full sync". */
export const SYNC_TOKEN_RESTART_CODES: ReadonlySet<string> = new Set([
  'sync_token_expired',
  'sync_token_invalid',
  'incremental_sync_too_large',
]);
/** docs/ashby-api.md §2.2: codes that mean "restart this pass from page 1". `cursor_invalid` is Airbyte's spelling (docs/ashby-api.md §1.6). */
export const CURSOR_RESTART_CODES: ReadonlySet<string> = new Set([
  'next_cursor_expired',
  'invalid_next_cursor',
  'cursor_invalid',
]);
export const PERMISSION_CODE = 'missing_endpoint_permission';

/**
 * An org-feature refusal (the spec notes "requires the … feature to be enabled" without naming
 * the error): a code that mentions a feature, or a message saying a feature is not enabled.
 */
export function isFeatureRefusal(code: string | undefined, message: string | undefined): boolean {
  if (code !== undefined && /feature/i.test(code)) return true;
  return (
    message !== undefined &&
    /feature/i.test(message) &&
    /not (been )?(enabled|available)|disabled|not turned on/i.test(message)
  );
}

export interface AshbyEnvelope {
  success: boolean;
  results?: unknown;
  warnings?: unknown;
  moreDataAvailable?: boolean;
  nextCursor?: string;
  syncToken?: string;
  errors?: unknown;
  errorInfo?: { code?: unknown; message?: unknown; requestId?: unknown } | null;
  [key: string]: unknown;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body's bytes as received (UTF-8), or its text. */
  body: Buffer | string;
}

function header(headers: RawResponse['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

function tryParse(body: Buffer | string, options: ParseOptions): unknown {
  if (body.length === 0) return undefined;
  try {
    return typeof body === 'string' ? JSON.parse(body) : parseJsonBody(body, options);
  } catch {
    return undefined;
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** Error code and message of a failure envelope, tolerating `errors` of objects and `errorInfo: null`. */
export function readErrorCode(envelope: unknown): {
  code: string | undefined;
  message: string | undefined;
  requestId: string | undefined;
} {
  if (!envelope || typeof envelope !== 'object') return { code: undefined, message: undefined, requestId: undefined };
  const e = envelope as AshbyEnvelope;
  const info = e.errorInfo && typeof e.errorInfo === 'object' ? e.errorInfo : undefined;
  const first = Array.isArray(e.errors) ? (e.errors[0] as unknown) : undefined;
  let firstCode: string | undefined;
  let firstMessage: string | undefined;
  if (typeof first === 'string') firstCode = first;
  else if (first && typeof first === 'object') {
    const o = first as Record<string, unknown>;
    firstCode = str(o.code);
    firstMessage = str(o.message) ?? (str(o.parameter) ? `invalid parameter ${String(o.parameter)}` : undefined);
  }
  return {
    code: str(info?.code) ?? firstCode,
    message: str(info?.message) ?? firstMessage ?? str((e as Record<string, unknown>).message),
    requestId: str(info?.requestId),
  };
}

/** Plain-text bodies (401/403 "Unauthorized") are short; keep a readable prefix for the error. */
function textSnippet(body: Buffer | string): string | undefined {
  const t = (typeof body === 'string' ? body : body.toString('utf8', 0, 64 * 1024)).trim();
  return t ? t.slice(0, 200) : undefined;
}

/**
 * The parsed success envelope, or a thrown AshbyError. `endpoint` is `candidate.create` style.
 */
export function classifyResponse(
  endpoint: string,
  raw: RawResponse,
  options: ParseOptions = {},
): { envelope: AshbyEnvelope; requestId: string | undefined } {
  const parsed = tryParse(raw.body, options);
  const info = readErrorCode(parsed);
  const requestId = info.requestId ?? header(raw.headers, 'x-ashby-request-id');
  const base = { endpoint, httpStatus: raw.status, requestId };
  const ashbyMessage = info.message ?? (parsed === undefined ? textSnippet(raw.body) : undefined);

  // A permission failure is a permission failure whatever the status (some clients see it on 200).
  if (info.code === PERMISSION_CODE) {
    const p = permissionFor(endpoint);
    return fail(new AshbyPermissionError({ ...base, module: p?.module, access: p?.access, ashbyMessage }));
  }
  if (raw.status === 401) return fail(new AshbyMissingKeyError(base));
  if (raw.status === 403)
    return fail(new AshbyInvalidKeyError({ ...base, details: ashbyMessage ? { ashbyMessage } : {} }));
  if (raw.status === 429) {
    const scope: RateLimitScope =
      header(raw.headers, 'x-ratelimit-scope') === 'integration-partner' ? 'integration-partner' : 'api-key';
    const retryAfterMs = parseRetryAfter(header(raw.headers, 'retry-after'));
    return fail(new AshbyRateLimitedError({ ...base, retryAfterMs, scope }));
  }
  if (raw.status === 408) return fail(new AshbyTimeoutError({ ...base, phase: 'headers' }));
  if (raw.status >= 500) return fail(new AshbyServerError({ ...base, ashbyCode: info.code }));

  const envelope =
    parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as AshbyEnvelope) : undefined;
  if (raw.status >= 300 || envelope?.success === false) {
    // Ashby reports request errors as 200 + success:false; other statuses (404 for an unknown
    // endpoint, 405, 400) are equally final.
    const code = info.code ?? (raw.status === 404 ? 'not_found' : `http_${raw.status}`);
    if (SYNC_TOKEN_RESTART_CODES.has(code)) return fail(new AshbySyncTokenError(code, ashbyMessage, base));
    if (CURSOR_RESTART_CODES.has(code)) return fail(new AshbyCursorError(code, ashbyMessage, base));
    if (isFeatureRefusal(code, ashbyMessage)) return fail(new AshbyFeatureUnavailableError(code, ashbyMessage, base));
    const hint =
      raw.status === 404
        ? `${ashbyMessage ?? 'unknown endpoint'}; check ashby.base_url and the endpoint name`
        : ashbyMessage;
    return fail(new AshbyApiError(code, hint, base));
  }
  if (!envelope) {
    return fail(
      new AshbyInvalidResponseError(parsed === undefined ? 'body is not JSON' : 'body is not a JSON object', base),
    );
  }
  if (envelope.success !== true) return fail(new AshbyInvalidResponseError('no `success` field', base));
  return { envelope, requestId };
}

function fail(err: AshbyError): never {
  throw err;
}

/** `warnings` as strings, whatever shape Ashby used. */
export function readWarnings(envelope: AshbyEnvelope): string[] {
  if (!Array.isArray(envelope.warnings)) return [];
  return envelope.warnings.map((w) => (typeof w === 'string' ? w : JSON.stringify(w)));
}
