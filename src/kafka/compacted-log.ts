import type Kafka from 'node-rdkafka';
import type { LibrdKafkaError, Message } from 'node-rdkafka';
import { silentLogger, type Logger } from '../log/logger.js';
import { KafkaAdmin } from './admin.js';
import { assignOnlyReader, type RdConfig } from './client-config.js';
import { KafkaError } from './errors.js';
import type { Delivery, KafkaProducer, OutgoingRecord } from './producer.js';

/** One record of a compacted log: the last value of a key wins, a null value (tombstone) deletes it. */
export interface LogRecord {
  key: string;
  /** The key's bytes as written (an Avro-encoded key is not UTF-8 text). */
  keyBytes: Buffer;
  value: Buffer | null;
  partition: number;
  offset: number;
}

export interface CompactedLogOptions {
  config: RdConfig;
  topic: string;
  /** Called for every record read, in offset order within a partition. Must not throw. */
  onRecord: (record: LogRecord) => void;
  /** Producer for `append`; a log that is only read needs none. */
  producer?: KafkaProducer;
  /** Creates the topic, compacted, when it is missing. Without it a missing topic fails `open` unless `missingIsEmpty`. */
  create?: { partitions: number; replicationFactor: number; cleanupPolicy?: string };
  /** A missing topic reads as empty (a reader that must not create it). */
  missingIsEmpty?: boolean;
  /** Timeout of each Kafka call (connect, metadata, watermarks). Default 30 s. */
  timeoutMs?: number;
  /** How long one `readToEnd` may take before it fails. Default 4 × timeoutMs. */
  readTimeoutMs?: number;
  /** What the log is, for errors and the reader's group id ("idempotency ledger", "source state"). */
  name?: string;
  logger?: Logger;
}

/** The log start and end of a partition when a read started, and how far the reader got. */
export interface PartitionProgress {
  low: number;
  high: number;
  /** The reader's next offset (its fetch position, or where librdkafka reported the partition's end). */
  position?: number;
}

/**
 * Whether the reader has everything a partition held when reading started (`low`/`high`: its
 * log start and end then). A partition with nothing to read is caught up even though the reader
 * has no position in it: one never written to (high 0), or one whose records retention removed
 * (log start at the end).
 */
export function caughtUp(p: PartitionProgress): boolean {
  if (p.high <= 0 || p.low >= p.high) return true;
  return p.position !== undefined && p.position >= p.high;
}

/** librdkafka's RD_KAFKA_OFFSET_BEGINNING. */
const OFFSET_BEGINNING = -2;
const READ_BATCH = 1000;
const READ_WAIT_MS = 100;
/** How long the broker holds the reader's fetch when there is nothing new (see `open`). */
const FETCH_WAIT_MS = 50;

/**
 * A compacted topic read as a table, in the manner of Kafka Connect's `KafkaBasedLog`: `open`
 * creates the topic when asked and reads it to its end; `readToEnd` reads what was written since
 * (up to the end offsets seen when it starts); `tail` keeps reading in the background; `append`
 * resolves once the broker acknowledged the write. The reader assigns every partition itself
 * (no group, nothing committed) and reads committed records only.
 *
 * The end is detected two ways, whichever comes first: the fetch position reaching the end
 * offset, or librdkafka's end-of-partition event (which also counts transaction markers, so a
 * log written inside transactions is never waited on forever). Partitions with nothing to read,
 * including those retention emptied, are caught up at once.
 */
export class CompactedLog {
  private partitions: number[] = [];
  /** The offset at which librdkafka last reported each partition's end. */
  private readonly eofAt = new Map<number, number>();
  private reading: Promise<unknown> = Promise.resolve();
  /** The read waiting for its turn, if any (callers join it). */
  private queued: Promise<number> | undefined;
  private tailing: { stop: boolean; done: Promise<void> } | undefined;
  private closed = false;

  private constructor(
    private readonly options: CompactedLogOptions,
    private readonly reader: Kafka.KafkaConsumer,
    private readonly log: Logger,
  ) {}

  get topic(): string {
    return this.options.topic;
  }

  private get name(): string {
    return this.options.name ?? `compacted log ${this.options.topic}`;
  }

  private get timeoutMs(): number {
    return this.options.timeoutMs ?? 30_000;
  }

  /** Creates the topic if asked and missing, connects the reader and reads the log to its end. */
  static async open(options: CompactedLogOptions): Promise<CompactedLog> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const log = (options.logger ?? silentLogger).child({ component: 'compacted-log', topic: options.topic });
    if (options.create) {
      const admin = KafkaAdmin.create(options.config, { timeoutMs, logger: options.logger });
      try {
        await admin.ensureTopics([
          {
            name: options.topic,
            partitions: options.create.partitions,
            replicationFactor: options.create.replicationFactor,
            config: { 'cleanup.policy': options.create.cleanupPolicy ?? 'compact' },
          },
        ]);
      } finally {
        admin.close();
      }
    }
    const reader = assignOnlyReader('compacted log reader', options.config, 'ashby-kafka-log-reader', {
      // The reader's fetch waits on the broker for new records, and the metadata and end-offset
      // requests of each read queue behind it on the same connection: with the default 500 ms,
      // every read of a log took a second even with nothing to read.
      'fetch.wait.max.ms': FETCH_WAIT_MS,
    });
    const name = options.name ?? `compacted log ${options.topic}`;
    await new Promise<void>((resolve, reject) =>
      reader.connect({ timeout: timeoutMs }, (err) =>
        err ? reject(KafkaError.from('KAFKA_CONNECT_FAILED', `connect the reader of ${name}`, err)) : resolve(),
      ),
    );
    reader.setDefaultConsumeTimeout(READ_WAIT_MS);
    const self = new CompactedLog(options, reader, log);
    reader.on('partition.eof', (eof: { topic: string; partition: number; offset: number }) => {
      if (eof.topic === options.topic) self.eofAt.set(eof.partition, eof.offset);
    });
    try {
      await self.readToEnd();
    } catch (err) {
      await self.close();
      throw err;
    }
    return self;
  }

  /**
   * Reads what was written since the last read, up to the end offsets seen when the read starts
   * (partitions added since are read from their beginning). Reads run one at a time; a call made
   * while a read waits for its turn joins that read, which has not started yet and so covers
   * everything written before the call (many callers, one read). Resolves with how many records
   * were read.
   */
  readToEnd(): Promise<number> {
    if (this.queued) return this.queued;
    const run: Promise<number> = this.reading.then(() => {
      if (this.queued === run) this.queued = undefined;
      return this.read();
    });
    this.queued = run;
    this.reading = run.catch(() => undefined);
    return run;
  }

  /**
   * Keeps reading in the background, every `intervalMs`, until `close` (what another writer
   * appends reaches `onRecord` without anyone calling `readToEnd`). A failed read is passed to
   * `onError` (default: logged) and the next one is tried.
   */
  tail(options: { intervalMs?: number; onError?: (err: Error) => void } = {}): void {
    if (this.tailing || this.closed) return;
    const state = { stop: false, done: Promise.resolve() };
    const interval = options.intervalMs ?? 1000;
    state.done = (async () => {
      while (!state.stop) {
        try {
          await this.readToEnd();
        } catch (err) {
          if (options.onError) options.onError(err as Error);
          else this.log.warn(`tailing ${this.name} failed; trying again`, { err: err as Error });
        }
        await new Promise((resolve) => setTimeout(resolve, interval));
      }
    })();
    this.tailing = state;
  }

  /** The record that writes `value` under `key` (to produce inside a transaction). */
  record(key: string, value: Buffer | null, headers?: Record<string, string>): OutgoingRecord {
    return { topic: this.options.topic, key, value, ...(headers ? { headers } : {}) };
  }

  /** Writes `value` under `key` (null deletes it) and resolves once the broker acknowledged it. */
  async append(key: string, value: Buffer | null, headers?: Record<string, string>): Promise<Delivery> {
    if (!this.options.producer)
      throw new KafkaError(
        'KAFKA_PRODUCE_FAILED',
        `${this.name} has no producer to append with (internal wiring error)`,
      );
    return this.options.producer.send(this.record(key, value, headers));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.tailing) {
      this.tailing.stop = true;
      await this.tailing.done;
    }
    await this.reading;
    await new Promise<void>((resolve) => this.reader.disconnect(() => resolve()));
  }

  private async read(): Promise<number> {
    if (this.closed) throw new KafkaError('KAFKA_CLOSED', `${this.name} is closed`);
    const started = Date.now();
    const readTimeoutMs = this.options.readTimeoutMs ?? this.timeoutMs * 4;
    const partitions = await this.topicPartitions();
    if (partitions.join() !== this.partitions.join()) {
      const known = new Set(this.partitions);
      this.partitions = partitions;
      const added = partitions.filter((p) => !known.has(p));
      if (added.length)
        this.reader.incrementalAssign(
          added.map((partition) => ({ topic: this.topic, partition, offset: OFFSET_BEGINNING })),
        );
    }
    const marks = new Map<number, { low: number; high: number }>();
    for (const partition of partitions) marks.set(partition, await this.watermarks(partition));
    let read = 0;
    for (;;) {
      const behind = this.behind(partitions, marks);
      if (behind.length === 0) break;
      if (Date.now() - started > readTimeoutMs) {
        throw new KafkaError(
          'KAFKA_CONSUME_FAILED',
          `read ${this.name}: still behind after ${readTimeoutMs} ms; check that the brokers are healthy (an open transaction holds read_committed readers back until it ends)`,
          { details: { topic: this.topic, behind, reason: 'read-timeout' } },
        );
      }
      const messages = await new Promise<Message[]>((resolve, reject) =>
        this.reader.consume(READ_BATCH, (err: LibrdKafkaError, msgs: Message[]) =>
          err ? reject(KafkaError.from('KAFKA_CONSUME_FAILED', `read ${this.name}`, err)) : resolve(msgs),
        ),
      );
      for (const m of messages) this.apply(m);
      read += messages.length;
    }
    this.log.debug('read to end', { read, ms: Date.now() - started });
    return read;
  }

  private behind(partitions: number[], marks: Map<number, { low: number; high: number }>): number[] {
    const positions = partitions.length
      ? this.reader.position(partitions.map((partition) => ({ topic: this.topic, partition })))
      : [];
    return partitions.filter((p) => {
      const pos = positions.find((x) => x.partition === p)?.offset;
      const at = Math.max(typeof pos === 'number' && pos >= 0 ? pos : -1, this.eofAt.get(p) ?? -1);
      return !caughtUp({ ...marks.get(p)!, ...(at >= 0 ? { position: at } : {}) });
    });
  }

  private apply(m: Message): void {
    const key =
      m.key === null || m.key === undefined
        ? undefined
        : Buffer.isBuffer(m.key)
          ? m.key.toString('utf8')
          : String(m.key);
    if (!key) return;
    const keyBytes = Buffer.isBuffer(m.key) ? m.key : Buffer.from(key);
    this.options.onRecord({ key, keyBytes, value: m.value ?? null, partition: m.partition, offset: m.offset });
  }

  private topicPartitions(): Promise<number[]> {
    return new Promise((resolve, reject) =>
      this.reader.getMetadata({ topic: this.topic, timeout: this.timeoutMs }, (err, md) => {
        if (err) return reject(KafkaError.from('KAFKA_CONSUME_FAILED', `read the partitions of ${this.name}`, err));
        const t = md.topics.find((x) => x.name === this.topic);
        if (!t || t.partitions.length === 0) {
          if (this.options.missingIsEmpty) return resolve([]);
          return reject(
            new KafkaError('KAFKA_CONSUME_FAILED', `the topic of ${this.name} does not exist`, {
              details: { topic: this.topic },
            }),
          );
        }
        resolve(t.partitions.map((p) => p.id).sort((a, b) => a - b));
      }),
    );
  }

  private watermarks(partition: number): Promise<{ low: number; high: number }> {
    return new Promise((resolve, reject) =>
      this.reader.queryWatermarkOffsets(this.topic, partition, this.timeoutMs, (err, w) =>
        err
          ? reject(KafkaError.from('KAFKA_CONSUME_FAILED', `read the end of ${this.name} [${partition}]`, err))
          : resolve({ low: w.lowOffset, high: w.highOffset }),
      ),
    );
  }
}
