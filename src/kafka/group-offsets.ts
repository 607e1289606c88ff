import Kafka from 'node-rdkafka';
import type { RdConfig } from './client-config.js';
import { KafkaError } from './errors.js';

/**
 * A consumer group's committed offsets, read or moved from outside the group (service mode's
 * GET/DELETE /pipelines/{name}/state for a sink). A short-lived consumer of the group that never
 * subscribes, so it does not join the group or trigger a rebalance.
 */
export interface GroupPartitionLag {
  topic: string;
  partition: number;
  /** The group's committed offset, or null when it has none. */
  committed: number | null;
  /** The partition's end offset (high watermark). */
  end: number;
  /** Messages after the committed offset (after the start of the partition when none is committed). */
  lag: number;
}

export interface GroupOffsetsOptions {
  rd: RdConfig;
  groupId: string;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;

/** Committed offset, end offset and lag of every partition of `topics` for the group. */
export async function readGroupLag(o: GroupOffsetsOptions, topics: string[]): Promise<GroupPartitionLag[]> {
  const timeout = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return withGroupConsumer(o, async (c) => {
    const tps = await topicPartitions(c, topics, timeout);
    const committed = await committedOffsets(c, tps, timeout);
    return Promise.all(
      tps.map(async (tp) => {
        const w = await watermarks(c, tp.topic, tp.partition, timeout);
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
}

/**
 * Commits the start of every partition of `topics` for the group (every message is delivered
 * again). Fails with KAFKA_COMMIT_FAILED while a member of the group is running.
 */
export async function resetGroupToStart(
  o: GroupOffsetsOptions,
  topics: string[],
): Promise<Array<{ topic: string; partition: number; offset: number }>> {
  const timeout = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return withGroupConsumer(o, async (c) => {
    const tps = await topicPartitions(c, topics, timeout);
    const offsets = await Promise.all(
      tps.map(async (tp) => ({ ...tp, offset: (await watermarks(c, tp.topic, tp.partition, timeout)).low })),
    );
    if (offsets.length) {
      try {
        c.commitSync(offsets);
      } catch (err) {
        throw KafkaError.from(
          'KAFKA_COMMIT_FAILED',
          `reset the offsets of group ${o.groupId} (is a member of this group still running?)`,
          err as Kafka.LibrdKafkaError,
        );
      }
    }
    return offsets;
  });
}

async function withGroupConsumer<T>(o: GroupOffsetsOptions, use: (c: Kafka.KafkaConsumer) => Promise<T>): Promise<T> {
  const c = new Kafka.KafkaConsumer(
    { ...o.rd, 'group.id': o.groupId, 'enable.auto.commit': false } as Kafka.ConsumerGlobalConfig,
    {},
  );
  await new Promise<void>((resolve, reject) =>
    c.connect({ timeout: o.timeoutMs ?? DEFAULT_TIMEOUT_MS }, (err) =>
      err
        ? reject(KafkaError.from('KAFKA_CONNECT_FAILED', `connect to read the offsets of group ${o.groupId}`, err))
        : resolve(),
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
  timeout: number,
): Promise<Array<{ topic: string; partition: number }>> {
  const out: Array<{ topic: string; partition: number }> = [];
  for (const topic of topics) {
    const md = await new Promise<Kafka.Metadata>((resolve, reject) =>
      c.getMetadata({ topic, timeout }, (err, d) =>
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
  timeout: number,
): Promise<Map<string, number>> {
  if (!tps.length) return new Map();
  const got = await new Promise<Kafka.TopicPartitionOffset[]>((resolve, reject) =>
    c.committed(tps, timeout, (err, r) =>
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

function watermarks(
  c: Kafka.KafkaConsumer,
  topic: string,
  partition: number,
  timeout: number,
): Promise<{ low: number; high: number }> {
  return new Promise((resolve, reject) =>
    c.queryWatermarkOffsets(topic, partition, timeout, (err, w) =>
      err
        ? reject(KafkaError.from('KAFKA_CONSUME_FAILED', `read the watermarks of ${topic}[${partition}]`, err))
        : resolve({ low: w.lowOffset, high: w.highOffset }),
    ),
  );
}
