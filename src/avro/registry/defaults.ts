/**
 * The registry client's defaults, in a module of their own so that the config schema
 * (`schema_registry.timeout_ms`, `schema_registry.retry`) declares the same numbers without
 * importing the client.
 */
export interface RegistryRetry {
  /** Retries after the first attempt. */
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
}

/**
 * Deadline of one attempt. A healthy registry answers in milliseconds, and a registration on a
 * busy one in a few seconds; an attempt that waits longer has most likely lost its answer
 * (docs/avro.md, "Registry requests") and is retried. `schema_registry.timeout_ms` raises it for
 * a registry that is slow by nature.
 */
export const DEFAULT_REGISTRY_TIMEOUT_MS = 10_000;

export const DEFAULT_REGISTRY_RETRY: Readonly<RegistryRetry> = { retries: 4, minDelayMs: 250, maxDelayMs: 5_000 };
