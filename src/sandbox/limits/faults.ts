import { Rng } from '../data/random.js';

/**
 * Failures injected into API calls: forced outcomes queued by tests through the admin interface
 * (exact and immediate), and seeded random faults configured at start (for soak runs and the
 * demo). Both apply after authentication, so a forced 429 still names the key that sent it.
 */

/** The five pagination/sync errors a connector must recover from (docs/ashby-api.md §2.2). */
export const RESTART_CODES = [
  'sync_token_expired',
  'sync_token_invalid',
  'incremental_sync_too_large',
  'next_cursor_expired',
  'invalid_next_cursor',
] as const;
export type RestartCode = (typeof RESTART_CODES)[number];

/**
 * `afterApply` on a 5xx or a reset: the call is carried out first (a write is stored, its
 * webhooks fire) and only its answer is lost, as when Ashby applied a write and the response
 * failed on the way back. Without it the call fails before the endpoint runs.
 */
export type ForcedOutcome =
  | { errorCode: string; message?: string }
  | { status: 500 | 502 | 503 | 504; afterApply?: boolean }
  | { status: 429; retryAfterSeconds?: number }
  | { reset: true; afterApply?: boolean };

/** Whether the endpoint runs before the outcome replaces its answer. */
export function appliesFirst(outcome: ForcedOutcome): boolean {
  return 'afterApply' in outcome && outcome.afterApply === true;
}

interface Queued {
  endpoint: string;
  remaining: number;
  outcome: ForcedOutcome;
}

export class ForcedOutcomes {
  private queue: Queued[] = [];

  /** Make the next `count` calls to `endpoint` ('*' for any) end with `outcome`. */
  add(endpoint: string, count: number, outcome: ForcedOutcome): void {
    if (count > 0) this.queue.push({ endpoint: endpoint.replace(/^\//, ''), remaining: count, outcome });
  }

  take(endpoint: string): ForcedOutcome | undefined {
    const entry = this.queue.find((q) => q.endpoint === endpoint || q.endpoint === '*');
    if (!entry) return undefined;
    entry.remaining--;
    if (entry.remaining <= 0) this.queue = this.queue.filter((q) => q !== entry);
    return entry.outcome;
  }

  clear(): void {
    this.queue = [];
  }

  pending(): { endpoint: string; remaining: number; outcome: ForcedOutcome }[] {
    return this.queue.map((q) => ({ ...q }));
  }
}

/** `lost-response`: the call is carried out, then the connection is reset before the answer. */
export type RandomFault = 'server-error' | 'reset' | 'slow-body' | 'lost-response' | undefined;

export class FaultInjector {
  private readonly rng: Rng;

  constructor(
    private readonly rates: {
      serverErrorRate: number;
      resetRate: number;
      slowBodyRate: number;
      lostResponseRate: number;
    },
    seed: number,
  ) {
    this.rng = new Rng(seed ^ 0x5eed);
  }

  get enabled(): boolean {
    return (
      this.rates.serverErrorRate + this.rates.resetRate + this.rates.slowBodyRate + this.rates.lostResponseRate > 0
    );
  }

  /** One draw per call, so a given seed and call order reproduce the same faults. */
  next(): RandomFault {
    if (!this.enabled) return undefined;
    const r = this.rng.next();
    // Each fault owns the next slice of [0, 1): reset, server error, slow body, lost response.
    const slices: Array<[RandomFault, number]> = [
      ['reset', this.rates.resetRate],
      ['server-error', this.rates.serverErrorRate],
      ['slow-body', this.rates.slowBodyRate],
      ['lost-response', this.rates.lostResponseRate],
    ];
    let bound = 0;
    for (const [fault, rate] of slices) {
      bound += rate;
      if (r < bound) return fault;
    }
    return undefined;
  }

  /** A latency in ms around `mean`, uniform within ± jitter. */
  latency(meanMs: number, jitterMs: number): number {
    return jitterMs > 0 ? Math.max(0, meanMs + (this.rng.next() * 2 - 1) * jitterMs) : meanMs;
  }
}
