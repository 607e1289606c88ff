import type { KafkaConfig } from '../config/schema.js';
import { ConfigError } from '../errors.js';

/** librdkafka global properties shared by producers, consumers and admin clients. */
export type RdConfig = Record<string, string | number | boolean>;

/** Map the pipeline's `kafka` section to librdkafka properties; `librdkafka` entries win. */
export function rdkafkaConfig(kafka: KafkaConfig): RdConfig {
  const out: RdConfig = {
    'bootstrap.servers': kafka.bootstrap_servers,
    'client.id': kafka.client_id,
    'security.protocol': kafka.security.protocol,
    // librdkafka logs to stderr by default; its errors reach us through event.error instead.
    log_level: 3,
  };
  const s = kafka.security;
  if (s.sasl_mechanism) out['sasl.mechanisms'] = s.sasl_mechanism;
  if (s.username) out['sasl.username'] = s.username;
  if (s.password) out['sasl.password'] = s.password;
  if (s.ca_location) out['ssl.ca.location'] = s.ca_location;
  return { ...out, ...kafka.librdkafka };
}

/**
 * Runs a node-rdkafka constructor. librdkafka rejects an unknown or invalid property by
 * throwing a plain Error at construction; that is the user's config, not a bug, so it becomes
 * a ConfigError naming `kafka.librdkafka`.
 */
export function constructClient<T>(what: string, make: () => T): T {
  try {
    return make();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new ConfigError(`kafka: librdkafka refused the ${what} settings: ${message}. Check kafka.librdkafka and kafka.security in the pipeline file.`);
  }
}
