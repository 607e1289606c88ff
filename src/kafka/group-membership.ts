import Kafka from 'node-rdkafka';
import type { Assignment, LibrdKafkaError } from 'node-rdkafka';
import { KafkaAdmin } from './admin.js';
import type { RdConfig } from './client-config.js';
import { KafkaError, RdCode } from './errors.js';
import { silentLogger, type Logger } from '../log/logger.js';

/**
 * Membership in the worker group, entirely through Kafka's group coordinator: every worker
 * subscribes to the assignment topic with the same group id and the cooperative-sticky
 * assignor, and runs the pipelines whose slot (a partition) it owns. A joining or leaving
 * worker moves only the partitions that must move; a worker that stops heartbeating loses
 * its partitions after the session timeout. No record is ever read: the topic is only the
 * unit of assignment.
 */
export interface MembershipOptions {
  rd: RdConfig;
  groupId: string;
  workerId: string;
  topic: string;
  partitions: number;
  replicationFactor: number;
  sessionTimeoutMs: number;
  logger?: Logger;
  /** Runs after partitions were added to this worker's assignment; must not throw. */
  onAssigned: (partitions: number[]) => void;
  /** Runs after partitions were taken away (already unassigned); must not throw. */
  onRevoked: (partitions: number[]) => void;
}

const POLL_WAIT_MS = 200;

export class GroupMembership {
  private consumer: Kafka.KafkaConsumer | undefined;
  private readonly owned = new Set<number>();
  private joined = false;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private lastPollOk = 0;
  private readonly log: Logger;
  /** Partitions of the assignment topic as it exists (it may predate this worker's config). */
  partitionCount = 0;

  constructor(private readonly options: MembershipOptions) {
    this.log = (options.logger ?? silentLogger).child({ component: 'membership' });
  }

  async start(): Promise<void> {
    const o = this.options;
    const admin = KafkaAdmin.create(o.rd, { logger: this.log });
    try {
      await admin.ensureTopics([
        {
          name: o.topic,
          partitions: o.partitions,
          replicationFactor: o.replicationFactor,
          config: { 'retention.ms': '3600000' },
        },
      ]);
      const md = await admin.metadata();
      this.partitionCount = md.topics.find((t) => t.name === o.topic)?.partitions.length ?? o.partitions;
    } finally {
      admin.close();
    }
    const consumer = new Kafka.KafkaConsumer(
      {
        ...o.rd,
        'group.id': o.groupId,
        'client.id': `ashby-kafka.worker.${o.workerId}`,
        'partition.assignment.strategy': 'cooperative-sticky',
        'session.timeout.ms': o.sessionTimeoutMs,
        'heartbeat.interval.ms': Math.max(1000, Math.floor(o.sessionTimeoutMs / 5)),
        'enable.auto.commit': false,
        rebalance_cb: (err: LibrdKafkaError, assignment: Assignment[]) => this.onRebalance(err, assignment),
      } as Kafka.ConsumerGlobalConfig,
      { 'auto.offset.reset': 'latest' },
    );
    consumer.on('event.error', (err) =>
      this.log.warn('worker group consumer error', {
        err: KafkaError.from('KAFKA_CONSUME_FAILED', 'group membership', err),
      }),
    );
    await new Promise<void>((resolve, reject) =>
      consumer.connect({ timeout: 30_000 }, (err) =>
        err
          ? reject(KafkaError.from('KAFKA_CONNECT_FAILED', `connect to ${o.rd['bootstrap.servers']}`, err))
          : resolve(),
      ),
    );
    this.consumer = consumer;
    consumer.setDefaultConsumeTimeout(POLL_WAIT_MS);
    consumer.subscribe([o.topic]);
    this.loop = this.poll();
  }

  /** Slots (partitions) this worker owns now. */
  slots(): ReadonlySet<number> {
    return this.owned;
  }

  /** In the group (it took part in a rebalance) and Kafka answered within the last session timeout. */
  get ready(): boolean {
    return this.joined && !this.stopped && Date.now() - this.lastPollOk < this.options.sessionTimeoutMs;
  }

  /** Leaves the group at once (others take the partitions over without waiting for the session timeout). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.loop?.catch(() => undefined);
    if (this.consumer) await new Promise<void>((resolve) => this.consumer!.disconnect(() => resolve()));
  }

  private async poll(): Promise<void> {
    while (!this.stopped) {
      try {
        await new Promise<void>((resolve, reject) =>
          this.consumer!.consume(1, (err) => (err ? reject(err) : resolve())),
        );
        this.lastPollOk = Date.now();
      } catch (err) {
        this.log.warn('polling the worker group failed; retrying', { err: err as Error });
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  private onRebalance(err: LibrdKafkaError, assignment: Assignment[]): void {
    const c = this.consumer!;
    const partitions = assignment.map((a) => a.partition);
    try {
      if (err.code === RdCode.ASSIGN_PARTITIONS) {
        c.incrementalAssign(assignment);
        this.joined = true;
        this.lastPollOk = Date.now();
        for (const p of partitions) this.owned.add(p);
        this.log.info('slots assigned', { added: partitions, owned: [...this.owned].sort((a, b) => a - b) });
        if (partitions.length) this.options.onAssigned(partitions);
      } else if (err.code === RdCode.REVOKE_PARTITIONS) {
        c.incrementalUnassign(assignment);
        for (const p of partitions) this.owned.delete(p);
        this.log.info('slots revoked', { removed: partitions, owned: [...this.owned].sort((a, b) => a - b) });
        if (partitions.length) this.options.onRevoked(partitions);
      } else {
        this.log.error('worker group rebalance failed', {
          err: KafkaError.from('KAFKA_CONSUME_FAILED', 'rebalance', err),
        });
      }
    } catch (hookErr) {
      this.log.error('worker group rebalance handler failed', { err: hookErr as Error });
    }
  }
}
