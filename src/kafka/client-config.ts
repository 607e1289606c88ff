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
