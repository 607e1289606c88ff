import Kafka from 'node-rdkafka';
import { KafkaAdmin, KafkaError, KafkaProducer, type RdConfig } from '../../kafka/index.js';
import { silentLogger, type Logger } from '../../log/logger.js';

/**
 * A one-partition compacted topic read to its end and then tailed (Kafka Connect's
 * KafkaBasedLog): every worker holds the whole topic as a map, and `readToEnd` gives
 * read-your-writes across workers. The service's config, status and credential stores stand on it.
 *
 * Interim: replace with src/kafka/compacted-log.ts once that primitive lands on main.
 */
export interface TopicLogOptions {
  rd: RdConfig;
  topic: string;
  replicationFactor: number;
  logger?: Logger;
  /** Called for every record in offset order, at start (replay) and while tailing; must not throw. */
  onRecord: (key: string, value: Buffer | null) => void;
  timeoutMs?: number;
}

const OFFSET_BEGINNING = -2;
const POLL_WAIT_MS = 100;

export class TopicLog {
  private consumer: Kafka.KafkaConsumer | undefined;
  private producer: KafkaProducer | undefined;
  /** Next offset to read. */
  private position = 0;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private waiters: Array<{ offset: number; resolve: () => void }> = [];
  private readonly log: Logger;
  private readonly timeoutMs: number;

  constructor(private readonly options: TopicLogOptions) {
    this.log = (options.logger ?? silentLogger).child({ topic: options.topic });
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  get topic(): string {
    return this.options.topic;
  }

  /** Creates the topic when missing, replays it to its end, then keeps tailing it. */
  async start(): Promise<void> {
    const admin = KafkaAdmin.create(this.options.rd, { logger: this.log });
    try {
      await admin.ensureTopics([{ name: this.options.topic, partitions: 1, replicationFactor: this.options.replicationFactor, config: { 'cleanup.policy': 'compact' } }]);
    } finally {
      admin.close();
    }
    this.producer = await KafkaProducer.connect({ config: { ...this.options.rd, 'linger.ms': 0 }, logger: this.log });
    const consumer = new Kafka.KafkaConsumer(
      { ...this.options.rd, 'group.id': `ashby-kafka-log-${process.pid}-${Date.now()}`, 'enable.auto.commit': false, 'isolation.level': 'read_committed' } as Kafka.ConsumerGlobalConfig,
      {},
    );
    await new Promise<void>((resolve, reject) =>
      consumer.connect({ timeout: this.timeoutMs }, (err) => (err ? reject(KafkaError.from('KAFKA_CONNECT_FAILED', `connect to read ${this.options.topic}`, err)) : resolve())),
    );
    this.consumer = consumer;
    consumer.assign([{ topic: this.options.topic, partition: 0, offset: OFFSET_BEGINNING }]);
    consumer.setDefaultConsumeTimeout(POLL_WAIT_MS);
    this.loop = this.tail();
    await this.readToEnd();
  }

  /** Resolves once every record written before the call has been applied (read-your-writes). */
  async readToEnd(): Promise<void> {
    const end = await this.endOffset();
    if (this.position >= end) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new KafkaError('KAFKA_CONSUME_FAILED', `reading ${this.options.topic} did not reach offset ${end} within ${this.timeoutMs} ms; check the brokers`)), this.timeoutMs);
      this.waiters.push({ offset: end, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  /** Appends one record (null: a tombstone) and waits until this worker has read it back. */
  async send(key: string, value: Buffer | null): Promise<void> {
    if (!this.producer) throw new KafkaError('KAFKA_CLOSED', `the log of ${this.options.topic} is not started`);
    const d = await this.producer.send({ topic: this.options.topic, key, value });
    await this.waitFor(d.offset + 1);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop?.catch(() => undefined);
    await this.producer?.close().catch(() => undefined);
    if (this.consumer) await new Promise<void>((resolve) => this.consumer!.disconnect(() => resolve()));
  }

  private waitFor(offset: number): Promise<void> {
    if (this.position >= offset) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ offset, resolve }));
  }

  private endOffset(): Promise<number> {
    return new Promise((resolve, reject) =>
      this.consumer!.queryWatermarkOffsets(this.options.topic, 0, this.timeoutMs, (err, w) =>
        err ? reject(KafkaError.from('KAFKA_CONSUME_FAILED', `read the end offset of ${this.options.topic}`, err)) : resolve(w.highOffset),
      ),
    );
  }

  private async tail(): Promise<void> {
    while (!this.stopped) {
      let messages: Kafka.Message[];
      try {
        messages = await new Promise<Kafka.Message[]>((resolve, reject) => this.consumer!.consume(500, (err, m) => (err ? reject(err) : resolve(m))));
      } catch (err) {
        this.log.warn('reading the log failed; retrying', { err: err as Error });
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      for (const m of messages) {
        const key = m.key === undefined || m.key === null ? '' : m.key.toString();
        try {
          this.options.onRecord(key, m.value ?? null);
        } catch (err) {
          this.log.error('a log record could not be applied; skipped', { key, offset: m.offset, err: err as Error });
        }
        this.position = m.offset + 1;
      }
      if (messages.length === 0 && this.waiters.length) {
        // Transaction markers and compacted gaps move the end without a record: trust the fetch position.
        const pos = this.consumer!.position([{ topic: this.options.topic, partition: 0 }])[0]?.offset;
        if (typeof pos === 'number' && pos > this.position) this.position = pos;
      }
      if (this.waiters.length) {
        const ready = this.waiters.filter((w) => w.offset <= this.position);
        this.waiters = this.waiters.filter((w) => w.offset > this.position);
        for (const w of ready) w.resolve();
      }
    }
  }
}
