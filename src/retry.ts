import pRetry from 'p-retry';
import { AshbyKafkaError, isRetriable } from './errors.js';

/**
 * The only retry loop of the connector (STYLE "Retry in one place"), used by the Ashby client
 * and the schema registry client. p-retry counts attempts and watches the AbortSignal; the
 * delay is ours because a server's Retry-After must win over the exponential schedule. Stops at
 * once on errors that are not retriable: deciding what is retriable (reads vs writes) is the
 * caller's job, done by throwing a non-retriable error.
 */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited out: the 429 surfaces to the caller. */
  maxRetryAfterMs: number;
}

export interface RetryEvent {
  error: AshbyKafkaError;
  /** 1 for the first retry. */
  retry: number;
  delayMs: number;
}

export interface RetryRunOptions {
  signal?: AbortSignal | undefined;
  /** Runs before each wait; for logging. A throw cancels the retries. */
  onRetry?: (event: RetryEvent) => void;
  /** Injected in tests to make jitter deterministic. */
  random?: () => number;
  /** The error thrown when `signal` aborts the retries (default: the signal's reason). */
  abortError?: (cause: unknown) => Error;
}

/** An error that carries the server's Retry-After (Ashby's 429s). */
function retryAfterOf(err: unknown): number | undefined {
  const ms = (err as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof ms === 'number' ? ms : undefined;
}

function signalReason(cause: unknown, signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason ?? cause;
  return reason instanceof Error ? reason : new Error('aborted', { cause: reason });
}

/**
 * Exponential backoff with "equal jitter" (half fixed, half random), floored by Retry-After.
 * Returns undefined when the error must not be waited for.
 */
export function retryDelay(
  err: unknown,
  retryIndex: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number | undefined {
  if (!isRetriable(err)) return undefined;
  const base = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** retryIndex);
  const backoff = base / 2 + (random() * base) / 2;
  const retryAfterMs = retryAfterOf(err);
  if (retryAfterMs !== undefined) {
    if (retryAfterMs > policy.maxRetryAfterMs) return undefined;
    return Math.round(Math.max(retryAfterMs, backoff));
  }
  return Math.round(backoff);
}

function sleep(ms: number, signal: AbortSignal | undefined, aborted: (cause: unknown) => Error): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(aborted(undefined));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(aborted(undefined));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export async function withRetry<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  policy: RetryPolicy,
  options: RetryRunOptions = {},
): Promise<T> {
  const { signal, onRetry, random = Math.random } = options;
  const aborted = options.abortError ?? ((cause: unknown) => signalReason(cause, signal));
  // Fast path: almost every call succeeds at once, and entering p-retry (option checks, its
  // loop and signal wiring) costs several microseconds per call, a measurable share of a
  // local round trip (bench/client.ts). p-retry takes over from the first failure.
  if (signal?.aborted) throw aborted(signal.reason);
  try {
    return await attempt(1);
  } catch (err) {
    if (signal?.aborted && !(err instanceof AshbyKafkaError)) throw aborted(err);
    const delayMs = policy.retries > 0 ? retryDelay(err, 0, policy, random) : undefined;
    if (delayMs === undefined) throw err;
    onRetry?.({ error: err as AshbyKafkaError, retry: 1, delayMs });
    await sleep(delayMs, signal, aborted);
  }
  try {
    return await pRetry((n) => attempt(n + 1), {
      retries: policy.retries - 1,
      // p-retry's own schedule is disabled; shouldRetry below waits our delay instead.
      minTimeout: 0,
      signal,
      shouldRetry: async ({ error, retriesConsumed }) => {
        // One retry was spent before p-retry started.
        const retryIndex = retriesConsumed + 1;
        const delayMs = retryDelay(error, retryIndex, policy, random);
        if (delayMs === undefined) return false;
        onRetry?.({ error: error as AshbyKafkaError, retry: retryIndex + 1, delayMs });
        await sleep(delayMs, signal, aborted);
        return true;
      },
    });
  } catch (err) {
    if (signal?.aborted && !(err instanceof AshbyKafkaError)) throw aborted(err);
    throw err;
  }
}
