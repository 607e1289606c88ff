import { silentLogger, type Logger } from '../log/logger.js';
import { registerSecret } from '../log/secrets.js';
import { AshbyKafkaError, ConfigError } from '../errors.js';
import { classifyResponse, readWarnings, type AshbyEnvelope } from './classify.js';
import type { ParseOptions } from './json-body.js';
import { acquireSharedBudget, type RateBudget } from './rate-budget.js';
import { withRetry, type RetryPolicy } from '../retry.js';
import { Transport } from './transport.js';
import {
  AshbyAbortedError,
  AshbyAmbiguousWriteError,
  AshbyNetworkError,
  AshbyRateLimitedError,
  AshbyTimeoutError,
  type AshbyError,
} from './errors.js';
import { paginate } from './paginator.js';
import { permissionFor } from './permissions.js';
import { RecordValidator } from './validate.js';
import { defaultUserAgent } from './user-agent.js';
import { buildEndpoints, type AshbyEndpoints } from './endpoints/index.js';
import type {
  AshbyCallObserver,
  AshbyClientOptions,
  AshbyPage,
  AshbyResult,
  CallKind,
  CallOptions,
  PagesOptions,
  TypedCaller,
} from './types.js';

/** The retry schedule itself is configuration (ashby.retry in the config schema); this bound is not. */
export const MAX_RETRY_AFTER_MS = 120_000;

/**
 * Whether a failed write may be retried: only when Ashby cannot have acted on it (a 429 is a
 * refusal; a connection that failed before sending carried nothing). Everything else that is
 * "retriable" for a read is ambiguous for a write.
 */
function safeToRetryWrite(err: unknown): boolean {
  if (err instanceof AshbyRateLimitedError) return true;
  if (err instanceof AshbyNetworkError || err instanceof AshbyTimeoutError) return !err.requestSent;
  return false;
}

function combineSignals(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  if (!a || a === b) return b;
  if (!b) return a;
  return AbortSignal.any([a, b]);
}

/**
 * The one way the connector talks to Ashby. Every call goes through: the shared per-key rate
 * budget → one POST on a keep-alive pool → classification of the envelope → the single retry
 * loop. Typed endpoint functions hang off the instance (`client.candidate.create(…)`).
 */
export class AshbyClient implements AshbyEndpoints {
  readonly baseUrl: string;
  private readonly transport: Transport;
  private readonly budget: RateBudget;
  private readonly releaseBudget: () => void;
  private readonly retryPolicy: RetryPolicy;
  private readonly logger: Logger;
  private readonly signal: AbortSignal | undefined;
  private readonly validator: RecordValidator;
  private readonly observer: AshbyCallObserver | undefined;
  private closed = false;

  declare readonly apiKey: AshbyEndpoints['apiKey'];
  declare readonly application: AshbyEndpoints['application'];
  declare readonly approval: AshbyEndpoints['approval'];
  declare readonly archiveReason: AshbyEndpoints['archiveReason'];
  declare readonly candidate: AshbyEndpoints['candidate'];
  declare readonly candidateTag: AshbyEndpoints['candidateTag'];
  declare readonly closeReason: AshbyEndpoints['closeReason'];
  declare readonly customField: AshbyEndpoints['customField'];
  declare readonly department: AshbyEndpoints['department'];
  declare readonly feedbackFormDefinition: AshbyEndpoints['feedbackFormDefinition'];
  declare readonly interview: AshbyEndpoints['interview'];
  declare readonly interviewEvent: AshbyEndpoints['interviewEvent'];
  declare readonly interviewPlan: AshbyEndpoints['interviewPlan'];
  declare readonly interviewSchedule: AshbyEndpoints['interviewSchedule'];
  declare readonly interviewStage: AshbyEndpoints['interviewStage'];
  declare readonly job: AshbyEndpoints['job'];
  declare readonly jobPosting: AshbyEndpoints['jobPosting'];
  declare readonly location: AshbyEndpoints['location'];
  declare readonly offer: AshbyEndpoints['offer'];
  declare readonly offerProcess: AshbyEndpoints['offerProcess'];
  declare readonly opening: AshbyEndpoints['opening'];
  declare readonly project: AshbyEndpoints['project'];
  declare readonly source: AshbyEndpoints['source'];
  declare readonly user: AshbyEndpoints['user'];

  constructor(options: AshbyClientOptions) {
    if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '') {
      throw new ConfigError(
        'The Ashby API key is empty. Add one with `ashby-kafka credentials add NAME` and set ashby.credential.',
      );
    }
    registerSecret(options.apiKey);
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    if (!/^https?:\/\//.test(this.baseUrl))
      throw new ConfigError(`ashby.base_url must start with http:// or https:// (got "${this.baseUrl}").`);
    this.logger = (options.logger ?? silentLogger).child({ component: 'ashby' });
    this.signal = options.signal;
    this.observer = options.observer;
    this.retryPolicy = { maxRetryAfterMs: MAX_RETRY_AFTER_MS, ...options.retry };
    const shared = acquireSharedBudget(options.apiKey, this.baseUrl, options.rate);
    this.budget = shared.budget;
    this.releaseBudget = shared.release;
    this.transport = new Transport({
      baseUrl: this.baseUrl,
      apiKey: options.apiKey,
      ashbyVersion: options.ashbyVersion,
      userAgent: options.userAgent ?? defaultUserAgent(),
      timeouts: options.timeouts,
      connections: this.budget.options.maxConcurrent,
    });
    this.validator = new RecordValidator(options.validation ?? 'warn', this.logger);
    Object.assign(this, buildEndpoints(this.typedCaller()));
  }

  /**
   * One Ashby RPC. Reads retry freely; writes retry only when safe. The kind comes from the
   * endpoint's permission in Ashby's spec (`…Write` = write); an endpoint the spec does not
   * know counts as a write. `options.kind` can only make a call safer: a write endpoint is never
   * retried as a read.
   */
  async call<T = unknown>(
    endpoint: string,
    body: Record<string, unknown> = {},
    options: CallOptions = {},
  ): Promise<AshbyResult<T>> {
    const { envelope, requestId } = await this.fetchEnvelope(
      endpoint,
      body,
      callKind(endpoint, options.kind),
      options.signal,
    );
    return { results: envelope.results as T, ...(requestId ? { requestId } : {}), warnings: readWarnings(envelope) };
  }

  /** docs/ashby-api.md §2.1 paging: yields pages, loops on moreDataAvailable, exposes the final syncToken on the last page. */
  pages<T = unknown>(
    endpoint: string,
    body: Record<string, unknown> = {},
    options: PagesOptions = {},
  ): AsyncIterable<AshbyPage<T>> {
    return paginate<T>(
      (ep, b, signal) => this.fetchEnvelope(ep, b, 'read', signal, { slices: options.slices === true }),
      endpoint,
      body,
      options,
      this.logger,
    );
  }

  /** The budget this client draws from (shared with every client of the same key); for metrics and tests. */
  rateBudget(): RateBudget {
    return this.budget;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.releaseBudget();
    await this.transport.close();
  }

  private async fetchEnvelope(
    endpoint: string,
    body: Record<string, unknown>,
    kind: CallKind,
    callSignal: AbortSignal | undefined,
    parse: ParseOptions = {},
  ): Promise<{ envelope: AshbyEnvelope; requestId: string | undefined }> {
    if (this.closed) throw new AshbyAbortedError({ endpoint, details: { reason: 'client closed' } });
    const signal = combineSignals(this.signal, callSignal);
    try {
      const out = await withRetry(() => this.attempt(endpoint, body, kind, signal, parse), this.retryPolicy, {
        signal,
        abortError: (cause) => new AshbyAbortedError({ cause }),
        onRetry: ({ error, retry, delayMs }) => {
          this.observer?.retry(endpoint, error.code);
          this.logger.warn('retrying Ashby call', {
            endpoint,
            retry,
            delayMs,
            code: error.code,
            requestId: error.requestId,
          });
        },
      });
      const warnings = readWarnings(out.envelope);
      if (warnings.length > 0)
        this.logger.warn('Ashby returned warnings', { endpoint, requestId: out.requestId, warnings });
      return out;
    } catch (err) {
      if (err instanceof AshbyAbortedError && !err.endpoint) throw new AshbyAbortedError({ endpoint, cause: err });
      throw err;
    }
  }

  /** One try: budget slot → POST → classify. Write failures that might have reached Ashby become ambiguous (never retried). */
  private async attempt(
    endpoint: string,
    body: Record<string, unknown>,
    kind: CallKind,
    signal: AbortSignal | undefined,
    parse: ParseOptions,
  ) {
    const release = await this.budget.acquire(signal);
    const started = performance.now();
    let status: number | undefined;
    try {
      const raw = await this.transport.post(endpoint, body, signal);
      status = raw.status;
      return classifyResponse(endpoint, raw, parse);
    } catch (err) {
      if (err instanceof AshbyRateLimitedError) this.budget.onRateLimited(err.retryAfterMs);
      status ??= (err as { httpStatus?: number }).httpStatus;
      throw kind === 'write' ? this.forWrite(endpoint, err) : err;
    } finally {
      release();
      this.observer?.attempt(endpoint, status, performance.now() - started);
      if (this.logger.isLevelEnabled('debug')) {
        this.logger.debug('Ashby call', { endpoint, kind, status, ms: Math.round(performance.now() - started) });
      }
    }
  }

  private forWrite(endpoint: string, err: unknown): unknown {
    if (!(err instanceof AshbyKafkaError) || safeToRetryWrite(err)) return err;
    const mayHaveReached =
      err.retriable ||
      (err instanceof AshbyAbortedError && (err.details as { requestSent?: boolean }).requestSent === true);
    if (!mayHaveReached) return err;
    return new AshbyAmbiguousWriteError({
      endpoint,
      requestId: err.requestId,
      httpStatus: (err as AshbyError).httpStatus,
      cause: err,
    });
  }

  private typedCaller(): TypedCaller {
    return {
      read: async <T>(endpoint: string, body: object, options: CallOptions = {}) => {
        const r = await this.call<T>(endpoint, body as Record<string, unknown>, { ...options, kind: 'read' });
        return { ...r, results: this.validator.check<T>(endpoint, r.results, r.requestId) };
      },
      write: async <T>(endpoint: string, body: object, options: CallOptions = {}) => {
        const r = await this.call<T>(endpoint, body as Record<string, unknown>, { ...options, kind: 'write' });
        return { ...r, results: this.validator.check<T>(endpoint, r.results, r.requestId) };
      },
      list: <T>(endpoint: string, body: object, options: PagesOptions = {}) =>
        this.checkedPages<T>(endpoint, body as Record<string, unknown>, options),
    };
  }

  private async *checkedPages<T>(
    endpoint: string,
    body: Record<string, unknown>,
    options: PagesOptions,
  ): AsyncGenerator<AshbyPage<T>> {
    for await (const page of this.pages<T>(endpoint, body, options)) {
      yield { ...page, results: this.validator.check<T[]>(endpoint, page.results, page.requestId) };
    }
  }
}

/** How a call may be retried: the spec's permission decides, and a caller can only ask for more caution. */
export function callKind(endpoint: string, requested: CallKind | undefined): CallKind {
  const access = permissionFor(endpoint)?.access ?? 'write';
  return access === 'write' || requested === 'write' ? 'write' : 'read';
}
