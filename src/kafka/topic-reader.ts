import type { LibrdKafkaError, Message } from 'node-rdkafka';
import { assignOnlyReader, type RdConfig } from './client-config.js';
import { KafkaError } from './errors.js';
import type { ConsumedMessage } from './consumer.js';

/**
 * Reads a window of a topic without a group: the last `limit` records of each partition (or
 * those from `from` on), with their headers. For browsing a topic that is not a table (the
 * sink's dead letters); nothing is committed, and the topic is never created.
 */
export interface TopicWindowOptions {
  rd: RdConfig;
  topic: string;
  /** At most this many records per partition. */
  limit: number;
  /** Start here in every partition (clamped to the log start); default: the last `limit`. */
  from?: number;
  timeoutMs?: number;
}

const READ_WAIT_MS = 100;

export async function readTopicWindow(o: TopicWindowOptions): Promise<ConsumedMessage[]> {
  const timeoutMs = o.timeoutMs ?? 15_000;
  const reader = assignOnlyReader('topic reader', o.rd, 'ashby-kafka-topic-reader');
  const what = `read topic ${o.topic}`;
  await new Promise<void>((resolve, reject) =>
    reader.connect({ timeout: timeoutMs }, (err) =>
      err ? reject(KafkaError.from('KAFKA_CONNECT_FAILED', what, err)) : resolve(),
    ),
  );
  try {
    reader.setDefaultConsumeTimeout(READ_WAIT_MS);
    const partitions = await new Promise<number[]>((resolve, reject) =>
      reader.getMetadata({ topic: o.topic, timeout: timeoutMs }, (err, md) =>
        err
          ? reject(KafkaError.from('KAFKA_CONSUME_FAILED', what, err))
          : resolve(md.topics.find((t) => t.name === o.topic)?.partitions.map((p) => p.id) ?? []),
      ),
    );
    const ranges = new Map<number, { start: number; end: number }>();
    for (const partition of partitions) {
      const w = await new Promise<{ lowOffset: number; highOffset: number }>((resolve, reject) =>
        reader.queryWatermarkOffsets(o.topic, partition, timeoutMs, (err, marks) =>
          err ? reject(KafkaError.from('KAFKA_CONSUME_FAILED', what, err)) : resolve(marks),
        ),
      );
      const start = Math.max(w.lowOffset, o.from ?? w.highOffset - o.limit);
      const end = Math.min(w.highOffset, start + o.limit);
      if (start < end) ranges.set(partition, { start, end });
    }
    if (ranges.size === 0) return [];
    const done = new Set<number>();
    reader.on('partition.eof', (eof: { partition: number; offset: number }) => {
      if (eof.offset >= ranges.get(eof.partition)!.end) done.add(eof.partition);
    });
    reader.assign([...ranges].map(([partition, r]) => ({ topic: o.topic, partition, offset: r.start })));
    const out: ConsumedMessage[] = [];
    const started = Date.now();
    while (done.size < ranges.size) {
      if (Date.now() - started > timeoutMs)
        throw new KafkaError(
          'KAFKA_CONSUME_FAILED',
          `${what}: not read within ${timeoutMs} ms; check that the brokers are reachable and not overloaded, then try again`,
          {
            details: { topic: o.topic, reason: 'read-timeout' },
          },
        );
      const batch = await new Promise<Message[]>((resolve, reject) =>
        reader.consume(500, (err: LibrdKafkaError, msgs: Message[]) =>
          err ? reject(KafkaError.from('KAFKA_CONSUME_FAILED', what, err)) : resolve(msgs),
        ),
      );
      for (const m of batch) {
        const r = ranges.get(m.partition)!;
        if (m.offset >= r.end) {
          done.add(m.partition);
          continue;
        }
        if (m.offset === r.end - 1) done.add(m.partition);
        const headers: Record<string, Buffer> = {};
        for (const h of m.headers ?? [])
          for (const [k, v] of Object.entries(h)) headers[k] = Buffer.isBuffer(v) ? v : Buffer.from(String(v));
        out.push({
          topic: m.topic,
          partition: m.partition,
          offset: m.offset,
          key: m.key === null || m.key === undefined ? null : Buffer.isBuffer(m.key) ? m.key : Buffer.from(m.key),
          value: m.value ?? null,
          headers,
          timestamp: m.timestamp,
        });
      }
    }
    return out;
  } finally {
    await new Promise<void>((resolve) => reader.disconnect(() => resolve()));
  }
}
