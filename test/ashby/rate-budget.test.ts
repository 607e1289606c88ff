import { jest } from '@jest/globals';
import { AshbyAbortedError } from '../../src/ashby/errors.js';
import { RateBudget, acquireSharedBudget, sharedBudgetCount } from '../../src/ashby/rate-budget.js';
import { outcomeNow } from '../support/promises.js';

/** Whether `p` has settled once every pending microtask has run (no timer may fire before it). */
const settledNow = async (p: Promise<unknown>): Promise<boolean> => (await outcomeNow(p)) !== 'pending';

describe('RateBudget', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('lets a burst through at once, then paces at the steady rate (fake clock: exact times)', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    const start = Date.now();
    const b = new RateBudget({ requestsPerSecond: 50, burst: 3, maxConcurrent: 10 }, () => Date.now());
    for (let i = 0; i < 3; i++) {
      const slot = b.acquire();
      expect(await settledNow(slot)).toBe(true);
      (await slot)();
    }
    expect(Date.now() - start).toBe(0);
    // 5 more at 50/s: one every 20 ms of the (fake) clock.
    const grantedAt: number[] = [];
    const paced = Array.from({ length: 5 }, () =>
      b.acquire().then((release) => (grantedAt.push(Date.now() - start), release())),
    );
    expect(await settledNow(paced[0]!)).toBe(false);
    await jest.advanceTimersByTimeAsync(19);
    expect(grantedAt).toEqual([]);
    await jest.advanceTimersByTimeAsync(200);
    await Promise.all(paced);
    expect(grantedAt).toHaveLength(5);
    grantedAt.forEach((t, i) => {
      expect(t).toBeGreaterThanOrEqual(20 * (i + 1));
      expect(t).toBeLessThanOrEqual(20 * (i + 1) + 2);
    });
  });

  it('caps concurrency: a third caller waits for a release, and callers are served in order', async () => {
    const b = new RateBudget({ requestsPerSecond: 1000, burst: 100, maxConcurrent: 2 });
    const r1 = await b.acquire();
    const r2 = await b.acquire();
    const order: string[] = [];
    const third = b.acquire().then((r) => (order.push('third'), r));
    const fourth = b.acquire().then((r) => (order.push('fourth'), r));
    await new Promise((r) => setTimeout(r, 20));
    expect(order).toEqual([]);
    expect(b.stats()).toMatchObject({ inFlight: 2, queued: 2 });
    r1();
    r1(); // releasing twice must not free a second slot
    (await third)();
    await new Promise((r) => setTimeout(r, 5));
    expect(order).toEqual(['third', 'fourth']);
    r2();
    (await fourth)();
    expect(b.stats()).toMatchObject({ inFlight: 0, queued: 0 });
  });

  it('on a 429 halves the rate once per burst of 429s and holds every caller for Retry-After (fake clock)', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    const start = Date.now();
    const b = new RateBudget({ requestsPerSecond: 100, burst: 10, maxConcurrent: 10 }, () => Date.now());
    b.onRateLimited(120);
    b.onRateLimited(120);
    expect(b.stats().ratePerSecond).toBeCloseTo(50, 0);
    let grantedAt = -1;
    const slot = b.acquire().then((release) => ((grantedAt = Date.now() - start), release()));
    expect(await settledNow(slot)).toBe(false);
    await jest.advanceTimersByTimeAsync(119);
    expect(grantedAt).toBe(-1);
    await jest.advanceTimersByTimeAsync(10);
    await slot;
    expect(grantedAt).toBeGreaterThanOrEqual(120);
    expect(grantedAt).toBeLessThanOrEqual(122);
  });

  it('recovers additively to the ceiling, never below its floor', () => {
    let now = 0;
    const b = new RateBudget({ requestsPerSecond: 20, burst: 5, maxConcurrent: 4 }, () => now);
    for (let i = 0; i < 10; i++) {
      b.onRateLimited();
      now += 1_000;
    }
    // Each decrease halves; recovery between them is slow, so the rate sits near its floor (5% of 20).
    const low = b.stats().ratePerSecond;
    expect(low).toBeGreaterThanOrEqual(1);
    expect(low).toBeLessThan(4);
    now += 7_500;
    const mid = b.stats().ratePerSecond;
    expect(mid).toBeGreaterThan(low + 4);
    now += 30_000;
    expect(b.stats().ratePerSecond).toBe(20);
  });

  it('aborting a waiting caller rejects it with AshbyAbortedError and frees its place', async () => {
    const b = new RateBudget({ requestsPerSecond: 1000, burst: 10, maxConcurrent: 1 });
    const held = await b.acquire();
    const ac = new AbortController();
    const waiting = b.acquire(ac.signal);
    const next = b.acquire();
    ac.abort();
    await expect(waiting).rejects.toBeInstanceOf(AshbyAbortedError);
    expect(b.stats().queued).toBe(1);
    held();
    (await next)();
  });
});

describe('shared per-key budgets', () => {
  it('clients with the same key and base URL share one budget; another key gets its own; the last release drops it', () => {
    const before = sharedBudgetCount();
    const opts = { requestsPerSecond: 10, burst: 10, maxConcurrent: 2 };
    const a = acquireSharedBudget('key_aaaaaaaa', 'https://api.ashbyhq.com', opts);
    const b = acquireSharedBudget('key_aaaaaaaa', 'https://api.ashbyhq.com', { ...opts, maxConcurrent: 9 });
    const c = acquireSharedBudget('key_bbbbbbbb', 'https://api.ashbyhq.com', opts);
    const d = acquireSharedBudget('key_aaaaaaaa', 'http://127.0.0.1:1', opts);
    expect(a.budget).toBe(b.budget);
    expect(b.budget.options.maxConcurrent).toBe(2);
    expect(c.budget).not.toBe(a.budget);
    expect(d.budget).not.toBe(a.budget);
    expect(sharedBudgetCount()).toBe(before + 3);
    a.release();
    a.release();
    expect(sharedBudgetCount()).toBe(before + 3);
    b.release();
    c.release();
    d.release();
    expect(sharedBudgetCount()).toBe(before);
  });
});
