import { randomUUID } from 'node:crypto';
import type { Contract, Serde } from '../avro/index.js';
import { KafkaAdmin, KafkaConsumer, type ConsumedMessage, type RdConfig } from '../kafka/index.js';
import { silentLogger, type Logger } from '../log/logger.js';

/**
 * Reads stream topics back from Kafka, the way a data engineer's consumer would: every
 * committed record (`read_committed`), counted per topic, with distinct keys (what a compacted
 * topic converges to) and one record decoded through the same registry. Used by `ashby-kafka
 * inspect` and the demo. It joins no real consumer group: offsets are never committed.
 */

export interface TopicCount {
  stream: string;
  topic: string;
  records: number;
  distinctKeys: number;
}

export interface DecodedSample {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  headers: Record<string, string>;
  value: unknown;
}

export interface CensusOptions {
  rd: RdConfig;
  serde: Serde;
  contract: Contract;
  /** `<topic_prefix><stream>` topics are read; streams with no topic are left out. */
  topicPrefix: string;
  /** Only these streams (default: every stream of the contract). */
  streams?: string[];
  /** Decode the first record of this stream, if any. */
  sampleStream?: string;
  /** Count only records at or after this offset per partition (e.g. the end offsets before an incremental pass). */
  after?: Map<string, number>;
  logger?: Logger;
  /** Gives up waiting for more records after this long with nothing new (default 3000 ms). */
  idleMs?: number;
}

export interface Census {
  counts: TopicCount[];
  sample?: DecodedSample;
}

/** End offsets (high watermarks) per `topic:partition` of the given topics that exist. */
export async function endOffsets(rd: RdConfig, topics: string[]): Promise<Map<string, number>> {
  const partitions = await partitionsOf(rd, topics);
  const out = new Map<string, number>();
  if (partitions.length === 0) return out;
  const consumer = await KafkaConsumer.connect({
    config: rd,
    groupId: `ashby-kafka-inspect-${randomUUID()}`,
    topics: [...new Set(partitions.map((p) => p.topic))],
  });
  try {
    for (const e of await consumer.endOffsets(partitions)) out.set(`${e.topic}:${e.partition}`, e.offset);
  } finally {
    await consumer.close();
  }
  return out;
}

async function partitionsOf(rd: RdConfig, topics: string[]): Promise<Array<{ topic: string; partition: number }>> {
  const admin = KafkaAdmin.create(rd);
  try {
    const meta = await admin.metadata();
    return meta.topics
      .filter((t) => topics.includes(t.name))
      .flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.id })));
  } finally {
    admin.close();
  }
}

export async function topicCensus(options: CensusOptions): Promise<Census> {
  const log = options.logger ?? silentLogger;
  const streams = options.streams ?? options.contract.streams();
  const existing = new Set(
    (
      await partitionsOf(
        options.rd,
        streams.map((s) => `${options.topicPrefix}${s}`),
      )
    ).map((p) => p.topic),
  );
  const byTopic = new Map<string, { stream: string; records: number; keys: Set<string> }>();
  for (const stream of streams) {
    const topic = `${options.topicPrefix}${stream}`;
    if (existing.has(topic)) byTopic.set(topic, { stream, records: 0, keys: new Set() });
  }
  if (byTopic.size === 0) return { counts: [] };

  const ends = await endOffsets(options.rd, [...byTopic.keys()]);
  const remaining = new Map([...ends].filter(([tp, end]) => end > (options.after?.get(tp) ?? 0)));
  const consumer = await KafkaConsumer.connect({
    config: options.rd,
    groupId: `ashby-kafka-inspect-${randomUUID()}`,
    topics: [...byTopic.keys()],
    logger: log,
  });
  let sampleMessage: ConsumedMessage | undefined;
  try {
    const idleMs = options.idleMs ?? 3000;
    let idleSince = Date.now();
    // Transaction markers take offsets too, so "caught up" is either the last data offset
    // reaching the end or nothing new arriving for idleMs.
    while (remaining.size > 0 && Date.now() - idleSince < idleMs) {
      const batch = await consumer.consume(500, 200);
      if (batch.length) idleSince = Date.now();
      for (const m of batch) {
        const tp = `${m.topic}:${m.partition}`;
        const end = ends.get(tp) ?? 0;
        if (m.offset + 1 >= end) remaining.delete(tp);
        if (m.offset < (options.after?.get(tp) ?? 0) || m.offset >= end) continue;
        const entry = byTopic.get(m.topic);
        if (!entry) continue;
        entry.records += 1;
        if (m.key) entry.keys.add(m.key.toString('base64'));
        if (!sampleMessage && entry.stream === options.sampleStream && m.value) sampleMessage = m;
      }
    }
  } finally {
    await consumer.close();
  }

  const counts = [...byTopic].map(([topic, e]) => ({
    stream: e.stream,
    topic,
    records: e.records,
    distinctKeys: e.keys.size,
  }));
  if (!sampleMessage?.value) return { counts };
  const m = sampleMessage;
  const value = await options.serde.decodeValue(m.topic, m.value!);
  return {
    counts,
    sample: {
      topic: m.topic,
      partition: m.partition,
      offset: m.offset,
      key: m.key ? m.key.toString('utf8') : null,
      headers: Object.fromEntries(Object.entries(m.headers).map(([k, v]) => [k, v.toString('utf8')])),
      value,
    },
  };
}
