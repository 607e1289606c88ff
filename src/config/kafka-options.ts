import type { RdConfig } from '../kafka/client-config.js';
import type { KafkaConfig } from './schema.js';

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
