import { randomUUID } from 'node:crypto';
import Kafka from 'node-rdkafka';
import { ConfigError } from '../errors.js';

/** librdkafka global properties shared by producers, consumers and admin clients. */
export type RdConfig = Record<string, string | number | boolean>;

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
    throw new ConfigError(
      `kafka: librdkafka refused the ${what} settings: ${message}. Check kafka.librdkafka and kafka.security in the pipeline file.`,
    );
  }
}

/**
 * A consumer that reads assigned partitions only (no group membership, nothing committed), from
 * the earliest offset, committed records only, and reports each partition's end. `groupPrefix`
 * names the unique group id librdkafka needs even for assign(); `extra` adds properties.
 */
export function assignOnlyReader(
  what: string,
  base: RdConfig,
  groupPrefix: string,
  extra: RdConfig = {},
): Kafka.KafkaConsumer {
  return constructClient(
    what,
    () =>
      new Kafka.KafkaConsumer(
        {
          ...base,
          'group.id': `${groupPrefix}-${randomUUID()}`,
          'enable.auto.commit': false,
          'enable.auto.offset.store': false,
          'enable.partition.eof': true,
          'isolation.level': 'read_committed',
          ...extra,
        } as Kafka.ConsumerGlobalConfig,
        { 'auto.offset.reset': 'earliest' },
      ),
  );
}
