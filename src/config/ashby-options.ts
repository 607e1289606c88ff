import { Value } from '@sinclair/typebox/value';
import { AshbyClient, type AshbyClientOptions } from '../ashby/index.js';
import type { Logger } from '../log/logger.js';
import { resolveAshbyApiKey } from './ashby-key.js';
import { AshbyConfigSchema, type AshbyConfig } from './schema.js';

export interface CreateAshbyClientOptions {
  logger?: Logger;
  /** Shutdown: aborts rate-budget waits, retry sleeps and requests in flight. */
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** Credential store file (for `ashby.credential`). */
  storePath?: string;
}

/** The `ashby` section with nothing set: every default, as the config schema declares it (the only copy). */
const DEFAULTS = Value.Default(AshbyConfigSchema, {}) as AshbyConfig;

export const DEFAULT_ASHBY_BASE_URL = DEFAULTS.base_url;

type Loose<T> = { [K in keyof T]?: T[K] | undefined };

/** Client options where timeouts, retries, rate and base URL may be partial: what is left out takes the schema's default. */
export type AshbyClientOptionsInput = Omit<AshbyClientOptions, 'baseUrl' | 'timeouts' | 'retry' | 'rate'> & {
  baseUrl?: string | undefined;
  timeouts?: Loose<AshbyClientOptions['timeouts']>;
  retry?: Loose<AshbyClientOptions['retry']>;
  rate?: Loose<AshbyClientOptions['rate']>;
};

function defined<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Fills what `input` leaves out with the config schema's defaults. */
export function withAshbyDefaults(input: AshbyClientOptionsInput): AshbyClientOptions {
  const t = DEFAULTS.timeouts;
  const r = DEFAULTS.retry;
  const q = DEFAULTS.rate;
  return {
    ...input,
    baseUrl: input.baseUrl ?? DEFAULTS.base_url,
    timeouts: { connectMs: t.connect_ms, headersMs: t.headers_ms, bodyMs: t.body_ms, ...defined(input.timeouts) },
    retry: { retries: r.retries, minDelayMs: r.min_delay_ms, maxDelayMs: r.max_delay_ms, ...defined(input.retry) },
    rate: {
      requestsPerSecond: q.requests_per_second,
      burst: q.burst,
      maxConcurrent: q.max_concurrent,
      ...defined(input.rate),
    },
  };
}

/** Maps the `ashby` config section onto client options (pure; the key is resolved separately). */
export function ashbyClientOptions(
  ashby: AshbyConfig,
  apiKey: string,
  opts: Pick<CreateAshbyClientOptions, 'logger' | 'signal'> = {},
): AshbyClientOptions {
  return withAshbyDefaults({
    apiKey,
    baseUrl: ashby.base_url,
    ...(ashby.ashby_version ? { ashbyVersion: ashby.ashby_version } : {}),
    timeouts: {
      connectMs: ashby.timeouts?.connect_ms,
      headersMs: ashby.timeouts?.headers_ms,
      bodyMs: ashby.timeouts?.body_ms,
    },
    retry: {
      retries: ashby.retry?.retries,
      minDelayMs: ashby.retry?.min_delay_ms,
      maxDelayMs: ashby.retry?.max_delay_ms,
    },
    rate: {
      requestsPerSecond: ashby.rate?.requests_per_second,
      burst: ashby.rate?.burst,
      maxConcurrent: ashby.rate?.max_concurrent,
    },
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
}

/**
 * The Ashby client of a pipeline: resolves the key (api_key or the named credential), then
 * builds the client from the config. Source and sink runners call this; close() it when done.
 */
export async function createAshbyClient(ashby: AshbyConfig, opts: CreateAshbyClientOptions = {}): Promise<AshbyClient> {
  const apiKey = await resolveAshbyApiKey(ashby, { env: opts.env, storePath: opts.storePath });
  return new AshbyClient(ashbyClientOptions(ashby, apiKey, opts));
}
