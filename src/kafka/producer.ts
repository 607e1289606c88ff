import Kafka from 'node-rdkafka';
import type {
  LibrdKafkaError,
  DeliveryReport as RdDeliveryReport,
  MessageHeader,
  TopicPartitionOffset,
} from 'node-rdkafka';
import { silentLogger, type Logger } from '../log/logger.js';
import { constructClient, type RdConfig } from './client-config.js';
import { KafkaError, RdCode } from './errors.js';
import type { KafkaConsumer } from './consumer.js';

export interface ProducerOptions {
  /** librdkafka properties from `rdkafkaConfig()`; producer defaults below are applied first. */
  config: RdConfig;
  /** Enables transactions. Must be stable per logical writer so a restarted one fences the old. */
  transactionalId?: string;
  /** Records handed to librdkafka and not yet acknowledged; `send` waits above this. */
  maxInFlight?: number;
  logger?: Logger;
  /** Connect, init-transactions and commit timeouts. */
  timeoutMs?: number;
}

export interface OutgoingRecord {
  topic: string;
  partition?: number;
  key?: Buffer | string | null;
  value: Buffer | null;
  /** Header values travel as UTF-8 text (node-rdkafka does not carry arbitrary bytes in headers). */
  headers?: Record<string, string | Buffer>;
  timestamp?: number;
}

export interface Delivery {
  topic: string;
  partition: number;
  offset: number;
}

/**
 * Called once per record handed to `produce`: with the error, or with null and the delivery
 * once the broker acknowledged the record. Called from the producer's poll (or at once when
 * the record cannot be handed over), so it must not throw.
 */
export type DeliveryCallback = (err: Error | null, delivery?: Delivery) => void;

/** One record handed to librdkafka (its opaque): settled by its delivery report, or by close(). */
class Pending {
  constructor(
    readonly topic: string,
    readonly done: DeliveryCallback,
  ) {}
}

/**
 * node-rdkafka's header list for a record's headers. A frozen headers object (one per page of a
 * source pass, shared by its records) is converted once; it cannot change after that.
 */
const frozenHeaders = new WeakMap<object, MessageHeader[]>();

function rdHeaders(headers: Record<string, string | Buffer>): MessageHeader[] {
  const frozen = Object.isFrozen(headers);
  if (frozen) {
    const cached = frozenHeaders.get(headers);
    if (cached) return cached;
  }
  const out: MessageHeader[] = [];
  for (const k of Object.keys(headers)) out.push({ [k]: headers[k]! });
  if (frozen) frozenHeaders.set(headers, out);
  return out;
}

/** librdkafka producer properties every producer starts from (the pipeline's `kafka` settings win). */
export const PRODUCER_DEFAULTS: Readonly<RdConfig> = {
  'enable.idempotence': true,
  acks: 'all',
  'linger.ms': 5,
  'compression.codec': 'lz4',
  'queue.buffering.max.messages': 100_000,
  'queue.buffering.max.kbytes': 65_536,
};

/** Default of ProducerOptions.maxInFlight. */
export const DEFAULT_MAX_IN_FLIGHT = 10_000;
/** How often librdkafka is polled for delivery reports while records are in flight. */
export const POLL_INTERVAL_MS = 5;
/** Wait before re-offering a record to a full librdkafka queue. */
const QUEUE_FULL_BACKOFF_MS = 5;

/**
 * A producer whose `send` resolves when the broker acknowledged the record (delivery report),
 * with idempotence and acks=all by default. Memory stays bounded: at most `maxInFlight`
 * records are outstanding, and a full librdkafka queue makes `send` wait rather than fail.
 */
export class KafkaProducer {
  private inFlight = 0;
  /** Sends not yet settled, so that close() can fail the ones librdkafka never reported. */
  private readonly unsettled = new Set<Pending>();
  private readonly slotWaiters = new Waiters();
  private fatalError: KafkaError | undefined;
  private closed = false;

  private constructor(
    private readonly producer: Kafka.Producer,
    private readonly maxInFlight: number,
    private readonly timeoutMs: number,
    private readonly log: Logger,
    readonly transactional: boolean,
  ) {}

  static async connect(options: ProducerOptions): Promise<KafkaProducer> {
    const log = options.logger ?? silentLogger;
    const timeoutMs = options.timeoutMs ?? 30_000;
    const rd = constructClient(
      'producer',
      () =>
        new Kafka.Producer({
          ...PRODUCER_DEFAULTS,
          ...options.config,
          ...(options.transactionalId ? { 'transactional.id': options.transactionalId } : {}),
          dr_cb: true,
        } as Kafka.ProducerGlobalConfig),
    );
    const producer = new KafkaProducer(
      rd,
      options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT,
      timeoutMs,
      log,
      Boolean(options.transactionalId),
    );
    rd.on('delivery-report', (err, report) => producer.onDelivery(err, report));
    rd.on('event.error', (err) => producer.onClientError(err));
    await new Promise<void>((resolve, reject) => {
      rd.connect({ timeout: timeoutMs }, (err) =>
        err
          ? reject(
              KafkaError.from(
                'KAFKA_CONNECT_FAILED',
                `connect producer to ${options.config['bootstrap.servers']}`,
                err,
              ),
            )
          : resolve(),
      );
    });
    rd.setPollInterval(POLL_INTERVAL_MS);
    if (options.transactionalId) {
      try {
        await producer.txnCall('init transactions', (cb) => rd.initTransactions(timeoutMs, cb));
      } catch (err) {
        // A connected client keeps the process alive: never leave one behind a failed start.
        rd.setPollInterval(0);
        await new Promise<void>((resolve) => rd.disconnect(timeoutMs, () => resolve()));
        throw err;
      }
    }
    return producer;
  }

  /** Hand one record to Kafka; resolves with its offset once the broker acknowledged it. */
  send(record: OutgoingRecord): Promise<Delivery> {
    return sendWith(this, record);
  }

  /**
   * `send` without a promise, for callers that hand over many records: `done` is called once,
   * when the broker acknowledged the record or it failed. With a free in-flight slot the record
   * goes to librdkafka before this returns (the hot path allocates one small object per record).
   */
  produce(record: OutgoingRecord, done: DeliveryCallback): void {
    if (this.fatalError || this.closed || this.inFlight >= this.maxInFlight) {
      void this.produceWhenFree(record, done);
      return;
    }
    this.inFlight++;
    const pending = new Pending(record.topic, done);
    this.unsettled.add(pending);
    this.offer(record, pending);
  }

  /** `produce` once an in-flight slot is free (or its error, when the producer is unusable). */
  private async produceWhenFree(record: OutgoingRecord, done: DeliveryCallback): Promise<void> {
    try {
      this.assertUsable();
      while (this.inFlight >= this.maxInFlight) await new Promise<void>((r) => this.slotWaiters.add(r));
      this.assertUsable();
    } catch (err) {
      done(err as Error);
      return;
    }
    this.produce(record, done);
  }

  /**
   * The fatal error that made this producer unusable (fenced by a newer instance with the same
   * transactional.id, …), if any. Sends failing because of it carry a vaguer error; this is the cause.
   */
  get fatal(): KafkaError | undefined {
    return this.fatalError;
  }

  /** Records handed over and not yet acknowledged. */
  get pending(): number {
    return this.inFlight;
  }

  async flush(timeoutMs = this.timeoutMs): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.producer.flush(timeoutMs, (err) =>
        err ? reject(KafkaError.from('KAFKA_DELIVERY_FAILED', 'flush producer', err)) : resolve(),
      ),
    );
  }

  async beginTransaction(): Promise<void> {
    await this.txnCall('begin transaction', (cb) => this.producer.beginTransaction(cb));
  }

  /** Make `offsets` (the next offsets to read) part of the open transaction, for consume-transform-produce. */
  async sendOffsetsToTransaction(offsets: TopicPartitionOffset[], consumer: KafkaConsumer): Promise<void> {
    await this.txnCall('send offsets to transaction', (cb) =>
      this.producer.sendOffsetsToTransaction(offsets, consumer.raw, this.timeoutMs, cb),
    );
  }

  async commitTransaction(): Promise<void> {
    await this.txnCall('commit transaction', (cb) => this.producer.commitTransaction(this.timeoutMs, cb));
  }

  async abortTransaction(): Promise<void> {
    await this.txnCall('abort transaction', (cb) => this.producer.abortTransaction(this.timeoutMs, cb));
  }

  /** Flush what is outstanding (unless the producer is fenced or broken), then disconnect. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (!this.fatalError && this.inFlight > 0) await this.flush();
    } finally {
      this.producer.setPollInterval(0);
      await new Promise<void>((resolve) => this.producer.disconnect(this.timeoutMs, () => resolve()));
      // Records librdkafka never reported (flush timed out, or fenced): their callers must not wait forever.
      const left = [...this.unsettled];
      this.unsettled.clear();
      for (const pending of left) {
        settle(
          pending,
          new KafkaError(
            'KAFKA_DELIVERY_FAILED',
            `deliver to ${pending.topic}: the producer closed before the broker acknowledged the record`,
            { retriable: true },
          ),
        );
      }
      this.slotWaiters.wakeAll();
    }
  }

  private offer(record: OutgoingRecord, pending: Pending): void {
    try {
      const headers = record.headers ? rdHeaders(record.headers) : undefined;
      const key = record.key === undefined || record.key === null ? null : record.key;
      this.producer.produce(
        record.topic,
        record.partition ?? null,
        record.value,
        key as Buffer | string | null,
        record.timestamp ?? null,
        pending,
        headers,
      );
    } catch (err) {
      const rd = err as LibrdKafkaError;
      if (rd.code === RdCode.QUEUE_FULL && !this.closed) {
        // librdkafka's own queue is full: wait for deliveries to drain it, then offer again.
        setTimeout(() => this.offer(record, pending), QUEUE_FULL_BACKOFF_MS);
        return;
      }
      this.release();
      this.unsettled.delete(pending);
      settle(
        pending,
        KafkaError.from('KAFKA_PRODUCE_FAILED', `produce to ${record.topic}`, rd, { topic: record.topic }),
      );
    }
  }

  private onDelivery(err: LibrdKafkaError | null, report: RdDeliveryReport): void {
    const pending = report.opaque as Pending | undefined;
    this.release();
    if (!pending) return;
    this.unsettled.delete(pending);
    if (err) {
      settle(
        pending,
        KafkaError.from('KAFKA_DELIVERY_FAILED', `deliver to ${pending.topic}`, err, { topic: pending.topic }),
      );
    } else {
      settle(pending, null, { topic: report.topic, partition: report.partition, offset: report.offset });
    }
  }

  private onClientError(err: LibrdKafkaError): void {
    if (err.isFatal) {
      this.fatalError = KafkaError.from('KAFKA_PRODUCE_FAILED', 'producer failed', err);
      this.log.error('kafka producer hit a fatal error', { err: this.fatalError });
    } else {
      this.log.warn('kafka producer error', { err: KafkaError.from('KAFKA_PRODUCE_FAILED', 'producer', err) });
    }
  }

  private release(): void {
    this.inFlight--;
    this.slotWaiters.wakeOne();
  }

  private assertUsable(): void {
    if (this.fatalError) throw this.fatalError;
    if (this.closed) throw new KafkaError('KAFKA_CLOSED', 'the producer is closed');
  }

  private async txnCall(action: string, call: (cb: (err: LibrdKafkaError) => void) => void): Promise<void> {
    this.assertUsable();
    if (!this.transactional)
      throw new KafkaError('KAFKA_TRANSACTION_FAILED', `${action}: this producer has no transactional id`);
    await new Promise<void>((resolve, reject) =>
      call((err) => {
        if (!err) return resolve();
        const wrapped = KafkaError.from('KAFKA_TRANSACTION_FAILED', action, err);
        if (wrapped.fatal) this.fatalError = wrapped;
        reject(wrapped);
      }),
    );
  }
}

/** `send` built on a `produce(record, done)`: the promise of one record's delivery. */
export function sendWith(
  producer: { produce(record: OutgoingRecord, done: DeliveryCallback): void },
  record: OutgoingRecord,
): Promise<Delivery> {
  return new Promise<Delivery>((resolve, reject) =>
    producer.produce(record, (err, delivery) => (err ? reject(err) : resolve(delivery!))),
  );
}

/** Calls a record's callback; one that throws cannot break the producer's poll or the other records. */
function settle(pending: Pending, err: Error | null, delivery?: Delivery): void {
  try {
    pending.done(err, delivery);
  } catch (thrown) {
    queueMicrotask(() => {
      throw thrown;
    });
  }
}

/**
 * Sends waiting for an in-flight slot, first come first served. A shared producer can have
 * thousands waiting, and every delivery wakes one: `Array.shift` would copy the rest each time.
 */
class Waiters {
  private items: Array<(() => void) | undefined> = [];
  private head = 0;

  add(wake: () => void): void {
    this.items.push(wake);
  }

  wakeOne(): void {
    if (this.head === this.items.length) return;
    const wake = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    wake!();
  }

  wakeAll(): void {
    const all = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    for (const wake of all) wake!();
  }
}
