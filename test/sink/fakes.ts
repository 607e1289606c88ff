import { AshbyAmbiguousWriteError, AshbyApiError, AshbyServerError } from '../../src/ashby/errors.js';
import type { AshbyResult, CallOptions } from '../../src/ashby/types.js';
import type { LedgerEntry } from '../../src/sink/ledger.js';
import type { AshbyCaller } from '../../src/sink/reconcile.js';

/** A scripted Ashby: per endpoint, a queue of answers (results, or an error to throw); records every call. */
export type Answer = unknown | Error | ((body: Record<string, unknown>) => unknown);

export class FakeAshby implements AshbyCaller {
  readonly calls: Array<{ endpoint: string; body: Record<string, unknown>; kind: string | undefined }> = [];
  private readonly script = new Map<string, Answer[]>();
  private n = 0;

  on(endpoint: string, ...answers: Answer[]): this {
    this.script.set(endpoint, [...(this.script.get(endpoint) ?? []), ...answers]);
    return this;
  }

  async call<T = unknown>(
    endpoint: string,
    body: Record<string, unknown> = {},
    options: CallOptions = {},
  ): Promise<AshbyResult<T>> {
    this.calls.push({ endpoint, body, kind: options.kind });
    const queue = this.script.get(endpoint);
    const answer = queue && queue.length > 1 ? queue.shift() : queue?.[0];
    if (answer === undefined) throw new Error(`FakeAshby: no answer scripted for ${endpoint}`);
    const value = typeof answer === 'function' ? (answer as (b: Record<string, unknown>) => unknown)(body) : answer;
    if (value instanceof Error) throw value;
    return { results: value as T, requestId: `req-${++this.n}`, warnings: [] };
  }

  endpoints(): string[] {
    return this.calls.map((c) => c.endpoint);
  }
}

export const ambiguous = (endpoint: string) =>
  new AshbyAmbiguousWriteError({ endpoint, cause: new AshbyServerError({ endpoint, httpStatus: 503 }) });
export const apiError = (endpoint: string, code: string) =>
  new AshbyApiError(code, `${code} (fake)`, { endpoint, requestId: 'req-err' });

/** An in-memory ledger with the same contract as the Kafka one. */
export class FakeLedger {
  readonly owner = 'me';
  readonly entries = new Map<string, LedgerEntry>();
  readonly writes: Array<{ id: string; entry: LedgerEntry }> = [];
  catchUps = 0;

  get(id: string): LedgerEntry | undefined {
    return this.entries.get(id);
  }

  async put(id: string, entry: Omit<LedgerEntry, 'owner' | 'at'>): Promise<void> {
    const full = { ...entry, owner: this.owner, at: new Date().toISOString() } as LedgerEntry;
    this.entries.set(id, full);
    this.writes.push({ id, entry: full });
  }

  async catchUp(): Promise<void> {
    this.catchUps++;
  }
}
