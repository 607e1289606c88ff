import type { Logger } from '../log/logger.js';
import type { ValidationMode } from './validate.js';

/** The public shapes of the Ashby client (kept apart from client.ts so endpoint modules can import them without a cycle). */

export interface AshbyClientOptions {
  /** Registered with registerSecret() in the constructor. */
  apiKey: string;
  /** A path prefix is kept (`http://host/ashby` → `/ashby/candidate.list`) (docs/ashby-api.md §1.1). */
  baseUrl: string;
  /** Optional pinned `Ashby-Version` header, e.g. "2026-01-01" (docs/ashby-api.md §1.3). */
  ashbyVersion?: string;
  /** Default `ashby-kafka/<package version>`. */
  userAgent?: string;
  /**
   * Timeouts, retries and the rate come resolved: their defaults live once, in the config schema
   * (config/ashby-options.ts fills them in). `maxRetryAfterMs` is not configurable (default in retry.ts).
   */
  timeouts: { connectMs: number; headersMs: number; bodyMs: number };
  retry: { retries: number; minDelayMs: number; maxDelayMs: number; maxRetryAfterMs?: number };
  /** The per-key budget, shared by every client of this key and base URL in the process. */
  rate: { requestsPerSecond: number; burst: number; maxConcurrent: number };
  logger?: Logger;
  /** Shutdown: aborts waits and in-flight retries. */
  signal?: AbortSignal;
  /** How the typed endpoint functions check records; default "warn" (see validate.ts). */
  validation?: ValidationMode;
  /** Hears every attempt and retry (service mode's metrics); must not throw. */
  observer?: AshbyCallObserver;
}

/** Called after each HTTP attempt (status undefined: no response) and before each retry's wait. */
export interface AshbyCallObserver {
  attempt(endpoint: string, status: number | undefined, ms: number): void;
  retry(endpoint: string, code: string): void;
}

export type CallKind = 'read' | 'write';

export interface CallOptions {
  /** `read` (default) retries freely; `write` retries only when Ashby cannot have acted. */
  kind?: CallKind;
  signal?: AbortSignal;
}

export interface PagesOptions {
  /** Run an incremental pass from this token (docs/ashby-api.md §2.1). */
  syncToken?: string;
  /** Page size, at most 100 (the default). */
  limit?: number;
  signal?: AbortSignal;
  /** Send the completeness flags of docs/ashby-api.md §2.4 (default true); the caller's body fields win. */
  completeness?: boolean;
  /**
   * Leave each element of a large page's `results` as its JSON bytes (a JsonSlice of
   * src/json/bytes.ts), parsed only where the caller needs it (the source's streams, which write
   * most records to Avro from the bytes). Small pages are parsed as usual.
   */
  slices?: boolean;
}

export interface AshbyResult<T> {
  results: T;
  requestId?: string;
  /** Non-fatal problems Ashby reported next to the results; also logged at warn. */
  warnings: string[];
}

export interface AshbyPage<T> {
  results: T[];
  requestId?: string;
  /** 1 for the first page of the pass. */
  pageNumber: number;
  moreDataAvailable: boolean;
  nextCursor?: string;
  /** Only on the last page of endpoints that support incremental sync. Commit it after processing this page. */
  syncToken?: string;
}

/** What the typed endpoint modules need from the client. */
export interface TypedCaller {
  read<T>(endpoint: string, body: object, options?: CallOptions): Promise<AshbyResult<T>>;
  write<T>(endpoint: string, body: object, options?: CallOptions): Promise<AshbyResult<T>>;
  list<T>(endpoint: string, body: object, options?: PagesOptions): AsyncIterable<AshbyPage<T>>;
}
