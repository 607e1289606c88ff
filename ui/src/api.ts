/**
 * The console's only way in: the public REST API of `ashby-kafka serve` (docs/serve.md), with
 * the bearer token the user typed. The token lives in this module's memory only: never in the
 * DOM, storage or a URL, so a reload asks for it again.
 */
let token: string | undefined;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems: string[] = [],
  ) {
    super(message);
  }
}

export function signedIn(): boolean {
  return token !== undefined;
}

export function signOut(): void {
  token = undefined;
}

export async function call<T>(method: string, path: string, body?: unknown, with_token = token): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: {
      ...(with_token ? { authorization: `Bearer ${with_token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    cache: 'no-store',
    credentials: 'omit',
  });
  const text = await res.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const e = (json ?? {}) as { error_code?: string; message?: string; problems?: string[] };
    throw new ApiError(res.status, e.error_code ?? `HTTP_${res.status}`, e.message ?? res.statusText, e.problems);
  }
  return json as T;
}

/** Checks the token with a harmless read and keeps it only if the worker accepts it. */
export async function signIn(candidate: string): Promise<void> {
  await call('GET', '/pipelines', undefined, candidate);
  token = candidate;
}

export const enc = encodeURIComponent;

export type PipelineState = 'RUNNING' | 'PAUSED' | 'FAILED' | 'UNASSIGNED';

export interface Pipeline {
  name: string;
  kind: 'source' | 'sink';
  config: Record<string, unknown>;
  target: 'RUNNING' | 'PAUSED';
}

export interface StreamStatus {
  stream: string;
  topic: string;
  phase: string;
  records: number;
  pages: number;
  detail?: string;
}

export interface PipelineStatus {
  name: string;
  state: PipelineState;
  worker_id: string | null;
  streams: StreamStatus[];
  last_pass?: { result?: string; records?: number; ended_at?: string; duration_ms?: number; [k: string]: unknown };
  last_error?: { error_code: string; message: string; at: string };
  failures: number;
  next_restart_at?: string;
  updated_at: string;
}

export interface Credential {
  name: string;
  title?: string;
  scopes?: string[];
  readable_modules: string[];
  confidential_jobs?: { state: 'visible' | 'not-visible' | 'unknown'; evidence: string };
  base_url: string;
  created_at: string;
  rotated_at?: string;
  tested_at: string;
  used_by: string[];
}

export interface Catalog {
  modules: Array<{ key: string; label: string }>;
  streams: Array<{
    name: string;
    module: string | null;
    scope: string | null;
    enabled_by_default: boolean;
    parent: string | null;
    note?: string;
  }>;
  commands: Array<{ entity: string; operation: string; scopes: string[] }>;
}

/** May this credential use this scope? true/false, or undefined when the key's scopes are unknown. */
export function allows(cred: Credential, scope: string | null): boolean | undefined {
  if (scope === null) return true;
  if (cred.scopes) return cred.scopes.includes(scope);
  const [module, access] = scope.split(':');
  if (access === 'read') return cred.readable_modules.includes(module ?? '');
  return undefined;
}

// The history and dead-letter bodies are the server's own types (types only, erased by esbuild).
export type {
  DeadLetterPage,
  DeadLetterView as DeadLetter,
  HistoryResponse as History,
  MinuteCounts,
} from '../../src/serve/rest/response-types';

export interface SinkState {
  kind: 'sink';
  group_id: string;
  partitions: Array<{ topic: string; partition: number; committed: number | null; end: number; lag: number }>;
  lag: number;
}
