/**
 * Every API call the sandbox answered, for tests that assert exact requests (STYLE.md "Exact
 * requests"). Bounded, so a benchmark run does not grow memory without limit: the oldest entries
 * go first.
 */
export interface CallLogEntry {
  /** Sandbox-clock instant of the call (ISO). */
  at: string;
  method: string;
  /** Endpoint without the leading slash, e.g. "candidate.list". */
  path: string;
  /** Name of the key that made the call, or null when none was recognised. */
  keyName: string | null;
  /** The parsed JSON body ({} when empty, null when it was not JSON), logged even for refused calls. */
  body: unknown;
  status: number;
  /** Ashby error code for failures, null for successes. */
  errorCode: string | null;
  requestId: string;
}

export const CALL_LOG_CAPACITY = 100_000;

export class CallLog {
  private entries: CallLogEntry[] = [];

  constructor(private readonly capacity = CALL_LOG_CAPACITY) {}

  add(entry: CallLogEntry): void {
    this.entries.push(entry);
    // Trim in batches: splicing one entry per call would copy the whole log every time.
    if (this.entries.length > this.capacity * 1.1) this.entries.splice(0, this.entries.length - this.capacity);
  }

  list(filter: { path?: string; keyName?: string } = {}): CallLogEntry[] {
    return this.entries
      .slice(-this.capacity)
      .filter(
        (e) =>
          (filter.path === undefined || e.path === filter.path.replace(/^\//, '')) &&
          (filter.keyName === undefined || e.keyName === filter.keyName),
      );
  }

  reset(): void {
    this.entries = [];
  }
}
