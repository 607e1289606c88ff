import Kafka from 'node-rdkafka';
import type { Assignment, LibrdKafkaError, Message, TopicPartition } from 'node-rdkafka';
import { silentLogger, type Logger } from '../log/logger.js';
import { constructClient, type RdConfig } from './client-config.js';
import { KafkaError, RdCode } from './errors.js';
import { OffsetTracker, type PartitionOffset } from './offset-tracker.js';

export interface ConsumerOptions {
  config: RdConfig;
  groupId: string;
  topics: string[];
  logger?: Logger;
  /** Default `read_committed`: aborted transactional records are never seen. */
  isolationLevel?: 'read_committed' | 'read_uncommitted';
  /** Where a group with no committed offset starts. Default `earliest`. */
  startFrom?: 'earliest' | 'latest';
  timeoutMs?: number;
  /** Runs inside the rebalance, after the new partitions are assigned. Must not throw. */
  onAssign?: (partitions: TopicPartition[]) => void;
  /** Runs inside the rebalance, after processed offsets were committed and before the partitions go. Must not throw. */
  onRevoke?: (partitions: TopicPartition[]) => void;
}

export interface ConsumedMessage {
  topic: string;
  partition: number;
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer>;
  timestamp: number | undefined;
}

/**
 * A group consumer with manual commits. Offsets are stored only through `markProcessed`,
 * and `commit` sends the contiguous processed prefix of each partition, so a crash never
 * skips an unprocessed message. On a rebalance, processed offsets of the revoked partitions
 * are committed before the partitions are released.
 */
export class KafkaConsumer {
  private readonly tracker = new OffsetTracker();
  private assigned: TopicPartition[] = [];
  private closed = false;

  private constructor(
    private rd: Kafka.KafkaConsumer,
    private readonly log: Logger,
    private readonly timeoutMs: number,
  ) {}

  static async connect(options: ConsumerOptions): Promise<KafkaConsumer> {
    const log = options.logger ?? silentLogger;
    const timeoutMs = options.timeoutMs ?? 30_000;
    // The rebalance callback needs the wrapper, which needs the client: tie the knot after construction.
    // eslint-disable-next-line prefer-const -- assigned once the client exists; the rebalance callback reads it later
    let self: KafkaConsumer | undefined;
    const rd = constructClient(
      'consumer',
      () =>
        new Kafka.KafkaConsumer(
          {
            ...options.config,
            'group.id': options.groupId,
            'enable.auto.commit': false,
            'enable.auto.offset.store': false,
            'isolation.level': options.isolationLevel ?? 'read_committed',
            'enable.partition.eof': false,
            rebalance_cb: (err: LibrdKafkaError, assignment: Assignment[]) =>
              self?.onRebalance(err, assignment, options),
          } as Kafka.ConsumerGlobalConfig,
          { 'auto.offset.reset': options.startFrom ?? 'earliest' },
        ),
    );
    self = new KafkaConsumer(rd, log, timeoutMs);
    rd.on('event.error', (err) =>
      log.warn('kafka consumer error', { err: KafkaError.from('KAFKA_CONSUME_FAILED', 'consumer', err) }),
    );
    await new Promise<void>((resolve, reject) => {
      rd.connect({ timeout: timeoutMs }, (err) =>
        err
          ? reject(
              KafkaError.from(
                'KAFKA_CONNECT_FAILED',
                `connect consumer to ${options.config['bootstrap.servers']}`,
                err,
              ),
            )
          : resolve(),
      );
    });
    try {
      rd.subscribe(options.topics);
    } catch (err) {
      // A connected client keeps the process alive: never leave one behind a failed start.
      await new Promise<void>((resolve) => rd.disconnect(() => resolve()));
      throw KafkaError.from(
        'KAFKA_CONSUME_FAILED',
        `subscribe to ${options.topics.join(', ')}`,
        err as LibrdKafkaError,
      );
    }
    return self;
  }

  /** The node-rdkafka client, for `sendOffsetsToTransaction`. */
  get raw(): Kafka.KafkaConsumer {
    return this.rd;
  }

  /** Up to `max` messages, waiting at most `waitMs` when none are ready. Each must later be marked processed. */
  async consume(max = 100, waitMs = 500): Promise<ConsumedMessage[]> {
    if (this.closed) throw new KafkaError('KAFKA_CLOSED', 'the consumer is closed');
    this.rd.setDefaultConsumeTimeout(waitMs);
    const messages = await new Promise<Message[]>((resolve, reject) =>
      this.rd.consume(max, (err, msgs) =>
        err ? reject(KafkaError.from('KAFKA_CONSUME_FAILED', 'consume', err)) : resolve(msgs),
      ),
    );
    // A fetch that completes after a revoke can still hold messages of the lost partitions:
    // they belong to the new owner. Never track or hand them out (a tracked one would stay
    // outstanding and hold back commits if the partition came back).
    const owned = new Set(this.assigned.map((tp) => `${tp.topic}\u0000${tp.partition}`));
    return messages
      .filter((m) => owned.has(`${m.topic}\u0000${m.partition}`))
      .map((m) => {
        this.tracker.received(m.topic, m.partition, m.offset);
        const headers: Record<string, Buffer> = {};
        for (const h of m.headers ?? [])
          for (const [k, v] of Object.entries(h)) headers[k] = Buffer.isBuffer(v) ? v : Buffer.from(String(v));
        return {
          topic: m.topic,
          partition: m.partition,
          offset: m.offset,
          key:
            m.key === undefined || m.key === null ? null : Buffer.isBuffer(m.key) ? m.key : Buffer.from(String(m.key)),
          value: m.value ?? null,
          headers,
          timestamp: m.timestamp,
        };
      });
  }

  markProcessed(message: Pick<ConsumedMessage, 'topic' | 'partition' | 'offset'>): void {
    this.tracker.processed(message.topic, message.partition, message.offset);
  }

  /** Commit the processed prefix of every partition that advanced. Returns what was committed. */
  async commit(): Promise<PartitionOffset[]> {
    const offsets = this.tracker.takeCommittable();
    if (offsets.length === 0) return [];
    try {
      this.rd.commitSync(offsets);
    } catch (err) {
      throw KafkaError.from('KAFKA_COMMIT_FAILED', 'commit offsets', err as LibrdKafkaError, { offsets });
    }
    this.tracker.confirmCommitted(offsets);
    return offsets;
  }

  /** Processed positions (next offsets to read) for a transaction's `sendOffsetsToTransaction`. */
  processedPositions(): PartitionOffset[] {
    return this.tracker.positions();
  }

  get outstanding(): number {
    return this.tracker.outstanding;
  }

  assignments(): TopicPartition[] {
    return [...this.assigned];
  }

  /** Stop fetching from these partitions (backpressure); already fetched messages still arrive. */
  pause(partitions: TopicPartition[] = this.assigned): void {
    if (partitions.length) this.rd.pause(partitions);
  }

  resume(partitions: TopicPartition[] = this.assigned): void {
    if (partitions.length) this.rd.resume(partitions);
  }

  /** High watermarks (the offset the next produced record will get) of the assigned partitions. */
  async endOffsets(partitions: TopicPartition[] = this.assigned): Promise<PartitionOffset[]> {
    return (await this.watermarks(partitions)).map((w) => ({ topic: w.topic, partition: w.partition, offset: w.high }));
  }

  /** Low and high watermarks (log start and end) of these partitions, as the broker reports them now. */
  async watermarks(
    partitions: TopicPartition[] = this.assigned,
  ): Promise<Array<{ topic: string; partition: number; low: number; high: number }>> {
    return Promise.all(
      partitions.map(
        (tp) =>
          new Promise<{ topic: string; partition: number; low: number; high: number }>((resolve, reject) =>
            this.rd.queryWatermarkOffsets(tp.topic, tp.partition, this.timeoutMs, (err, w) =>
              err
                ? reject(
                    KafkaError.from('KAFKA_CONSUME_FAILED', `read the watermarks of ${tp.topic}[${tp.partition}]`, err),
                  )
                : resolve({ topic: tp.topic, partition: tp.partition, low: w.lowOffset, high: w.highOffset }),
            ),
          ),
      ),
    );
  }

  /** The group's committed offsets of these partitions; a partition with none is left out. */
  async committed(partitions: TopicPartition[] = this.assigned): Promise<PartitionOffset[]> {
    if (partitions.length === 0) return [];
    const tps = await new Promise<Array<TopicPartition & { offset?: number }>>((resolve, reject) =>
      this.rd.committed(
        partitions.map((p) => ({ topic: p.topic, partition: p.partition })),
        this.timeoutMs,
        (err, got) =>
          err ? reject(KafkaError.from('KAFKA_CONSUME_FAILED', 'read committed offsets', err)) : resolve(got),
      ),
    );
    return tps.flatMap((tp) =>
      typeof tp.offset === 'number' && tp.offset >= 0
        ? [{ topic: tp.topic, partition: tp.partition, offset: tp.offset }]
        : [],
    );
  }

  /** The fetch positions (next offset to read) of these partitions; a partition not fetched from yet is left out. */
  positions(partitions: TopicPartition[] = this.assigned): PartitionOffset[] {
    if (partitions.length === 0) return [];
    return this.rd
      .position(partitions.map((p) => ({ topic: p.topic, partition: p.partition })))
      .flatMap((tp) =>
        typeof tp.offset === 'number' && tp.offset >= 0
          ? [{ topic: tp.topic, partition: tp.partition, offset: tp.offset }]
          : [],
      );
  }

  /** Commit what is processed, leave the group and disconnect. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      if (this.rd.isConnected()) await this.commit();
    } catch (err) {
      this.log.warn('could not commit processed offsets while closing; they will be redelivered', { err });
    }
    this.closed = true;
    await new Promise<void>((resolve) => this.rd.disconnect(() => resolve()));
  }

  private onRebalance(err: LibrdKafkaError, assignment: Assignment[], options: ConsumerOptions): void {
    const partitions = assignment.map((a) => ({ topic: a.topic, partition: a.partition }));
    try {
      if (err.code === RdCode.ASSIGN_PARTITIONS) {
        this.rd.assign(assignment);
        this.assigned = partitions;
        this.log.debug('partitions assigned', { partitions: partitions.map((p) => `${p.topic}[${p.partition}]`) });
        options.onAssign?.(partitions);
      } else if (err.code === RdCode.REVOKE_PARTITIONS) {
        const revoked = new Set(partitions.map((p) => `${p.topic}\u0000${p.partition}`));
        const offsets = this.tracker.takeCommittable((t, p) => revoked.has(`${t}\u0000${p}`));
        if (offsets.length && !this.closed) {
          try {
            this.rd.commitSync(offsets);
            this.tracker.confirmCommitted(offsets);
          } catch (commitErr) {
            this.log.error('could not commit before revoke; processed messages will be redelivered to the next owner', {
              err: commitErr as Error,
              offsets,
            });
          }
        }
        options.onRevoke?.(partitions);
        for (const p of partitions) this.tracker.forget(p.topic, p.partition);
        this.assigned = this.assigned.filter((p) => !revoked.has(`${p.topic}\u0000${p.partition}`));
        this.rd.unassign();
      } else {
        this.log.error('rebalance failed', { err: KafkaError.from('KAFKA_CONSUME_FAILED', 'rebalance', err) });
        this.rd.unassign();
      }
    } catch (hookErr) {
      this.log.error('rebalance handler failed', { err: hookErr as Error });
    }
  }
}
