import { jest } from '@jest/globals';
import { AshbyApiError, AshbyAbortedError, AshbyRateLimitedError, AshbyServerError } from '../src/ashby/errors.js';
import { retryDelay, withRetry, type RetryPolicy } from '../src/retry.js';
import { AshbyKafkaError } from '../src/errors.js';
import { outcomeNow } from './support/promises.js';

const policy: RetryPolicy = { retries: 3, minDelayMs: 10, maxDelayMs: 40, maxRetryAfterMs: 1_000 };

describe('retryDelay', () => {
  it('backs off exponentially with equal jitter, capped at maxDelayMs', () => {
    const err = new AshbyServerError({ httpStatus: 500 });
    expect(retryDelay(err, 0, policy, () => 0)).toBe(5);
    expect(retryDelay(err, 0, policy, () => 1)).toBe(10);
    expect(retryDelay(err, 1, policy, () => 1)).toBe(20);
    expect(retryDelay(err, 2, policy, () => 0.5)).toBe(30);
    expect(retryDelay(err, 9, policy, () => 1)).toBe(40);
  });

  it('waits at least Retry-After, and refuses to wait longer than maxRetryAfterMs', () => {
    expect(retryDelay(new AshbyRateLimitedError({ retryAfterMs: 300 }), 0, policy, () => 1)).toBe(300);
    expect(retryDelay(new AshbyRateLimitedError({ retryAfterMs: 1 }), 0, policy, () => 1)).toBe(10);
    expect(retryDelay(new AshbyRateLimitedError({ retryAfterMs: 5_000 }), 0, policy)).toBeUndefined();
    expect(retryDelay(new AshbyRateLimitedError({}), 1, policy, () => 1)).toBe(20);
  });

  it('never waits for an error that is not retriable', () => {
    expect(retryDelay(new AshbyApiError('invalid_input', undefined), 0, policy)).toBeUndefined();
    expect(retryDelay(new Error('bug'), 0, policy)).toBeUndefined();
  });
});

describe('withRetry', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('retries retriable errors until success, reporting each wait', async () => {
    let n = 0;
    const waits: number[] = [];
    const out = await withRetry(
      async () => {
        n += 1;
        if (n < 3) throw new AshbyServerError({ httpStatus: 502 });
        return 'done';
      },
      policy,
      { onRetry: (e) => waits.push(e.retry), random: () => 0 },
    );
    expect(out).toBe('done');
    expect(n).toBe(3);
    expect(waits).toEqual([1, 2]);
  });

  it('stops at once on a non-retriable error', async () => {
    let n = 0;
    const err = new AshbyApiError('invalid_input', 'no');
    await expect(
      withRetry(async () => {
        n += 1;
        throw err;
      }, policy),
    ).rejects.toBe(err);
    expect(n).toBe(1);
  });

  it('gives up after `retries` retries with the last error', async () => {
    let n = 0;
    await expect(
      withRetry(async () => {
        n += 1;
        throw new AshbyServerError({ httpStatus: 500 + n });
      }, policy),
    ).rejects.toMatchObject({ code: 'ASHBY_SERVER_ERROR', httpStatus: 504 });
    expect(n).toBe(4);
  });

  it('obeys Retry-After before the next attempt', async () => {
    const times: number[] = [];
    await withRetry(async () => {
      times.push(performance.now());
      if (times.length === 1) throw new AshbyRateLimitedError({ retryAfterMs: 150 });
      return 1;
    }, policy);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(148);
  });

  it('surfaces a 429 whose Retry-After is longer than allowed without waiting (fake clock: no timer runs)', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    let n = 0;
    const run = withRetry(async () => {
      n += 1;
      throw new AshbyRateLimitedError({ retryAfterMs: 60_000 });
    }, policy);
    expect(await outcomeNow(run)).toBeInstanceOf(AshbyRateLimitedError);
    expect(n).toBe(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('aborting the signal ends a wait at once with AshbyAbortedError (fake clock: before the wait is over)', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    const ac = new AbortController();
    let n = 0;
    const run = withRetry(
      async () => {
        n += 1;
        throw new AshbyRateLimitedError({ retryAfterMs: 900 });
      },
      policy,
      { signal: ac.signal, abortError: (cause) => new AshbyAbortedError({ cause }) },
    );
    await jest.advanceTimersByTimeAsync(30);
    expect(await outcomeNow(run)).toBe('pending');
    ac.abort();
    expect(await outcomeNow(run)).toBeInstanceOf(AshbyAbortedError);
    expect(n).toBe(1);
    // The Retry-After timer was cleared, not left to fire 870 ms later.
    expect(jest.getTimerCount()).toBe(0);
  });

  it('does not start when the signal is already aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    let n = 0;
    const abortError = (cause: unknown) => new AshbyAbortedError({ cause });
    await expect(withRetry(async () => ++n, policy, { signal: ac.signal, abortError })).rejects.toBeInstanceOf(
      AshbyAbortedError,
    );
    expect(n).toBe(0);
  });

  it("without an abortError, an abort rejects with the signal's reason", async () => {
    const ac = new AbortController();
    const reason = new Error('shutting down');
    ac.abort(reason);
    await expect(withRetry(async () => 1, policy, { signal: ac.signal })).rejects.toBe(reason);
  });

  it('honours a Retry-After carried by any retriable error, not only Ashby rate limits', () => {
    const err = new AshbyKafkaError('SOME_SERVER_BUSY', 'busy', { retriable: true });
    Object.assign(err, { retryAfterMs: 300 });
    expect(retryDelay(err, 0, policy, () => 1)).toBe(300);
  });
});
