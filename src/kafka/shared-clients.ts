import { silentLogger, type Logger } from '../log/logger.js';
import { KafkaAdmin, type TopicSpec } from './admin.js';
import type { RdConfig } from './client-config.js';
import { CompactedLog } from './compacted-log.js';
import { KafkaError } from './errors.js';
import { KafkaProducer, sendWith, type Delivery, type DeliveryCallback, type OutgoingRecord } from './producer.js';

/**
 * Kafka clients that many pipelines of one process share (service mode: one worker runs many
 * pipelines). Each librdkafka client has its own threads, connections and buffers, so one
 * producer, one admin client and one reader per compacted topic serve every pipeline that talks
 * to the same cluster in the same way, instead of one of each per pipeline.
 *
 * Pipelines whose configs differ only in how they name themselves (`client.id`, `group.id`,
 * session and transaction timeouts, `transactional.id`) share one set; any other difference
 * (another cluster, other security or producer settings) gets a set of its own.
 *
 * What is never shared: transactional producers (each needs its own `transactional.id`, so
 * that a zombie is fenced) and consumers in a group (a sink's offsets are its own).
 */
export class KafkaResources {
  private readonly sets = new Map<string, SharedClients>();
  private closed = false;

  constructor(private readonly options: { logger?: Logger; timeoutMs?: number } = {}) {}

  /** The shared clients for a pipeline whose librdkafka config is `rd`. */
  clients(rd: RdConfig): SharedClients {
    if (this.closed) throw new KafkaError('KAFKA_CLOSED', 'the shared Kafka clients are closed');
    const key = sharingKey(rd);
    let set = this.sets.get(key);
    if (!set) {
      set = new SharedClients(sharedConfig(rd), this.options.logger ?? silentLogger, this.options.timeoutMs ?? 30_000);
      this.sets.set(key, set);
    }
    return set;
  }

  /** Records sent through the shared producers and not yet acknowledged or failed (waiting for a slot included). */
  get pendingRecords(): number {
    let n = 0;
    for (const set of this.sets.values()) n += set.pendingRecords;
    return n;
  }

  /** Closes every shared client (after the pipelines that used them stopped). */
  async close(): Promise<void> {
    this.closed = true;
    const sets = [...this.sets.values()];
    this.sets.clear();
    await Promise.all(sets.map((s) => s.close()));
  }
}

/**
 * Records the shared producer holds before a send waits for a slot. Its pipelines bound their
 * own records (serve keeps each stream to a few pages), and waiting here costs a suspended call
 * per record, so this is only the safety net: half of librdkafka's own queue
 * (`queue.buffering.max.messages`, PRODUCER_DEFAULTS).
 */
export const SHARED_PRODUCER_MAX_IN_FLIGHT = 50_000;

/** librdkafka properties that name a client, not how it talks to the cluster. */
const IDENTITY_KEYS = new Set([
  'client.id',
  'group.id',
  'group.instance.id',
  'session.timeout.ms',
  'transaction.timeout.ms',
  'transactional.id',
]);

function sharedConfig(rd: RdConfig): RdConfig {
  return Object.fromEntries(Object.entries(rd).filter(([k]) => !IDENTITY_KEYS.has(k))) as RdConfig;
}

/** Configs with the same key may share clients. */
export function sharingKey(rd: RdConfig): string {
  return JSON.stringify(Object.entries(sharedConfig(rd)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The clients one group of compatible pipelines shares; made on first use. */
export class SharedClients {
  private producerPromise: Promise<KafkaProducer> | undefined;
  private admin: KafkaAdmin | undefined;
  private readonly ensuring = new Map<string, Promise<void>>();
  private readonly views = new Map<string, Promise<CompactedView>>();
  /** Records sent through this set's leases and not yet settled. */
  pendingRecords = 0;

  constructor(
    private readonly rd: RdConfig,
    private readonly log: Logger,
    private readonly timeoutMs: number,
  ) {}

  /**
   * A lease on the shared at-least-once producer: its `send` is the producer's, and its `close`
   * waits for this lease's own records only (the producer stays open for the others). A
   * producer that hit a fatal error is replaced for the leases taken after it.
   */
  async lease(): Promise<ProducerLease> {
    return new ProducerLease(await this.producer(), this.timeoutMs, (delta) => (this.pendingRecords += delta));
  }

  private async producer(): Promise<KafkaProducer> {
    const current = this.producerPromise;
    if (current) {
      const p = await current.catch(() => undefined);
      if (p && !p.fatal) return p;
      if (this.producerPromise === current) {
        this.producerPromise = undefined;
        if (p) {
          this.log.warn('replacing the shared producer after a fatal error', { err: p.fatal });
          void p.close().catch(() => undefined);
        }
      }
      if (this.producerPromise) return this.producerPromise;
    }
    const next = KafkaProducer.connect({
      config: this.rd,
      logger: this.log,
      timeoutMs: this.timeoutMs,
      maxInFlight: SHARED_PRODUCER_MAX_IN_FLIGHT,
    });
    this.producerPromise = next;
    next.catch(() => {
      if (this.producerPromise === next) this.producerPromise = undefined;
    });
    return next;
  }

  /**
   * Creates the topics that are missing, with one admin client. Pipelines asking for the same
   * topic at the same time share one check; nothing is remembered after it (callers cache what
   * they need to, so a pipeline that restarts checks again).
   */
  async ensureTopics(specs: TopicSpec[]): Promise<void> {
    await Promise.all(
      specs.map((spec) => {
        let p = this.ensuring.get(spec.name);
        if (!p) {
          p = (this.admin ??= KafkaAdmin.create(this.rd, { timeoutMs: this.timeoutMs, logger: this.log }))
            .ensureTopics([spec])
            .then(() => undefined);
          const settled = p;
          this.ensuring.set(spec.name, settled);
          void settled.then(
            () => this.ensuring.delete(spec.name),
            () => this.ensuring.delete(spec.name),
          );
        }
        return p;
      }),
    );
  }

  /** One reader of a compacted topic (read_committed), kept open and read to its end on demand. */
  view(topic: string, name: string): Promise<CompactedView> {
    let v = this.views.get(topic);
    if (!v) {
      v = CompactedView.open(this.rd, topic, name, this.log, this.timeoutMs);
      this.views.set(topic, v);
      v.catch(() => this.views.delete(topic));
    }
    return v;
  }

  async close(): Promise<void> {
    this.admin?.close();
    this.admin = undefined;
    const views = [...this.views.values()];
    this.views.clear();
    for (const v of views) await (await v.catch(() => undefined))?.close();
    const producer = this.producerPromise;
    this.producerPromise = undefined;
    if (producer) await (await producer.catch(() => undefined))?.close();
  }
}

/**
 * One pipeline's use of the shared producer. Sends are counted so that `close` (the pipeline
 * stopping) waits until this pipeline's records are acknowledged or failed, without flushing or
 * closing the producer under the other pipelines. Transactions need a producer of their own.
 */
export class ProducerLease {
  private outstanding = 0;
  private readonly drained: Array<() => void> = [];
  private closed = false;

  constructor(
    private readonly producer: KafkaProducer,
    private readonly timeoutMs: number,
    private readonly count: (delta: number) => void = () => undefined,
  ) {}

  get fatal(): KafkaError | undefined {
    return this.producer.fatal;
  }

  /** This lease's records handed over and not yet acknowledged. */
  get pending(): number {
    return this.outstanding;
  }

  send(record: OutgoingRecord): Promise<Delivery> {
    return sendWith(this, record);
  }

  /** The producer's `produce`, counted for this lease. */
  produce(record: OutgoingRecord, done: DeliveryCallback): void {
    if (this.closed) {
      done(new KafkaError('KAFKA_CLOSED', 'the producer is closed'));
      return;
    }
    this.outstanding++;
    this.count(1);
    this.producer.produce(record, (err, delivery) => {
      this.outstanding--;
      this.count(-1);
      if (this.outstanding === 0) for (const wake of this.drained.splice(0)) wake();
      done(err, delivery);
    });
  }

  beginTransaction(): Promise<void> {
    return this.noTransactions('begin transaction');
  }

  commitTransaction(): Promise<void> {
    return this.noTransactions('commit transaction');
  }

  abortTransaction(): Promise<void> {
    return this.noTransactions('abort transaction');
  }

  /**
   * Waits (at most the producer's timeout) until every record sent through this lease is
   * acknowledged or failed; the shared producer stays open. Records still unreported after the
   * timeout settle later, when librdkafka reports them (within its `message.timeout.ms`).
   */
  async close(): Promise<void> {
    this.closed = true;
    if (this.outstanding === 0 || this.producer.fatal) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => this.drained.push(resolve)),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, this.timeoutMs))),
    ]);
    clearTimeout(timer);
  }

  private async noTransactions(action: string): Promise<void> {
    throw new KafkaError('KAFKA_TRANSACTION_FAILED', `${action}: the shared producer has no transactional id`);
  }
}

/**
 * A compacted topic's latest value per key, from one reader that stays connected: `read` first
 * catches up with everything written before the call (read_committed), so callers see what they
 * would have seen by reading the topic from its beginning, without a client per read.
 */
export class CompactedView {
  private readonly latest = new Map<string, Buffer>();

  private constructor(private log: CompactedLog | undefined) {}

  static async open(
    rd: RdConfig,
    topic: string,
    name: string,
    logger: Logger,
    timeoutMs: number,
  ): Promise<CompactedView> {
    const view = new CompactedView(undefined);
    view.log = await CompactedLog.open({
      config: rd,
      topic,
      name,
      missingIsEmpty: true,
      timeoutMs,
      readTimeoutMs: timeoutMs,
      logger,
      onRecord: (r) => {
        if (r.value) view.latest.set(r.key, r.value);
        else view.latest.delete(r.key);
      },
    });
    return view;
  }

  /** The latest value of each of `keys` that has one, after reading the topic to its end. */
  async read(keys: readonly string[]): Promise<Map<string, Buffer>> {
    if (!this.log) throw new KafkaError('KAFKA_CLOSED', 'the compacted view is closed');
    await this.log.readToEnd();
    const out = new Map<string, Buffer>();
    for (const k of keys) {
      const v = this.latest.get(k);
      if (v) out.set(k, v);
    }
    return out;
  }

  async close(): Promise<void> {
    const log = this.log;
    this.log = undefined;
    await log?.close();
  }
}
