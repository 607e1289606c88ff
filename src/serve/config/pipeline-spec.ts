import { resolveConfig } from '../../config/load.js';
import type { PipelineConfig } from '../../config/schema.js';
import { AshbyKafkaError, ConfigError } from '../../errors.js';
import { DEFAULT_CATALOG } from '../../source/catalog.js';
import { selectStreams } from '../../config/stream-selection.js';
import { asObject, PIPELINE_NAME } from '../model.js';
import type { WorkerConfig } from './schema.js';

/**
 * A pipeline of service mode is a name plus what a pipeline file holds today (`ashby`,
 * `source` or `destination`, optionally `kafka` overrides). The worker supplies the rest:
 * its Kafka cluster and schema registry, and per-pipeline identities that must stay stable
 * wherever the pipeline runs:
 * - `kafka.client_id` `ashby-kafka.<name>`, so exactly-once transactional ids are
 *   `ashby-kafka.<name>.source.<topic>` (per pipeline and stream; a zombie worker is fenced);
 * - a sink's consumer group `ashby-kafka.sink.<name>`, its own;
 * - a sink group's session timeout = the worker's, so a moved sink resumes as fast as the move;
 * - `transaction.timeout.ms` = the worker's session timeout, so the open transaction of a killed
 *   worker is aborted soon and no longer holds back the state read of the pipeline's new owner.
 */
export function resolvePipelineConfig(
  name: string,
  raw: unknown,
  worker: WorkerConfig,
  env: NodeJS.ProcessEnv = process.env,
): PipelineConfig {
  const problems: string[] = [];
  if (!PIPELINE_NAME.test(name))
    problems.push(`name: "${name}" must be 1-100 letters, digits, ".", "_" or "-", starting with a letter or digit`);
  const config = asObject(raw);
  if (!config)
    throw new ConfigError(
      `invalid pipeline ${name}:\n  - config: must be an object with an \`ashby\` section and a \`source\` or \`destination\``,
      { problems: ['config: must be an object'] },
    );
  if (config.source !== undefined && config.destination !== undefined)
    problems.push('config: a pipeline is a source or a sink; set `source` or `destination`, not both');
  if (config.source === undefined && config.destination === undefined)
    problems.push('config: set `source` (Ashby → Kafka) or `destination` (Kafka → Ashby)');
  for (const key of ['schema_registry', 'logging'])
    if (config[key] !== undefined) problems.push(`config.${key}: set by the worker; remove it from the pipeline`);
  const apiKey = asObject(config.ashby)?.api_key;
  if (typeof apiKey === 'string' && !/^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(apiKey.trim())) {
    problems.push(
      'ashby.api_key: only a `${ENV_VAR}` reference is accepted here (a key would be stored in the config topic); use `credential` with a key added through POST /credentials',
    );
  }
  const overrides = asObject(config.kafka) ?? {};
  const merged = {
    ...config,
    kafka: {
      ...worker.kafka,
      client_id: `ashby-kafka.${name}`,
      group_id: `ashby-kafka.sink.${name}`,
      ...overrides,
      // A worker killed inside a transaction holds read_committed readers (the moved pipeline's state read) until the transaction times out.
      librdkafka: {
        'session.timeout.ms': worker.worker.session_timeout_ms,
        'transaction.timeout.ms': worker.worker.session_timeout_ms,
        ...worker.kafka.librdkafka,
        ...(asObject(overrides.librdkafka) ?? {}),
      },
    },
    ...(worker.schema_registry ? { schema_registry: worker.schema_registry } : {}),
    logging: worker.logging,
  };
  let resolved: PipelineConfig | undefined;
  try {
    resolved = resolveConfig(merged, { env });
  } catch (err) {
    if (!(err instanceof AshbyKafkaError)) throw err;
    const listed = (err.details as { problems?: string[] }).problems;
    problems.push(...(listed ?? [err.message]));
  }
  if (resolved?.source) {
    try {
      selectStreams(resolved.source, DEFAULT_CATALOG);
    } catch (err) {
      if (!(err instanceof AshbyKafkaError)) throw err;
      problems.push(...((err.details as { problems?: string[] }).problems ?? [err.message]));
    }
  }
  if (problems.length || !resolved) {
    throw new ConfigError(`invalid pipeline ${name}:\n${problems.map((p) => `  - ${p}`).join('\n')}`, { problems });
  }
  return resolved;
}

export function problemsOf(err: unknown): string[] | undefined {
  return err instanceof ConfigError ? ((err.details as { problems?: string[] }).problems ?? [err.message]) : undefined;
}
