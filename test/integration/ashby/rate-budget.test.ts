import type { CallLogEntry } from '../../../src/sandbox/admin/call-log.js';
import type { RunningSandbox } from '../../../src/sandbox/index.js';
import { withSandbox } from './helpers.js';
import { waitFor } from '../../support/wait-for.js';

/**
 * The per-key rate budget as the client uses it, against a sandbox that enforces a rate limit.
 * The client's budget (10/s, burst 4) sits below the sandbox's bucket (16/s, burst 12), so a
 * client that waits on its budget never sees a 429, while one that skips it floods the bucket.
 * Spacing is read from the sandbox's call log (its clock follows real time here), and only lower
 * bounds are asserted: a loaded machine can only make calls later, never earlier.
 */
const CLIENT_RATE = { requestsPerSecond: 10, burst: 4, maxConcurrent: 4 };
let sb: RunningSandbox;
const pool = withSandbox(
  { rateLimit: { perSecond: 16, burst: 12 }, clock: { start: '2026-11-01T00:00:00.000Z', follow: true } },
  (ready) => (sb = ready),
);

const ms = (e: CallLogEntry): number => Date.parse(e.at);

describe('the client waits on the per-key budget', () => {
  it('30 concurrent calls: none is refused with a 429, and they reach Ashby spread at the budget rate, not at once', async () => {
    const client = pool.make(sb.url, sb.keys.full, { rate: CLIENT_RATE });
    const calls = 30;
    const results = await Promise.all(Array.from({ length: calls }, () => client.call<unknown[]>('source.list', {})));
    expect(results.every((r) => r.results.length > 0)).toBe(true);

    const log = sb.admin.callLog({ path: '/source.list' });
    expect(log.filter((e) => e.status === 429).length).toBe(0);
    expect(log.map((e) => e.status)).toEqual(Array(calls).fill(200));
    // The burst goes at once; the other 26 follow at 10/s, so the last arrives ≥ 2.5 s after the
    // first (asserted with a 20% margin). Without the budget all 30 arrive within milliseconds.
    const times = log.map(ms).sort((a, b) => a - b);
    const spanMs = times.at(-1)! - times[0]!;
    expect(spanMs).toBeGreaterThanOrEqual(
      ((calls - CLIENT_RATE.burst - 1) / CLIENT_RATE.requestsPerSecond) * 1000 * 0.8,
    );
  });

  it('a 429 reaches the budget: the rate halves, and another client of the same key waits out the Retry-After before its call is sent', async () => {
    const first = pool.make(sb.url, sb.keys.full, { rate: CLIENT_RATE });
    const second = pool.make(sb.url, sb.keys.full, { rate: CLIENT_RATE });
    expect(second.rateBudget()).toBe(first.rateBudget());

    sb.admin.forceNext('source.list', 1, { status: 429, retryAfterSeconds: 1 });
    const retried = first.call('source.list', {});
    const refused = await waitFor(
      'a 429 in the sandbox call log',
      () => sb.admin.callLog({ path: '/source.list' }).find((e) => e.status === 429),
      5_000,
      5,
    );
    // The 429 has been answered; give the client a moment to read it before the other caller starts.
    await new Promise((r) => setTimeout(r, 20));
    expect(first.rateBudget().stats().ratePerSecond).toBeLessThanOrEqual(CLIENT_RATE.requestsPerSecond / 2 + 0.5);
    await Promise.all([retried, second.call('job.list', { limit: 1 })]);

    const other = sb.admin.callLog({ path: '/job.list' });
    expect(other.map((e) => e.status)).toEqual([200]);
    // Retry-After is 1 s; without the budget hearing of the 429, job.list would go out at once.
    expect(ms(other[0]!) - ms(refused)).toBeGreaterThanOrEqual(800);
    expect(sb.admin.callLog({ path: '/source.list' }).map((e) => e.status)).toEqual([429, 200]);
  });
});
