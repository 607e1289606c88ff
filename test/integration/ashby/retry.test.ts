import { AshbyAbortedError, AshbyAmbiguousWriteError, AshbyRateLimitedError } from '../../../src/ashby/index.js';
import type { RunningSandbox } from '../../../src/sandbox/index.js';
import { rejection, rewritingProxy, withSandbox } from './helpers.js';

/**
 * The single retry loop against a real sandbox: Retry-After is waited out (both forms), reads
 * retry on 5xx and resets, and a create whose outcome is unknown is never sent twice.
 */
let sb: RunningSandbox;
const pool = withSandbox({}, (ready) => (sb = ready));

function createCalls(): number {
  return sb.admin.callLog({ path: '/candidate.create' }).length;
}

describe('Retry-After', () => {
  it('waits the seconds Ashby asks for before retrying (backoff alone would be ~1 ms)', async () => {
    sb.admin.forceNext('source.list', 1, { status: 429, retryAfterSeconds: 1 });
    const started = performance.now();
    const res = await pool.make(sb.url, sb.keys.full).call<unknown[]>('source.list', {});
    const waited = performance.now() - started;
    expect(res.results.length).toBeGreaterThan(0);
    expect(waited).toBeGreaterThanOrEqual(950);
    expect(waited).toBeLessThan(5_000);
    expect(sb.admin.callLog({ path: '/source.list' }).map((e) => e.status)).toEqual([429, 200]);
  });

  it('honours an HTTP-date Retry-After too', async () => {
    const proxy = await rewritingProxy(sb.url, { retryAfterAsDate: true });
    try {
      sb.admin.forceNext('source.list', 1, { status: 429, retryAfterSeconds: 3 });
      const started = performance.now();
      await pool.make(proxy.url, sb.keys.full).call('source.list', {});
      const waited = performance.now() - started;
      // An HTTP date has whole-second precision, so "3 s from now" means between 2 and 3 s.
      expect(waited).toBeGreaterThanOrEqual(1_900);
      expect(waited).toBeLessThan(6_000);
      expect(sb.admin.callLog({ path: '/source.list' }).map((e) => e.status)).toEqual([429, 200]);
    } finally {
      await proxy.close();
    }
  });

  it('surfaces a Retry-After longer than retry.maxRetryAfterMs at once instead of sleeping', async () => {
    sb.admin.forceNext('source.list', 1, { status: 429, retryAfterSeconds: 600 });
    const started = performance.now();
    const err = await rejection(
      pool
        .make(sb.url, sb.keys.full, { retry: { retries: 3, minDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 5_000 } })
        .call('source.list', {}),
    );
    expect(err).toBeInstanceOf(AshbyRateLimitedError);
    expect(err.retryAfterMs).toBe(600_000);
    expect(err.message).toContain('wait 600s');
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('a 429 on a write is retried: Ashby refused it, so nothing was created twice', async () => {
    sb.admin.forceNext('candidate.create', 1, { status: 429, retryAfterSeconds: 0 });
    const res = await pool
      .make(sb.url, sb.keys.full)
      .candidate.create({ name: 'Retry Safe', email: 'retry.safe@example.com' });
    expect(res.results.name).toBe('Retry Safe');
    expect(sb.admin.callLog({ path: '/candidate.create' }).map((e) => e.status)).toEqual([429, 200]);
  });

  it('shutdown (AbortSignal) ends a Retry-After wait at once', async () => {
    sb.admin.forceNext('source.list', 1, { status: 429, retryAfterSeconds: 30 });
    const controller = new AbortController();
    const started = performance.now();
    const call = pool.make(sb.url, sb.keys.full, { signal: controller.signal }).call('source.list', {});
    setTimeout(() => controller.abort(), 100);
    const err = await rejection(call);
    expect(err).toBeInstanceOf(AshbyAbortedError);
    expect(err.code).toBe('ASHBY_ABORTED');
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('ambiguous writes are never retried', () => {
  it.each([
    ['a 503', { status: 503 as const }],
    ['a reset connection', { reset: true as const }],
  ])(
    'candidate.create answered with %s → ASHBY_WRITE_OUTCOME_UNKNOWN after exactly one create',
    async (_label, outcome) => {
      sb.admin.forceNext('candidate.create', 1, outcome);
      const err = await rejection(
        pool.make(sb.url, sb.keys.full).candidate.create({ name: 'Maybe Created', email: 'maybe@example.com' }),
      );
      expect(err).toBeInstanceOf(AshbyAmbiguousWriteError);
      expect(err).toMatchObject({
        code: 'ASHBY_WRITE_OUTCOME_UNKNOWN',
        retriable: false,
        endpoint: 'candidate.create',
      });
      expect(err.message).toContain('look the record up');
      expect(createCalls()).toBe(1);
    },
  );

  it('the same failure on a read is retried (reads are safe)', async () => {
    sb.admin.forceNext('candidate.search', 1, { status: 503 });
    await pool.make(sb.url, sb.keys.full).candidate.search({ email: 'nobody@example.com' });
    expect(sb.admin.callLog({ path: '/candidate.search' }).map((e) => e.status)).toEqual([503, 200]);
  });
});
