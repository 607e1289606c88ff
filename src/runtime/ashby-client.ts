import { AshbyClient, type AshbyClientOptions } from '../ashby/index.js';
import type { AshbyConfig } from '../config/schema.js';
import { resolveAshbyApiKey } from '../credentials/index.js';
import type { Logger } from '../log/logger.js';

export interface CreateAshbyClientOptions {
  logger?: Logger;
  /** Shutdown: aborts rate-budget waits, retry sleeps and requests in flight. */
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** Credential store file (for `ashby.credential`). */
  storePath?: string;
}

/** Maps the `ashby` config section onto client options (pure; the key is resolved separately). */
export function ashbyClientOptions(ashby: AshbyConfig, apiKey: string, opts: Pick<CreateAshbyClientOptions, 'logger' | 'signal'> = {}): AshbyClientOptions {
  return {
    apiKey,
    baseUrl: ashby.base_url,
    ...(ashby.ashby_version ? { ashbyVersion: ashby.ashby_version } : {}),
    timeouts: { connectMs: ashby.timeouts?.connect_ms, headersMs: ashby.timeouts?.headers_ms, bodyMs: ashby.timeouts?.body_ms },
    retry: { retries: ashby.retry?.retries, minDelayMs: ashby.retry?.min_delay_ms, maxDelayMs: ashby.retry?.max_delay_ms },
    rate: { requestsPerSecond: ashby.rate?.requests_per_second, burst: ashby.rate?.burst, maxConcurrent: ashby.rate?.max_concurrent },
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  };
}

/**
 * The Ashby client of a pipeline: resolves the key (api_key or the named credential), then
 * builds the client from the config. Source and sink runners call this; close() it when done.
 */
export async function createAshbyClient(ashby: AshbyConfig, opts: CreateAshbyClientOptions = {}): Promise<AshbyClient> {
  const apiKey = await resolveAshbyApiKey(ashby, { env: opts.env, storePath: opts.storePath });
  return new AshbyClient(ashbyClientOptions(ashby, apiKey, opts));
}
