import { createHash } from 'node:crypto';
import { AshbyAbortedError } from './errors.js';

/**
 * One request budget per API key (docs/ashby-api.md §3): Ashby publishes no number but throttles per key, so
 * every stream and writer in the process that uses the key draws from the same token bucket
 * and concurrency cap. On a 429 the rate halves (multiplicative decrease) and the bucket
 * pauses for Retry-After; it then climbs back linearly (additive increase) to the configured
 * ceiling. Waiters are served first-come, first-served.
 */
export interface RateBudgetOptions {
  requestsPerSecond: number;
  burst: number;
  maxConcurrent: number;
}

/** The rate never drops below this share of the ceiling, so a burst of 429s cannot stall a pipeline for minutes. */
const MIN_RATE_SHARE = 0.05;
/** Several 429s from one burst describe one event; only the first within this window lowers the rate. */
const DECREASE_COOLDOWN_MS = 1_000;
/** Recovery from half rate to the ceiling takes about this long. */
const RECOVERY_HALF_TO_FULL_MS = 15_000;

interface Waiter {
  resolve: (release: () => void) => void;
  reject: (err: Error) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

export interface RateBudgetStats {
  ratePerSecond: number;
  ceilingPerSecond: number;
  tokens: number;
  inFlight: number;
  queued: number;
  pausedForMs: number;
}

export class RateBudget {
  readonly options: RateBudgetOptions;
  private rate: number;
  private tokens: number;
  private inFlight = 0;
  private lastRefill: number;
  private pausedUntil = 0;
  private lastDecrease = -Infinity;
  private readonly queue: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    options: RateBudgetOptions,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.options = { ...options };
    this.rate = options.requestsPerSecond;
    this.tokens = options.burst;
    this.lastRefill = now();
  }

  /** Waits for a token and a concurrency slot; the returned function gives the slot back (call it once). */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(new AshbyAbortedError());
    // Fast path: nobody waiting, a slot and a token free.
    if (this.queue.length === 0 && this.tryTake()) return Promise.resolve(this.releaser());
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const i = this.queue.indexOf(waiter);
          if (i >= 0) this.queue.splice(i, 1);
          reject(new AshbyAbortedError());
          this.pump();
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.queue.push(waiter);
      this.pump();
    });
  }

  /** A 429 arrived: halve the rate (once per burst of 429s) and hold every caller for Retry-After. */
  onRateLimited(retryAfterMs?: number): void {
    const now = this.now();
    this.refill(now);
    if (now - this.lastDecrease >= DECREASE_COOLDOWN_MS) {
      this.rate = Math.max(this.options.requestsPerSecond * MIN_RATE_SHARE, this.rate / 2);
      this.lastDecrease = now;
    }
    this.tokens = 0;
    if (retryAfterMs !== undefined && retryAfterMs > 0)
      this.pausedUntil = Math.max(this.pausedUntil, now + retryAfterMs);
    this.pump();
  }

  stats(): RateBudgetStats {
    const now = this.now();
    this.refill(now);
    return {
      ratePerSecond: this.rate,
      ceilingPerSecond: this.options.requestsPerSecond,
      tokens: this.tokens,
      inFlight: this.inFlight,
      queued: this.queue.length,
      pausedForMs: Math.max(0, this.pausedUntil - now),
    };
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.lastRefill);
    this.lastRefill = now;
    const ceiling = this.options.requestsPerSecond;
    if (this.rate < ceiling) {
      this.rate = Math.min(ceiling, this.rate + (ceiling / 2) * (elapsed / RECOVERY_HALF_TO_FULL_MS));
    }
    if (now < this.pausedUntil) return;
    this.tokens = Math.min(this.options.burst, this.tokens + (elapsed / 1000) * this.rate);
  }

  private tryTake(): boolean {
    if (this.inFlight >= this.options.maxConcurrent) return false;
    this.refill(this.now());
    if (this.now() < this.pausedUntil || this.tokens < 1) return false;
    this.tokens -= 1;
    this.inFlight += 1;
    return true;
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight -= 1;
      this.pump();
    };
  }

  private pump(): void {
    while (this.queue.length > 0 && this.tryTake()) {
      const w = this.queue.shift()!;
      w.signal?.removeEventListener('abort', w.onAbort);
      w.resolve(this.releaser());
    }
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    // Waiting on a concurrency slot needs no timer: a release pumps again.
    if (this.queue.length === 0 || this.inFlight >= this.options.maxConcurrent) return;
    const now = this.now();
    const untilToken = now < this.pausedUntil ? this.pausedUntil - now : ((1 - this.tokens) / this.rate) * 1000;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.pump();
      },
      Math.max(1, Math.ceil(untilToken)),
    );
  }
}

interface SharedEntry {
  budget: RateBudget;
  refs: number;
}

const shared = new Map<string, SharedEntry>();

/** The registry key: a hash, so the key itself is never held in a map or printed in a dump. */
function budgetKey(apiKey: string, baseUrl: string): string {
  return createHash('sha256').update(apiKey).update('\n').update(baseUrl).digest('hex');
}

/**
 * The process-wide budget for this key and base URL. The first client to ask creates it with
 * its options; later clients share it as is. Call `release` on close; the budget is dropped
 * when its last client closes.
 */
export function acquireSharedBudget(
  apiKey: string,
  baseUrl: string,
  options: RateBudgetOptions,
): { budget: RateBudget; release: () => void } {
  const key = budgetKey(apiKey, baseUrl);
  let entry = shared.get(key);
  if (!entry) {
    entry = { budget: new RateBudget(options), refs: 0 };
    shared.set(key, entry);
  }
  entry.refs += 1;
  const held = entry;
  let released = false;
  return {
    budget: held.budget,
    release: () => {
      if (released) return;
      released = true;
      held.refs -= 1;
      if (held.refs === 0 && shared.get(key) === held) shared.delete(key);
    },
  };
}

/** For tests: how many distinct key budgets are alive. */
export function sharedBudgetCount(): number {
  return shared.size;
}
