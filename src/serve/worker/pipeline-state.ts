import type { PipelineConfig } from '../../config/schema.js';
import { rdkafkaConfig } from '../../config/kafka-options.js';
import { KafkaProducer, readGroupLag, resetGroupToStart } from '../../kafka/index.js';
import { KafkaStateStore } from '../../source/runtime/state-store.js';
import { DEFAULT_CATALOG } from '../../source/catalog.js';
import { selectStreams } from '../../config/stream-selection.js';

/**
 * GET/DELETE /pipelines/{name}/state. A source's state is its sync position per stream (the
 * state topic, keyed by record topic); a sink's is its consumer group's committed offsets.
 * A reset deletes the positions (tombstones: the next pass is a full sync) or moves the
 * group's offsets back to the start of each partition (every command is applied again; the
 * ledger still skips those already applied). Callers check that the pipeline is paused.
 */
const TIMEOUT_MS = 15_000;

function sourceTopics(config: PipelineConfig): Map<string, string> {
  const source = config.source!;
  return new Map(
    selectStreams(source, DEFAULT_CATALOG).streams.map((s) => [s.name, `${source.topic_prefix}${s.name}`]),
  );
}

export async function readPipelineState(config: PipelineConfig): Promise<Record<string, unknown>> {
  const rd = rdkafkaConfig(config.kafka);
  if (config.source) {
    const topics = sourceTopics(config);
    const store = new KafkaStateStore({
      rd,
      topic: config.source.state_topic,
      replicationFactor: config.source.topics.replication_factor,
      timeoutMs: TIMEOUT_MS,
    });
    const states = await store.load([...topics.values()]);
    const streams: Record<string, unknown> = {};
    for (const [stream, topic] of topics) streams[stream] = { topic, state: states.get(topic) ?? null };
    return { kind: 'source', state_topic: config.source.state_topic, streams };
  }
  const topics = config.destination!.topics.map((t) => t.topic);
  const partitions = await readGroupLag({ rd, groupId: config.kafka.group_id, timeoutMs: TIMEOUT_MS }, topics);
  return { kind: 'sink', group_id: config.kafka.group_id, partitions, lag: partitions.reduce((n, p) => n + p.lag, 0) };
}

export async function resetPipelineState(config: PipelineConfig): Promise<Record<string, unknown>> {
  const rd = rdkafkaConfig(config.kafka);
  if (config.source) {
    const topics = [...sourceTopics(config).values()];
    const producer = await KafkaProducer.connect({ config: rd });
    try {
      await Promise.all(topics.map((key) => producer.send({ topic: config.source!.state_topic, key, value: null })));
    } finally {
      await producer.close();
    }
    return { kind: 'source', reset: topics };
  }
  const topics = config.destination!.topics.map((t) => t.topic);
  const reset = await resetGroupToStart({ rd, groupId: config.kafka.group_id, timeoutMs: TIMEOUT_MS }, topics);
  return { kind: 'sink', group_id: config.kafka.group_id, reset };
}
