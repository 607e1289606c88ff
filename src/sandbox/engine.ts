import { monotonicFactory } from 'ulid';
import { FULL_KEY, type ResolvedKey } from './auth/keys.js';
import { PATH_ALIASES, isKnownEndpoint, permissionFor } from './auth/permissions.js';
import { CallLog } from './admin/call-log.js';
import { SandboxClock, iso } from './clock.js';
import { World } from './data/world.js';
import { HANDLERS } from './endpoints/registry.js';
import type { Body } from './http/params.js';
import type {
  HandlerResult,
  RequestContext,
  SandboxCore,
  TokenPolicy,
  WebhookEvent,
  WebhookSettings,
} from './http/request-context.js';
import { parseMultipart } from './http/multipart.js';
import { AshbyWireError } from './http/wire-error.js';
import { FaultInjector, ForcedOutcomes, appliesFirst, type ForcedOutcome } from './limits/faults.js';
import { RateLimiter } from './limits/rate-limiter.js';
import { RunRegistry } from './lists/runs.js';
import { TokenCodec } from './lists/tokens.js';
import type { ResolvedSandboxOptions } from './options.js';
import { JobApplicationIndex } from './store/job-index.js';
import { Store } from './store/store.js';
import { ViewContext } from './views/context.js';

/**
 * The sandbox without its HTTP server: one call turns a request (method, path, headers, body
 * text) into a response (status, headers, body text). Order of checks, as Ashby appears to do
 * them (docs/ashby-api.md §1): path known → key present (401) → key valid (403) → rate limit (429) →
 * module permission (403 missing_endpoint_permission) → implemented here (501) → forced and
 * random faults → body parsing → the endpoint → faults that lose the answer of a call carried out.
 */

export interface WireRequest {
  method: string;
  /** Request path, with or without query string. */
  path: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: string;
  /** The body's bytes, for multipart/form-data uploads (the text above is their UTF-8 reading). */
  raw?: Buffer;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Set when the server must misbehave on the wire rather than answer normally. */
  fault?: 'reset' | 'slow-body';
  /** The parsed request body, for the call log. */
  requestBody?: unknown;
}

/** Version headers every response carries since 2026-10 (docs/ashby-api.md §1.3). */
export const API_VERSION = '2026-01-01';
export const ADMIN_PREFIX = '_sandbox/';

type AdminDispatcher = (command: string, body: Body) => unknown;

export class SandboxEngine implements SandboxCore {
  readonly world: World;
  readonly store: Store;
  readonly clock: SandboxClock;
  readonly tokens: TokenCodec;
  readonly runs = new RunRegistry();
  readonly policy: TokenPolicy = {
    syncGeneration: 0,
    cursorGeneration: 0,
    syncExpiredBefore: 0,
    cursorExpiredBefore: 0,
  };
  readonly jobApplications: JobApplicationIndex;
  readonly callLog = new CallLog();
  readonly forced = new ForcedOutcomes();
  readonly faults: FaultInjector;
  readonly rateLimiter: RateLimiter | undefined;
  private readonly keysBySecret: Map<string, ResolvedKey>;
  /** Request ids need uniqueness, not cryptographic randomness. */
  private readonly nextRequestId = monotonicFactory(() => Math.random());
  private adminDispatcher: AdminDispatcher | undefined;
  private eventSink: ((events: WebhookEvent[]) => void) | undefined;
  webhookSettings: WebhookSettings | undefined;

  constructor(readonly options: ResolvedSandboxOptions) {
    this.clock = new SandboxClock(options.clock.startMs, options.clock.follow);
    this.world = new World(options.seed, options.scale, options.clock.startMs);
    this.store = new Store(this.world);
    this.tokens = new TokenCodec(options.seed);
    this.jobApplications = new JobApplicationIndex(this.store);
    this.faults = new FaultInjector(options.faults, options.faults.seed);
    this.rateLimiter =
      options.rateLimit &&
      new RateLimiter(options.rateLimit.perSecond, options.rateLimit.burst, options.rateLimit.scope);
    this.keysBySecret = new Map(options.keys.map((k) => [k.secret, k]));
  }

  get keys(): readonly ResolvedKey[] {
    return this.options.keys;
  }

  /**
   * Changes a key's options from its next call on, as an admin editing the key in Ashby would
   * ("Allow access to confidential jobs and projects?", private fields). False for an unknown key.
   */
  setKeyAccess(name: string, access: { confidential?: boolean; privateFields?: boolean }): boolean {
    const key = [...this.keysBySecret.values()].find((k) => k.name === name);
    if (!key) return false;
    if (access.confidential !== undefined) key.confidential = access.confidential;
    if (access.privateFields !== undefined) key.privateFields = access.privateFields;
    return true;
  }

  /** Admin commands over HTTP are answered by this function (set by the admin module). */
  setAdminDispatcher(dispatch: AdminDispatcher): void {
    this.adminDispatcher = dispatch;
  }

  /** Receives the webhook events of each successful write. */
  setEventSink(sink: (events: WebhookEvent[]) => void): void {
    this.eventSink = sink;
  }

  emit(events: WebhookEvent[]): void {
    if (events.length) this.eventSink?.(events);
  }

  requestId(): string {
    return this.nextRequestId();
  }

  private headers(requestId: string, req: WireRequest, extra: Record<string, string> = {}): Record<string, string> {
    const pinned = req.headers['ashby-version'];
    return {
      'content-type': 'application/json; charset=utf-8',
      'x-ashby-request-id': requestId,
      'ashby-version': typeof pinned === 'string' && pinned ? pinned : API_VERSION,
      'ashby-version-status': 'active',
      ...extra,
    };
  }

  private error(
    req: WireRequest,
    requestId: string,
    status: number,
    code: string,
    message: string,
    extra: Record<string, string> = {},
  ): WireResponse {
    const body = JSON.stringify({ success: false, errors: [code], errorInfo: { code, message, requestId } });
    return { status, headers: this.headers(requestId, req, extra), body };
  }

  private authFailure(
    req: WireRequest,
    requestId: string,
    status: 401 | 403,
    code: string,
    message: string,
  ): WireResponse {
    if (this.options.compat.authErrorBody === 'text') {
      return {
        status,
        headers: { ...this.headers(requestId, req), 'content-type': 'text/plain; charset=utf-8' },
        body: status === 401 ? 'Unauthorized' : 'Forbidden',
      };
    }
    return this.error(req, requestId, status, code, message);
  }

  private authenticate(req: WireRequest): { key?: ResolvedKey; failure?: [401 | 403, string, string] } {
    const header = req.headers.authorization;
    const value = Array.isArray(header) ? header[0] : header;
    const match = value ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(value) : null;
    const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : '';
    const secret = decoded.includes(':') ? decoded.slice(0, decoded.indexOf(':')) : decoded;
    if (!secret)
      return {
        failure: [
          401,
          'unauthenticated',
          'Missing API key: send it as the username of HTTP Basic authentication, with an empty password.',
        ],
      };
    const key = this.keysBySecret.get(secret);
    if (!key || key.deactivated)
      return { failure: [403, 'forbidden', 'The API key is invalid or has been deactivated.'] };
    return { key };
  }

  private parseBody(req: WireRequest): Body {
    const text = req.body.trim();
    if (!text) return {};
    const type = req.headers['content-type'];
    // Only the upload endpoints take multipart/form-data (candidate.uploadFile, candidate.uploadResume).
    if (typeof type === 'string' && /^multipart\/form-data/i.test(type) && MULTIPART_ENDPOINTS.has(endpointOf(req))) {
      return parseMultipart(req.raw ?? Buffer.from(req.body, 'utf8'), type);
    }
    if (typeof type !== 'string' || !/json/i.test(type))
      throw new AshbyWireError(
        'invalid_input',
        'Request payload is malformed: send a JSON body with Content-Type: application/json',
      );
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new AshbyWireError('invalid_input', 'Request payload is malformed: the body is not valid JSON');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new AshbyWireError('invalid_input', 'Request payload is malformed: the body must be a JSON object');
    return parsed as Body;
  }

  private forcedResponse(req: WireRequest, requestId: string, outcome: ForcedOutcome): WireResponse {
    if ('reset' in outcome) return { status: 0, headers: {}, body: '', fault: 'reset' };
    if ('errorCode' in outcome)
      return this.error(
        req,
        requestId,
        200,
        outcome.errorCode,
        outcome.message ?? `Forced by the sandbox admin: ${outcome.errorCode}`,
      );
    if (outcome.status === 429) return this.rateLimited(req, requestId, outcome.retryAfterSeconds ?? 1);
    return this.error(
      req,
      requestId,
      outcome.status,
      'internal_server_error',
      'Internal server error (forced by the sandbox admin). Retry later.',
    );
  }

  private rateLimited(req: WireRequest, requestId: string, retryAfterSeconds: number): WireResponse {
    const partner = this.rateLimiter?.scope === 'integration-partner';
    const message = partner
      ? 'Rate limit exceeded for this integration partner across all organizations. Retry after the Retry-After delay.'
      : 'Rate limit exceeded for this API key. Retry after the Retry-After delay.';
    return this.error(req, requestId, 429, 'rate_limit_exceeded', message, {
      'retry-after': String(retryAfterSeconds),
      ...(partner ? { 'x-ratelimit-scope': 'integration-partner' } : {}),
    });
  }

  handle(req: WireRequest): WireResponse {
    const requestId = this.requestId();
    const rawPath = req.path.split('?')[0]!.replace(/^\/+/, '');
    if (rawPath.startsWith(ADMIN_PREFIX)) return this.handleAdmin(req, requestId, rawPath.slice(ADMIN_PREFIX.length));
    const endpoint = this.options.compat.snakeCaseAliases ? (PATH_ALIASES[rawPath] ?? rawPath) : rawPath;
    let keyName: string | null = null;
    let body: unknown = tryParse(req.body);
    const response = ((): WireResponse => {
      if (req.method !== 'POST')
        return this.error(req, requestId, 405, 'method_not_allowed', 'Ashby API calls are POST requests.', {
          allow: 'POST',
        });
      if (!HANDLERS.has(endpoint) && !isKnownEndpoint(endpoint))
        return this.error(req, requestId, 404, 'not_found', `No API endpoint /${rawPath} exists.`);
      const auth = this.authenticate(req);
      if (!auth.key) return this.authFailure(req, requestId, ...auth.failure!);
      const key = auth.key;
      keyName = key.name;
      if (this.rateLimiter) {
        const decision = this.rateLimiter.take(key.name);
        if (!decision.allowed) return this.rateLimited(req, requestId, decision.retryAfterSeconds);
      }
      const permission = permissionFor(endpoint);
      if (permission && !key.permissions.has(permission)) {
        return this.error(
          req,
          requestId,
          this.options.compat.permissionErrorStatus,
          'missing_endpoint_permission',
          `This API key lacks the ${permission} permission that /${endpoint} requires. Grant it in Admin → Integrations → API Keys.`,
        );
      }
      const handler = HANDLERS.get(endpoint);
      if (!handler)
        return this.error(
          req,
          requestId,
          501,
          'not_implemented_in_sandbox',
          `/${endpoint} is an Ashby endpoint the sandbox does not implement.`,
        );
      const forced = this.forced.take(endpoint);
      if (forced && !appliesFirst(forced)) return this.forcedResponse(req, requestId, forced);
      const fault = forced ? undefined : this.faults.next();
      if (fault === 'reset') return { status: 0, headers: {}, body: '', fault: 'reset' };
      if (fault === 'server-error')
        return this.error(
          req,
          requestId,
          503,
          'internal_server_error',
          'Service temporarily unavailable (random sandbox fault). Retry later.',
        );
      // The call is carried out, then its answer is replaced: what a client sees when a write was applied and the response was lost.
      const answerLost: ForcedOutcome | undefined = forced ?? (fault === 'lost-response' ? { reset: true } : undefined);
      try {
        body = this.parseBody(req);
        const ctx: RequestContext = {
          core: this,
          key,
          view: new ViewContext(this.store, { confidential: key.confidential, privateFields: key.privateFields }),
          endpoint,
          body: body as Body,
          requestId,
          events: [],
        };
        const result = handler(ctx);
        this.emit(ctx.events);
        if (answerLost) return this.forcedResponse(req, requestId, answerLost);
        const ok: WireResponse = { status: 200, headers: this.headers(requestId, req), body: serializeSuccess(result) };
        if (fault === 'slow-body') ok.fault = 'slow-body';
        return ok;
      } catch (err) {
        if (answerLost) return this.forcedResponse(req, requestId, answerLost);
        if (err instanceof AshbyWireError)
          return this.error(req, requestId, err.httpStatus, err.ashbyCode, err.message, { ...err.headers });
        throw err;
      }
    })();
    this.callLog.add({
      at: iso(this.clock.now()),
      method: req.method,
      path: endpoint,
      keyName,
      body,
      status: response.status,
      errorCode: response.status === 200 && response.body.startsWith('{"success":true') ? null : errorCodeOf(response),
      requestId,
    });
    return response;
  }

  private handleAdmin(req: WireRequest, requestId: string, command: string): WireResponse {
    const auth = this.authenticate(req);
    if (!auth.key) return this.authFailure(req, requestId, ...auth.failure!);
    if (auth.key.name !== FULL_KEY)
      return this.error(req, requestId, 403, 'forbidden', `Sandbox admin commands need the ${FULL_KEY} key.`);
    if (req.method !== 'POST')
      return this.error(req, requestId, 405, 'method_not_allowed', 'Sandbox admin commands are POST requests.', {
        allow: 'POST',
      });
    try {
      const body = this.parseBody(req);
      if (!this.adminDispatcher) throw new AshbyWireError('not_found', 'The admin interface is not available.', 404);
      const results = this.adminDispatcher(command, body);
      return {
        status: 200,
        headers: this.headers(requestId, req),
        body: JSON.stringify({ success: true, results: results ?? null }),
      };
    } catch (err) {
      if (err instanceof AshbyWireError) return this.error(req, requestId, err.httpStatus, err.ashbyCode, err.message);
      const message = err instanceof Error ? err.message : String(err);
      return this.error(req, requestId, 200, 'invalid_input', message);
    }
  }
}

const MULTIPART_ENDPOINTS: ReadonlySet<string> = new Set(['candidate.uploadFile', 'candidate.uploadResume']);

function endpointOf(req: WireRequest): string {
  return req.path.split('?')[0]!.replace(/^\/+/, '');
}

/** The request body for the call log, even when the request failed before its body was validated. */
function tryParse(text: string): unknown {
  if (!text.trim()) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function errorCodeOf(response: WireResponse): string | null {
  if (response.fault === 'reset') return 'connection_reset';
  try {
    const parsed = JSON.parse(response.body) as { errorInfo?: { code?: string } };
    return parsed.errorInfo?.code ?? `http_${response.status}`;
  } catch {
    return `http_${response.status}`;
  }
}

/** Envelope in Ashby's field order: success, results, then paging fields (docs/ashby-api.md §1.4, §2.1). */
export function serializeSuccess(result: HandlerResult): string {
  let out = `{"success":true,"results":${JSON.stringify(result.results)}`;
  if (result.moreDataAvailable !== undefined) out += `,"moreDataAvailable":${result.moreDataAvailable}`;
  if (result.nextCursor !== undefined) out += `,"nextCursor":${JSON.stringify(result.nextCursor)}`;
  if (result.syncToken !== undefined) out += `,"syncToken":${JSON.stringify(result.syncToken)}`;
  if (result.warnings?.length) out += `,"warnings":${JSON.stringify(result.warnings)}`;
  return `${out}}`;
}
