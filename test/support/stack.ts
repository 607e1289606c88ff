import { randomBytes } from 'node:crypto';
import type { RdConfig } from '../../src/kafka/client-config.js';

/** Where the integration tests find the local stack (`npm run stack:up`). */
export const BOOTSTRAP = process.env.KAFKA_BOOTSTRAP ?? '127.0.0.1:9092';
export const REGISTRY_URL = process.env.SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7';

/** A topic (or group, or transactional id) name no other test or run uses. */
export function uniqueName(prefix: string): string {
  return `test.${prefix}.${Date.now().toString(36)}.${randomBytes(3).toString('hex')}`;
}

export function kafkaTestConfig(extra: RdConfig = {}): RdConfig {
  return { 'bootstrap.servers': BOOTSTRAP, 'client.id': 'ashby-kafka-test', log_level: 0, ...extra };
}
