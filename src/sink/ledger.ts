import { createHash, randomUUID } from 'node:crypto';
import Kafka from 'node-rdkafka';
import type { LibrdKafkaError, Message } from 'node-rdkafka';
import type { RdConfig } from '../kafka/client-config.js';
import { KafkaError } from '../kafka/errors.js';
import type { KafkaProducer } from '../kafka/producer.js';
import { silentLogger, type Logger } from '../log/logger.js';
import type { Progress } from './plan-executor.js';

/**
 * The idempotency ledger: a compacted Kafka topic mapping each command's identity to what the
 * sink did with it. It is what makes the sink exactly-once in effect:
 * - before a step that cannot be repeated (a create), the intent is written (`started`), so a
 *   crash or rebalance leaves a trace that the next owner settles by lookup instead of creating
 *   again;
 * - after the command, its outcome is written (`done` or `dead_lettered`) before the offset is
 *   committed, so a redelivery is recognised and skipped.
 * Every write waits for the broker's acknowledgement. The whole topic is read at start and again
 * (incrementally) after every partition assignment, before any message of the new partitions runs.
 */
export type LedgerState = 'started' | 'done' | 'dead_lettered';

export interface LedgerEntry {
  state: LedgerState;
  entity: string;
  operation: string;
  source: { topic: string; partition: number; offset: number };
  progress?: Progress;
  outcome?: { ashbyId?: string; action: string; requestId?: string };
  error?: { code: string; message: string };
  /** How many times the command was started (redeliveries after a crash count). */
  attempts?: number;
  /** Which sink process wrote it, and when (ISO). */
  owner: string;
  at: string;
}

/**
 * A command's identity. With an idempotencyKey: once per (entity, idempotencyKey), as the command
 * schemas promise, so a producer resending the same command is recognised too. Without: the
 * message's position plus a hash of its bytes (the hash tells a recreated topic's new message at
 * a reused offset from the old one). A content hash alone would wrongly merge two legitimately
 * equal commands (set a job Open, Closed, then Open again).
 */
export function commandIdentity(
  entity: string,
  idempotencyKey: string | undefined,
  msg: { topic: string; partition: number; offset: number; key: Buffer | null; value: Buffer | null },
): string {
  if (idempotencyKey) return `${entity}/key/${idempotencyKey}`;
  const hash = createHash('sha256');
  hash.update(msg.key ?? Buffer.alloc(0));
  hash.update('\u0000');
  hash.update(msg.value ?? Buffer.alloc(0));
  return `${entity}/at/${msg.topic}/${msg.partition}/${msg.offset}/${hash.digest('hex').slice(0, 16)}`;
}

/**
 * Whether the reader has everything a ledger partition held when reading started (`low`/`high`:
 * its log start and end then). A partition with nothing to read is caught up even though the
 * reader has no position in it: one never written to (high 0), or one whose records retention
 * removed (log start at the end).
 */
export function caughtUp(p: { low: number; high: number; position?: number }): boolean {
  if (p.high <= 0 || p.low >= p.high) return true;
  return p.position !== undefined && p.position >= p.high;
}

/** The message position a position-based identity names (`<entity>/at/<topic>/<partition>/<offset>/<hash>`); undefined for an idempotencyKey. */
export function identityPosition(id: string): { topic: string; partition: number; offset: number } | undefined {
  const parts = id.split('/');
  // Kafka topic names cannot contain '/', so a position identity has exactly six parts.
  if (parts.length !== 6 || parts[1] !== 'at') return undefined;
  const partition = Number(parts[3]);
  const offset = Number(parts[4]);
  if (!Number.isInteger(partition) || !Number.isInteger(offset)) return undefined;
  return { topic: parts[2]!, partition, offset };
}

const READ_BATCH = 1000;
/** librdkafka's RD_KAFKA_OFFSET_BEGINNING. */
const OFFSET_BEGINNING = -2;
const READ_WAIT_MS = 100;

export class Ledger {
  readonly owner = randomUUID();
  private readonly entries = new Map<string, LedgerEntry>();
  private partitions: number[] = [];
  private reading: Promise<void> = Promise.resolve();

  private constructor(
    private readonly topic: string,
    private readonly producer: KafkaProducer,
    private readonly reader: Kafka.KafkaConsumer,
    private readonly timeoutMs: number,
    private readonly log: Logger,
  ) {}

  /** Connects a group-less reader over every partition of `topic` and reads it to the end. */
  static async open(options: { config: RdConfig; topic: string; producer: KafkaProducer; logger?: Logger; timeoutMs?: number }): Promise<Ledger> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const reader = new Kafka.KafkaConsumer(
      {
        ...options.config,
        // librdkafka wants a group id even for assign(); nothing is ever committed under it.
        'group.id': `ashby-kafka-ledger-reader-${randomUUID()}`,
        'enable.auto.commit': false,
        'enable.auto.offset.store': false,
        'isolation.level': 'read_committed',
      } as Kafka.ConsumerGlobalConfig,
      { 'auto.offset.reset': 'earliest' },
    );
    await new Promise<void>((resolve, reject) =>
      reader.connect({ timeout: timeoutMs }, (err) => (err ? reject(KafkaError.from('KAFKA_CONNECT_FAILED', 'connect the ledger reader', err)) : resolve())),
    );
    reader.setDefaultConsumeTimeout(READ_WAIT_MS);
    const ledger = new Ledger(options.topic, options.producer, reader, timeoutMs, (options.logger ?? silentLogger).child({ component: 'ledger' }));
    await ledger.catchUp();
    return ledger;
  }

  get size(): number {
    return this.entries.size;
  }

  get(id: string): LedgerEntry | undefined {
    return this.entries.get(id);
  }

  /** The command partitions that position-based entries in memory belong to. */
  positionPartitions(): Array<{ topic: string; partition: number }> {
    const seen = new Map<string, { topic: string; partition: number }>();
    for (const id of this.entries.keys()) {
      const at = identityPosition(id);
      if (at) seen.set(`${at.topic}\u0000${at.partition}`, { topic: at.topic, partition: at.partition });
    }
    return [...seen.values()];
  }

  /**
   * Forgets the position-based entries below the group's committed offsets (`offset` = the next
   * offset to read): such a message is never delivered again, so its entry can never be asked
   * for. Entries under an idempotencyKey stay (a producer may resend the command) until the
   * topic's retention removes them. Returns how many were forgotten. The topic is not changed.
   */
  forgetCommitted(committed: Array<{ topic: string; partition: number; offset: number }>): number {
    const below = new Map(committed.map((c) => [`${c.topic}\u0000${c.partition}`, c.offset]));
    let forgotten = 0;
    for (const id of this.entries.keys()) {
      const at = identityPosition(id);
      if (!at) continue;
      const next = below.get(`${at.topic}\u0000${at.partition}`);
      if (next !== undefined && at.offset < next) {
        this.entries.delete(id);
        forgotten++;
      }
    }
    if (forgotten) this.log.debug('forgot ledger entries of committed commands', { forgotten, entries: this.entries.size });
    return forgotten;
  }

  /** Writes an entry and resolves once the broker acknowledged it. */
  async put(id: string, entry: Omit<LedgerEntry, 'owner' | 'at'>): Promise<void> {
    const full: LedgerEntry = { ...entry, owner: this.owner, at: new Date().toISOString() };
    await this.producer.send({ topic: this.topic, key: id, value: Buffer.from(JSON.stringify(full)) });
    this.entries.set(id, full);
  }

  /** Reads what other sink processes wrote since the last call, up to the end offsets seen now. Calls run one at a time. */
  catchUp(): Promise<void> {
    const run = this.reading.then(() => this.readToEnd());
    this.reading = run.catch(() => undefined);
    return run;
  }

  private async readToEnd(): Promise<void> {
    const started = Date.now();
    const partitions = await this.topicPartitions();
    if (partitions.join() !== this.partitions.join()) {
      const known = new Set(this.partitions);
      this.partitions = partitions;
      const added = partitions.filter((p) => !known.has(p));
      if (added.length) this.reader.incrementalAssign(added.map((partition) => ({ topic: this.topic, partition, offset: OFFSET_BEGINNING })));
    }
    const marks = new Map<number, { low: number; high: number }>();
    for (const partition of partitions) marks.set(partition, await this.watermarks(partition));
    let read = 0;
    for (;;) {
      const positions = this.reader.position(partitions.map((partition) => ({ topic: this.topic, partition })));
      const behind = partitions.filter((p) => {
        const pos = positions.find((x) => x.partition === p)?.offset;
        return !caughtUp({ ...marks.get(p)!, ...(typeof pos === 'number' && pos >= 0 ? { position: pos } : {}) });
      });
      if (behind.length === 0) break;
      if (Date.now() - started > this.timeoutMs * 4) {
        throw new KafkaError('KAFKA_CONSUME_FAILED', `read the idempotency ledger ${this.topic}: still behind after ${this.timeoutMs * 4} ms; check the brokers`);
      }
      const messages = await new Promise<Message[]>((resolve, reject) =>
        this.reader.consume(READ_BATCH, (err: LibrdKafkaError, msgs: Message[]) => (err ? reject(KafkaError.from('KAFKA_CONSUME_FAILED', `read ledger ${this.topic}`, err)) : resolve(msgs))),
      );
      for (const m of messages) this.apply(m);
      read += messages.length;
    }
    this.log.debug('ledger caught up', { topic: this.topic, read, entries: this.entries.size, ms: Date.now() - started });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.reader.disconnect(() => resolve()));
  }

  private apply(m: Message): void {
    const id = m.key === null || m.key === undefined ? undefined : Buffer.isBuffer(m.key) ? m.key.toString('utf8') : String(m.key);
    if (!id) return;
    if (!m.value) {
      this.entries.delete(id);
      return;
    }
    try {
      this.entries.set(id, JSON.parse(m.value.toString('utf8')) as LedgerEntry);
    } catch {
      this.log.warn('ignoring an unreadable ledger entry', { topic: m.topic, partition: m.partition, offset: m.offset });
    }
  }

  private topicPartitions(): Promise<number[]> {
    return new Promise((resolve, reject) =>
      this.reader.getMetadata({ topic: this.topic, timeout: this.timeoutMs }, (err, md) => {
        if (err) return reject(KafkaError.from('KAFKA_CONSUME_FAILED', `read the partitions of ledger ${this.topic}`, err));
        const t = md.topics.find((x) => x.name === this.topic);
        if (!t || t.partitions.length === 0) return reject(new KafkaError('KAFKA_CONSUME_FAILED', `the idempotency ledger topic ${this.topic} does not exist`));
        resolve(t.partitions.map((p) => p.id).sort((a, b) => a - b));
      }),
    );
  }

  private watermarks(partition: number): Promise<{ low: number; high: number }> {
    return new Promise((resolve, reject) =>
      this.reader.queryWatermarkOffsets(this.topic, partition, this.timeoutMs, (err, w) =>
        err ? reject(KafkaError.from('KAFKA_CONSUME_FAILED', `read the end of ledger ${this.topic}[${partition}]`, err)) : resolve({ low: w.lowOffset, high: w.highOffset }),
      ),
    );
  }
}
