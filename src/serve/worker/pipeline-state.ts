import Kafka from 'node-rdkafka';
import type { PipelineConfig } from '../../config/schema.js';
import { rdkafkaConfig } from '../../config/kafka-options.js';
import { KafkaError, KafkaProducer, type RdConfig } from '../../kafka/index.js';
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
  const partitions = await withGroupConsumer(rd, config.kafka.group_id, async (c) => {
    const tps = await topicPartitions(
      c,
      config.destination!.topics.map((t) => t.topic),
    );
    const committed = await committedOffsets(c, tps);
    return Promise.all(
      tps.map(async (tp) => {
        const w = await watermarks(c, tp.topic, tp.partition);
        const at = committed.get(`${tp.topic}:${tp.partition}`);
        return {
          topic: tp.topic,
          partition: tp.partition,
          committed: at ?? null,
          end: w.high,
          lag: w.high - (at ?? w.low),
        };
      }),
    );
  });
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
  const reset = await withGroupConsumer(rd, config.kafka.group_id, async (c) => {
    const tps = await topicPartitions(
      c,
      config.destination!.topics.map((t) => t.topic),
    );
    const offsets = await Promise.all(
      tps.map(async (tp) => ({ ...tp, offset: (await watermarks(c, tp.topic, tp.partition)).low })),
    );
    if (offsets.length) {
      try {
        c.commitSync(offsets);
      } catch (err) {
        throw KafkaError.from(
          'KAFKA_COMMIT_FAILED',
          `reset the offsets of group ${config.kafka.group_id} (is a sink of this group still running?)`,
          err as Kafka.LibrdKafkaError,
        );
      }
    }
    return offsets;
  });
  return { kind: 'sink', group_id: config.kafka.group_id, reset };
}

async function withGroupConsumer<T>(
  rd: RdConfig,
  groupId: string,
  use: (c: Kafka.KafkaConsumer) => Promise<T>,
): Promise<T> {
  const c = new Kafka.KafkaConsumer(
    { ...rd, 'group.id': groupId, 'enable.auto.commit': false } as Kafka.ConsumerGlobalConfig,
    {},
  );
  await new Promise<void>((resolve, reject) =>
    c.connect({ timeout: TIMEOUT_MS }, (err) =>
      err ? reject(KafkaError.from('KAFKA_CONNECT_FAILED', 'connect to read a sink state', err)) : resolve(),
    ),
  );
  try {
    return await use(c);
  } finally {
    await new Promise<void>((resolve) => c.disconnect(() => resolve()));
  }
}

async function topicPartitions(
  c: Kafka.KafkaConsumer,
  topics: string[],
): Promise<Array<{ topic: string; partition: number }>> {
  const out: Array<{ topic: string; partition: number }> = [];
  for (const topic of topics) {
    const md = await new Promise<Kafka.Metadata>((resolve, reject) =>
      c.getMetadata({ topic, timeout: TIMEOUT_MS }, (err, d) =>
        err ? reject(KafkaError.from('KAFKA_CONSUME_FAILED', `read metadata of ${topic}`, err)) : resolve(d),
      ),
    );
    for (const p of md.topics.find((t) => t.name === topic)?.partitions ?? []) out.push({ topic, partition: p.id });
  }
  return out;
}

async function committedOffsets(
  c: Kafka.KafkaConsumer,
  tps: Array<{ topic: string; partition: number }>,
): Promise<Map<string, number>> {
  if (!tps.length) return new Map();
  const got = await new Promise<Kafka.TopicPartitionOffset[]>((resolve, reject) =>
    c.committed(tps, TIMEOUT_MS, (err, r) =>
      err
        ? reject(KafkaError.from('KAFKA_CONSUME_FAILED', 'read committed offsets', err))
        : resolve(r as Kafka.TopicPartitionOffset[]),
    ),
  );
  return new Map(
    got
      .filter((t) => typeof t.offset === 'number' && t.offset >= 0)
      .map((t) => [`${t.topic}:${t.partition}`, t.offset]),
  );
}

function watermarks(c: Kafka.KafkaConsumer, topic: string, partition: number): Promise<{ low: number; high: number }> {
  return new Promise((resolve, reject) =>
    c.queryWatermarkOffsets(topic, partition, TIMEOUT_MS, (err, w) =>
      err
        ? reject(KafkaError.from('KAFKA_CONSUME_FAILED', `read the watermarks of ${topic}[${partition}]`, err))
        : resolve({ low: w.lowOffset, high: w.highOffset }),
    ),
  );
}
