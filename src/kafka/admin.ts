import Kafka from 'node-rdkafka';
import type { LibrdKafkaError, Metadata } from 'node-rdkafka';
import { silentLogger, type Logger } from '../log/logger.js';
import { constructClient, type RdConfig } from './client-config.js';
import { KafkaError, RdCode } from './errors.js';

export interface TopicSpec {
  name: string;
  partitions: number;
  replicationFactor: number;
  /** Topic-level configs, e.g. `{ 'cleanup.policy': 'compact' }`. */
  config?: Record<string, string>;
}

export interface EnsureResult {
  created: string[];
  existing: string[];
}

/**
 * Topic administration. `ensureTopics` creates what is missing and leaves existing topics
 * exactly as they are (their partitions and configs are the operator's business), reporting
 * which were which.
 */
export class KafkaAdmin {
  private constructor(
    private readonly admin: Kafka.IAdminClient,
    private readonly config: RdConfig,
    private readonly timeoutMs: number,
    private readonly log: Logger,
  ) {}

  static create(config: RdConfig, options: { timeoutMs?: number; logger?: Logger } = {}): KafkaAdmin {
    const admin = constructClient('admin client', () => Kafka.AdminClient.create(config as Kafka.GlobalConfig));
    return new KafkaAdmin(admin, config, options.timeoutMs ?? 30_000, options.logger ?? silentLogger);
  }

  async ensureTopics(specs: TopicSpec[]): Promise<EnsureResult> {
    const result: EnsureResult = { created: [], existing: [] };
    for (const spec of specs) {
      const created = await new Promise<boolean>((resolve, reject) =>
        this.admin.createTopic(
          {
            topic: spec.name,
            num_partitions: spec.partitions,
            replication_factor: spec.replicationFactor,
            config: spec.config ?? {},
          },
          this.timeoutMs,
          (err: LibrdKafkaError | null | undefined) => {
            if (!err) return resolve(true);
            if (err.code === RdCode.TOPIC_ALREADY_EXISTS) return resolve(false);
            reject(KafkaError.from('KAFKA_ADMIN_FAILED', `create topic ${spec.name}`, err, { topic: spec.name }));
          },
        ),
      );
      (created ? result.created : result.existing).push(spec.name);
      if (created)
        this.log.info('created topic', { topic: spec.name, partitions: spec.partitions, config: spec.config });
    }
    if (result.created.length) await this.waitForTopics(result.created);
    return result;
  }

  async deleteTopic(name: string): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.admin.deleteTopic(name, this.timeoutMs, (err: LibrdKafkaError | null | undefined) =>
        !err || err.code === RdCode.UNKNOWN_TOPIC_OR_PART
          ? resolve()
          : reject(KafkaError.from('KAFKA_ADMIN_FAILED', `delete topic ${name}`, err, { topic: name })),
      ),
    );
  }

  /** Cluster metadata (brokers, topics, partitions) through a short-lived producer connection. */
  async metadata(): Promise<Metadata> {
    const probe = constructClient('producer', () => new Kafka.Producer(this.config as Kafka.ProducerGlobalConfig));
    await new Promise<void>((resolve, reject) =>
      probe.connect({ timeout: this.timeoutMs }, (err) =>
        err ? reject(KafkaError.from('KAFKA_CONNECT_FAILED', 'connect for metadata', err)) : resolve(),
      ),
    );
    try {
      return await new Promise<Metadata>((resolve, reject) =>
        probe.getMetadata({ allTopics: true, timeout: this.timeoutMs }, (err, data) =>
          err ? reject(KafkaError.from('KAFKA_ADMIN_FAILED', 'read cluster metadata', err)) : resolve(data),
        ),
      );
    } finally {
      await new Promise<void>((resolve) => probe.disconnect(() => resolve()));
    }
  }

  close(): void {
    this.admin.disconnect();
  }

  /** Topic creation returns before every broker knows the topic; wait until metadata shows leaders. */
  private async waitForTopics(names: string[]): Promise<void> {
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const md = await this.metadata();
      const ready = names.every((n) => {
        const t = md.topics.find((x) => x.name === n);
        return t && t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0);
      });
      if (ready) return;
      if (Date.now() > deadline)
        throw new KafkaError(
          'KAFKA_ADMIN_FAILED',
          `topics ${names.join(', ')} were created but have no leader after ${this.timeoutMs} ms`,
        );
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
