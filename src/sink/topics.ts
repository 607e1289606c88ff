import type { DestinationConfig } from '../config/schema.js';
import { KafkaAdmin } from '../kafka/admin.js';
import type { RdConfig } from '../kafka/client-config.js';
import type { Logger } from '../log/logger.js';
import { SinkError } from './errors.js';

/** What the sink needs around its Kafka topics before it starts: the command topics checked, its own created. */
const TOPIC_PARTITIONS = 3;
/**
 * Ledger entries older than this are deleted (compaction keeps only the latest per command
 * besides). Redeliveries come within minutes; this bounds how long a resent idempotencyKey is
 * still recognised, and the ledger's size and load time.
 */
export const LEDGER_RETENTION_MS = 7 * 24 * 3_600_000;

/** Fails with SINK_TOPIC_MISSING when a command topic does not exist; creates the DLQ, results and ledger topics when missing. */
export async function ensureTopics(rd: RdConfig, d: DestinationConfig, logger: Logger): Promise<void> {
  const admin = KafkaAdmin.create(rd, { logger });
  try {
    const md = await admin.metadata();
    const missing = d.topics.filter((t) => !md.topics.some((x) => x.name === t.topic && x.partitions.length > 0));
    if (missing.length) {
      throw new SinkError(
        'SINK_TOPIC_MISSING',
        `command topic(s) ${missing.map((t) => t.topic).join(', ')} do not exist; create them (or fix destination.topics) before starting the sink`,
        { details: { topics: missing.map((t) => t.topic) } },
      );
    }
    const brokers = Math.max(1, md.brokers.length);
    const rf = Math.min(3, brokers);
    await admin.ensureTopics([
      { name: d.dead_letter_topic, partitions: TOPIC_PARTITIONS, replicationFactor: rf },
      { name: d.results_topic, partitions: TOPIC_PARTITIONS, replicationFactor: rf },
      {
        name: d.ledger_topic,
        partitions: TOPIC_PARTITIONS,
        replicationFactor: rf,
        config: { 'cleanup.policy': 'compact,delete', 'retention.ms': String(LEDGER_RETENTION_MS) },
      },
    ]);
  } finally {
    admin.close();
  }
}
