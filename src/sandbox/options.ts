import { ConfigError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { loadKeysFile, resolveKeys, type ResolvedKey, type SandboxKeyDefinition } from './auth/keys.js';

/** Options of `startSandbox` and of `ashby-kafka sandbox`. Behaviours docs/ashby-api.md marks uncertain are switchable here. */
export interface SandboxOptions {
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** Port; default 0 (ephemeral) in-process, 4010 from the CLI. */
  port?: number;
  /** Data seed; default 1. Same seed and scale give byte-identical data. */
  seed?: number;
  /** Number of candidates; default 200. Every other entity scales with it. */
  scale?: number;
  /** Added to every API response: a fixed delay, or a mean with uniform ± jitter. */
  latencyMs?: number | { meanMs: number; jitterMs?: number };
  /** Token bucket per key (or one shared bucket with scope 'integration-partner'). */
  rateLimit?: { perSecond: number; burst?: number; scope?: 'key' | 'integration-partner' };
  /**
   * Seeded random faults on API calls: 5xx responses, connection resets, bodies sent slowly, and
   * lost responses (the call is carried out, then the connection is reset before the answer).
   */
  faults?: {
    serverErrorRate?: number;
    resetRate?: number;
    slowBodyRate?: number;
    lostResponseRate?: number;
    slowBodyMs?: number;
    seed?: number;
  };
  /** Keys added to (or replacing, by name) the two default keys. */
  keys?: SandboxKeyDefinition[];
  /** A YAML or JSON file of key definitions (see docs/sandbox.md). */
  keysFile?: string;
  /** The sandbox clock: start instant (ISO) and whether it follows real time afterwards. */
  clock?: { start: string; follow?: boolean };
  /** `maxPerPage` caps every page below `limit`; `emptyPageEvery: n` makes every n-th page of a pass empty. */
  pageSize?: { maxPerPage?: number; emptyPageEvery?: number };
  /** An incremental pass needing more pages than this fails with incremental_sync_too_large. Default 500. */
  incrementalMaxPages?: number;
  /** Sync tokens older than this expire (sync_token_expired). Default 30 days of sandbox time. */
  syncTokenTtlMs?: number;
  /** Cursors older than this expire (next_cursor_expired). Default 1 hour of sandbox time. */
  cursorTtlMs?: number;
  /** POST `{action, data}` here on candidate, application, job and offer changes. */
  webhooks?: { url: string; secret: string; events?: string[] }[];
  /**
   * Organisation features some endpoints need (all on by default): a feature turned off makes
   * its endpoints answer with `compat.missingFeature`.
   */
  features?: Partial<Record<SandboxFeature, boolean>>;
  /** Choices where Ashby's behaviour is undocumented (marked uncertain in docs/ashby-api.md). */
  compat?: {
    /** Body of 401/403 auth failures: Ashby's JSON error envelope (default) or plain text. */
    authErrorBody?: 'envelope' | 'text';
    /** Serve the early-2024 snake_case path spellings too (default true). */
    snakeCaseAliases?: boolean;
    /** HTTP status of missing_endpoint_permission: 403 as documented (default) or 200. */
    permissionErrorStatus?: 403 | 200;
    /**
     * How an endpoint answers when the org lacks its feature; Ashby does not document it. Default
     * `{ code: 'feature_not_enabled', status: 200 }` (a request error); status 404 models an
     * endpoint Ashby does not serve, code `missing_endpoint_permission` a permission refusal.
     */
    missingFeature?: { code?: string; status?: 200 | 403 | 404 };
  };
  /** Where the sandbox logs; default silent in-process. */
  logger?: Logger;
}

/** Org features the spec says some endpoints need. */
export const SANDBOX_FEATURES = ['aiApplicationReview', 'fraudDetection', 'surveys', 'assessments'] as const;
export type SandboxFeature = (typeof SANDBOX_FEATURES)[number];

export interface ResolvedSandboxOptions {
  host: string;
  port: number;
  seed: number;
  scale: number;
  latency: { meanMs: number; jitterMs: number };
  rateLimit: { perSecond: number; burst: number; scope: 'key' | 'integration-partner' } | undefined;
  faults: {
    serverErrorRate: number;
    resetRate: number;
    slowBodyRate: number;
    lostResponseRate: number;
    slowBodyMs: number;
    seed: number;
  };
  keys: ResolvedKey[];
  clock: { startMs: number; follow: boolean };
  pageSize: { maxPerPage: number; emptyPageEvery: number };
  incrementalMaxPages: number;
  syncTokenTtlMs: number;
  cursorTtlMs: number;
  webhooks: { url: string; secret: string; events: string[] | undefined }[];
  features: Record<SandboxFeature, boolean>;
  compat: {
    authErrorBody: 'envelope' | 'text';
    snakeCaseAliases: boolean;
    permissionErrorStatus: 403 | 200;
    missingFeature: { code: string; status: 200 | 403 | 404 };
  };
}

function resolveFeatures(features: SandboxOptions['features']): Record<SandboxFeature, boolean> {
  if (features !== undefined && (typeof features !== 'object' || features === null))
    throw new ConfigError('sandbox option features must be an object such as { surveys: false }', { path: 'features' });
  const out = Object.fromEntries(SANDBOX_FEATURES.map((f) => [f, true])) as Record<SandboxFeature, boolean>;
  for (const [name, on] of Object.entries(features ?? {})) {
    if (!(SANDBOX_FEATURES as readonly string[]).includes(name))
      throw new ConfigError(`sandbox option features.${name} is unknown: use ${SANDBOX_FEATURES.join(', ')}`, {
        path: `features.${name}`,
      });
    if (typeof on !== 'boolean')
      throw new ConfigError(`sandbox option features.${name} must be true or false`, { path: `features.${name}` });
    out[name as SandboxFeature] = on;
  }
  return out;
}

function resolveMissingFeature(value: { code?: string; status?: number } | undefined): {
  code: string;
  status: 200 | 403 | 404;
} {
  const code = value?.code ?? 'feature_not_enabled';
  const status = value?.status ?? 200;
  if (typeof code !== 'string' || !/^[a-z_]{1,64}$/.test(code))
    throw new ConfigError('sandbox option compat.missingFeature.code must be a snake_case error code', {
      path: 'compat.missingFeature.code',
    });
  if (status !== 200 && status !== 403 && status !== 404)
    throw new ConfigError('sandbox option compat.missingFeature.status must be 200, 403 or 404', {
      path: 'compat.missingFeature.status',
    });
  return { code, status };
}

export const DEFAULT_SCALE = 200;
/** A fixed default start keeps generated timestamps identical across runs. */
export const DEFAULT_CLOCK_START = '2026-11-01T00:00:00.000Z';
const DAY = 86_400_000;
/** Enough for a 1,000,000-candidate org with room for benchmarks at larger scales. */
const MAX_SCALE = 20_000_000;

function num(
  value: unknown,
  path: string,
  { min, max, integer }: { min: number; max: number; integer?: boolean },
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < min ||
    value > max ||
    (integer && !Number.isInteger(value))
  ) {
    throw new ConfigError(
      `sandbox option ${path} must be ${integer ? 'an integer' : 'a number'} between ${min} and ${max} (got ${JSON.stringify(value)})`,
      { path },
    );
  }
  return value;
}

function rate(value: unknown, path: string): number {
  return num(value, path, { min: 0, max: 1 }, 0);
}

/** 0 turns empty pages off; 1 would make every page empty and no pass could finish. */
function emptyPageEvery(value: unknown): number {
  const n = num(value, 'pageSize.emptyPageEvery', { min: 0, max: 1e6, integer: true }, 0);
  if (n === 1)
    throw new ConfigError(
      'sandbox option pageSize.emptyPageEvery must be 0 (off) or at least 2: with 1 every page would be empty',
      { path: 'pageSize.emptyPageEvery' },
    );
  return n;
}

export function resolveSandboxOptions(
  options: SandboxOptions = {},
  defaults: { port?: number; follow?: boolean } = {},
): ResolvedSandboxOptions {
  const latency =
    typeof options.latencyMs === 'number'
      ? { meanMs: options.latencyMs, jitterMs: 0 }
      : { meanMs: options.latencyMs?.meanMs ?? 0, jitterMs: options.latencyMs?.jitterMs ?? 0 };
  num(latency.meanMs, 'latencyMs.meanMs', { min: 0, max: 60_000 }, 0);
  num(latency.jitterMs, 'latencyMs.jitterMs', { min: 0, max: latency.meanMs }, 0);
  const rl = options.rateLimit;
  const startText = options.clock?.start ?? DEFAULT_CLOCK_START;
  const startMs = Date.parse(startText);
  if (Number.isNaN(startMs))
    throw new ConfigError(
      `sandbox option clock.start must be an ISO instant such as ${DEFAULT_CLOCK_START} (got ${JSON.stringify(startText)})`,
      { path: 'clock.start' },
    );
  const scope = rl?.scope ?? 'key';
  if (scope !== 'key' && scope !== 'integration-partner')
    throw new ConfigError('sandbox option rateLimit.scope must be "key" or "integration-partner"', {
      path: 'rateLimit.scope',
    });
  const authErrorBody = options.compat?.authErrorBody ?? 'envelope';
  if (authErrorBody !== 'envelope' && authErrorBody !== 'text')
    throw new ConfigError('sandbox option compat.authErrorBody must be "envelope" or "text"', {
      path: 'compat.authErrorBody',
    });
  const permissionErrorStatus = options.compat?.permissionErrorStatus ?? 403;
  if (permissionErrorStatus !== 403 && permissionErrorStatus !== 200)
    throw new ConfigError('sandbox option compat.permissionErrorStatus must be 403 or 200', {
      path: 'compat.permissionErrorStatus',
    });
  const webhooks = (options.webhooks ?? []).map((w, i) => {
    if (!w || typeof w.url !== 'string' || !/^https?:\/\//.test(w.url))
      throw new ConfigError(`sandbox option webhooks[${i}].url must be an http(s) URL`, { path: `webhooks[${i}].url` });
    if (typeof w.secret !== 'string' || !w.secret)
      throw new ConfigError(
        `sandbox option webhooks[${i}].secret must be a non-empty string (it keys the Ashby-Signature HMAC)`,
        { path: `webhooks[${i}].secret` },
      );
    return { url: w.url, secret: w.secret, events: w.events };
  });
  const keyDefs = [...(options.keysFile ? loadKeysFile(options.keysFile) : []), ...(options.keys ?? [])];
  return {
    host: options.host ?? '127.0.0.1',
    port: num(options.port, 'port', { min: 0, max: 65_535, integer: true }, defaults.port ?? 0),
    seed: num(options.seed, 'seed', { min: 0, max: 2 ** 31 - 1, integer: true }, 1),
    scale: num(options.scale, 'scale', { min: 1, max: MAX_SCALE, integer: true }, DEFAULT_SCALE),
    latency,
    rateLimit: rl
      ? {
          perSecond: num(rl.perSecond, 'rateLimit.perSecond', { min: 0.001, max: 1e6 }, 1),
          burst: num(rl.burst, 'rateLimit.burst', { min: 1, max: 1e6 }, Math.max(1, Math.ceil(rl.perSecond))),
          scope,
        }
      : undefined,
    faults: {
      serverErrorRate: rate(options.faults?.serverErrorRate, 'faults.serverErrorRate'),
      resetRate: rate(options.faults?.resetRate, 'faults.resetRate'),
      slowBodyRate: rate(options.faults?.slowBodyRate, 'faults.slowBodyRate'),
      lostResponseRate: rate(options.faults?.lostResponseRate, 'faults.lostResponseRate'),
      slowBodyMs: num(options.faults?.slowBodyMs, 'faults.slowBodyMs', { min: 0, max: 60_000 }, 1_000),
      seed: num(options.faults?.seed, 'faults.seed', { min: 0, max: 2 ** 31 - 1, integer: true }, options.seed ?? 1),
    },
    keys: resolveKeys(keyDefs),
    clock: { startMs, follow: options.clock?.follow ?? defaults.follow ?? false },
    pageSize: {
      maxPerPage: num(options.pageSize?.maxPerPage, 'pageSize.maxPerPage', { min: 1, max: 100, integer: true }, 100),
      emptyPageEvery: emptyPageEvery(options.pageSize?.emptyPageEvery),
    },
    incrementalMaxPages: num(
      options.incrementalMaxPages,
      'incrementalMaxPages',
      { min: 1, max: 1e9, integer: true },
      500,
    ),
    syncTokenTtlMs: num(options.syncTokenTtlMs, 'syncTokenTtlMs', { min: 1, max: 1e13 }, 30 * DAY),
    cursorTtlMs: num(options.cursorTtlMs, 'cursorTtlMs', { min: 1, max: 1e13 }, 3_600_000),
    webhooks,
    features: resolveFeatures(options.features),
    compat: {
      authErrorBody,
      snakeCaseAliases: options.compat?.snakeCaseAliases ?? true,
      permissionErrorStatus,
      missingFeature: resolveMissingFeature(options.compat?.missingFeature),
    },
  };
}
