import type { PipelineConfig } from './schema.js';
import type { CompatibilityLevel } from '../avro/registry/registry-client.js';
import type { SerdeConfig } from '../avro/serde/serde.js';

/** The serde a pipeline asks for: Confluent wire format with its registry, or single-object encoding without one. */
export function serdeConfigFrom(config: Pick<PipelineConfig, 'schema_registry'>): SerdeConfig {
  const r = config.schema_registry;
  if (!r) return { mode: 'single-object' };
  const auth = r.bearer_token
    ? { bearerToken: r.bearer_token }
    : r.username && r.password
      ? { username: r.username, password: r.password }
      : undefined;
  return {
    mode: 'confluent',
    registry: {
      url: r.url,
      ...(auth ? { auth } : {}),
      compatibility: r.compatibility as CompatibilityLevel,
      timeoutMs: r.timeout_ms,
      ...(r.retry
        ? { retry: { retries: r.retry.retries, minDelayMs: r.retry.min_delay_ms, maxDelayMs: r.retry.max_delay_ms } }
        : {}),
    },
    subjectStrategy: r.subject_strategy,
  };
}
